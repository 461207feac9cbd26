"""Writes about a person's capacity in the organization: their working week,
their time off, and whether the organization reminds people who logged less
than their capacity."""

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Organization, User
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.models import DEFAULT_HOURS, DEFAULT_WEEKDAYS, Capacity, TimeOff

MAX_HOURS = 168
MAX_TIME_OFF_DAYS = 366  # one absence spans a year at most


def _clean_weekdays(weekdays: str) -> str:
    cleaned = "".join(sorted(set(str(weekdays or ""))))
    if not cleaned or not set(cleaned) <= set("0123456"):
        raise InvalidInput(
            _("Choose at least one working day."), field="working_weekdays", code="no_working_day"
        )
    return cleaned


@transaction.atomic
def capacity_set(
    *,
    organization: Organization,
    person: User,
    by: User,
    version: int,
    hours_per_week: int,
    working_weekdays: str = DEFAULT_WEEKDAYS,
) -> Capacity:
    """A person's hours per week and working days. A person without a row has
    the defaults at version 1, so the first edit is checked like any other."""
    access.require_capacity_edit(by, organization)
    if isinstance(hours_per_week, bool) or not 0 <= hours_per_week <= MAX_HOURS:
        raise InvalidInput(
            _("Capacity is from 0 to 168 hours a week."),
            field="hours_per_week",
            code="capacity_out_of_range",
        )
    weekdays = _clean_weekdays(working_weekdays)
    locked, _created = Capacity.objects.select_for_update().get_or_create(
        organization=organization,
        user=person,
        defaults={"hours_per_week": DEFAULT_HOURS, "working_weekdays": DEFAULT_WEEKDAYS},
    )
    check_version(locked, version)
    diff = apply_fields(locked, {"hours_per_week": hours_per_week, "working_weekdays": weekdays})
    if diff:
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, diff=diff)
    return locked


@transaction.atomic
def time_off_add(
    *,
    organization: Organization,
    person: User,
    by: User,
    start_date: dt.date,
    end_date: dt.date,
    note: str = "",
) -> TimeOff:
    """Whole days away, first and last included; an absence that overlaps one
    already recorded is refused (edit that one instead)."""
    access.require_time_off_edit(by, organization, person.pk)
    check_date(start_date, "start_date")
    check_date(end_date, "end_date")
    if end_date < start_date:
        raise InvalidInput(
            _("The last day comes on or after the first."), field="end_date", code="ends_before"
        )
    if (end_date - start_date).days >= MAX_TIME_OFF_DAYS:
        raise InvalidInput(
            _("Record at most a year at a time."), field="end_date", code="time_off_too_long"
        )
    overlapping = TimeOff.objects.filter(
        organization=organization, user=person, start_date__lte=end_date, end_date__gte=start_date
    )
    if overlapping.exists():
        raise InvalidInput(
            _("These days overlap time off already recorded."),
            field="start_date",
            code="time_off_overlaps",
        )
    time_off = TimeOff.objects.create(
        organization=organization,
        user=person,
        start_date=start_date,
        end_date=end_date,
        note=(note or "").strip()[:200],
        created_by=by,
    )
    activity_record(actor=by, verb="created", target=time_off)
    return time_off


@transaction.atomic
def time_off_delete(*, organization: Organization, time_off_id: int, by: User) -> User:
    """Take back recorded time off; returns whose it was. 404 when it is not
    the organization's or its person is not one the user may see."""
    time_off = (
        TimeOff.objects.select_for_update()
        .filter(organization=organization, pk=time_off_id)
        .order_by()
        .first()
    )
    if time_off is None:
        raise Http404
    person = access.get_person_for(by, organization, time_off.user_id)
    access.require_time_off_edit(by, organization, person.pk)
    activity_record(actor=by, verb="deleted", target=time_off)
    time_off.delete()
    return person


@transaction.atomic
def time_reminders_set(
    *, organization: Organization, by: User, version: int, enabled: bool
) -> Organization:
    """Whether people who logged less than their capacity last week get a
    reminder on Monday (off unless an owner or admin turns it on)."""
    access.require_org_admin(by, organization)
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    check_version(locked, version)
    diff = apply_fields(locked, {"time_reminders": bool(enabled)})
    if diff:
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, diff=diff)
    return locked
