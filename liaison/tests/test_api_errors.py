"""The API's error shape holds on every operation and every method: JSON with a
`code`, the status the document names — and a token is never asked for CSRF."""

import json
import re

import pytest
from django.test import Client as HttpClient

from liaison.accounts.services import api_token_create, api_token_revoke
from liaison.api import api
from liaison.core.schemas import Conflict, Invalid
from liaison.requirements.models import Requirement
from liaison.requirements.services import requirement_create, requirement_update

JSON = "application/json"
REQS = "/api/v1/projects/OWN/requirements"


def every_operation() -> list[tuple[str, str]]:
    """(method, path) of every operation, its path parameters filled in."""
    document = api.get_openapi_schema()
    return [
        (method.upper(), re.sub(r"{\w+}", "1", path))
        for path, by_method in document["paths"].items()
        for method in by_method
    ]


@pytest.fixture
def strict() -> HttpClient:
    """A client that, like a browser, is held to CSRF."""
    return HttpClient(enforce_csrf_checks=True, raise_request_exception=False)


@pytest.fixture
def scan(project, manager) -> Requirement:
    return requirement_create(project=project, by=manager, title="Scan pallet labels")


def _call(http, method, path, body=None, **headers):
    data = "" if body is None else json.dumps(body)
    return http.generic(method, path, data=data, content_type=JSON, headers=headers)


@pytest.mark.parametrize("token", ["none", "revoked", "unknown"])
def test_every_operation_answers_401_with_a_code_without_a_valid_token(strict, member, token, db):
    headers = {}
    if token != "none":
        row, secret = api_token_create(by=member, name="old")
        if token == "revoked":
            api_token_revoke(token=row, by=member)
        else:
            secret += "x"
        headers["Authorization"] = f"Bearer {secret}"
    wrong = []
    for method, path in every_operation():
        if path == "/api/v1/auth/token":
            continue  # the one operation without a token: it hands them out
        response = _call(strict, method, path, {}, **headers)
        body = response.json() if response["Content-Type"].startswith(JSON) else {}
        if (response.status_code, body.get("code")) != (401, "unauthenticated"):
            wrong.append(f"{method} {path}: {response.status_code} {body}")
    assert not wrong, "\n".join(wrong)


def test_a_token_needs_no_csrf_token(strict, manager, scan):
    _row, secret = api_token_create(by=manager, name="script")
    bearer = {"Authorization": f"Bearer {secret}"}
    created = _call(strict, "POST", REQS, {"title": "From a script"}, **bearer)
    assert created.status_code == 201
    changed = _call(strict, "PATCH", f"{REQS}/REQ-1", {"version": 1, "title": "New"}, **bearer)
    assert changed.status_code == 200
    assert Requirement.objects.get(pk=scan.pk).title == "New"


def test_a_session_write_still_needs_the_csrf_token(strict, manager, scan):
    strict.force_login(manager)
    refused = _call(strict, "POST", REQS, {"title": "Forged"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert not Requirement.objects.filter(title="Forged").exists()
    assert _call(strict, "GET", REQS).status_code == 200  # reads need none
    strict.get("/")  # any page sets the CSRF cookie
    token = strict.cookies["csrftoken"].value
    created = _call(strict, "POST", REQS, {"title": "Mine"}, **{"X-CSRFToken": token})
    assert created.status_code == 201


def test_a_token_with_a_session_is_judged_by_the_token(strict, manager, member, scan):
    """A revoked token is refused even from a browser that is signed in."""
    row, secret = api_token_create(by=member, name="old")
    api_token_revoke(token=row, by=member)
    strict.force_login(manager)
    response = _call(strict, "GET", REQS, **{"Authorization": f"Bearer {secret}"})
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


@pytest.mark.parametrize(
    ("method", "path"), [("POST", REQS), ("PATCH", f"{REQS}/REQ-1")], ids=["post", "patch"]
)
@pytest.mark.parametrize("body", ['{"title": ', "not json", b"\xff\xfe"], ids=str)
def test_a_body_that_is_not_json_is_400_with_a_code(client, manager, scan, method, path, body):
    _row, secret = api_token_create(by=manager, name="script")
    response = client.generic(
        method, path, data=body, content_type=JSON, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert response.json()["message"]


def test_a_request_the_schema_refuses_is_422_as_documented(client, manager, scan):
    _row, secret = api_token_create(by=manager, name="script")
    response = client.post(
        REQS, {"kind": "nonsense"}, content_type=JSON, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 422
    body = Invalid.model_validate(response.json())
    assert body.code == "invalid"
    assert {tuple(problem.loc[-1:]) for problem in body.errors} >= {("title",), ("kind",)}


def test_a_stale_edit_of_a_list_is_409_with_api_values(client, manager, member, scan):
    """The other person's change comes back as the API writes it: a list stays a
    list, a choice is its code; the label is there for people."""
    requirement_update(
        requirement=scan,
        by=member,
        version=1,
        acceptance_criteria=["Under 1 s", "Works offline"],
        priority="could",
    )
    _row, secret = api_token_create(by=manager, name="script")
    response = client.patch(
        f"{REQS}/REQ-1",
        {"version": 1, "title": "Mine"},
        content_type=JSON,
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 409
    body = Conflict.model_validate(response.json())
    changes = {change.field: change for change in body.changes}
    assert changes["acceptance_criteria"].value == ["Under 1 s", "Works offline"]
    assert changes["priority"].value == "could"
    assert changes["priority"].label == "priority"
    assert changes["priority"].by == str(member)
    assert Requirement.objects.get(pk=scan.pk).title == "Scan pallet labels"
