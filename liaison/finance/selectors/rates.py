"""The rates in force: what an hour of a person's work costs and bills on a day."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from liaison.accounts.models import Organization
from liaison.finance.amounts import rounded
from liaison.finance.models import Rate
from liaison.projects.models import Membership, Project


def rates_in_force(
    *, project: Project, person_id: int, days: Iterable[dt.date]
) -> dict[dt.date, Rate | None]:
    """For each day, the person's own rate in the project's currency that day,
    else the rate of their role in the project, else None (a rate gap, which
    approving refuses). One query for the person's and the role's rates."""
    days = sorted(set(days))
    if not days:
        return {}
    roles = Membership.objects.filter(project=project, user_id=person_id).order_by()
    role = next(iter(roles.values_list("role", flat=True)[:1]), None)
    rates = list(
        Rate.objects.filter(
            Q(person_id=person_id) | Q(person__isnull=True, role=role or "-"),
            organization_id=project.organization_id,
            currency=project.currency,
            effective_from__lte=days[-1],
        ).order_by("-effective_from", "-id")
    )
    own = [rate for rate in rates if rate.person_id is not None]
    by_role = [rate for rate in rates if rate.person_id is None]
    return {day: _latest(own, day) or _latest(by_role, day) for day in days}


def _latest(rates: list[Rate], day: dt.date) -> Rate | None:
    """The first rate (newest first) in force on the day."""
    return next((rate for rate in rates if rate.effective_from <= day), None)


# -- the organization's rates page, and a project's rates today -------------------------


@dataclass(slots=True)
class RateRow:
    """A rate as the rates page lists it: whose, and whether it is in force
    today, waiting for its day (future) or replaced (past)."""

    rate: Rate
    who: str
    state: str  # "in_force", "future" or "past"


def rate_rows(*, organization: Organization, today: dt.date) -> list[RateRow]:
    """Every rate of the organization, grouped by person or role and currency
    (people by name, then the roles), newest first within each; one query."""
    rates = list(
        Rate.objects.filter(organization=organization)
        .select_related("person")
        .only(*RATE_ROW)
        .order_by("currency", "role", "person_id", "-effective_from", "-id")
    )
    rows: list[RateRow] = []
    in_force: set[tuple[int | None, str, str]] = set()
    for rate in rates:
        key = (rate.person_id, rate.role, rate.currency)
        if rate.effective_from > today:
            state = "future"
        elif key in in_force:
            state = "past"
        else:
            state = "in_force"
            in_force.add(key)
        who = (
            (rate.person.display_name or rate.person.email)
            if rate.person
            else str(ROLE_LABELS.get(rate.role, rate.role))
        )
        rows.append(RateRow(rate=rate, who=who, state=state))
    rows.sort(key=lambda row: (row.rate.person_id is None, row.who.lower(), row.rate.currency))
    return rows


ROLE_LABELS = dict(Membership.Role.choices)
RATE_ROW = (
    "organization_id",
    "person__display_name",
    "person__email",
    "role",
    "currency",
    "cost_rate",
    "bill_rate",
    "effective_from",
)


def rate_get(*, organization: Organization, rate_id: int) -> Rate:
    """One of the organization's rates; 404 for any other."""
    found = Rate.objects.filter(organization=organization, pk=rate_id).order_by()[:1]
    if not found:
        raise Http404
    return found[0]


def role_rates_today(*, project: Project, today: dt.date) -> dict[str, Rate]:
    """The project roles' rates in force today, in its currency (one query)."""
    rates = Rate.objects.filter(
        organization_id=project.organization_id,
        person__isnull=True,
        currency=project.currency,
        effective_from__lte=today,
    ).order_by("-effective_from", "-id")
    found: dict[str, Rate] = {}
    for rate in rates:
        found.setdefault(rate.role, rate)
    return found


def team_bill_rate(*, project: Project, today: dt.date) -> Decimal | None:
    """The project's blended bill rate today: the mean of its managers' and
    members' bill rates in force (each their own, else their role's); None
    when nobody on the team has one. Two queries."""
    team = list(
        Membership.objects.filter(
            project=project, role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER)
        ).values_list("user_id", "role")
    )
    rates = list(
        Rate.objects.filter(
            Q(person_id__in=[user_id for user_id, _ in team]) | Q(person__isnull=True),
            organization_id=project.organization_id,
            currency=project.currency,
            effective_from__lte=today,
        ).order_by("-effective_from", "-id")
    )
    own: dict[int, Decimal] = {}
    by_role: dict[str, Decimal] = {}
    for rate in rates:
        if rate.person_id is not None:
            own.setdefault(rate.person_id, rate.bill_rate)
        else:
            by_role.setdefault(rate.role, rate.bill_rate)
    priced = [own.get(user_id, by_role.get(role)) for user_id, role in team]
    known = [rate for rate in priced if rate is not None]
    return sum(known, Decimal(0)) / len(known) if known else None


def change_cost_estimate(project: Project, hours: Decimal) -> Decimal | None:
    """A change's effort at the team's blended bill rate today (the changes'
    assessment offers it as the cost: the registry's cost estimator)."""
    rate = team_bill_rate(project=project, today=timezone.localdate())
    return None if rate is None else rounded(Decimal(hours) * rate)
