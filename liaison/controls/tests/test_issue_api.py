"""The issues API per role: list with filters and pages, get, create, update
with its version (409), transition with its codes, escalate."""

import pytest

from liaison.controls.models import Issue
from liaison.controls.tests.factories import make_issue, make_issue_path, make_issue_row
from liaison.tests.api_client import Api

API = "/projects/OWN/issues"


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("member", 200), ("observer", 200), ("client", 404), ("outsider", 404)],
)
def test_who_reads(project, manager, role_users, role, status):
    make_issue(project, manager)
    http = Api(role_users[role])
    assert http.get(API).status_code == status
    assert http.get(API + "/ISS-1").status_code == status


def test_create_update_and_a_stale_version(project, member, manager):
    http = Api(member)
    created = http.post(
        API, {"title": "Scanner freezes", "severity": "critical", "owner_id": manager.pk}
    )
    assert created.status_code == 201
    body = created.json()
    assert body["key"] == "ISS-1" and body["owner"]["id"] == manager.pk
    patched = http.patch(API + "/ISS-1", {"version": body["version"], "blocked": True})
    assert patched.status_code == 200 and patched.json()["blocked"]
    stale = http.patch(API + "/ISS-1", {"version": body["version"], "title": "x"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"


def test_the_list_filters_and_pages(project, manager):
    for n in range(5):
        make_issue_row(project, severity="critical" if n < 2 else "minor")
    http = Api(manager)
    page = http.get(API + "?severity=critical").json()
    assert page["count"] == 2
    page = http.get(API + "?limit=2&offset=2").json()
    assert page["count"] == 5 and len(page["items"]) == 2


def test_transition_codes(project, member):
    issue = make_issue(project, member)
    http = Api(member)
    resolve = {"status": "resolved", "version": issue.version, "solution": "x"}
    answer = http.post(API + "/ISS-1/transition", resolve)
    assert answer.status_code == 400 and answer.json()["code"] == "root_cause_required"
    answer = http.post(API + "/ISS-1/transition", {**resolve, "root_cause": "y"})
    assert answer.status_code == 200 and answer.json()["status"] == "resolved"
    verify = {"status": "verified", "version": answer.json()["version"]}
    assert http.post(API + "/ISS-1/transition", verify).json()["status"] == "verified"


def test_escalate(project, manager, member):
    make_issue(project, member)
    http = Api(member)
    answer = http.post(API + "/ISS-1/escalate", {})
    assert answer.status_code == 400 and answer.json()["code"] == "no_escalation_path"
    make_issue_path(project, [manager])
    answer = http.post(API + "/ISS-1/escalate", {"note": "Late"})
    assert answer.status_code == 200 and answer.json()["escalations"][0]["level"] == 1
    assert Issue.objects.get().escalation_level == 1


def test_a_foreign_key_is_refused(project, manager, foreign_project):
    from liaison.planning.tests.factories import make_task

    task = make_task(foreign_project, title="Hidden")
    answer = Api(manager).post(API, {"title": "x", "task": task.key})
    assert answer.status_code == 400 and answer.json()["code"] == "not_in_project"


def test_list_query_count_does_not_grow(project, manager, django_assert_max_num_queries):
    http = Api(manager)
    make_issue_row(project, owner=manager)
    with django_assert_max_num_queries(20) as small:
        assert http.get(API).status_code == 200
    for _n in range(40):
        make_issue_row(project, owner=manager)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert http.get(API).status_code == 200
