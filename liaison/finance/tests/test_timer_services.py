"""The timer's rules: one running per person, its time rounded up to the
quarter hour into a draft entry of the day it started through the entry's
service (whose refusals keep it running), past midnight refused, discarded
without a trace but the log's."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from conftest import NOW, TODAY
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.finance.models import ClosedPeriod, EntryStatus, TimeEntry, Timer
from liaison.finance.services.timer import timer_discard, timer_hours, timer_start, timer_stop
from liaison.finance.services.timesheets import timesheet_submit
from liaison.finance.tests.factories import log
from liaison.planning.tests.factories import make_task
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_project


def refused(code, call, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def later(**delta):
    """The clock moved on from NOW (it starts there in every test)."""
    return time_machine.travel(NOW + dt.timedelta(**delta), tick=False)


@pytest.mark.parametrize(
    ("seconds", "hours"),
    [(0, "0.25"), (1, "0.25"), (900, "0.25"), (901, "0.50"), (3600, "1.00"), (28_740, "8.00")],
)
def test_a_timers_time_is_rounded_up_to_the_quarter_hour(seconds, hours):
    assert timer_hours(elapsed=dt.timedelta(seconds=seconds)) == Decimal(hours)


def test_stopping_logs_a_draft_entry_of_the_day_with_when_it_ran(project, member):
    task = make_task(project, title="Pick lists")
    timer = timer_start(project=project, by=member, task=task, note="  Spec  work ", billable=False)
    assert (timer.note, timer.billable) == ("Spec work", False)
    with later(hours=1, minutes=5):
        entry = timer_stop(by=member)
    entry.refresh_from_db()
    assert (entry.person, entry.day, entry.hours, entry.task) == (
        member,
        TODAY,
        Decimal("1.25"),
        task,
    )
    assert (entry.status, entry.note, entry.billable) == (EntryStatus.DRAFT, "Spec work", False)
    assert entry.started_at == timer.started_at
    assert entry.ended_at == NOW + dt.timedelta(hours=1, minutes=5)
    assert not Timer.objects.exists()
    verbs = set(Activity.objects.filter(actor=member).values_list("verb", flat=True))
    assert verbs == {"started", "stopped", "created"}


def test_one_timer_runs_at_a_time_across_projects(project, member, org, manager):
    other = make_project(org, manager, "TWO")
    Membership.objects.create(project=other, user=member, role="member")
    timer_start(project=project, by=member)
    refused("timer_running", timer_start, project=other, by=member)
    assert Timer.objects.count() == 1
    timer_discard(by=member)
    timer_start(project=project, by=member)  # the next one may start
    assert Timer.objects.get().person == member


def test_observers_start_no_timer_and_a_task_is_the_projects(
    project, member, observer, foreign_project
):
    with pytest.raises(PermissionDenied):
        timer_start(project=project, by=observer)
    elsewhere = make_task(foreign_project, title="Elsewhere")
    refused("not_in_project", timer_start, project=project, by=member, task=elsewhere)
    assert not Timer.objects.exists()


def test_no_timer_to_stop_or_discard(project, member):
    refused("no_timer", timer_stop, by=member)
    refused("no_timer", timer_discard, by=member)


def test_a_timer_past_midnight_is_refused_and_keeps_running(project, member):
    timer_start(project=project, by=member)
    midnight = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(0, 30), tzinfo=dt.UTC)
    with time_machine.travel(midnight, tick=False):
        refused("timer_overnight", timer_stop, by=member)
    assert Timer.objects.exists() and not TimeEntry.objects.exists()


def test_the_days_24_hours_refuse_the_stop_and_the_timer_keeps_running(project, member):
    log(project, member, TODAY, "23.9")
    timer_start(project=project, by=member)
    with later(minutes=20):
        refused("too_many_hours", timer_stop, by=member)
    assert Timer.objects.exists() and TimeEntry.objects.count() == 1


def test_a_week_submitted_or_a_period_closed_meanwhile_refuse_the_stop(project, member):
    timer_start(project=project, by=member)
    entry = log(project, member, TODAY, "1")
    timesheet_submit(timesheet=entry.timesheet, by=member, version=entry.timesheet.version)
    refused("week_locked", timer_stop, by=member)
    ClosedPeriod.objects.create(project=project, through=TODAY)
    refused("period_closed", timer_stop, by=member)
    assert Timer.objects.exists() and TimeEntry.objects.count() == 1


def test_no_timer_starts_on_a_closed_day(project, member):
    ClosedPeriod.objects.create(project=project, through=TODAY)
    refused("period_closed", timer_start, project=project, by=member)


def test_discarding_logs_nothing_and_says_so(project, member):
    timer_start(project=project, by=member)
    timer_discard(by=member)
    assert not Timer.objects.exists() and not TimeEntry.objects.exists()
    assert Activity.objects.filter(actor=member, verb="discarded").exists()


def test_one_who_left_the_project_still_discards_their_timer(project, member):
    timer_start(project=project, by=member)
    Membership.objects.filter(user=member).delete()
    with pytest.raises(Http404):  # the project is no longer theirs
        timer_stop(by=member)
    timer_discard(by=member)
    assert not Timer.objects.exists()
