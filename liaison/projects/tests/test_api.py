import pytest
from django.utils import timezone

from liaison.accounts.models import OrgMembership, User
from liaison.api import api
from liaison.core.models import Activity
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_project
from liaison.tests.api_client import Api


def _new_project(project, **overrides):
    return {
        "code": "API-1",
        "name": "From the API",
        "client_id": project.client_id,
        "start_date": "2026-01-01",
        "end_date": "2026-03-31",
        **overrides,
    }


# -- projects ---------------------------------------------------------------------------------


def test_project_list_is_paginated_and_shows_visible_projects(manager, project, org):
    make_project(org, manager, "SECOND")
    make_project(org, manager, "OLD", archived_at=timezone.now())
    response = Api(manager)("GET", "/projects")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 2
    assert [item["code"] for item in body["items"]] == ["OWN", "SECOND"]
    first = body["items"][0]
    assert first["client"] == {"id": project.client_id, "name": "Client of OWN"}
    assert first["manager"]["email"] == manager.email
    assert first["archived"] is False
    assert first["version"] == 1


def test_project_list_filters(manager, project, org):
    make_project(org, manager, "OLD", status="completed", archived_at=timezone.now())
    call = Api(manager)
    assert [p["code"] for p in call("GET", "/projects?archived=true").json()["items"]] == ["OLD"]
    assert call("GET", "/projects?status=completed").json()["count"] == 0
    assert call("GET", "/projects?q=own").json()["count"] == 1


def test_project_list_pages(owner, org, manager):
    for n in range(3):
        make_project(org, manager, f"P{n:02d}")
    body = Api(owner)("GET", "/projects?limit=2&offset=2").json()
    assert body["count"] == 3
    assert [item["code"] for item in body["items"]] == ["P02"]


def test_project_create(manager, project):
    response = Api(manager)("POST", "/projects", _new_project(project))
    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "API-1"
    assert body["manager"]["id"] == manager.pk
    assert body["end_date"] == "2026-03-31"
    created = Project.objects.get(code="API-1")
    assert Membership.objects.get(project=created, user=manager).role == "manager"


def test_project_create_duplicate_code_is_400(manager, project):
    response = Api(manager)("POST", "/projects", _new_project(project, code="own"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "duplicate_code"
    assert body["field"] == "code"
    assert Project.objects.count() == 1


def test_project_create_end_before_start_is_400(manager, project):
    data = _new_project(project, start_date="2026-05-01", end_date="2026-04-01")
    response = Api(manager)("POST", "/projects", data)
    assert response.status_code == 400
    assert response.json()["field"] == "end_date"
    assert not Project.objects.filter(code="API-1").exists()


def test_project_create_with_a_foreign_client_is_400(manager, project, foreign_project):
    data = _new_project(project, client_id=foreign_project.client_id)
    response = Api(manager)("POST", "/projects", data)
    assert response.status_code == 400
    assert response.json()["field"] == "client"


def test_project_create_with_a_manager_id_that_names_nobody_is_400(manager, project):
    """Leaving manager_id out makes the caller the manager; an id of no one
    is refused rather than read the same way."""
    missing = User.objects.order_by("-pk").first().pk + 1
    response = Api(manager)("POST", "/projects", _new_project(project, manager_id=missing))
    assert response.status_code == 400
    assert response.json()["field"] == "manager"
    assert not Project.objects.filter(code="API-1").exists()


def test_project_create_names_the_organization_when_there_are_several(manager, project, other_org):
    OrgMembership.objects.create(organization=other_org, user=manager)
    call = Api(manager)
    response = call("POST", "/projects", _new_project(project))
    assert response.status_code == 400
    assert response.json()["field"] == "organization"
    response = call("POST", "/projects", _new_project(project, organization="brightline"))
    assert response.status_code == 201
    assert Project.objects.get(code="API-1").organization == project.organization
    stranger = call("POST", "/projects", _new_project(project, code="API-2", organization="nope"))
    assert stranger.status_code == 404


def test_project_create_with_a_bad_body_is_422(manager, project):
    response = Api(manager)("POST", "/projects", {"code": "X"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_project_detail(member, project):
    response = Api(member)("GET", "/projects/OWN")
    assert response.status_code == 200
    assert response.json()["name"] == "Project OWN"


def test_project_detail_unknown_or_invisible_is_404(outsider, project, foreign_project):
    call = Api(outsider)
    for path in ["/projects/OWN", "/projects/FOREIGN", "/projects/NOPE"]:
        response = call("GET", path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_project_patch(manager, project):
    response = Api(manager)("PATCH", "/projects/OWN", {"version": 1, "name": "Patched"})
    assert response.status_code == 200
    assert response.json()["name"] == "Patched"
    assert response.json()["version"] == 2
    project.refresh_from_db()
    assert project.name == "Patched"
    assert Activity.objects.get(verb="updated").diff == {"name": ["Project OWN", "Patched"]}


def test_project_patch_stale_version_is_409(manager, project):
    call = Api(manager)
    call("PATCH", "/projects/OWN", {"version": 1, "name": "First"})
    response = call("PATCH", "/projects/OWN", {"version": 1, "name": "Second"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_edit"
    assert body["current_version"] == 2
    assert body["changes"] == [
        {"by": str(manager), "field": "name", "label": "name", "value": "First"}
    ]
    project.refresh_from_db()
    assert project.name == "First"


def test_project_patch_manager_must_be_staff(manager, project, client_user):
    response = Api(manager)("PATCH", "/projects/OWN", {"version": 1, "manager_id": client_user.pk})
    assert response.status_code == 400
    assert response.json()["field"] == "manager"


def test_project_patch_by_an_observer_is_403(observer, project):
    response = Api(observer)("PATCH", "/projects/OWN", {"version": 1, "name": "No"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    project.refresh_from_db()
    assert project.name == "Project OWN"


def test_project_archive_and_restore(manager, project):
    call = Api(manager)
    response = call("POST", "/projects/OWN/archive")
    assert response.status_code == 200
    assert response.json()["archived"] is True
    project.refresh_from_db()
    assert project.is_archived
    response = call("POST", "/projects/OWN/restore")
    assert response.json()["archived"] is False
    project.refresh_from_db()
    assert not project.is_archived


def test_project_archive_by_a_member_is_403(member, project):
    assert Api(member)("POST", "/projects/OWN/archive").status_code == 403
    project.refresh_from_db()
    assert not project.is_archived


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/projects", None),
        ("POST", "/projects", {"code": "X", "name": "X", "client_id": 1}),
        ("GET", "/projects/OWN", None),
        ("PATCH", "/projects/OWN", {"version": 1, "name": "x"}),
        ("POST", "/projects/OWN/archive", None),
        ("POST", "/projects/OWN/restore", None),
        ("GET", "/projects/OWN/members", None),
        ("POST", "/projects/OWN/members", {"email": "a@b.example", "role": "client"}),
    ],
)
def test_client_user_gets_404_everywhere(client_user, project, method, path, data):
    response = Api(client_user)(method, path, data)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    project.refresh_from_db()
    assert (project.name, project.is_archived) == ("Project OWN", False)


def test_requests_without_a_token_are_401(client, project):
    response = client.get("/api/v1/projects")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


# -- members -----------------------------------------------------------------------------------


def test_member_list(member, project, manager, observer):
    body = Api(member)("GET", "/projects/OWN/members").json()
    assert body["count"] == 3
    roles = {item["user"]["email"]: item["role"] for item in body["items"]}
    assert roles == {manager.email: "manager", member.email: "member", observer.email: "observer"}


def test_member_invite(manager, project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = Api(manager)(
            "POST",
            "/projects/OWN/members",
            {"email": "New@Test.example", "role": "observer", "confirm": True},
        )
    assert response.status_code == 201
    body = response.json()
    assert body["role"] == "observer"
    assert body["user"]["email"] == "new@test.example"
    assert not User.objects.get(email="new@test.example").has_usable_password()
    assert len(callbacks) == 1


def test_member_invite_of_an_existing_member_is_400(manager, member, project):
    count = Membership.objects.count()
    response = Api(manager)(
        "POST", "/projects/OWN/members", {"email": member.email, "role": "observer"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "already_member"
    assert response.json()["field"] == "email"
    assert Membership.objects.count() == count


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_member_invite_with_a_bad_address_is_400(manager, project, email):
    users = User.objects.count()
    response = Api(manager)("POST", "/projects/OWN/members", {"email": email, "role": "member"})
    assert response.status_code == 400
    assert response.json()["field"] == "email"
    assert User.objects.count() == users


def test_member_invite_by_a_member_is_403(member, project):
    response = Api(member)(
        "POST", "/projects/OWN/members", {"email": "x@test.example", "role": "member"}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@test.example").exists()


def test_member_patch(manager, member, project):
    membership = Membership.objects.get(project=project, user=member)
    call = Api(manager)
    response = call(
        "PATCH", f"/projects/OWN/members/{membership.pk}", {"role": "observer", "version": 1}
    )
    assert response.status_code == 200
    assert response.json()["role"] == "observer"
    assert response.json()["version"] == 2
    stale = call(
        "PATCH", f"/projects/OWN/members/{membership.pk}", {"role": "member", "version": 1}
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2


def test_member_patch_of_the_project_manager_is_400(owner, manager, project):
    membership = Membership.objects.get(project=project, user=manager)
    response = Api(owner)(
        "PATCH", f"/projects/OWN/members/{membership.pk}", {"role": "member", "version": 1}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "role"


def test_member_delete(manager, member, project):
    membership = Membership.objects.get(project=project, user=member)
    response = Api(manager)("DELETE", f"/projects/OWN/members/{membership.pk}")
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_member_delete_of_another_projects_member_is_404(manager, project, org):
    other = make_project(org, manager, "OTHER")
    membership = Membership.objects.get(project=other, user=manager)
    response = Api(manager)("DELETE", f"/projects/OWN/members/{membership.pk}")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# -- the schema ------------------------------------------------------------------------------------


def _registered_operations() -> set[tuple[str, str]]:
    """Every (method, path) the API's routers declare."""
    operations = set()
    _ = api.urls  # builds them: only then are the routers of an api/ package listed
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = "/api/v1/" + "/".join(p.strip("/") for p in (prefix, path) if p.strip("/"))
            for operation in path_view.operations:
                for method in operation.methods:
                    operations.add((method.lower(), full))
    return operations


def test_openapi_lists_every_operation(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    documented = {(method, path) for path, item in schema["paths"].items() for method in item}
    registered = _registered_operations()
    assert len(registered) >= 12
    assert registered == documented
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"


def test_the_manager_shares_the_health_through_the_api(login, project, manager):
    api = login(manager)
    body = {"version": project.version, "share_health": True}
    response = api.patch("/api/v1/projects/OWN", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["share_health"] is True
