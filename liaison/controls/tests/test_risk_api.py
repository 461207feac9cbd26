"""The risks API: the team's operations per role, the same rules as the pages,
errors with a code and a field, 409 on a stale version, and a fixed number of
queries whatever the register's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.controls.models import Risk
from liaison.controls.tests.factories import make_risk
from liaison.planning.tests.factories import make_task
from liaison.tests.api_client import Api

RISKS = "/projects/OWN/risks"
RISK1 = RISKS + "/RISK-1"


def test_the_list_filters_and_pages(project, manager, observer):
    make_risk(project, manager, title="Scanners", probability=5, impact=5)
    make_risk(project, manager, title="Key users", probability=2, impact=2, client_visible=True)
    call = Api(observer)
    body = call("GET", RISKS).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["key"], first["score"], first["band"], first["strategy"]) == (
        "RISK-1",
        25,
        "critical",
        None,
    )
    assert [r["key"] for r in call("GET", RISKS + "?band=low").json()["items"]] == ["RISK-2"]
    assert call("GET", RISKS + "?status=open&limit=1").json()["count"] == 2
    assert call("GET", RISKS + "?band=nope").status_code == 422


def test_a_member_creates_and_links(project, manager, member):
    make_task(project, title="Order scanners")
    response = Api(member)(
        "POST",
        RISKS,
        {"title": "RF scanners late", "probability": 4, "impact": 4, "tasks": ["t-1"],
         "owner_id": member.pk, "strategy": "mitigate"},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["key"], body["score"], body["tasks"], body["owner"]["id"]) == (
        "RISK-1",
        16,
        ["T-1"],
        member.pk,
    )


def test_foreign_keys_and_owners_are_refused(project, manager, foreign_project, client_user):
    make_task(foreign_project, title="Theirs")
    call = Api(manager)
    response = call("POST", RISKS, {"title": "X", "tasks": ["T-1"]})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("not_in_project", "tasks")
    response = call("POST", RISKS, {"title": "X", "owner_id": client_user.pk})
    assert (response.json()["code"], response.json()["field"]) == ("owner_not_on_team", "owner_id")
    assert not Risk.objects.exists()


def test_a_stale_patch_is_409_with_what_changed(project, manager, member):
    risk = make_risk(project, manager)
    assert Api(member)("PATCH", RISK1, {"version": 1, "impact": 5}).status_code == 200
    response = Api(manager)("PATCH", RISK1, {"version": 1, "probability": 1})
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert {change["field"] for change in body["changes"]} == {"impact", "score"}
    risk.refresh_from_db()
    assert (risk.probability, risk.impact, risk.score) == (3, 5, 15)


def test_transitions_and_their_codes(project, manager):
    make_risk(project, manager)
    call = Api(manager)
    response = call("POST", RISK1 + "/transition", {"status": "closed", "version": 1})
    assert response.json()["status"] == "closed" and response.json()["closed_at"]
    response = call("POST", RISK1 + "/transition", {"status": "occurred", "version": 2})
    assert (response.status_code, response.json()["code"]) == (400, "bad_transition")


@pytest.mark.parametrize(("role", "status"), [("observer", 403), ("client_user", 404),
                                              ("outsider", 404)])  # fmt: skip
def test_who_may_not_write(project, manager, role, status, request):
    make_risk(project, manager, client_visible=True)
    call = Api(request.getfixturevalue(role))
    assert call("PATCH", RISK1, {"version": 1, "title": "No"}).status_code == status
    assert call("POST", RISKS, {"title": "No"}).status_code == status


def test_the_list_runs_a_fixed_number_of_queries(project, manager, member):
    call = Api(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert call("GET", RISKS + "?limit=100").status_code == 200
        return len(context.captured_queries)

    for number in range(3):
        make_risk(project, manager, title=f"R{number}", owner=member)
    queries()  # the token's first use records itself
    small = queries()
    for number in range(27):
        make_risk(project, manager, title=f"More {number}", owner=member)
    assert queries() == small
