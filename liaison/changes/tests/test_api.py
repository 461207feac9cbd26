"""The change requests API: the team's operations, the same rules as the pages,
typed JSON, errors with a code and a field, and a schema that describes it all."""

import pytest

from liaison.changes.models import ChangeRequest
from liaison.changes.services.change_requests import change_update
from liaison.changes.tests.factories import chain_plan, make_change, sent_change
from liaison.collab.services import comment_create
from liaison.core.models import Activity
from liaison.planning.models import Milestone
from liaison.requirements.services import requirement_create
from liaison.tests.api_client import Api

JSON = "application/json"
CHANGES = "/projects/OWN/changes"
CR1 = CHANGES + "/CR-1"
LONGER_T1 = {"task": "T-1", "start": "2027-01-04", "due": "2027-01-07"}


@pytest.fixture
def plan(project, manager):
    return chain_plan(project, manager)


@pytest.fixture
def change(project, member, plan):
    return make_change(
        project,
        member,
        title="Barcode scanner",
        description="Scan *labels*.",
        tasks=[plan["t1"]],
        schedule_changes=[LONGER_T1],
    )


# -- reading ---------------------------------------------------------------------------


def test_list_filters_and_paginates(project, observer, member, change):
    make_change(project, member, title="Dark mode", priority="low")
    call = Api(observer)

    body = call("GET", CHANGES).json()
    assert body["count"] == 2
    assert [row["key"] for row in body["items"]] == ["CR-2", "CR-1"]
    first = body["items"][1]
    assert first["requested_by"]["email"] == member.email
    assert (first["status"], first["origin"], first["comment_count"]) == ("submitted", "team", 0)
    assert [r["key"] for r in call("GET", CHANGES + "?q=dark").json()["items"]] == ["CR-2"]
    assert call("GET", CHANGES + "?status=approved").json()["count"] == 0
    assert call("GET", CHANGES + "?limit=1&offset=1").json()["items"][0]["key"] == "CR-1"
    assert call("GET", CHANGES + "?status=nonsense").status_code == 422


def test_detail_gives_keys_and_lines(project, manager, observer, change):
    comment_create(target=change, project=project, by=manager, body="Why?", client_visible=False)

    body = Api(observer)("GET", CHANGES + "/cr-1").json()

    assert body["key"] == "CR-1" and body["description"] == "Scan *labels*."
    assert body["tasks"] == ["T-1"] and body["requirements"] == []
    assert body["schedule_changes"] == [LONGER_T1]
    assert body["impact"] is None and body["baseline"] is None
    assert body["risk_level"] is None and body["version"] == 1
    assert body["comment_count"] == 1


def test_impact_is_live_and_says_what_moves(observer, change):
    body = Api(observer)("GET", CR1 + "/impact").json()

    assert [move["key"] for move in body["moves"]] == ["T-1", "T-2", "T-3", "T-4"]
    assert body["moves"][1] == {
        "key": "T-2",
        "title": "Step 2",
        "old_start": "2027-01-06",
        "old_due": "2027-01-08",
        "new_start": "2027-01-08",
        "new_due": "2027-01-12",
        "direct": False,
        "client_visible": False,
    }
    assert (body["slip_days"], body["finish_after"]) == (2, "2027-01-19")
    assert body["milestones"][0]["late"] is True


def test_impact_of_lines_that_no_longer_fit_is_400(observer, member, plan, change):
    ChangeRequest.objects.filter(pk=change.pk).update(
        schedule_changes=[{"task": "T-3", "start": "2027-01-04", "due": "2027-01-05"}]
    )

    response = Api(observer)("GET", CR1 + "/impact")

    assert response.status_code == 400
    assert response.json()["code"] == "dependency_violated"
    assert response.json()["field"] == "schedule_changes"


def test_detail_shows_the_frozen_impact_and_the_decision(project, manager):
    sent_change(project, manager, cost="250.50")

    body = Api(manager)("GET", CR1).json()

    assert body["status"] == "awaiting_client" and body["sent_at"]
    assert body["impact"]["moved_count"] == 0 and body["impact"]["effort_hours"] == "16.0"
    assert body["cost"] == "250.50"


# -- writing ---------------------------------------------------------------------------


def test_create_with_its_assessment(project, member, plan):
    requirement = requirement_create(project=project, by=member, title="Scan")

    response = Api(member)(
        "POST",
        CHANGES,
        {
            "title": "Scanner",
            "requirements": ["req-1"],
            "milestones": ["M-1"],
            "owner_id": member.pk,
            "effort_hours": "12.5",
            "cost": 900,
            "risk_level": "medium",
            "schedule_changes": [LONGER_T1],
            "milestone_changes": [{"milestone": "M-1", "due": "2027-01-22"}],
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["key"], body["status"], body["origin"]) == ("CR-1", "submitted", "team")
    assert body["requirements"] == [requirement.key] and body["milestones"] == ["M-1"]
    assert body["owner"]["id"] == member.pk
    assert (body["effort_hours"], body["cost"], body["risk_level"]) == ("12.5", "900.00", "medium")
    assert body["milestone_changes"] == [{"milestone": "M-1", "due": "2027-01-22"}]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "X", "tasks": ["T-99"]}, "tasks"),
        ({"title": "X", "owner_id": 999999}, "owner_id"),
        ({"title": "X", "effort_hours": -2}, "effort_hours"),
        (
            {"title": "X", "schedule_changes": [{**LONGER_T1, "task": "T-42"}]},
            "schedule_changes",
        ),
        (
            {"title": "X", "schedule_changes": [{**LONGER_T1, "due": "2027-01-01"}]},
            "schedule_changes",
        ),
    ],
)
def test_create_refuses_bad_input_naming_the_field(member, plan, data, field):
    response = Api(member)("POST", CHANGES, data)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not ChangeRequest.objects.exists()


def test_patch_changes_what_is_sent(member, plan, change):
    response = Api(member)(
        "PATCH",
        CR1,
        {"version": 1, "title": "Scanner v2", "tasks": ["T-2", "T-3"], "effort_hours": None},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["tasks"], body["version"]) == ("Scanner v2", ["T-2", "T-3"], 2)
    assert body["schedule_changes"] == [LONGER_T1]  # untouched


def test_patch_with_a_stale_version_is_409_with_what_changed(manager, member, change):
    change_update(change=change, by=manager, version=1, title="Renamed by the manager")

    response = Api(member)("PATCH", CR1, {"version": 1, "priority": "urgent"})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_edit" and body["current_version"] == 2
    assert body["changes"][0]["value"] == "Renamed by the manager"
    assert ChangeRequest.objects.get().priority == "normal"


def test_patch_of_a_bad_schedule_line_is_400_with_the_field(member, change):
    response = Api(member)(
        "PATCH",
        CR1,
        {"version": 1, "schedule_changes": [LONGER_T1, {**LONGER_T1, "task": "T-77"}]},
    )

    assert response.status_code == 400
    assert response.json()["field"] == "schedule_changes"
    assert response.json()["message"] == "Line 2: T-77 is not a task of this project."


def test_patch_refuses_clearing_a_title_and_editing_once_sent(project, manager):
    sent_change(project, manager)
    call = Api(manager)

    assert call("PATCH", CR1, {"version": 3, "title": None}).json()["field"] == "title"
    locked = call("PATCH", CR1, {"version": 3, "title": "Later"})
    assert (locked.status_code, locked.json()["code"]) == (400, "change_locked")


def test_transition_moves_along_the_lifecycle(manager, member, change):
    assessing = Api(member)(
        "POST", CR1 + "/transition", {"status": "assessing", "version": 1}
    ).json()
    assert (assessing["status"], assessing["owner"]["id"]) == ("assessing", member.pk)

    Api(member)("PATCH", CR1, {"version": 2, "effort_hours": 8})
    sent = Api(manager)("POST", CR1 + "/transition", {"status": "awaiting_client", "version": 3})
    assert sent.status_code == 200 and sent.json()["impact"]["moved_count"] == 4

    stale = Api(manager)("POST", CR1 + "/transition", {"status": "assessing", "version": 3})
    assert stale.status_code == 409
    bad = Api(manager)("POST", CR1 + "/transition", {"status": "approved", "version": 4})
    assert (bad.status_code, bad.json()["code"]) == (400, "bad_transition")


def test_sending_is_the_managers(member, change):
    call = Api(member)
    call("POST", CR1 + "/transition", {"status": "assessing", "version": 1})

    response = call("POST", CR1 + "/transition", {"status": "awaiting_client", "version": 2})

    assert response.status_code == 403


def test_declining_needs_a_comment(manager, change):
    response = Api(manager)("POST", CR1 + "/transition", {"status": "rejected", "version": 1})

    assert (response.status_code, response.json()["field"]) == (400, "comment")


# -- who may ---------------------------------------------------------------------------

WRITES = [
    ("POST", CHANGES, {"title": "Mine"}),
    ("PATCH", CR1, {"version": 1, "title": "Mine"}),
    ("POST", CR1 + "/transition", {"status": "assessing", "version": 1}),
]
READS = [CHANGES, CR1, CR1 + "/impact"]


def test_observer_reads_but_writes_nothing(observer, change):
    call = Api(observer)
    for path in READS:
        assert call("GET", path).status_code == 200, path
    for method, path, data in WRITES:
        assert call(method, path, data).status_code == 403, path
    assert ChangeRequest.objects.get().version == 1


@pytest.mark.parametrize("who", ["manager", "member"])
def test_the_team_reads_and_writes(request, change, who):
    call = Api(request.getfixturevalue(who))
    for path in READS:
        assert call("GET", path).status_code == 200, path
    assert call(*WRITES[1]).status_code == 200
    assert call("POST", CHANGES, {"title": "Another"}).status_code == 201


@pytest.mark.parametrize("who", ["client_user", "outsider"])
def test_clients_and_outsiders_get_404(request, change, who):
    call = Api(request.getfixturevalue(who))
    for path in READS:
        assert call("GET", path).status_code == 404, path
    for method, path, data in WRITES:
        assert call(method, path, data).status_code == 404, path


def test_a_foreign_projects_change_is_404(foreign_project, manager, change):
    response = Api(manager)("GET", "/projects/FOREIGN/changes/CR-1")
    assert response.status_code == 404


def test_an_unknown_key_is_404(manager, change):
    assert Api(manager)("GET", CHANGES + "/CR-9").status_code == 404


# -- cost ------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [2, 20])
def test_list_reads_a_fixed_number_of_queries(project, member, rows, django_assert_max_num_queries):
    for number in range(rows):
        make_change(project, member, title=f"Change {number}")
    call = Api(member)
    call("GET", CHANGES)  # warm caches (content types, the token's last use)

    with django_assert_max_num_queries(5):
        body = call("GET", CHANGES).json()

    assert body["count"] == rows


@pytest.mark.parametrize("size", [2, 20])
def test_detail_reads_a_fixed_number_of_queries(
    project, member, plan, size, django_assert_max_num_queries
):
    requirements = [
        requirement_create(project=project, by=member, title=f"Need {number}")
        for number in range(size)
    ]
    tasks = [plan[f"t{number}"] for number in range(1, 6)]
    linked = tasks if size == 20 else tasks[:1]  # the tasks grow with the size too
    make_change(project, member, requirements=requirements, tasks=linked)
    call = Api(member)
    call("GET", CR1)

    with django_assert_max_num_queries(7):
        body = call("GET", CR1).json()

    assert len(body["requirements"]) == size
    assert len(body["tasks"]) == len(linked)


# -- the schema ------------------------------------------------------------------------


def test_openapi_describes_every_operation(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    prefix = "/api/v1/projects/{code}/changes"
    expected = {
        prefix: {"get", "post"},
        f"{prefix}/{{key}}": {"get", "patch"},
        f"{prefix}/{{key}}/transition": {"post"},
        f"{prefix}/{{key}}/recall": {"post"},
        f"{prefix}/{{key}}/withdraw": {"post"},
        f"{prefix}/{{key}}/impact": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method, operation in paths[path].items():
            assert operation["summary"], (method, path)
            assert operation["tags"] == ["changes"]
            ok = operation["responses"].get("200") or operation["responses"]["201"]
            assert ok["content"][JSON]["schema"], (method, path)
            assert "404" in operation["responses"], (method, path)
    patch = paths[f"{prefix}/{{key}}"]["patch"]
    assert patch["responses"]["409"]["content"][JSON]["schema"]["$ref"].endswith("/Conflict")
    assert "change_locked" in patch["description"]
    assert "bad_transition" in paths[f"{prefix}/{{key}}/transition"]["post"]["description"]
    out = schema["components"]["schemas"]["ChangeOut"]["properties"]
    assert out["status"]["enum"] == list(ChangeRequest.Status.values)
    assert {"impact", "schedule_changes", "requirements", "baseline"} <= set(out)


# -- the workflow's names, and accepted work -------------------------------------------


def test_patching_an_assessment_of_a_submitted_change_starts_assessing(member, change):
    response = Api(member)("PATCH", CR1, {"version": 1, "effort_hours": 8})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["owner"]["id"], body["version"]) == ("assessing", member.pk, 2)


def test_recall_and_withdraw_are_operations_of_their_own(project, manager, member):
    sent_change(project, manager)
    call = Api(manager)

    assert Api(member)("POST", CR1 + "/recall", {"version": 3}).status_code == 403
    recalled = call("POST", CR1 + "/recall", {"version": 3})

    assert recalled.status_code == 200, recalled.json()
    assert (recalled.json()["status"], recalled.json()["impact"]) == ("assessing", None)
    again = call("POST", CR1 + "/recall", {"version": 4})
    assert (again.status_code, again.json()["code"]) == (400, "bad_transition")
    assert call("POST", CR1 + "/withdraw", {"version": 3}).status_code == 409

    withdrawn = call("POST", CR1 + "/withdraw", {"version": 4, "comment": "Not needed"})

    assert withdrawn.status_code == 200, withdrawn.json()
    body = withdrawn.json()
    assert (body["status"], body["decision_comment"]) == ("withdrawn", "Not needed")
    verbs = list(
        Activity.objects.filter(target_label__startswith="CR-1")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs[-2:] == ["recalled", "withdrawn"]


def test_impact_says_which_accepted_milestones_it_moves(observer, plan, change):
    Milestone.objects.filter(pk=plan["m1"].pk).update(status=Milestone.Status.ACCEPTED)

    body = Api(observer)("GET", CR1 + "/impact").json()

    assert [(m["key"], m["accepted"]) for m in body["milestones"]] == [("M-1", True)]
