"""The time selectors: what the week's grid holds, the weeks waiting and the
hours on tasks, each in a fixed number of queries at two sizes."""

import datetime as dt

import pytest

from liaison.finance.models import EntryStatus
from liaison.finance.selectors.time import task_hours, week_grid, week_totals, weeks_waiting
from liaison.finance.services.timesheets import timesheet_reject
from liaison.finance.tests.factories import LAST_WEEK, log, submitted_week
from liaison.planning.models import Task
from liaison.planning.tests.factories import make_task


def test_the_grid_has_a_row_per_assigned_open_or_logged_task_and_project_work(project, member):
    mine = make_task(project, title="Mine", assignee=member)
    make_task(project, title="Done", assignee=member, status=Task.Status.DONE)
    other = make_task(project, title="Someone's")
    log(project, member, LAST_WEEK + dt.timedelta(days=1), "2.5", task=other)
    log(project, member, LAST_WEEK, "1")
    grid = week_grid(project=project, person=member, week=LAST_WEEK + dt.timedelta(days=3))
    assert grid.week == LAST_WEEK and grid.version == 3
    assert [row.key for row in grid.rows] == [mine.key, other.key, ""]
    assert grid.rows[1].cells[1].value == "2.5" and grid.rows[1].total == "2.5"
    assert grid.day_totals[:2] == ["1", "2.5"] and grid.total == "3.5"
    assert grid.can_submit and grid.status == EntryStatus.DRAFT
    assert [choice["key"] for choice in grid.task_choices] == []  # both open ones are rows


def test_a_rejected_day_shows_its_reason_and_takes_changes_again(project, member, manager):
    sheet = submitted_week(project, member, days=2)
    grid = week_grid(project=project, person=member, week=LAST_WEEK)
    assert not grid.rows[-1].cells[0].editable
    monday = sheet.entries.get(day=LAST_WEEK)
    timesheet_reject(
        timesheet=sheet, by=manager, version=sheet.version, entry_ids=[monday.pk], reason="Why?"
    )
    grid = week_grid(project=project, person=member, week=LAST_WEEK)
    cell = grid.rows[-1].cells[0]
    assert (cell.status, cell.reason, cell.editable) == ("rejected", "Why?", True)
    assert grid.reasons == [(LAST_WEEK, "Why?")]
    assert week_totals(project=project, week=LAST_WEEK)[:3] == ["8", "8", ""]


@pytest.mark.parametrize("size", [1, 6])
def test_query_counts_stay_fixed(project, member, manager, size, django_assert_max_num_queries):
    tasks = [make_task(project, title=f"T{n}", assignee=member) for n in range(size)]
    for n, task in enumerate(tasks):
        log(project, member, LAST_WEEK + dt.timedelta(days=n % 7), "1", task=task)
    for n in range(size):
        submitted_week(project, manager, week=LAST_WEEK - dt.timedelta(days=7 * (n + 1)), days=2)
    with django_assert_max_num_queries(5):
        week_grid(project=project, person=member, week=LAST_WEEK)
    with django_assert_max_num_queries(2):
        assert len(weeks_waiting(project=project)) == size
    with django_assert_max_num_queries(1):
        hours = task_hours(project=project, task_ids=[task.pk for task in tasks])
    assert hours == {}  # drafts are not logged yet
