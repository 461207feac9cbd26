"""The timer's pages per role: started from a task's page or the timesheet,
shown running there and on the dashboard (elapsed time rendered by the
server), stopped into the week's grid or discarded; a refusal said and the
timer kept; query counts that do not grow."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from conftest import NOW, TODAY
from liaison.finance.models import ClosedPeriod, TimeEntry, Timer
from liaison.finance.services.timer import timer_start
from liaison.finance.tests.factories import log
from liaison.planning.tests.factories import make_task

TIMER = reverse("finance:timer", args=["OWN"])
STOP = reverse("finance:timer-stop")
DISCARD = reverse("finance:timer-discard")
SHEET = reverse("finance:timesheet", args=["OWN"])


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("member", 200), ("observer", 403), ("client", 404), ("outsider", 404)],
)
def test_who_starts_a_timer(login, project, role_users, role, status):
    http = login(role_users[role])
    assert http.get(TIMER).status_code == status
    started = http.post(TIMER, {"note": "Call", "billable": "on"})
    assert started.status_code == (302 if status == 200 else status)
    assert Timer.objects.filter(person=role_users[role]).exists() == (status == 200)


def test_started_on_a_task_it_runs_on_the_task_page_the_timesheet_and_the_dashboard(
    login, project, member
):
    task = make_task(project, title="Pick lists")
    http = login(member)
    task_url = reverse("planning:task", args=["OWN", task.key])
    before = http.get(task_url).content.decode()
    assert "csrfmiddlewaretoken" in before.split('id="start-timer"')[1]
    started = http.post(TIMER, {"task": task.key, "note": "Spec", "billable": "on"})
    assert started.status_code == 302 and started["Location"] == task_url
    with time_machine.travel(NOW + dt.timedelta(minutes=70, seconds=30), tick=False):
        for url in (task_url, SHEET, reverse("home:dashboard")):
            page = http.get(url).content.decode()
            assert 'id="running-timer"' in page and ">1:10<" in page, url
            assert "data-timer-start=" in page and "finance/timer.js" in page
            assert "csrfmiddlewaretoken" in page.split('id="running-timer"')[1], url
        stopped = http.post(STOP, {"next": task_url})
    assert stopped.status_code == 302
    assert stopped["Location"] == f"{SHEET}?week={TODAY.isoformat()}"
    entry = TimeEntry.objects.get()
    assert (entry.person, entry.task, entry.hours) == (member, task, Decimal("1.25"))
    page = http.get(stopped["Location"]).content.decode()
    assert 'value="1.25"' in page and 'id="running-timer"' not in page


def test_a_second_timer_is_refused_beside_the_running_one(login, project, member):
    http = login(member)
    timer_start(project=project, by=member)
    refused = http.post(TIMER, {"note": "Again"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert 'id="running-timer"' in page and "already running" in page
    assert Timer.objects.count() == 1


def test_a_refused_stop_says_why_and_keeps_the_timer(login, project, member):
    http = login(member)
    timer_start(project=project, by=member)
    ClosedPeriod.objects.create(project=project, through=TODAY)
    stopped = http.post(STOP, {"next": SHEET}, follow=True)
    assert "Time is closed through" in stopped.content.decode()
    assert Timer.objects.exists() and not TimeEntry.objects.exists()
    discarded = http.post(DISCARD, {"next": "https://evil.example/"})
    assert discarded["Location"] == reverse("home:dashboard")  # never another site
    assert not Timer.objects.exists()


@pytest.mark.parametrize("role", ["client", "anonymous"])
def test_stop_and_discard_are_the_staffs(login, project, role_users, role):
    http = login(role_users[role])
    expected = 404 if role == "client" else 302
    assert http.post(STOP).status_code == expected
    assert http.post(DISCARD).status_code == expected


def test_the_timesheet_offers_a_timer_on_its_tasks_to_those_who_log(
    login, project, member, observer
):
    task = make_task(project, title="Pick lists", assignee=member)
    page = login(member).get(SHEET).content.decode()
    assert 'id="start-timer"' in page and f'<option value="{task.key}">' in page
    assert 'id="start-timer"' not in login(observer).get(SHEET).content.decode()


def test_the_pages_with_a_timer_read_a_fixed_number_of_queries(
    login, project, member, count_queries
):
    http = login(member)
    timer_start(project=project, by=member, task=make_task(project, title="First"))
    task_url = reverse("planning:task", args=["OWN", "T-1"])
    urls = (SHEET, task_url, reverse("home:dashboard"), TIMER)
    small = [count_queries(http, url) for url in urls]
    for n in range(8):
        log(project, member, TODAY, "1", task=make_task(project, title=f"U{n}"))
    assert [count_queries(http, url) for url in urls] == small
