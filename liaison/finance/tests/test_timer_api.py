"""The timer's API (start in a project; read, stop and discard one's own)
and the manager's `person_id` on a new entry; refusals with their codes."""

import datetime as dt

import pytest
import time_machine

from conftest import NOW, TODAY
from liaison.finance.models import TimeEntry, Timer
from liaison.planning.tests.factories import make_task

API = "/api/v1"
START = API + "/projects/OWN/timer"
JSON = "application/json"


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 201), ("member", 201), ("observer", 403), ("client", 404), ("outsider", 404)],
)
def test_who_starts_a_timer(login, project, role_users, role, status):
    http = login(role_users[role])
    assert http.post(START, {"note": "Call"}, content_type=JSON).status_code == status
    current = http.get(API + "/timer")
    assert current.status_code == (404 if role == "client" else 200)


def test_start_read_stop_and_discard(login, project, member):
    task = make_task(project, title="Pick lists")
    http = login(member)
    started = http.post(START, {"task": task.key, "billable": False}, content_type=JSON)
    assert started.status_code == 201, started.content
    assert (started.json()["task"], started.json()["hours"]) == (task.key, "0.25")
    again = http.post(START, {}, content_type=JSON)
    assert again.status_code == 400 and again.json()["code"] == "timer_running"
    with time_machine.travel(NOW + dt.timedelta(hours=2, minutes=1), tick=False):
        current = http.get(API + "/timer").json()["timer"]
        assert (current["project"], current["hours"]) == ("OWN", "2.25")
        stopped = http.post(API + "/timer/stop", content_type=JSON)
    assert stopped.status_code == 201, stopped.content
    entry = stopped.json()
    assert (entry["day"], entry["hours"], entry["billable"]) == (TODAY.isoformat(), "2.25", False)
    assert entry["started_at"] and entry["ended_at"] and entry["status"] == "draft"
    assert http.get(API + "/timer").json() == {"timer": None}
    none = http.post(API + "/timer/stop", content_type=JSON)
    assert none.status_code == 400 and none.json()["code"] == "no_timer"
    http.post(START, {}, content_type=JSON)
    assert http.post(API + "/timer/discard", content_type=JSON).status_code == 204
    assert not Timer.objects.exists() and TimeEntry.objects.count() == 1


def test_a_task_of_another_project_is_refused(login, project, member, foreign_project):
    elsewhere = make_task(foreign_project, title="Elsewhere")
    refused = login(member).post(START, {"task": elsewhere.key + "9"}, content_type=JSON)
    assert refused.status_code == 400 and refused.json()["code"] == "not_in_project"


def test_a_manager_logs_a_members_time_and_nobody_else_anyones(
    login, project, manager, member, observer
):
    body = {"day": TODAY.isoformat(), "hours": "2", "person_id": member.pk}
    created = login(manager).post(API + "/projects/OWN/time-entries", body, content_type=JSON)
    assert created.status_code == 201, created.content
    assert created.json()["person"]["id"] == member.pk
    for who, person, code in ((member, manager, "not_manager"), (manager, observer, "not_member")):
        body["person_id"] = person.pk
        refused = login(who).post(API + "/projects/OWN/time-entries", body, content_type=JSON)
        assert refused.status_code == 400
        assert (refused.json()["code"], refused.json()["field"]) == (code, "person_id")
    assert TimeEntry.objects.count() == 1
