"""The requirements and baselines API: same rules as the pages, typed JSON."""

import pytest

from liaison.requirements.models import Requirement
from liaison.requirements.services import (
    baseline_propose,
    baseline_sign,
    requirement_create,
    requirement_update,
)
from liaison.requirements.tests.factories import agreed_requirement
from liaison.tests.api_client import Api

JSON = "application/json"
REQS = "/projects/OWN/requirements"


@pytest.fixture
def scan(project, manager) -> Requirement:
    return requirement_create(
        project=project,
        by=manager,
        title="Scan pallet labels",
        kind="functional",
        priority="must",
        acceptance_criteria=["Under 1 s", "Works offline"],
        tags="dock, scanner",
        owner=manager,
    )


# -- requirements --------------------------------------------------------------------------


def test_list_is_paginated_and_filtered(manager, project, foreign_project, scan):
    requirement_create(project=project, by=manager, title="SDK licence", client_visible=False)
    agreed_requirement(
        project, by=manager, title="Nightly ERP sync", kind="non_functional", tags="erp"
    )
    requirement_create(project=foreign_project, by=foreign_project.manager, title="Not ours")
    call = Api(manager)
    body = call("GET", REQS).json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 3  # the team sees internal rows; other projects' never
    first = body["items"][0]
    assert first["key"] == "REQ-1"
    assert first["acceptance_criteria"] == ["Under 1 s", "Works offline"]
    assert first["tags"] == ["dock", "scanner"]
    assert first["owner"]["email"] == manager.email
    assert first["parent"] is None
    assert first["version"] == 1

    def titles(query: str) -> list[str]:
        return [item["title"] for item in call("GET", f"{REQS}?{query}").json()["items"]]

    assert titles("status=confirmed") == ["Nightly ERP sync"]
    assert titles("kind=non_functional") == ["Nightly ERP sync"]
    assert titles("priority=must") == ["Scan pallet labels"]
    assert titles("tag=scanner") == ["Scan pallet labels"]
    assert titles("q=licence") == ["SDK licence"]
    assert titles("limit=2&offset=2") == ["Nightly ERP sync"]
    assert call("GET", f"{REQS}?status=finished").status_code == 422


def test_create_answers_201_with_the_next_key(manager, member, project, scan):
    response = Api(member)(
        "POST",
        REQS,
        {
            "title": "Print pick lists",
            "kind": "business_process",
            "priority": "could",
            "acceptance_criteria": ["One page per wave"],
            "tags": ["night shift"],
            "owner_id": member.pk,
            "parent": "req-1",
            "client_visible": False,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["key"], body["status"], body["parent"]) == ("REQ-2", "draft", "REQ-1")
    assert body["owner"]["id"] == member.pk
    assert body["client_visible"] is False
    created = Requirement.objects.get(project=project, key="REQ-2")
    assert created.tag_list == ["night shift"]
    assert created.revisions.count() == 1


def test_create_refuses_bad_input_with_a_field(manager, outsider, project):
    call = Api(manager)
    response = call("POST", REQS, {"title": "  "})
    assert response.status_code == 400
    assert response.json()["field"] == "title"
    response = call("POST", REQS, {"title": "Owned", "owner_id": outsider.pk})
    assert (response.status_code, response.json()["field"]) == (400, "owner")
    response = call("POST", REQS, {"title": "Child", "parent": "REQ-99"})
    assert (response.status_code, response.json()["field"]) == (400, "parent")
    assert call("POST", REQS, {"title": "Odd", "kind": "feature"}).status_code == 422
    assert not Requirement.objects.exists()


def test_detail_and_unknown_key(manager, scan):
    call = Api(manager)
    assert call("GET", f"{REQS}/req-1").json()["title"] == "Scan pallet labels"
    response = call("GET", f"{REQS}/REQ-9")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_patch_changes_only_what_is_sent(manager, scan):
    response = Api(manager)(
        "PATCH", f"{REQS}/REQ-1", {"version": 1, "title": "Scan labels", "owner_id": None}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["owner"], body["version"]) == ("Scan labels", None, 2)
    assert body["acceptance_criteria"] == ["Under 1 s", "Works offline"]


def test_patch_refuses_null_for_a_required_field(manager, scan):
    response = Api(manager)("PATCH", f"{REQS}/REQ-1", {"version": 1, "title": None})
    assert (response.status_code, response.json()["field"]) == (400, "title")


def test_a_stale_patch_is_409_with_what_changed(manager, member, scan):
    requirement_update(requirement=scan, by=member, version=1, priority="could")
    response = Api(manager)("PATCH", f"{REQS}/REQ-1", {"version": 1, "title": "Mine"})
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["current_version"]) == ("stale_edit", 2)
    assert body["changes"] == [
        {"by": str(member), "field": "priority", "label": "priority", "value": "could"}
    ]
    assert Requirement.objects.get(pk=scan.pk).title == "Scan pallet labels"


def test_transition_moves_along_the_workflow(manager, scan):
    call = Api(manager)
    response = call("POST", f"{REQS}/REQ-1/transition", {"status": "in_review", "version": 1})
    assert (response.status_code, response.json()["status"]) == (200, "in_review")
    stale = call("POST", f"{REQS}/REQ-1/transition", {"status": "confirmed", "version": 1})
    assert stale.status_code == 409


def test_a_transition_the_workflow_forbids_is_400_with_its_code(manager, scan):
    response = Api(manager)("POST", f"{REQS}/REQ-1/transition", {"status": "verified"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["field"] == "status"
    assert body["message"] == (
        "A requirement that is Draft cannot become Verified. "
        "It can become: In review, Rejected, Deferred."
    )
    assert Requirement.objects.get(pk=scan.pk).status == "draft"


# -- baselines -------------------------------------------------------------------------------


@pytest.fixture
def baselines(project, manager, client_user):
    """Baseline 1 signed by the client; then a change, and baseline 2 awaiting them."""
    scan = agreed_requirement(
        project, by=manager, title="Scan labels", acceptance_criteria=["Under 1 s"]
    )
    agreed_requirement(project, by=manager, title="Pick by wave")
    first = baseline_propose(project=project, by=manager, title="Initial scope")
    baseline_sign(
        baseline=first, by=client_user, full_name="Claire Client", agreed=True, ip="203.0.113.7"
    )
    requirement_update(
        requirement=scan, by=manager, version=scan.version, title="Scan pallet labels"
    )
    agreed_requirement(project, by=manager, title="Night shift lists")
    baseline_propose(project=project, by=manager, title="With the night shift")


def test_baseline_list(observer, baselines):
    body = Api(observer)("GET", "/projects/OWN/baselines").json()
    assert body["count"] == 2
    second, first = body["items"]
    assert (second["number"], second["status"], second["decision"]) == (2, "proposed", None)
    assert second["requirement_count"] == 3
    assert (first["status"], first["decision"]["signed_name"]) == ("signed", "Claire Client")


def test_baseline_detail_has_the_content_and_the_signature(manager, baselines):
    body = Api(manager)("GET", "/projects/OWN/baselines/1").json()
    assert body["title"] == "Initial scope"
    assert len(body["content_hash"]) == 64
    assert body["content"]["project"]["code"] == "OWN"
    assert [r["key"] for r in body["content"]["requirements"]] == ["REQ-1", "REQ-2"]
    assert body["content"]["requirements"][0]["acceptance_criteria"] == ["Under 1 s"]
    decision = body["decision"]
    assert decision["outcome"] == "signed"
    assert decision["by"]["display_name"] == "client"
    assert (decision["signed_name"], decision["ip"]) == ("Claire Client", "203.0.113.7")
    assert decision["at"]


def test_baseline_diff_lists_added_removed_and_changed(manager, baselines):
    call = Api(manager)
    body = call("GET", "/projects/OWN/baselines/diff?a=1&b=2").json()
    assert (body["a"], body["b"]) == (1, 2)
    assert [r["key"] for r in body["added"]] == ["REQ-3"]
    assert body["removed"] == []
    (changed,) = body["changed"]
    assert (changed["key"], changed["title"]) == ("REQ-1", "Scan pallet labels")
    assert changed["changes"] == [
        {"field": "title", "old": "Scan labels", "new": "Scan pallet labels", "lines": []}
    ]
    backwards = call("GET", "/projects/OWN/baselines/diff?a=2&b=1").json()
    assert [r["key"] for r in backwards["removed"]] == ["REQ-3"]
    # Without numbers: the latest against the one before it.
    assert call("GET", "/projects/OWN/baselines/diff").json()["added"] == body["added"]


def test_baseline_unknown_number_is_404(manager, baselines):
    call = Api(manager)
    assert call("GET", "/projects/OWN/baselines/7").status_code == 404
    assert call("GET", "/projects/OWN/baselines/diff?a=1&b=7").status_code == 404


def test_baseline_diff_of_a_project_without_baselines_is_404(manager, project):
    assert Api(manager)("GET", "/projects/OWN/baselines/diff").status_code == 404


# -- who may --------------------------------------------------------------------------------


WRITES = [
    ("POST", REQS, {"title": "Sneaky"}),
    ("PATCH", f"{REQS}/REQ-1", {"version": 1, "title": "Sneaky"}),
    ("POST", f"{REQS}/REQ-1/transition", {"status": "in_review"}),
]
READS = [
    REQS,
    f"{REQS}/REQ-1",
    "/projects/OWN/baselines",
    "/projects/OWN/baselines/1",
    "/projects/OWN/baselines/diff?a=1&b=1",
]


def test_observers_read_but_do_not_write(observer, baselines):
    version = Requirement.objects.get(key="REQ-1").version
    call = Api(observer)
    for path in READS:
        assert call("GET", path).status_code == 200, path
    for method, path, data in WRITES:
        response = call(method, path, data)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), path
    assert Requirement.objects.get(key="REQ-1").version == version
    assert Requirement.objects.count() == 3


@pytest.mark.parametrize("who", ["client_user", "outsider"])
def test_clients_and_outsiders_get_404(request, baselines, who):
    call = Api(request.getfixturevalue(who))
    for path in READS:
        assert call("GET", path).status_code == 404, path
    for method, path, data in WRITES:
        assert call(method, path, data).status_code == 404, path


def test_openapi_describes_the_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    prefix = "/api/v1/projects/{code}"
    assert set(paths[f"{prefix}/requirements"]) == {"get", "post"}
    assert set(paths[f"{prefix}/requirements/{{key}}"]) == {"get", "patch"}
    patch = paths[f"{prefix}/requirements/{{key}}"]["patch"]
    assert patch["responses"]["409"]["content"][JSON]["schema"]["$ref"].endswith("/Conflict")
    assert (
        "transition_not_allowed"
        in paths[f"{prefix}/requirements/{{key}}/transition"]["post"]["description"]
    )
    for path in ("baselines", "baselines/diff", "baselines/{number}"):
        assert "get" in paths[f"{prefix}/{path}"], path
    statuses = schema["components"]["schemas"]["RequirementOut"]["properties"]["status"]["enum"]
    assert statuses == list(Requirement.Status.values)
