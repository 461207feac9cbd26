"""The quality API per role: standards and checks (list, create, update with
its version → 409), UAT rounds (list, get, create, open) and the client's
submission of a round's results (all at once, a stale version → 409)."""

import pytest

from conftest import TODAY
from liaison.controls.models import Issue
from liaison.controls.tests.factories import make_uat_milestone, make_uat_round
from liaison.tests.api_client import Api

API = "/projects/OWN"


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("member", 200), ("observer", 200), ("client", 404), ("outsider", 404)],
)
def test_who_reads(project, role_users, role, status):
    make_uat_round(project)
    http = Api(role_users[role])
    for path in ("/quality/standards", "/quality/checks", "/uat-rounds", "/uat-rounds/UAT-1"):
        assert http.get(API + path).status_code == status


def test_standards_are_the_managers_and_versioned(project, manager, member):
    assert (Api(member).post(API + "/quality/standards", {"title": "Fast"})).status_code == 403
    http = Api(manager)
    created = http.post(API + "/quality/standards", {"title": "Fast"})
    assert created.status_code == 201
    body = created.json()
    url = f"{API}/quality/standards/{body['id']}"
    patched = http.patch(url, {"version": body["version"], "method": "Load test"})
    assert patched.status_code == 200 and patched.json()["method"] == "Load test"
    stale = http.patch(url, {"version": body["version"], "title": "x"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"


def test_checks_are_recorded_and_versioned(project, member):
    make_uat_milestone(project)
    http = Api(member)
    created = http.post(
        API + "/quality/checks",
        {
            "checked_on": TODAY.isoformat(),
            "result": "partial",
            "milestone": "M-1",
            "findings": "a\nb",
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["number"] == 1 and body["milestone"] == "M-1"
    assert [f["text"] for f in body["findings"]] == ["a", "b"]
    url = API + "/quality/checks/1"
    assert http.patch(url, {"version": body["version"], "result": "fail"}).status_code == 200
    stale = http.patch(url, {"version": body["version"], "notes": "x"})
    assert stale.status_code == 409
    foreign = http.post(
        API + "/quality/checks",
        {"checked_on": TODAY.isoformat(), "result": "pass", "milestone": "M-9"},
    )
    assert foreign.status_code == 400 and foreign.json()["code"] == "not_in_project"


def test_rounds_are_created_opened_and_answered_by_the_client(project, manager, client_user):
    make_uat_milestone(project)
    http = Api(manager)
    created = http.post(API + "/uat-rounds", {"milestone": "M-1"})
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and len(body["cases"]) == 5
    opened = http.post(API + "/uat-rounds/UAT-1/open", {"version": body["version"]})
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    round_ = opened.json()
    results = [
        {"case": case["id"], "result": "failed" if case["position"] == 1 else "passed"}
        for case in round_["cases"]
    ]
    # The team does not answer for the client.
    assert (
        http.post(
            API + "/uat-rounds/UAT-1/results", {"version": round_["version"], "results": results}
        ).status_code
        == 404
    )
    client = Api(client_user)
    missing = client.post(
        API + "/uat-rounds/UAT-1/results", {"version": round_["version"], "results": results[:-1]}
    )
    assert missing.status_code == 400 and missing.json()["code"] == "results_missing"
    stale = client.post(
        API + "/uat-rounds/UAT-1/results", {"version": round_["version"] - 1, "results": results}
    )
    assert stale.status_code == 409
    done = client.post(
        API + "/uat-rounds/UAT-1/results", {"version": round_["version"], "results": results}
    )
    assert done.status_code == 200
    answer = done.json()
    assert (answer["status"], answer["passed_count"], answer["failed_count"]) == ("closed", 4, 1)
    assert answer["cases"][0]["defect"] == Issue.objects.get().key


def test_an_internal_milestone_is_refused(project, manager):
    from liaison.planning.tests.factories import make_milestone

    make_milestone(project, client_visible=False)
    answer = Api(manager).post(API + "/uat-rounds", {"milestone": "M-1"})
    assert answer.status_code == 400 and answer.json()["code"] == "milestone_internal"


def test_list_query_count_does_not_grow(project, manager, django_assert_max_num_queries):
    http = Api(manager)
    milestone = make_uat_milestone(project)
    make_uat_round(project, milestone=milestone)
    with django_assert_max_num_queries(20) as small:
        assert http.get(API + "/uat-rounds").status_code == 200
    queries = len(small.captured_queries)
    for _n in range(5):
        make_uat_round(project, milestone=milestone)
    with django_assert_max_num_queries(queries):
        assert http.get(API + "/uat-rounds").status_code == 200
