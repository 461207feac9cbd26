"""The rates in force: what an hour of a person's work costs and bills on a day."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

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
