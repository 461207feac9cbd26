"""A week's way to approval: the person submits it, the project's manager
approves it (freezing the rates in force on each day) or sends days back with
a reason; and the manager closes the project's time through a date."""

import datetime as dt
from collections.abc import Collection

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notifications_resolve, notify
from liaison.core.activity import activity_record
from liaison.core.locking import check_version, save_changes
from liaison.core.rules import check_date
from liaison.core.services import InvalidInput
from liaison.finance.models import ClosedPeriod, EntryStatus, TimeEntry, Timesheet
from liaison.finance.selectors.rates import rates_in_force
from liaison.finance.services.time import EDITABLE
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Membership, Project

MAX_REASON = 500


def _locked(sheet: Timesheet, version: int) -> Timesheet:
    locked = Timesheet.objects.select_for_update().select_related("person").get(pk=sheet.pk)
    locked.project = sheet.project
    check_version(locked, version)
    return locked


def _week_url(sheet: Timesheet) -> str:
    url = reverse("finance:timesheet", args=[sheet.project.code])
    return f"{url}?week={sheet.week.isoformat()}"


def _managers(project: Project) -> list[User]:
    managers = User.objects.filter(
        memberships__project=project, memberships__role=Membership.Role.MANAGER
    )
    return list({user.pk: user for user in [*managers, project.manager] if user}.values())


def _must_be_submitted(sheet: Timesheet) -> None:
    if sheet.status != EntryStatus.SUBMITTED:
        raise InvalidInput(
            _("This week is not waiting for approval."), field="week", code="not_submitted"
        )


@transaction.atomic
def timesheet_submit(*, timesheet: Timesheet, by: User, version: int) -> Timesheet:
    """The person's own week, its draft and rejected entries, to the manager."""
    project = timesheet.project
    access.require(by, Action.EDIT, project)
    sheet = _locked(timesheet, version)
    if sheet.person_id != by.pk:
        raise InvalidInput(_("You can submit only your own time."), code="not_yours")
    entries = TimeEntry.objects.filter(timesheet=sheet, status__in=EDITABLE)
    if sheet.status == EntryStatus.APPROVED or not entries.exists():
        raise InvalidInput(
            _("This week has no time waiting to be submitted."), code="nothing_to_submit"
        )
    entries.update(status=EntryStatus.SUBMITTED, reject_reason="", updated_at=timezone.now())
    sheet.status, sheet.submitted_at = EntryStatus.SUBMITTED, timezone.now()
    save_changes(sheet, ["status", "submitted_at"])
    activity_record(
        actor=by,
        verb="submitted",
        target=sheet,
        project=project,
        diff={"status": [EntryStatus.DRAFT, EntryStatus.SUBMITTED]},
    )
    notify(
        event="timesheet.submitted",
        recipients=_managers(project),
        actor=by,
        project=project,
        message=_("%(actor)s submitted their time of the week of %(week)s for approval"),
        params={"actor": by, "week": sheet.week.isoformat()},
        url=reverse("finance:time-approvals", args=[project.code]),
        target=sheet,
    )
    return sheet


def _freeze_rates(sheet: Timesheet, entries: list[TimeEntry]) -> None:
    """Each entry priced at the rates in force on its day, or the approval refused."""
    rates = rates_in_force(
        project=sheet.project, person_id=sheet.person_id, days=[e.day for e in entries]
    )
    gaps = sorted(day for day, rate in rates.items() if rate is None)
    if gaps:
        raise InvalidInput(
            _(
                "No cost or bill rate is in force for %(person)s on %(day)s: ask an "
                "administrator to set one, then approve."
            )
            % {"person": sheet.person, "day": gaps[0].isoformat()},
            code="rate_gap",
        )
    now = timezone.now()
    for entry in entries:
        rate = rates[entry.day]
        assert rate is not None
        entry.cost_rate, entry.bill_rate = rate.cost_rate, rate.bill_rate
        entry.status, entry.approved_at, entry.updated_at = EntryStatus.APPROVED, now, now
    TimeEntry.objects.bulk_update(
        entries, ["cost_rate", "bill_rate", "status", "approved_at", "updated_at"]
    )


@transaction.atomic
def timesheet_approve(*, timesheet: Timesheet, by: User, version: int) -> Timesheet:
    """The manager approves a submitted week: its entries are priced and locked."""
    project = timesheet.project
    access.require(by, Action.MANAGE, project)
    sheet = _locked(timesheet, version)
    _must_be_submitted(sheet)
    entries = list(TimeEntry.objects.filter(timesheet=sheet, status=EntryStatus.SUBMITTED))
    _freeze_rates(sheet, entries)
    sheet.status, sheet.decided_by, sheet.decided_at = EntryStatus.APPROVED, by, timezone.now()
    save_changes(sheet, ["status", "decided_by", "decided_at"])
    activity_record(
        actor=by,
        verb="approved",
        target=sheet,
        project=project,
        diff={"status": [EntryStatus.SUBMITTED, EntryStatus.APPROVED]},
    )
    notifications_resolve(target=sheet, events=["timesheet.submitted"])
    notify(
        event="timesheet.approved",
        recipients=[sheet.person],
        actor=by,
        project=project,
        message=_("%(actor)s approved your time of the week of %(week)s"),
        room_message=_("%(actor)s approved time of the week of %(week)s"),
        params={"actor": by, "week": sheet.week.isoformat()},
        url=_week_url(sheet),
        target=sheet,
    )
    return sheet


@transaction.atomic
def timesheet_reject(
    *,
    timesheet: Timesheet,
    by: User,
    version: int,
    entry_ids: Collection[int],
    reason: str,
) -> Timesheet:
    """The manager sends entries of a submitted week back with a reason; the
    rest stay submitted, and the person submits the week again once fixed."""
    project = timesheet.project
    access.require(by, Action.MANAGE, project)
    reason = " ".join((reason or "").split())[:MAX_REASON]
    if not reason:
        raise InvalidInput(
            _("Say why, so that they can fix it."), field="reason", code="reason_required"
        )
    sheet = _locked(timesheet, version)
    _must_be_submitted(sheet)
    entries = TimeEntry.objects.filter(
        timesheet=sheet, status=EntryStatus.SUBMITTED, pk__in=list(entry_ids)
    )
    if not entry_ids or entries.count() != len(set(entry_ids)):
        raise InvalidInput(
            _("Choose entries of this week that wait for approval."),
            field="entries",
            code="not_in_timesheet",
        )
    entries.update(status=EntryStatus.REJECTED, reject_reason=reason, updated_at=timezone.now())
    sheet.status, sheet.decided_by, sheet.decided_at = EntryStatus.REJECTED, by, timezone.now()
    save_changes(sheet, ["status", "decided_by", "decided_at"])
    activity_record(
        actor=by,
        verb="rejected",
        target=sheet,
        project=project,
        diff={"status": [EntryStatus.SUBMITTED, EntryStatus.REJECTED], "reason": [None, reason]},
    )
    notifications_resolve(target=sheet, events=["timesheet.submitted"])
    notify(
        event="timesheet.rejected",
        recipients=[sheet.person],
        actor=by,
        project=project,
        message=_("%(actor)s sent back your time of the week of %(week)s: %(reason)s"),
        room_message=_("%(actor)s sent back time of the week of %(week)s"),
        params={"actor": by, "week": sheet.week.isoformat(), "reason": reason},
        url=_week_url(sheet),
        target=sheet,
    )
    return sheet


@transaction.atomic
def period_close(*, project: Project, by: User, through: dt.date) -> ClosedPeriod:
    """Close the project's time through a day (today at the latest): no entry
    on or before it may be added, changed or removed. Closing again moves it."""
    access.require(by, Action.MANAGE, project)
    check_date(through, "through")
    if through is None or through > timezone.localdate():
        raise InvalidInput(
            _("Close time through today at the latest."), field="through", code="future_day"
        )
    period = ClosedPeriod.objects.select_for_update().filter(project=project).first()
    before = period.through.isoformat() if period else None
    if period is None:
        period = ClosedPeriod(project=project)
    period.through, period.closed_by = through, by
    period.save()
    activity_record(
        actor=by,
        verb="closed",
        target=period,
        project=project,
        diff={"through": [before, through.isoformat()]},
    )
    return period
