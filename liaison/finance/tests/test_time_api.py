"""The time API per role: entries (own for members, everyone's for managers;
create, change with its version → 409, remove), a week read and submitted,
approved or sent back by the manager; refusals with their codes; query
counts that do not grow."""

import datetime as dt

import pytest

from liaison.finance.models import EntryStatus, TimeEntry
from liaison.finance.tests.factories import LAST_WEEK, log, role_rates, submitted_week
from liaison.planning.tests.factories import make_task
from liaison.tests.api_client import Api

API = "/projects/OWN"


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("member", 200), ("observer", 403), ("client", 404), ("outsider", 404)],
)
def test_who_reads_entries(project, member, role_users, role, status):
    log(project, member, LAST_WEEK)
    http = Api(role_users[role])
    assert http.get(API + "/time-entries").status_code == status
    assert http.get(f"{API}/timesheets/mine?week={LAST_WEEK}").status_code == status


def test_members_read_their_own_and_managers_everyones(project, member, manager):
    log(project, member, LAST_WEEK, "3")
    log(project, manager, LAST_WEEK, "2")
    mine = Api(member).get(API + f"/time-entries?person={manager.pk}").json()
    assert [item["hours"] for item in mine["items"]] == ["3.00"]
    every = Api(manager).get(API + "/time-entries").json()
    assert every["count"] == 2
    one = Api(manager).get(API + f"/time-entries?person={member.pk}").json()
    assert one["count"] == 1


def test_create_change_and_remove_an_entry(project, member):
    task = make_task(project, title="Pick lists")
    http = Api(member)
    body = {"day": LAST_WEEK.isoformat(), "hours": "7.5", "task": task.key, "note": "Spec"}
    created = http.post(API + "/time-entries", body)
    assert created.status_code == 201, created.content
    entry = created.json()
    assert (entry["task"], entry["hours"], entry["status"]) == (task.key, "7.50", "draft")
    url = f"{API}/time-entries/{entry['id']}"
    patched = http.patch(url, {"version": entry["version"], "hours": "6", "task": None})
    assert patched.status_code == 200 and patched.json()["task"] is None
    stale = http.patch(url, {"version": entry["version"], "hours": "5"})
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
def test_bad_entries_are_refused_with_a_code(project, member, body, code):
    sent = {"day": LAST_WEEK.isoformat(), "hours": "2", **body}
    response = Api(member).post(API + "/time-entries", sent)
    if code is None:
        assert response.status_code == 422
    else:
        assert response.status_code == 400 and response.json()["code"] == code
    assert not TimeEntry.objects.exists()


def test_too_many_hours_in_a_day(project, member):
    log(project, member, LAST_WEEK, "20")
    body = {"day": LAST_WEEK.isoformat(), "hours": "5"}
    response = Api(member).post(API + "/time-entries", body)
    assert response.json()["code"] == "too_many_hours"


def test_a_week_submitted_sent_back_and_approved(project, member, manager):
    for n in range(3):
        log(project, member, LAST_WEEK + dt.timedelta(days=n), "8")
    http = Api(member)
    week = http.get(f"{API}/timesheets/mine?week={LAST_WEEK + dt.timedelta(days=2)}").json()
    assert (week["status"], week["total"], len(week["entries"])) == ("draft", "24.00", 3)
    sheet = f"{API}/timesheets/{week['id']}"
    submitted = http.post(sheet + "/submit", {"version": week["version"]})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    version = submitted.json()["version"]
    assert http.post(sheet + "/approve", {"version": version}).status_code == 403
    boss = Api(manager)
    waiting = boss.get(f"{API}/timesheets").json()
    assert [(item["id"], float(item["total"])) for item in waiting["items"]] == [(week["id"], 24)]
    gap = boss.post(sheet + "/approve", {"version": version})
    assert gap.status_code == 400 and gap.json()["code"] == "rate_gap"
    first = week["entries"][0]["id"]
    body = {"version": version, "entry_ids": [first], "reason": ""}
    assert boss.post(sheet + "/reject-entries", body).json()["code"] == "reason_required"
    body["reason"] = "Split the day"
    rejected = boss.post(sheet + "/reject-entries", body)
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    again = http.post(sheet + "/submit", {"version": rejected.json()["version"]})
    role_rates(project)
    approved = boss.post(sheet + "/approve", {"version": again.json()["version"]})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {EntryStatus.APPROVED}


def test_an_empty_week_reads_as_a_draft(project, member):
    week = Api(member).get(f"{API}/timesheets/mine?week={LAST_WEEK}").json()
    assert (week["id"], week["version"], week["entries"]) == (None, 0, [])


def test_query_counts_do_not_grow(project, member, manager, django_assert_max_num_queries):
    submitted_week(project, member, days=2)
    http = Api(manager)
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
