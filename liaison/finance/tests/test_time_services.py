import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from conftest import TODAY
from liaison.accounts.tests.factories import make_user
from liaison.collab.models import Notification
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.finance.models import ClosedPeriod, EntryStatus, TimeEntry, Timesheet
from liaison.finance.services.time import (
    GridInvalid,
    time_entry_delete,
    time_entry_update,
    timesheet_save_week,
)
from liaison.finance.services.timesheets import (
    period_close,
    timesheet_approve,
    timesheet_reject,
    timesheet_submit,
)
from liaison.finance.tests.factories import LAST_WEEK, THIS_WEEK, log, role_rates, submitted_week
from liaison.planning.tests.factories import make_task
from liaison.projects.models import Membership


def refused(code, call, *args, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_the_first_entry_makes_the_weeks_timesheet_and_each_write_moves_its_version(
    project, member
):
    task = make_task(project, title="Pick lists")
    entry = log(project, member, LAST_WEEK, "7.5", task=task, note="  Wrote  the spec ")
    sheet = entry.timesheet
    assert (sheet.week, sheet.person, sheet.status) == (LAST_WEEK, member, EntryStatus.DRAFT)
    assert entry.note == "Wrote the spec" and entry.billable
    second = log(project, member, LAST_WEEK + dt.timedelta(days=6), "1")
    assert second.timesheet == sheet
    sheet.refresh_from_db()
    assert sheet.version == 3
    assert Activity.objects.filter(verb="created", target_id=entry.pk).exists()


@pytest.mark.parametrize("hours", ["0", "-1", "24.5", "1.005"])
def test_hours_must_be_more_than_0_and_at_most_24(project, member, hours):
    refused("hours_invalid", log, project, member, LAST_WEEK, hours)
    assert not TimeEntry.objects.exists()


def test_a_persons_day_holds_at_most_24_hours_across_their_projects(
    project, member, foreign_project
):
    from liaison.projects.models import Membership

    Membership.objects.create(project=foreign_project, user=member, role="member")
    log(project, member, LAST_WEEK, "20")
    refused("too_many_hours", log, project, member, LAST_WEEK, "5")
    assert TimeEntry.objects.count() == 1


def test_no_day_after_this_week_and_no_task_of_another_project(project, member, foreign_project):
    refused("future_day", log, project, member, THIS_WEEK + dt.timedelta(days=7))
    log(project, member, THIS_WEEK + dt.timedelta(days=6))  # this week's Sunday is fine
    other = make_task(foreign_project, title="Elsewhere")
    refused("not_in_project", log, project, member, LAST_WEEK, task=other)


def test_members_log_their_own_time_and_observers_none(project, member, observer, client_user):
    with pytest.raises(PermissionDenied):
        log(project, observer, LAST_WEEK)
    with pytest.raises(PermissionDenied):  # the pages and the API answer 404 before
        log(project, client_user, LAST_WEEK)
    entry = log(project, member, LAST_WEEK)
    other = make_user("other@example.test", org=project.organization)
    Membership.objects.create(project=project, user=other, role="member")
    refused("not_yours", time_entry_update, entry=entry, by=other, version=1, hours=Decimal(2))


def test_own_draft_entries_change_and_go_and_a_stale_one_is_refused(project, member):
    entry = log(project, member, LAST_WEEK, "4")
    entry = time_entry_update(entry=entry, by=member, version=1, hours=Decimal("5"), note="x")
    assert (entry.hours, entry.note, entry.version) == (Decimal("5"), "x", 2)
    with pytest.raises(StaleEdit):
        time_entry_update(entry=entry, by=member, version=1, hours=Decimal("6"))
    moved = time_entry_update(entry=entry, by=member, version=2, day=THIS_WEEK)
    assert moved.timesheet.week == THIS_WEEK
    time_entry_delete(entry=moved, by=member, version=3)
    assert not TimeEntry.objects.exists()


def test_a_closed_period_takes_no_entry_on_or_before_its_day(project, member):
    entry = log(project, member, LAST_WEEK + dt.timedelta(days=1))
    period_close(project=project, by=project.manager, through=LAST_WEEK + dt.timedelta(days=1))
    refused("period_closed", log, project, member, LAST_WEEK)
    refused("period_closed", time_entry_delete, entry=entry, by=member, version=1)
    log(project, member, LAST_WEEK + dt.timedelta(days=2))
    refused(
        "future_day",
        period_close,
        project=project,
        by=project.manager,
        through=TODAY + dt.timedelta(days=1),
    )
    with pytest.raises(PermissionDenied):
        period_close(project=project, by=member, through=LAST_WEEK)
    assert ClosedPeriod.objects.get(project=project).through == LAST_WEEK + dt.timedelta(days=1)


def test_submit_sends_the_week_to_the_managers_and_locks_it(project, member):
    sheet = submitted_week(project, member)
    assert sheet.status == EntryStatus.SUBMITTED and sheet.submitted_at
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {EntryStatus.SUBMITTED}
    assert Notification.objects.get(event="timesheet.submitted").recipient == project.manager
    refused("week_locked", log, project, member, LAST_WEEK + dt.timedelta(days=4))
    entry = TimeEntry.objects.first()
    refused(
        "entry_locked", time_entry_update, entry=entry, by=member, version=entry.version, hours=1
    )
    refused(
        "nothing_to_submit", timesheet_submit, timesheet=sheet, by=member, version=sheet.version
    )
    with pytest.raises(StaleEdit):
        timesheet_submit(timesheet=sheet, by=member, version=1)


def test_only_the_manager_approves_and_the_rates_of_each_day_are_frozen(project, member):
    role_rates(project)
    sheet = submitted_week(project, member)
    with pytest.raises(PermissionDenied):
        timesheet_approve(timesheet=sheet, by=member, version=sheet.version)
    sheet = timesheet_approve(timesheet=sheet, by=project.manager, version=sheet.version)
    assert sheet.status == EntryStatus.APPROVED and sheet.decided_by == project.manager
    entries = list(TimeEntry.objects.all())
    assert {(e.status, e.cost_rate, e.bill_rate) for e in entries} == {
        (EntryStatus.APPROVED, Decimal("60.00"), Decimal("120.00"))
    }
    assert entries[0].cost == Decimal("480")
    assert Notification.objects.get(event="timesheet.approved").recipient == member
    refused(
        "not_submitted",
        timesheet_approve,
        timesheet=sheet,
        by=project.manager,
        version=sheet.version,
    )
    refused("week_locked", log, project, member, LAST_WEEK + dt.timedelta(days=5))


def test_a_rate_gap_refuses_the_approval_naming_the_day_and_the_person(project, member):
    sheet = submitted_week(project, member)
    error = refused(
        "rate_gap", timesheet_approve, timesheet=sheet, by=project.manager, version=sheet.version
    )
    assert LAST_WEEK.isoformat() in str(error.message) and str(member) in str(error.message)
    assert not TimeEntry.objects.filter(status=EntryStatus.APPROVED).exists()


def test_a_day_sent_back_with_a_reason_is_fixed_and_submitted_again(project, member):
    role_rates(project)
    sheet = submitted_week(project, member)
    monday = TimeEntry.objects.get(day=LAST_WEEK)
    manager = project.manager
    refused(
        "reason_required",
        timesheet_reject,
        timesheet=sheet,
        by=manager,
        version=sheet.version,
        entry_ids=[monday.pk],
        reason=" ",
    )
    refused(
        "not_in_timesheet",
        timesheet_reject,
        timesheet=sheet,
        by=manager,
        version=sheet.version,
        entry_ids=[],
        reason="No",
    )
    sheet = timesheet_reject(
        timesheet=sheet, by=manager, version=sheet.version, entry_ids=[monday.pk], reason="Too much"
    )
    monday.refresh_from_db()
    assert (monday.status, monday.reject_reason) == (EntryStatus.REJECTED, "Too much")
    assert TimeEntry.objects.filter(status=EntryStatus.SUBMITTED).count() == 2
    assert Notification.objects.get(event="timesheet.rejected").recipient == member
    monday = time_entry_update(entry=monday, by=member, version=monday.version, hours=Decimal("6"))
    sheet.refresh_from_db()
    sheet = timesheet_submit(timesheet=sheet, by=member, version=sheet.version)
    monday.refresh_from_db()
    assert (monday.status, monday.reject_reason) == (EntryStatus.SUBMITTED, "")
    timesheet_approve(timesheet=sheet, by=manager, version=sheet.version)
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {EntryStatus.APPROVED}


def test_the_weeks_grid_is_saved_all_or_nothing(project, member):
    task = make_task(project, title="Pick lists")
    monday, tuesday = LAST_WEEK, LAST_WEEK + dt.timedelta(days=1)
    sheet = timesheet_save_week(
        project=project,
        by=member,
        week=LAST_WEEK,
        version=0,
        cells={
            (task.pk, monday): Decimal("6"),
            (None, monday): Decimal("2"),
            (task.pk, tuesday): None,
        },
    )
    assert TimeEntry.objects.count() == 2
    # Hours moved from the task to project work on a full day fit; a cell over 24 refuses all.
    log(project, member, monday + dt.timedelta(days=2), "8")
    sheet.refresh_from_db()
    with pytest.raises(GridInvalid) as caught:
        timesheet_save_week(
            project=project,
            by=member,
            week=LAST_WEEK,
            version=sheet.version,
            cells={(task.pk, monday): Decimal("1"), (None, tuesday): Decimal("25")},
        )
    assert caught.value.cells == {(None, tuesday): "Give more than 0 and at most 24 hours."}
    assert TimeEntry.objects.get(task=task).hours == Decimal("6")
    with pytest.raises(StaleEdit):
        timesheet_save_week(project=project, by=member, week=LAST_WEEK, version=1, cells={})
    timesheet_save_week(
        project=project,
        by=member,
        week=LAST_WEEK,
        version=sheet.version,
        cells={(task.pk, monday): None, (None, monday): Decimal("8")},
    )
    assert list(TimeEntry.objects.filter(day=monday).values_list("task", "hours")) == [
        (None, Decimal("8.00"))
    ]
    assert Timesheet.objects.count() == 1
