"""The contingency plan API per role: read by the team, written, previewed
and activated by the manager; codes on refusals, 409 on a stale version."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import TODAY
from liaison.controls.models import Issue
from liaison.controls.tests.factories import make_risk
from liaison.planning.models import Task
from liaison.tests.api_client import Api

PLAN = "/projects/OWN/risks/RISK-1/plan"


@pytest.fixture
def risk(project, manager, member):
    return make_risk(project, manager, title="Cold store Wi-Fi drops", owner=member)


def _steps(member):
    return [
        {"kind": "task", "title": "Install access points", "owner_id": member.pk,
         "start_offset": 1, "duration_days": 2},
        {"kind": "message", "title": "Scanning offline", "body": "For a week."},
    ]  # fmt: skip


def test_the_manager_writes_previews_and_activates(risk, manager, member):
    call = Api(manager)
    empty = call("GET", PLAN).json()
    assert (empty["version"], empty["steps"], empty["activated_at"]) == (1, [], None)
    body = call("PUT", PLAN, {"version": 1, "steps": _steps(member)}).json()
    assert body["version"] == 2
    assert [(s["kind"], s["owner"] and s["owner"]["id"]) for s in body["steps"]] == [
        ("task", member.pk),
        ("message", None),
    ]
    preview = call("GET", PLAN + "/preview").json()
    today = TODAY
    assert preview["ready"] and preview["version"] == 2
    assert preview["lines"][0]["start"] == (today + dt.timedelta(days=1)).isoformat()
    activated = call("POST", PLAN + "/activate", {"version": 2}).json()
    task = Task.objects.get()
    assert activated["steps"][0]["task"] == task.key
    assert activated["issue"] == Issue.objects.get().key
    assert activated["activated_by"]["id"] == manager.pk
    again = call("POST", PLAN + "/activate", {"version": 3})
    assert (again.status_code, again.json()["code"]) == (400, "already_activated")


def test_a_stale_version_is_409_and_refusals_have_codes(risk, manager, member, outsider):
    call = Api(manager)
    call("PUT", PLAN, {"version": 1, "steps": _steps(member)})
    stale = call("PUT", PLAN, {"version": 1, "steps": []})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    bad = call("PUT", PLAN, {"version": 2, "steps": [{"kind": "task", "title": "x",
                                                       "owner_id": outsider.pk}]})  # fmt: skip
    assert bad.status_code == 400
    assert (bad.json()["code"], bad.json()["field"]) == ("owner_not_on_team", "steps.0.owner_id")
    twice = call("PUT", PLAN, {"version": 2, "steps": [_steps(member)[1], _steps(member)[1]]})
    assert twice.json()["code"] == "one_per_plan"
    milestone = call("PUT", PLAN, {"version": 2, "steps": [{"kind": "task", "title": "x",
                                                            "milestone": "M-9"}]})  # fmt: skip
    assert milestone.json()["code"] == "not_in_project"
    stale_activation = call("POST", PLAN + "/activate", {"version": 1})
    assert stale_activation.status_code == 409


@pytest.mark.parametrize("role", ["member", "observer"])
def test_the_team_reads_but_only_the_manager_writes(risk, role, request, member):
    call = Api(request.getfixturevalue(role))
    assert call("GET", PLAN).status_code == 200
    assert call("PUT", PLAN, {"version": 1, "steps": []}).status_code == 403
    assert call("GET", PLAN + "/preview").status_code == 403
    assert call("POST", PLAN + "/activate", {"version": 1}).status_code == 403


def test_clients_get_404(risk, client_user):
    call = Api(client_user)
    assert call("GET", PLAN).status_code == 404
    assert call("POST", PLAN + "/activate", {"version": 1}).status_code == 404


def test_the_preview_and_the_plan_run_a_fixed_number_of_queries(risk, manager, member):
    call = Api(manager)

    def counts() -> tuple[int, int]:
        found = []
        for path in (PLAN, PLAN + "/preview"):
            with CaptureQueriesContext(connection) as queries:
                assert call("GET", path).status_code == 200
            found.append(len(queries))
        return found[0], found[1]

    call("PUT", PLAN, {"version": 1, "steps": _steps(member)})
    small = counts()
    many = [{"kind": "action_item", "title": f"Item {n}", "owner_id": member.pk, "due_offset": n}
            for n in range(15)]  # fmt: skip
    call("PUT", PLAN, {"version": 2, "steps": _steps(member) + many})
    assert counts() == small
