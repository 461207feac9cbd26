"""A person's start/stop timer: one running at most, across all their projects.

Stopping it logs its time as a draft entry of the day it started, through
`time_entry_create`, so every rule of an entry holds (closed period, a
submitted week, 24 hours a day); a refusal leaves nothing saved and the timer
running, so no time is lost. The hours are rounded up to the quarter hour. A
timer still running past midnight is refused rather than split: hours
forgotten overnight are not work, so the person discards it and types the
hours they did."""

import datetime as dt
import math
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.services import InvalidInput
from liaison.finance.models import TimeEntry, Timer
from liaison.finance.services import time as time_services
from liaison.planning.models import Task
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

STEP = Decimal("0.25")  # hours: a timer's time is rounded up to a quarter hour
STEP_SECONDS = 900


def timer_hours(*, elapsed: dt.timedelta) -> Decimal:
    """The hours a timer logs: rounded up to the quarter hour, a quarter at least."""
    quarters = max(1, math.ceil(elapsed.total_seconds() / STEP_SECONDS))
    return STEP * quarters


def _running_refusal(running: Timer) -> InvalidInput:
    return InvalidInput(
        _("Your timer is already running (since %(time)s): stop or discard it first.")
        % {"time": timezone.localtime(running.started_at).strftime("%H:%M")},
        field="timer",
        code="timer_running",
    )


@transaction.atomic
def timer_start(
    *, project: Project, by: User, task: Task | None = None, note: str = "", billable: bool = True
) -> Timer:
    """Start `by`'s timer on a task of the project or on the project's work."""
    access.require(by, Action.EDIT, project)
    running = Timer.objects.filter(person=by).first()
    if running is not None:
        raise _running_refusal(running)
    if task is not None and task.project_id != project.pk:
        raise InvalidInput(
            _("That task is not part of this project."), field="task", code="not_in_project"
        )
    now = timezone.now()
    time_services.check_day(project=project, day=timezone.localdate(now))
    note = " ".join((note or "").split())[: time_services.MAX_NOTE]
    try:
        with transaction.atomic():
            timer = Timer.objects.create(
                person=by,
                project=project,
                task=task,
                note=note,
                billable=bool(billable),
                started_at=now,
            )
    except IntegrityError:  # started at the same moment elsewhere
        raise _running_refusal(Timer.objects.get(person=by)) from None
    activity_record(actor=by, verb="started", target=timer, project=project)
    return timer


def _locked_timer(by: User) -> Timer:
    found = (
        Timer.objects.select_for_update(of=("self",))
        .select_related("project", "task")
        .filter(person=by)
        .first()
    )
    if found is None:
        raise InvalidInput(_("You have no timer running."), field="timer", code="no_timer")
    return found


@transaction.atomic
def timer_stop(*, by: User) -> TimeEntry:
    """Stop `by`'s timer: its time becomes a draft entry of the day it started
    in the timer's project. Refused (and still running) when the entry is."""
    timer = _locked_timer(by)
    project = timer.project
    now = timezone.now()
    day = timezone.localdate(timer.started_at)
    if timezone.localdate(now) != day:
        raise InvalidInput(
            _(
                "This timer ran past midnight: discard it and log the hours you "
                "worked on %(day)s on the timesheet."
            )
            % {"day": day.isoformat()},
            field="timer",
            code="timer_overnight",
        )
    entry = time_services.time_entry_create(
        project=project,
        by=by,
        day=day,
        hours=timer_hours(elapsed=now - timer.started_at),
        task=timer.task,
        note=timer.note,
        billable=timer.billable,
    )
    entry.started_at, entry.ended_at = timer.started_at, now
    TimeEntry.objects.filter(pk=entry.pk).update(started_at=timer.started_at, ended_at=now)
    activity_record(
        actor=by,
        verb="stopped",
        target=timer,
        project=project,
        diff={"hours": [None, str(entry.hours)]},
    )
    timer.delete()
    return entry


@transaction.atomic
def timer_discard(*, by: User) -> None:
    """Throw `by`'s timer away: no time is logged. Anyone may discard their own,
    also after leaving the timer's project, so that it never blocks the next."""
    timer = _locked_timer(by)
    activity_record(actor=by, verb="discarded", target=timer, project=timer.project)
    timer.delete()
