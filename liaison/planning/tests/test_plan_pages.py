"""The plan baselines page (with the schedule variance against the latest one)
and the working calendar page: per role, their forms, and their queries."""

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.planning.models import PlanBaseline, Task
from liaison.planning.selectors.variance import plan_variance
from liaison.planning.services.plan import plan_baseline_create
from liaison.planning.services.tasks import task_create, task_update
from liaison.planning.tests.factories import make_task
from liaison.projects.models import Project

BASELINES = "/p/OWN/plan/baselines/"
CALENDAR = "/p/OWN/plan/calendar/"
MONDAY = dt.date(2031, 2, 3)
_serial = itertools.count()


def _text(response) -> str:
    return response.content.decode()


def _move_due(task: Task, due: dt.date) -> None:
    task = Task.objects.get(pk=task.pk)
    task_update(task=task, by=task.project.manager, version=task.version, due_date=due)


# -- plan baselines --------------------------------------------------------------------


def test_manager_freezes_the_plan(login, project, manager):
    make_task(project, title="Design", start_date=MONDAY, due_date=MONDAY + dt.timedelta(4))
    task_create(project=project, by=manager, title="Undated")
    client = login(manager)
    page = _text(client.get(BASELINES))
    assert "No plan baseline yet" in page and "Freeze the plan as it is now" in page

    response = client.post(BASELINES, {"name": "Kick-off plan"})
    assert response.status_code == 302 and response["Location"] == BASELINES
    page = _text(client.get(BASELINES))
    assert "Plan baseline 1 is frozen: 1 task." in page
    row = re.search(r"<tbody>.*?</tbody>", page, re.S).group(0)
    assert "Plan 1" in row and "Kick-off plan" in row and "manager" in row
    assert re.search(r'class="num">1</td>', row)
    baseline = PlanBaseline.objects.get()
    assert list(baseline.tasks.values()) == [["2031-02-03", "2031-02-07"]]


def test_a_refused_freeze_says_why(login, project, manager):
    client = login(manager)
    response = client.post(BASELINES, {"name": "Plan"})
    assert response.status_code == 200
    assert "There is nothing to freeze yet" in _text(response)
    make_task(project, title="Design", start_date=MONDAY, due_date=MONDAY)
    response = client.post(BASELINES, {"name": "  "})
    assert response.status_code == 200
    assert re.search(r"field--error.*?Give the plan baseline a name\.", _text(response), re.S)
    assert not PlanBaseline.objects.exists()


@pytest.mark.parametrize("role", ["member", "observer"])
def test_the_team_reads_baselines_but_only_managers_freeze(login, project, role, request):
    make_task(project, title="Design", start_date=MONDAY, due_date=MONDAY)
    plan_baseline_create(project=project, by=project.manager, name="Kick-off")
    client = login(request.getfixturevalue(role))
    page = _text(client.get(BASELINES))
    assert "Kick-off" in page
    assert "Freeze the plan as it is now" not in page
    assert client.post(BASELINES, {"name": "Mine"}).status_code == 403
    assert client.get(CALENDAR).status_code == 403
    assert PlanBaseline.objects.count() == 1


@pytest.mark.parametrize("role", ["client_user", "outsider"])
def test_plan_pages_are_404_for_clients_and_outsiders(login, project, role, request):
    client = login(request.getfixturevalue(role))
    for url in (BASELINES, CALENDAR):
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "x"}).status_code == 404


def test_the_variance_counts_working_days_against_the_latest_baseline(login, project, manager):
    friday = MONDAY + dt.timedelta(4)
    late = make_task(project, title="Slips a weekend", start_date=MONDAY, due_date=friday)
    early = make_task(project, title="Finishes early", start_date=MONDAY, due_date=friday)
    make_task(project, title="On time", start_date=MONDAY, due_date=friday)
    gone = make_task(project, title="Loses its dates", start_date=MONDAY, due_date=friday)
    plan_baseline_create(project=project, by=manager, name="Old")
    _move_due(late, friday + dt.timedelta(days=28))
    plan_baseline_create(project=project, by=manager, name="Reference")
    # Friday → next Tuesday: two working days late, not four calendar days.
    _move_due(late, friday + dt.timedelta(days=32))
    _move_due(early, friday - dt.timedelta(days=1))
    Task.objects.filter(pk=gone.pk).update(start_date=None, due_date=None)
    make_task(project, title="Added later", start_date=MONDAY, due_date=friday)

    page = _text(login(manager).get(BASELINES))
    summary = page[page.index("Schedule variance against plan 2 “Reference”") :]
    stats = {
        label: int(value)
        for value, label in re.findall(
            r'stat__value">(\d+)</span><span class="stat__label">([^<]+)<', summary
        )
    }
    assert stats == {
        "tasks late": 1,
        "tasks early": 1,
        "tasks on plan": 1,
        "no longer dated or deleted": 1,
    }
    slipped = re.search(r"Most slipped tasks.*?</table>", summary, re.S).group(0)
    assert "Slips a weekend" in slipped
    assert "2031-03-07" in slipped and "2031-03-11" in slipped
    assert re.search(r'variance--late"[^>]*>\+2 d<', slipped)
    assert "Finishes early" not in slipped and "Added later" not in slipped


def test_the_most_slipped_are_the_twenty_latest_in_order(project, manager):
    tasks = [
        make_task(project, title=f"Task {n}", start_date=MONDAY, due_date=MONDAY) for n in range(25)
    ]
    baseline = plan_baseline_create(project=project, by=manager, name="Plan")
    for offset, task in enumerate(tasks, start=1):
        _move_due(task, MONDAY + dt.timedelta(weeks=offset))  # 5 working days a week
    variance = plan_variance(project=project, baseline=baseline)
    assert variance.late == 25
    assert [slip.variance for slip in variance.most_slipped] == [
        5 * weeks for weeks in range(25, 5, -1)
    ]


# -- the working calendar --------------------------------------------------------------


def test_the_calendar_form_shows_the_current_calendar(login, project, manager):
    Project.objects.filter(pk=project.pk).update(
        working_weekdays="01234", holidays=["2031-10-01", "2031-10-02"]
    )
    page = _text(login(manager).get(CALENDAR))
    checked = re.findall(r'name="working_weekdays" value="(\d)" checked', page)
    assert checked == ["0", "1", "2", "3", "4"]
    assert "2031-10-01\n2031-10-02</textarea>" in page
    assert "Make-up working days" in page
    assert "make up for a long public holiday in China" in page
    assert "Dates already planned stay where they are" in page


def test_manager_saves_the_calendar(login, project, manager):
    client = login(manager)
    response = client.post(
        CALENDAR,
        {
            "working_weekdays": ["0", "1", "2", "3", "4", "5"],
            "holidays": "2031-10-03, 2031-10-01\n2031-10-02",
            "extra_workdays": "2031-09-28",
            "version": str(project.version),
        },
    )
    assert response.status_code == 302 and response["Location"] == CALENDAR
    assert "The working calendar is saved." in _text(client.get(CALENDAR))
    project.refresh_from_db()
    assert project.working_weekdays == "012345"
    assert project.holidays == ["2031-10-01", "2031-10-02", "2031-10-03"]
    assert project.extra_workdays == ["2031-09-28"]


def test_a_refused_calendar_says_why_beside_the_field(login, project, manager):
    client = login(manager)
    form = {"working_weekdays": ["0"], "holidays": "", "version": str(project.version)}
    response = client.post(CALENDAR, {**form, "holidays": "2031-10-01\nOctober 2"})
    assert response.status_code == 200
    page = _text(response)
    assert re.search(r"field--error.*?“October” is not a date", page, re.S)
    assert "October 2</textarea>" in page  # kept as typed

    response = client.post(CALENDAR, {**form, "working_weekdays": []})
    assert response.status_code == 200
    assert re.search(
        r"weekdays field--error.*?Choose at least one working weekday\.", _text(response), re.S
    )
    project.refresh_from_db()
    assert project.working_weekdays == "01234" and project.holidays == []


def test_a_stale_calendar_is_refused_with_the_current_version(login, project, manager, owner):
    version = str(project.version)
    form = {"working_weekdays": ["0", "1", "2", "3", "4"], "holidays": "", "version": version}
    login(owner).post(CALENDAR, {**form, "holidays": "2031-12-25"})
    response = login(manager).post(CALENDAR, {**form, "holidays": "2031-12-24"})
    assert response.status_code == 200
    page = _text(response)
    assert "Someone else saved this" in page
    assert f'name="version" value="{int(version) + 1}"' in page
    project.refresh_from_db()
    assert project.holidays == ["2031-12-25"]


# -- queries ---------------------------------------------------------------------------


def _plan(project, n: int) -> None:
    """n dated tasks, half of them slipped after a new baseline."""
    tasks = [
        make_task(
            project,
            title=f"Task {next(_serial)}",
            start_date=MONDAY,
            due_date=MONDAY + dt.timedelta(days=n % 5),
        )
        for _ in range(n)
    ]
    plan_baseline_create(project=project, by=project.manager, name=f"Plan {next(_serial)}")
    for index, task in enumerate(tasks):
        if index % 2:
            _move_due(task, MONDAY + dt.timedelta(days=7 + index))


def test_plan_baselines_queries_are_constant(
    login, project, manager, django_assert_max_num_queries
):
    client = login(manager)
    _plan(project, 3)
    client.get(BASELINES)
    with CaptureQueriesContext(connection) as context:
        assert client.get(BASELINES).status_code == 200
    small = len(context.captured_queries)
    _plan(project, 30)
    with django_assert_max_num_queries(small):
        page = _text(client.get(BASELINES))
    assert page.count('class="key">Plan ') == 2
    assert small <= 9


def test_calendar_queries_are_constant(login, project, manager, django_assert_max_num_queries):
    client = login(manager)
    client.get(CALENDAR)
    with CaptureQueriesContext(connection) as context:
        client.get(CALENDAR)
    small = len(context.captured_queries)
    Project.objects.filter(pk=project.pk).update(
        holidays=[f"2031-{month:02}-{day:02}" for month in range(1, 13) for day in range(1, 28)]
    )
    with django_assert_max_num_queries(small):
        assert client.get(CALENDAR).status_code == 200
