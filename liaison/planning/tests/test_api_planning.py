"""The plan's API: milestones, tasks, dependencies and the Gantt data — the same
rules as the pages, typed JSON, errors with a code and a field."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.planning.models import Dependency, Milestone, Task
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.tasks import task_create, task_update
from liaison.requirements.services import requirement_create
from liaison.tests.api_client import Api

JSON = "application/json"
OWN = "/projects/OWN"
MONDAY = dt.date(2027, 1, 4)


@pytest.fixture
def plan(project, manager, member):
    """M-1 (criteria, visible), M-2 (no criteria); T-1 → T-2 (FS) dated in
    January 2027, T-1 in M-1 and assigned to the member; T-3 loose."""
    m1 = milestone_create(
        project=project, by=manager, name="Pilot", due_date=dt.date(2027, 2, 1), criteria=["Works"]
    )
    m2 = milestone_create(project=project, by=manager, name="Go-live", due_date=dt.date(2027, 3, 1))
    t1 = task_create(
        project=project,
        by=manager,
        title="Design",
        start_date=MONDAY,
        due_date=MONDAY + dt.timedelta(days=4),
        milestone=m1,
        assignee=member,
        estimate_hours=16,
    )
    t2 = task_create(
        project=project,
        by=manager,
        title="Build",
        start_date=MONDAY + dt.timedelta(days=7),
        due_date=MONDAY + dt.timedelta(days=11),
    )
    t3 = task_create(project=project, by=manager, title="Loose end")
    link = dependency_create(project=project, by=manager, predecessor=t1, successor=t2)
    return {"m1": m1, "m2": m2, "t1": t1, "t2": t2, "t3": t3, "link": link}


# -- milestones ------------------------------------------------------------------------------


def test_milestone_list_has_counts_and_is_paginated(observer, plan):
    body = Api(observer)("GET", f"{OWN}/milestones").json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["key"], first["name"], first["due_date"]) == ("M-1", "Pilot", "2027-02-01")
    assert (first["status"], first["criteria"], first["client_visible"]) == (
        "planned",
        ["Works"],
        True,
    )
    assert (first["task_count"], first["done_count"]) == (1, 0)
    page = Api(observer)("GET", f"{OWN}/milestones?limit=1&offset=1").json()
    assert [item["key"] for item in page["items"]] == ["M-2"]
    assert page["count"] == 2


def test_milestone_create_is_for_managers(manager, member, project):
    data = {
        "name": "Handover",
        "due_date": "2027-06-30",
        "criteria": ["Docs delivered"],
        "deliverables": [{"title": "Manual", "url": "https://example.test/manual.pdf"}],
    }
    assert Api(member)("POST", f"{OWN}/milestones", data).status_code == 403
    response = Api(manager)("POST", f"{OWN}/milestones", data)
    assert response.status_code == 201
    body = response.json()
    assert (body["key"], body["status"], body["version"]) == ("M-1", "planned", 1)
    assert body["deliverables"] == [{"title": "Manual", "url": "https://example.test/manual.pdf"}]
    assert Milestone.objects.get(project=project).name == "Handover"


def test_milestone_bad_input_names_the_field(manager, project):
    call = Api(manager)
    response = call("POST", f"{OWN}/milestones", {"name": " ", "due_date": "2027-06-30"})
    assert (response.status_code, response.json()["field"]) == (400, "name")
    response = call(
        "POST",
        f"{OWN}/milestones",
        {"name": "X", "due_date": "2027-06-30", "deliverables": [{"title": "A", "url": "ftp:x"}]},
    )
    assert (response.status_code, response.json()["field"]) == (400, "deliverables")
    assert call("POST", f"{OWN}/milestones", {"name": "No date"}).status_code == 422
    assert not Milestone.objects.exists()


def test_milestone_patch_and_stale_patch(manager, member, plan):
    call = Api(manager)
    response = call("PATCH", f"{OWN}/milestones/m-2", {"version": 1, "name": "Launch"})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["version"]) == ("Launch", 2)
    stale = call("PATCH", f"{OWN}/milestones/M-2", {"version": 1, "due_date": "2027-04-01"})
    assert stale.status_code == 409
    body = stale.json()
    assert (body["code"], body["current_version"]) == ("stale_edit", 2)
    assert body["changes"] == [
        {"by": str(manager), "field": "name", "label": "name", "value": "Launch"}
    ]
    assert Milestone.objects.get(pk=plan["m2"].pk).due_date == dt.date(2027, 3, 1)
    empty = call("PATCH", f"{OWN}/milestones/M-2", {"version": 2, "name": None})
    assert (empty.status_code, empty.json()["field"]) == (400, "name")
    assert Api(member)("PATCH", f"{OWN}/milestones/M-2", {"version": 2}).status_code == 403


def test_milestone_submit_and_delete(manager, plan):
    call = Api(manager)
    response = call("POST", f"{OWN}/milestones/M-1/submit", {"note": "Please check"})
    assert (response.status_code, response.json()["status"]) == (200, "submitted")
    assert plan["m1"].reviews.get().note == "Please check"
    no_criteria = call("POST", f"{OWN}/milestones/M-2/submit", {})
    assert no_criteria.status_code == 400
    assert (no_criteria.json()["code"], no_criteria.json()["field"]) == ("no_criteria", "criteria")
    kept = call("DELETE", f"{OWN}/milestones/M-1")
    assert (kept.status_code, kept.json()["code"]) == (400, "has_reviews")
    seen = call("DELETE", f"{OWN}/milestones/M-2")  # client-visible since it was made
    assert (seen.status_code, seen.json()["code"]) == (400, "client_visible")
    hidden = call(
        "POST",
        f"{OWN}/milestones",
        {"name": "Internal", "due_date": "2027-04-01", "client_visible": False},
    )
    assert hidden.status_code == 201
    assert call("DELETE", f"{OWN}/milestones/M-3").status_code == 204
    assert list(Milestone.objects.values_list("key", flat=True)) == ["M-1", "M-2"]
    assert call("GET", f"{OWN}/milestones/M-3").status_code == 404


# -- tasks -----------------------------------------------------------------------------------


def test_task_list_items_and_filters(observer, member, project, plan):
    requirement = requirement_create(project=project, by=project.manager, title="Scan")
    task_update(task=plan["t1"], by=member, version=plan["t1"].version, requirements=[requirement])
    task_create(project=project, by=member, title="Child", parent=plan["t1"], status="in_progress")
    call = Api(observer)
    body = call("GET", f"{OWN}/tasks").json()
    assert body["count"] == 4
    first = body["items"][0]
    assert first["key"] == "T-1"
    assert first["assignee"] == {"id": member.pk, "display_name": "member", "email": member.email}
    assert (first["milestone"], first["parent"], first["requirements"]) == ("M-1", None, ["REQ-1"])
    assert (first["start_date"], first["due_date"]) == ("2027-01-04", "2027-01-08")
    assert first["estimate_hours"] == "16.0"  # a decimal, as a string
    assert (first["progress"], first["client_visible"]) == (0, False)
    assert first["status"] == "in_progress"  # rolled up from its child
    assert body["items"][3]["parent"] == "T-1"

    def keys(query: str) -> list[str]:
        response = call("GET", f"{OWN}/tasks?{query}")
        assert response.status_code == 200, response.content
        return [item["key"] for item in response.json()["items"]]

    assert keys("status=in_progress") == ["T-1", "T-4"]  # T-1 rolled up from T-4
    assert keys(f"assignee={member.pk}") == ["T-1"]
    assert keys("assignee=0") == ["T-2", "T-3", "T-4"]
    assert keys("milestone=M-1") == ["T-1"]
    assert keys("q=build") == ["T-2"]
    assert keys("q=t-3") == ["T-3"]
    assert keys("sort=-key&limit=2") == ["T-4", "T-3"]
    assert keys("limit=2&offset=2") == ["T-3", "T-4"]
    assert call("GET", f"{OWN}/tasks?limit=201").status_code == 422
    assert call("GET", f"{OWN}/tasks?status=finished").status_code == 422


def test_task_create_with_keys_and_a_user_id(member, project, plan):
    requirement_create(project=project, by=project.manager, title="Scan")
    response = Api(member)(
        "POST",
        f"{OWN}/tasks",
        {
            "title": "Wire the scanner",
            "parent": "t-1",
            "milestone": "m-1",
            "requirements": ["req-1"],
            "assignee_id": member.pk,
            "start_date": "2027-01-05",
            "due_date": "2027-01-06",
            "estimate_hours": 7.5,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["key"], body["parent"], body["milestone"]) == ("T-4", "T-1", "M-1")
    assert (body["requirements"], body["assignee"]["id"]) == (["REQ-1"], member.pk)
    assert body["estimate_hours"] == "7.5"
    task = Task.objects.get(project=project, key="T-4")
    assert (task.parent_id, task.assignee_id) == (plan["t1"].pk, member.pk)


@pytest.mark.parametrize(
    "sent",
    [
        {"title": "  Only a title  "},
        {
            "title": "Everything",
            "description": "**Scope**",
            "status": "done",
            "parent": "t-1",
            "milestone": "m-1",
            "requirements": ["req-1"],
            "start_date": "2027-01-05",
            "due_date": "2027-01-06",
            "estimate_hours": 7.44,
            "order": 3,
            "client_visible": True,
        },
    ],
)
def test_task_create_answers_the_task_as_it_reads_back(member, project, plan, sent):
    """The answer is the row the service saved, not read again: it must say what a read says."""
    requirement_create(project=project, by=project.manager, title="Scan")
    call = Api(member)
    created = call("POST", f"{OWN}/tasks", {**sent, "assignee_id": member.pk})
    assert created.status_code == 201, created.content
    assert created.json() == call("GET", f"{OWN}/tasks/{created.json()['key']}").json()


def test_task_bad_input_answers_with_code_and_field(
    member, observer, project, foreign_project, plan
):
    call = Api(member)

    def refused(data) -> tuple[int, str, str]:
        response = call("POST", f"{OWN}/tasks", {"title": "Bad", **data})
        body = response.json()
        return response.status_code, body.get("code"), body.get("field")

    assert refused({"start_date": "2027-01-08", "due_date": "2027-01-04"}) == (
        400,
        "invalid",
        "due_date",
    )
    assert refused({"progress": 150}) == (400, "invalid", "progress")
    assert refused({"parent": "T-99"}) == (400, "invalid", "parent")
    assert refused({"milestone": "M-9"}) == (400, "invalid", "milestone")
    assert refused({"assignee_id": observer.pk}) == (400, "invalid", "assignee_id")
    assert refused({"assignee_id": 987654}) == (400, "invalid", "assignee_id")
    other = requirement_create(project=foreign_project, by=foreign_project.manager, title="No")
    assert refused({"requirements": [other.key, "REQ-7"]}) == (400, "invalid", "requirements")
    assert Task.objects.filter(project=project).count() == 3


def test_task_patch_is_partial_and_pushes_successors(member, plan):
    response = Api(member)(
        "PATCH", f"{OWN}/tasks/T-1", {"version": 1, "due_date": "2027-01-12", "progress": 40}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["due_date"], body["progress"], body["title"]) == ("2027-01-12", 40, "Design")
    assert body["milestone"] == "M-1"  # not sent, not changed
    successor = Task.objects.get(pk=plan["t2"].pk)
    assert successor.start_date == dt.date(2027, 1, 13)  # pushed past the new due date


def test_task_patch_clears_with_null_and_refuses_null_titles(member, plan):
    call = Api(member)
    response = call(
        "PATCH", f"{OWN}/tasks/T-1", {"version": 1, "milestone": None, "assignee_id": None}
    )
    assert response.status_code == 200
    assert (response.json()["milestone"], response.json()["assignee"]) == (None, None)
    response = call("PATCH", f"{OWN}/tasks/T-1", {"version": 2, "title": None})
    assert (response.status_code, response.json()["field"]) == (400, "title")


def test_a_stale_task_patch_is_409_with_what_changed(manager, member, plan):
    task_update(task=plan["t3"], by=manager, version=1, title="Tie the loose end")
    response = Api(member)("PATCH", f"{OWN}/tasks/T-3", {"version": 1, "progress": 10})
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["current_version"]) == ("stale_edit", 2)
    assert body["changes"] == [
        {"by": str(manager), "field": "title", "label": "title", "value": "Tie the loose end"}
    ]
    assert Task.objects.get(pk=plan["t3"].pk).progress == 0


def test_task_delete(member, project, plan):
    call = Api(member)
    assert call("DELETE", f"{OWN}/tasks/T-3?version=7").status_code == 409
    assert call("DELETE", f"{OWN}/tasks/T-3?version=1").status_code == 204
    task_update(task=plan["t2"], by=member, version=plan["t2"].version, client_visible=True)
    seen = call("DELETE", f"{OWN}/tasks/T-2")
    assert (seen.status_code, seen.json()["code"]) == (400, "client_visible")
    assert list(project.tasks.values_list("key", flat=True)) == ["T-1", "T-2"]


def test_task_preview_lists_the_moves_and_saves_nothing(member, plan):
    response = Api(member)(
        "POST", f"{OWN}/tasks/T-1/preview", {"start_date": "2027-01-11", "due_date": "2027-01-15"}
    )
    assert response.status_code == 200, response.content
    moves = {move["key"]: move for move in response.json()["moves"]}
    assert set(moves) == {"T-1", "T-2"}
    assert moves["T-2"]["old_start"] == "2027-01-11"
    assert moves["T-2"]["new_start"] == "2027-01-18"
    assert moves["T-2"]["title"] == "Build"
    assert Task.objects.get(pk=plan["t2"].pk).start_date == dt.date(2027, 1, 11)
    backwards = Api(member)(
        "POST", f"{OWN}/tasks/T-1/preview", {"start_date": "2027-01-15", "due_date": "2027-01-11"}
    )
    assert (backwards.status_code, backwards.json()["field"]) == (400, "due_date")


# -- dependencies ----------------------------------------------------------------------------


def test_dependency_list_create_update_delete(member, plan):
    call = Api(member)
    body = call("GET", f"{OWN}/dependencies").json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "id": plan["link"].pk,
        "predecessor": "T-1",
        "successor": "T-2",
        "kind": "FS",
        "lag_days": 0,
        "version": 1,
    }
    response = call(
        "POST",
        f"{OWN}/dependencies",
        {"predecessor": "t-2", "successor": "T-3", "kind": "SS", "lag_days": 2},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["predecessor"], created["successor"], created["kind"]) == ("T-2", "T-3", "SS")
    path = f"{OWN}/dependencies/{plan['link'].pk}"
    response = call("PATCH", path, {"version": 1, "lag_days": 1})
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["lag_days"]) == ("FS", 1)
    assert Task.objects.get(pk=plan["t2"].pk).start_date == dt.date(2027, 1, 12)
    stale = call("PATCH", path, {"version": 1, "kind": "SS"})
    assert (stale.status_code, stale.json()["current_version"]) == (409, 2)
    assert call("DELETE", path).status_code == 204
    assert list(Dependency.objects.values_list("predecessor__key", flat=True)) == ["T-2"]


def test_dependency_refusals(member, foreign_project, plan):
    call = Api(member)
    dependency_create(
        project=plan["t1"].project, by=member, predecessor=plan["t2"], successor=plan["t3"]
    )
    loop = call("POST", f"{OWN}/dependencies", {"predecessor": "T-3", "successor": "T-1"})
    assert loop.status_code == 400
    assert (loop.json()["code"], loop.json()["field"]) == ("dependency_cycle", "predecessor")
    back = call("POST", f"{OWN}/dependencies", {"predecessor": "T-2", "successor": "T-1"})
    assert (back.status_code, back.json()["code"]) == (400, "dependency_cycle")
    twice = call("POST", f"{OWN}/dependencies", {"predecessor": "T-1", "successor": "T-2"})
    assert (twice.status_code, twice.json()["code"]) == (400, "duplicate")
    unknown = call("POST", f"{OWN}/dependencies", {"predecessor": "T-9", "successor": "T-1"})
    assert (unknown.status_code, unknown.json()["field"]) == (400, "predecessor")
    odd = call(
        "POST", f"{OWN}/dependencies", {"predecessor": "T-1", "successor": "T-3", "kind": "XX"}
    )
    assert odd.status_code == 422
    far = call(
        "POST", f"{OWN}/dependencies", {"predecessor": "T-1", "successor": "T-3", "lag_days": 999}
    )
    assert (far.status_code, far.json()["field"]) == (400, "lag_days")
    by = foreign_project.manager
    theirs = dependency_create(
        project=foreign_project,
        by=by,
        predecessor=task_create(project=foreign_project, by=by, title="A"),
        successor=task_create(project=foreign_project, by=by, title="B"),
    )
    path = f"{OWN}/dependencies/{theirs.pk}"
    assert call("PATCH", path, {"version": 1, "lag_days": 3}).status_code == 404
    assert call("DELETE", path).status_code == 404
    assert Dependency.objects.get(pk=theirs.pk).lag_days == 0


# -- the Gantt -------------------------------------------------------------------------------


def test_gantt_json(observer, plan):
    response = Api(observer)("GET", f"{OWN}/gantt")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["key"] for row in body["rows"]] == ["T-1", "T-2"]
    first = body["rows"][0]
    assert (first["start"], first["due"], first["milestone"]) == ("2027-01-04", "2027-01-08", "M-1")
    assert first["critical"] is True
    assert body["links"] == [
        {"predecessor": "T-1", "successor": "T-2", "kind": "FS", "critical": True}
    ]
    assert [m["key"] for m in body["milestones"]] == ["M-1", "M-2"]
    assert body["undated_count"] == 1
    assert body["cycle"] is False
    filtered = Api(observer)("GET", f"{OWN}/gantt?milestone=M-1").json()
    assert [row["key"] for row in filtered["rows"]] == ["T-1"]


# -- who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "read", "task_write", "milestone_write"),
    [
        ("manager", 200, 200, 201),
        ("member", 200, 200, 403),
        ("observer", 200, 403, 403),
        ("client_user", 404, 404, 404),
        ("outsider", 404, 404, 404),
        ("anonymous", 401, 401, 401),
    ],
)
def test_roles(request, plan, role, read, task_write, milestone_write):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    call = Api(user)
    assert call("GET", f"{OWN}/tasks").status_code == read
    assert call("GET", f"{OWN}/milestones/M-1").status_code == read
    assert call("GET", f"{OWN}/gantt").status_code == read
    patch = call("PATCH", f"{OWN}/tasks/T-3", {"version": 1, "progress": 5})
    assert patch.status_code == task_write
    created = call("POST", f"{OWN}/milestones", {"name": "Extra", "due_date": "2027-05-01"})
    assert created.status_code == milestone_write


def test_a_foreign_project_is_404_for_everyone(manager, foreign_project):
    response = Api(manager)("GET", "/projects/FOREIGN/tasks")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# -- queries do not grow with the data -------------------------------------------------------

_serial = itertools.count(1)


def _grow(project, n: int) -> None:
    """n more tasks, each with a requirement, a milestone, a parent and a link."""
    by = project.manager
    previous = None
    for _ in range(n):
        number = next(_serial)
        milestone = milestone_create(
            project=project, by=by, name=f"M{number}", due_date=dt.date(2027, 6, 1)
        )
        requirement = requirement_create(project=project, by=by, title=f"R{number}")
        task = task_create(
            project=project,
            by=by,
            title=f"Task {number}",
            start_date=MONDAY + dt.timedelta(days=number * 7),
            due_date=MONDAY + dt.timedelta(days=number * 7 + 1),
            milestone=milestone,
            assignee=by,
            parent=previous,
            requirements=[requirement],
        )
        if previous is not None:
            dependency_create(project=project, by=by, predecessor=previous, successor=task)
        previous = task


@pytest.mark.parametrize("path", ["tasks", "milestones", "dependencies", "gantt"])
def test_list_queries_are_constant(manager, project, path, django_assert_max_num_queries):
    api = Api(manager)
    url = f"/projects/OWN/{path}"

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            response = api.get(url)
        assert response.status_code == 200, response.content
        return len(context.captured_queries)

    api.get(url)  # warm caches (content types)
    _grow(project, 2)
    small = count()
    _grow(project, 8)
    with django_assert_max_num_queries(12):
        large = count()
    assert small == large, f"{path}: {small} queries with few rows, {large} with more"
