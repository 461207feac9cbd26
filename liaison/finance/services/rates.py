"""Rates: what an hour of a person's (or a project role's) work costs the firm
and bills the client, from a day on. The organization's owners and admins set
them; a rate already in force is history and stays, a future one may go."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Organization, OrgMembership, User
from liaison.core.activity import activity_record
from liaison.core.rules import check_date
from liaison.core.services import InvalidInput
from liaison.finance.amounts import MAX_RATE, checked_amount
from liaison.finance.models import Rate
from liaison.projects import access
from liaison.projects.models import CURRENCIES, Membership

# The project roles a rate may be set for, as the fallback of a person's own.
RATE_ROLES = (Membership.Role.MANAGER, Membership.Role.MEMBER)


def _clean_who(organization: Organization, person: User | None, role: str) -> str:
    if person is None and not role:
        raise InvalidInput(
            _("Choose a person or a project role."), field="person", code="who_required"
        )
    if person is not None and role:
        raise InvalidInput(
            _("A rate is for a person or for a role, not both."), field="role", code="who_twice"
        )
    if role and role not in RATE_ROLES:
        raise InvalidInput(_("Choose manager or member."), field="role", code="bad_role")
    if (
        person is not None
        and not OrgMembership.objects.filter(organization=organization, user=person).exists()
    ):
        raise InvalidInput(
            _("Choose someone of the organization's staff."),
            field="person",
            code="not_in_organization",
        )
    return role


@transaction.atomic
def rate_create(
    *,
    organization: Organization,
    by: User,
    currency: str,
    cost_rate: Decimal,
    bill_rate: Decimal,
    effective_from: dt.date,
    person: User | None = None,
    role: str = "",
) -> Rate:
    """A new rate from `effective_from` on; the one before it stays in force
    until then. Two rates for the same person (or role) and currency on the
    same day are refused."""
    access.require_org_admin(by, organization)
    role = _clean_who(organization, person, (role or "").strip())
    if currency not in dict(CURRENCIES):
        raise InvalidInput(_("Choose a currency."), field="currency", code="bad_currency")
    if effective_from is None:
        raise InvalidInput(_("Give the first day."), field="effective_from")
    check_date(effective_from, "effective_from")
    rate = Rate(
        organization=organization,
        person=person,
        role=role,
        currency=currency,
        cost_rate=checked_amount(cost_rate, "cost_rate", most=MAX_RATE, zero=True),
        bill_rate=checked_amount(bill_rate, "bill_rate", most=MAX_RATE, zero=True),
        effective_from=effective_from,
        created_by=by,
    )
    same_day = Rate.objects.filter(
        organization=organization,
        person=person,
        role=role,
        currency=currency,
        effective_from=effective_from,
    )
    try:
        # The constraint does not hold for roles' rates (no person: NULLs differ).
        if same_day.exists():
            raise IntegrityError
        with transaction.atomic():
            rate.save()
    except IntegrityError:
        raise InvalidInput(
            _("A rate in %(currency)s already starts that day: remove it or pick another day.")
            % {"currency": currency},
            field="effective_from",
            code="rate_exists",
        ) from None
    activity_record(actor=by, verb="created", target=rate)
    return rate


@transaction.atomic
def rate_delete(*, rate: Rate, by: User) -> None:
    """Remove a rate that is not yet in force. One in force or past priced
    approved work: it stays, and a new rate replaces it from a later day."""
    access.require_org_admin(by, rate.organization)
    if rate.effective_from <= timezone.localdate():
        raise InvalidInput(
            _("This rate is already in force: add a new rate from a later day instead."),
            code="rate_in_force",
        )
    activity_record(actor=by, verb="deleted", target=rate)
    rate.delete()
