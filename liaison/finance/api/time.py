"""API: the time people log and their weeks' way to approval.

Members and managers log their own time (observers and clients: 403 and 404,
as on the pages); a member reads and writes only their own entries and weeks,
a manager reads everyone's, records a team member's draft time for them
(`person_id`) and approves or sends back a submitted week. One's timer: start
it in a project, read, stop (a draft entry) or discard it wherever it runs.
Writes go through the same services as the pages; a stale version answers 409."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liaison.core.schemas import WRITE, Conflict, Page, named_as_sent, not_null
from liaison.core.services import InvalidInput
from liaison.finance.models import TimeEntry, Timesheet
from liaison.finance.selectors import time as selectors
from liaison.finance.selectors.timer import RunningTimer, running_timer
from liaison.finance.services import time as services
from liaison.finance.services import timer as timer_services
from liaison.finance.services import timesheets as sheet_services
from liaison.finance.time_schemas import (
    CurrentTimerOut,
    TimeEntryIn,
    TimeEntryOut,
    TimeEntryPatch,
    TimerOut,
    TimerStartIn,
    TimesheetListItem,
    TimesheetOut,
    TimesheetRejectIn,
    TimesheetVersionIn,
)
from liaison.planning.models import Task
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

router = Router(tags=["time"])
ENTRIES = "/projects/{code}/time-entries"
SHEETS = "/projects/{code}/timesheets"


class TimeEntryQuery(Schema):
    person: int | None = Field(
        None, description="A person's id (managers; members read their own)."
    )
    since: dt.date | None = None
    until: dt.date | None = None


def _task(project: Project, key: str | None) -> Task | None:
    if not key:
        return None
    found = Task.objects.filter(project=project, key=key.strip().upper()[:20]).first()
    if found is None:
        raise InvalidInput(
            _("That task is not part of this project."), field="task", code="not_in_project"
        )
    return found


def _own_unless_manager(request, project: Project, person_id: int | None) -> int | None:
    """A manager reads anyone's time (None: everyone's); anyone else only their own."""
    if access.can(request.user, Action.MANAGE, project):
        return person_id
    return int(request.user.pk)


# -- entries ------------------------------------------------------------------------------


@router.get(
    ENTRIES,
    response={200: list[TimeEntryOut], **WRITE},
    summary="Time entries, newest day first (members: their own)",
    description="`person` picks one person's (managers); `since` and `until` bound the days.",
)
@paginate(Page)
def entry_list(request, code: str, query: Query[TimeEntryQuery]):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    person = _own_unless_manager(request, project, query.person)
    filters = selectors.TimeEntryFilters(person=person, since=query.since, until=query.until)
    return selectors.entry_list(project=project, filters=filters)


@router.post(
    ENTRIES,
    response={201: TimeEntryOut, **WRITE},
    summary="Log hours of your own (managers: also a team member's)",
    description="Refusals (400): `hours_invalid`, `too_many_hours` (over 24 in the person's "
    "day), `future_day` (after this week), `period_closed`, `week_locked` (submitted or "
    "approved), `not_in_project` (the task); `person_id`: `not_manager` (only a manager of "
    "the project records someone else's time), `not_member` (not of the project's team).",
)
def entry_create(request, code: str, data: TimeEntryIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = data.dict()
    fields["task"] = _task(project, fields["task"])
    with named_as_sent(person="person_id"):
        entry = services.time_entry_create(project=project, by=request.user, **fields)
    return Status(201, _as_stored(project, entry.pk))


def _as_stored(project: Project, pk: int) -> TimeEntry:
    """An entry as the database holds it (hours with their two places)."""
    return selectors.entry_list(project=project, filters=selectors.TimeEntryFilters()).get(pk=pk)


def _entry(request, code: str, entry_id: int) -> TimeEntry:
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    entry = selectors.entry_get(project=project, pk=entry_id)
    if entry.person_id != request.user.pk and not access.can(request.user, Action.MANAGE, project):
        raise PermissionDenied
    return entry


@router.patch(
    ENTRIES + "/{entry_id}",
    response={200: TimeEntryOut, **WRITE, 409: Conflict},
    summary="Change a draft or sent-back entry (yours; managers: the team's)",
    description="A submitted or approved entry answers 400 `entry_locked`; someone else's "
    "`not_yours` (unless you manage the project).",
)
def entry_update(request, code: str, entry_id: int, data: TimeEntryPatch):
    entry = _entry(request, code, entry_id)
    fields = not_null(data.dict(exclude_unset=True, exclude={"version"}), nullable=("task",))
    if "task" in fields:
        fields["task"] = _task(entry.project, fields["task"])
    saved = services.time_entry_update(entry=entry, by=request.user, version=data.version, **fields)
    return _as_stored(entry.project, saved.pk)


@router.delete(
    ENTRIES + "/{entry_id}",
    response={204: None, **WRITE, 409: Conflict},
    summary="Remove a draft or sent-back entry (yours; managers: the team's)",
)
def entry_delete(
    request,
    code: str,
    entry_id: int,
    version: int | None = Query(None, description="When given, a stale version answers 409."),
):
    entry = _entry(request, code, entry_id)
    services.time_entry_delete(entry=entry, by=request.user, version=version)
    return Status(204, None)


# -- weeks --------------------------------------------------------------------------------


def _sheet_out(sheet: Timesheet) -> dict:
    entries = (
        list(
            TimeEntry.objects.filter(timesheet=sheet)
            .select_related("task", "person")
            .order_by("day", "pk")
        )
        if sheet.pk
        else []
    )
    return {
        "id": sheet.pk,
        "person": sheet.person,
        "week": sheet.week,
        "status": sheet.status,
        "submitted_at": sheet.submitted_at,
        "decided_at": sheet.decided_at,
        "total": sum((entry.hours for entry in entries), selectors.ZERO),
        "entries": entries,
        "version": sheet.version,
    }


@router.get(
    SHEETS + "/mine",
    response={200: TimesheetOut, **WRITE},
    summary="Your week, with its entries",
    description="`week`: any day of it (this week when left out). A week with no "
    "entry reads as an empty draft: no id, version 0.",
)
def week_get(request, code: str, week: dt.date | None = None):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    day = week or timezone.localdate()
    return _sheet_out(selectors.week_sheet(project=project, person=request.user, week=day))


@router.get(
    SHEETS,
    response={200: list[TimesheetListItem], **WRITE},
    summary="Weeks waiting for approval, oldest first (managers)",
)
@paginate(Page)
def waiting_list(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    return selectors.timesheets_waiting(project=project)


def _sheet(request, code: str, timesheet_id: int, need: Action) -> Timesheet:
    project = access.get_project_for(request.user, code, need=need)
    return selectors.timesheet_get(project=project, pk=timesheet_id)


@router.post(
    SHEETS + "/{timesheet_id}/submit",
    response={200: TimesheetOut, **WRITE, 409: Conflict},
    summary="Submit your week for approval",
    description="Its draft and sent-back entries; 400 `nothing_to_submit` when none is left.",
)
def week_submit(request, code: str, timesheet_id: int, data: TimesheetVersionIn):
    sheet = _sheet(request, code, timesheet_id, Action.EDIT)
    return _sheet_out(
        sheet_services.timesheet_submit(timesheet=sheet, by=request.user, version=data.version)
    )


@router.post(
    SHEETS + "/{timesheet_id}/approve",
    response={200: TimesheetOut, **WRITE, 409: Conflict},
    summary="Approve a submitted week (managers)",
    description="Freezes the cost and bill rates in force on each day; a day without one "
    "answers 400 `rate_gap`; a week not submitted `not_submitted`.",
)
def week_approve(request, code: str, timesheet_id: int, data: TimesheetVersionIn):
    sheet = _sheet(request, code, timesheet_id, Action.MANAGE)
    return _sheet_out(
        sheet_services.timesheet_approve(timesheet=sheet, by=request.user, version=data.version)
    )


@router.post(
    SHEETS + "/{timesheet_id}/reject-entries",
    response={200: TimesheetOut, **WRITE, 409: Conflict},
    summary="Send entries of a submitted week back with a reason (managers)",
    description="400 `reason_required`; `not_in_timesheet` for an entry not waiting in it.",
)
def week_reject(request, code: str, timesheet_id: int, data: TimesheetRejectIn):
    sheet = _sheet(request, code, timesheet_id, Action.MANAGE)
    with named_as_sent(entries="entry_ids"):
        rejected = sheet_services.timesheet_reject(
            timesheet=sheet,
            by=request.user,
            version=data.version,
            entry_ids=data.entry_ids,
            reason=data.reason,
        )
    return _sheet_out(rejected)


# -- one's timer ----------------------------------------------------------------------------


def _timer_out(running: RunningTimer) -> dict:
    timer = running.timer
    return {
        "project": timer.project.code,
        "task": timer.task.key if timer.task else None,
        "note": timer.note,
        "billable": timer.billable,
        "started_at": timer.started_at,
        "elapsed_seconds": int(running.elapsed.total_seconds()),
        "hours": running.hours,
    }


@router.get(
    "/timer",
    response={200: CurrentTimerOut, **WRITE},
    summary="Your running timer, whichever project it runs in",
)
def timer_current(request):
    access.require_staff(request.user)
    running = running_timer(person=request.user)
    return {"timer": _timer_out(running) if running else None}


@router.post(
    "/projects/{code}/timer",
    response={201: TimerOut, **WRITE},
    summary="Start your timer on a task of the project or on its work",
    description="One timer runs at a time: 400 `timer_running` while yours does (stop or "
    "discard it first); `not_in_project` (the task), `period_closed` (today is closed).",
)
def timer_start(request, code: str, data: TimerStartIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    timer_services.timer_start(
        project=project,
        by=request.user,
        task=_task(project, data.task),
        note=data.note,
        billable=data.billable,
    )
    running = running_timer(person=request.user)
    assert running is not None
    return Status(201, _timer_out(running))


@router.post(
    "/timer/stop",
    response={201: TimeEntryOut, **WRITE},
    summary="Stop your timer: its time becomes a draft entry of the day it started",
    description="Hours rounded up to the quarter hour (0.25 at least). Refusals (400), the "
    "timer still running: `no_timer`, `timer_overnight` (it ran past midnight: discard it "
    "and log the hours), and an entry's: `too_many_hours`, `period_closed`, `week_locked`.",
)
def timer_stop(request):
    access.require_staff(request.user)
    entry = timer_services.timer_stop(by=request.user)
    return Status(201, _as_stored(entry.project, entry.pk))


@router.post(
    "/timer/discard",
    response={204: None, **WRITE},
    summary="Discard your timer: no time is logged",
    description="400 `no_timer` when none runs.",
)
def timer_discard(request):
    access.require_staff(request.user)
    timer_services.timer_discard(by=request.user)
    return Status(204, None)
