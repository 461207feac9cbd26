"""The time pages per role: the week's grid saved in one POST (all or
nothing, the refusal beside the cell), submitted; the manager's approvals;
logging from a task's page; query counts that do not grow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from liaison.finance.models import ClosedPeriod, EntryStatus, TimeEntry, Timesheet
from liaison.finance.services.timesheets import timesheet_submit
from liaison.finance.tests.factories import LAST_WEEK, log, role_rates, submitted_week
from liaison.planning.tests.factories import make_task

WEEK = reverse("finance:timesheet", args=["OWN"]) + f"?week={LAST_WEEK.isoformat()}"
APPROVALS = reverse("finance:time-approvals", args=["OWN"])


def cell(task, day):
    return f"h-{task.pk if task else 0}-{day.isoformat()}"


@pytest.mark.parametrize(
    ("role", "grid", "status"),
    [
        ("manager", True, 200),
        ("member", True, 200),
        ("observer", False, 200),
        ("client", False, 404),
        ("outsider", False, 404),
    ],
)
def test_who_sees_the_week(login, project, member, role_users, role, grid, status):
    log(project, member, LAST_WEEK, "3")
    response = login(role_users[role]).get(WEEK)
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert ('id="timesheet-grid"' in html) == grid
        assert 'id="team-totals"' in html  # observers read the team's totals only


def test_the_grid_saves_the_week_in_one_post_and_submits_it(login, project, member):
    task = make_task(project, title="Pick lists", assignee=member)
    http = login(member)
    page = http.get(WEEK).content.decode()
    assert f'name="{cell(task, LAST_WEEK)}"' in page and f'name="{cell(None, LAST_WEEK)}"' in page
    other = make_task(project, title="Labels")
    response = http.post(
        WEEK,
        {
            "week": LAST_WEEK.isoformat(),
            "version": "0",
            cell(task, LAST_WEEK): "6",
            cell(None, LAST_WEEK): "1,5",
            "new_task": str(other.pk),
            f"h-new-{(LAST_WEEK + dt.timedelta(days=1)).isoformat()}": "4",
        },
    )
    assert response.status_code == 302
    assert sorted(TimeEntry.objects.values_list("hours", flat=True)) == [
        Decimal("1.5"),
        Decimal("4"),
        Decimal("6"),
    ]
    sheet = Timesheet.objects.get()
    response = http.post(
        reverse("finance:timesheet-submit", args=["OWN"]),
        {"week": LAST_WEEK.isoformat(), "version": sheet.version},
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == EntryStatus.SUBMITTED
    page = http.get(WEEK).content.decode()
    assert 'data-status="submitted"' in page and 'id="submit-week"' not in page


def test_a_refused_cell_saves_nothing_and_says_why_beside_it(login, project, member):
    task = make_task(project, title="Pick lists", assignee=member)
    http = login(member)
    response = http.post(
        WEEK,
        {
            "week": LAST_WEEK.isoformat(),
            "version": "0",
            cell(task, LAST_WEEK): "6",
            cell(None, LAST_WEEK): "20",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="{cell(None, LAST_WEEK)}_error"' in html and "24" in html
    assert 'value="20"' in html  # what was typed comes back
    assert not TimeEntry.objects.exists()
    response = http.post(
        WEEK, {"week": LAST_WEEK.isoformat(), "version": "0", cell(task, LAST_WEEK): "six"}
    )
    assert response.status_code == 400 and not TimeEntry.objects.exists()


def test_the_observer_saves_nothing(login, project, observer):
    response = login(observer).post(WEEK, {"week": LAST_WEEK.isoformat(), "version": "0"})
    assert response.status_code == 403


def test_the_manager_sends_a_day_back_then_approves(login, project, member, manager):
    role_rates(project)
    sheet = submitted_week(project, member)
    http = login(manager)
    page = http.get(APPROVALS).content.decode()
    assert 'data-testid="waiting-week"' in page
    reject = reverse("finance:timesheet-reject", args=["OWN", sheet.pk])
    response = http.post(
        reject, {"version": sheet.version, "day": LAST_WEEK.isoformat(), "reason": ""}
    )
    assert response.status_code == 400
    response = http.post(
        reject, {"version": sheet.version, "day": LAST_WEEK.isoformat(), "reason": "Split it"}
    )
    assert response.status_code == 302
    assert TimeEntry.objects.get(day=LAST_WEEK).status == EntryStatus.REJECTED
    assert "Split it" in login(member).get(WEEK).content.decode()


def test_approving_a_week_and_closing_the_period(login, project, member, manager):
    role_rates(project)
    sheet = submitted_week(project, member)
    http = login(manager)
    approve = reverse("finance:timesheet-approve", args=["OWN", sheet.pk])
    assert http.post(approve, {"version": sheet.version}).status_code == 302
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {EntryStatus.APPROVED}
    close = reverse("finance:time-close", args=["OWN"])
    assert http.post(close, {"through": LAST_WEEK.isoformat()}).status_code == 302
    assert ClosedPeriod.objects.get().through == LAST_WEEK
    assert login(member).get(APPROVALS).status_code == 403


def test_logging_from_a_task_page(login, project, member):
    task = make_task(project, title="Pick lists", estimate_hours=Decimal("10"))
    http = login(member)
    url = reverse("finance:time-log", args=["OWN"])
    response = http.post(
        url, {"task": task.key, "day": LAST_WEEK.isoformat(), "hours": "3", "billable": "on"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/tasks/{task.key}/")
    assert TimeEntry.objects.get().task == task
    response = http.post(url, {"task": task.key, "day": LAST_WEEK.isoformat(), "hours": "30"})
    assert response.status_code == 200 and TimeEntry.objects.count() == 1
    assert 'class="field__error"' in response.content.decode()
    assert http.get(url + f"?task={task.key}").status_code == 200


def test_query_counts_do_not_grow_with_the_week(login, project, member, count_queries):
    tasks = [make_task(project, title=f"T{n}", assignee=member) for n in range(2)]
    log(project, member, LAST_WEEK, "1", task=tasks[0])
    http = login(member)
    small = count_queries(http, WEEK)
    more = [make_task(project, title=f"U{n}", assignee=member) for n in range(6)]
    for n, task in enumerate(more):
        log(project, member, LAST_WEEK + dt.timedelta(days=n % 7), "1", task=task)
    assert count_queries(http, WEEK) == small


def test_the_task_pages_show_estimate_logged_and_remaining(login, project, member, manager):
    over = make_task(project, title="Over", estimate_hours=Decimal("4"))
    near = make_task(project, title="Near", estimate_hours=Decimal("10"))
    make_task(project, title="None logged", estimate_hours=Decimal("2"))
    log(project, member, LAST_WEEK, "5", task=over)
    log(project, member, LAST_WEEK + dt.timedelta(days=1), "9", task=near)
    log(project, member, LAST_WEEK + dt.timedelta(days=2), "1", task=near)  # 10 of 10: near
    sheet = Timesheet.objects.get()
    timesheet_submit(timesheet=sheet, by=member, version=sheet.version)
    http = login(manager)
    html = http.get(reverse("planning:tasks", args=["OWN"])).content.decode()
    assert 'data-over="red"' in html and 'data-over="amber"' in html
    page = http.get(reverse("planning:task", args=["OWN", over.key])).content.decode()
    assert 'id="task-logged"' in page and 'id="log-time"' in page
    assert "Over the estimate" in page


def test_the_task_list_asks_one_query_for_the_hours_of_all_its_rows(
    login, project, member, manager, count_queries
):
    for n in range(3):
        task = make_task(project, title=f"T{n}", estimate_hours=Decimal("4"))
        log(project, member, LAST_WEEK + dt.timedelta(days=n), "2", task=task)
    http = login(manager)
    url = reverse("planning:tasks", args=["OWN"])
    small = count_queries(http, url)
    for n in range(10):
        task = make_task(project, title=f"U{n}", estimate_hours=Decimal("4"))
        log(project, member, LAST_WEEK + dt.timedelta(days=n % 7), "1", task=task)
    assert count_queries(http, url) == small


def test_a_manager_fills_in_a_team_members_week_and_nobody_else_does(
    login, project, member, manager, observer, outsider
):
    log(project, member, LAST_WEEK, "3")
    url = f"{WEEK}&person={member.pk}"
    page = login(manager).get(url).content.decode()
    assert 'id="week-person"' in page and 'id="on-behalf"' in page
    assert 'id="save-week"' in page and f'name="{cell(None, LAST_WEEK)}"' in page
    assert f'action="?person={member.pk}"' in page
    # The "Whose week" picker shows the week's person, not the first in the list.
    assert f'<option value="{member.pk}" selected>' in page
    assert f'<option value="{manager.pk}" selected>' not in page
    assert login(manager).get(f"{WEEK}&person={outsider.pk}").status_code == 404
    assert login(observer).get(url).status_code == 403
    assert login(member).get(f"{WEEK}&person={member.pk}").status_code == 200  # their own


def test_a_managers_save_of_a_members_week_is_the_members(login, project, member, manager, org):
    url = f"{WEEK}&person={member.pk}"
    page = login(manager).get(url)
    version = page.context["grid"].version
    data = {"week": LAST_WEEK.isoformat(), "version": str(version), cell(None, LAST_WEEK): "5"}
    saved = login(manager).post(url, data)
    assert saved.status_code == 302 and saved["Location"].endswith(f"&person={member.pk}")
    entry = TimeEntry.objects.get()
    assert (entry.person, entry.hours) == (member, Decimal("5"))
    mine = login(member).get(WEEK).content.decode()
    assert 'value="5"' in mine  # the member sees it as theirs
    from liaison.projects.tests.factories import make_member

    colleague = make_member(project, "colleague@test.example", org=org)
    assert login(colleague).post(url, data).status_code == 403


def test_an_approved_week_stays_locked_for_the_manager(login, project, member, manager):
    role_rates(project)
    sheet = submitted_week(project, member, days=1)
    from liaison.finance.services.timesheets import timesheet_approve

    timesheet_approve(timesheet=sheet, by=manager, version=sheet.version)
    page = login(manager).get(f"{WEEK}&person={member.pk}").content.decode()
    assert f'data-cell="{cell(None, LAST_WEEK)}"' in page
    assert f'name="{cell(None, LAST_WEEK)}"' not in page
