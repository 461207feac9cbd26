"""The time API per role: entries (own for members, everyone's for managers;
create, change with its version → 409, remove), a week read and submitted,
approved or sent back by the manager; refusals with their codes; query
counts that do not grow."""

import datetime as dt

import pytest

from liaison.finance.models import EntryStatus, TimeEntry
from liaison.finance.tests.factories import LAST_WEEK, log, role_rates, submitted_week
from liaison.planning.tests.factories import make_task

API = "/api/v1/projects/OWN"
JSON = "application/json"


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("member", 200), ("observer", 403), ("client", 404), ("outsider", 404)],
)
def test_who_reads_entries(login, project, member, role_users, role, status):
    log(project, member, LAST_WEEK)
    http = login(role_users[role])
    assert http.get(API + "/time-entries").status_code == status
    assert http.get(f"{API}/timesheets/mine?week={LAST_WEEK}").status_code == status


def test_members_read_their_own_and_managers_everyones(login, project, member, manager):
    log(project, member, LAST_WEEK, "3")
    log(project, manager, LAST_WEEK, "2")
    mine = login(member).get(API + f"/time-entries?person={manager.pk}").json()
    assert [item["hours"] for item in mine["items"]] == ["3.00"]
    every = login(manager).get(API + "/time-entries").json()
    assert every["count"] == 2
    one = login(manager).get(API + f"/time-entries?person={member.pk}").json()
    assert one["count"] == 1


def test_create_change_and_remove_an_entry(login, project, member):
    task = make_task(project, title="Pick lists")
    http = login(member)
    body = {"day": LAST_WEEK.isoformat(), "hours": "7.5", "task": task.key, "note": "Spec"}
    created = http.post(API + "/time-entries", body, content_type=JSON)
    assert created.status_code == 201, created.content
    entry = created.json()
    assert (entry["task"], entry["hours"], entry["status"]) == (task.key, "7.50", "draft")
    url = f"{API}/time-entries/{entry['id']}"
    patched = http.patch(
        url, {"version": entry["version"], "hours": "6", "task": None}, content_type=JSON
    )
    assert patched.status_code == 200 and patched.json()["task"] is None
    stale = http.patch(url, {"version": entry["version"], "hours": "5"}, content_type=JSON)
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    assert http.delete(f"{url}?version={entry['version']}").status_code == 409
    assert http.delete(f"{url}?version={patched.json()['version']}").status_code == 204
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"hours": "25"}, None),  # the schema refuses it: 422
        ({"task": "T-99"}, "not_in_project"),
        ({"day": "2030-01-07"}, "future_day"),
    ],
)
def test_bad_entries_are_refused_with_a_code(login, project, member, body, code):
    sent = {"day": LAST_WEEK.isoformat(), "hours": "2", **body}
    response = login(member).post(API + "/time-entries", sent, content_type=JSON)
    if code is None:
        assert response.status_code == 422
    else:
        assert response.status_code == 400 and response.json()["code"] == code
    assert not TimeEntry.objects.exists()


def test_too_many_hours_in_a_day(login, project, member):
    log(project, member, LAST_WEEK, "20")
    body = {"day": LAST_WEEK.isoformat(), "hours": "5"}
    response = login(member).post(API + "/time-entries", body, content_type=JSON)
    assert response.json()["code"] == "too_many_hours"


def test_a_week_submitted_sent_back_and_approved(login, project, member, manager):
    for n in range(3):
        log(project, member, LAST_WEEK + dt.timedelta(days=n), "8")
    http = login(member)
    week = http.get(f"{API}/timesheets/mine?week={LAST_WEEK + dt.timedelta(days=2)}").json()
    assert (week["status"], week["total"], len(week["entries"])) == ("draft", "24.00", 3)
    sheet = f"{API}/timesheets/{week['id']}"
    submitted = http.post(sheet + "/submit", {"version": week["version"]}, content_type=JSON)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    version = submitted.json()["version"]
    assert http.post(sheet + "/approve", {"version": version}, content_type=JSON).status_code == 403
    boss = login(manager)
    waiting = boss.get(f"{API}/timesheets").json()
    assert [(item["id"], float(item["total"])) for item in waiting["items"]] == [(week["id"], 24)]
    gap = boss.post(sheet + "/approve", {"version": version}, content_type=JSON)
    assert gap.status_code == 400 and gap.json()["code"] == "rate_gap"
    first = week["entries"][0]["id"]
    body = {"version": version, "entry_ids": [first], "reason": ""}
    assert boss.post(sheet + "/reject-entries", body, content_type=JSON).json()["code"] == (
        "reason_required"
    )
    body["reason"] = "Split the day"
    rejected = boss.post(sheet + "/reject-entries", body, content_type=JSON)
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    again = login(member).post(
        sheet + "/submit", {"version": rejected.json()["version"]}, content_type=JSON
    )
    role_rates(project)
    approved = login(manager).post(
        sheet + "/approve", {"version": again.json()["version"]}, content_type=JSON
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {EntryStatus.APPROVED}


def test_an_empty_week_reads_as_a_draft(login, project, member):
    week = login(member).get(f"{API}/timesheets/mine?week={LAST_WEEK}").json()
    assert (week["id"], week["version"], week["entries"]) == (None, 0, [])


def test_query_counts_do_not_grow(login, project, member, manager, django_assert_max_num_queries):
    submitted_week(project, member, days=2)
    http = login(manager)
    with django_assert_max_num_queries(12) as small:
        http.get(API + "/time-entries")
        http.get(API + "/timesheets")
    for n in range(5):
        submitted_week(
            project,
            manager if n % 2 else member,
            week=LAST_WEEK - dt.timedelta(days=7 * (n + 1)),
            days=3,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        http.get(API + "/time-entries")
        http.get(API + "/timesheets")
