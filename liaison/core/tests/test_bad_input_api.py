"""Input the API accepts as JSON but no database can store: every write
operation in the OpenAPI schema, every field, one bad value of the field's type
at a time. Each answers 400 or 422 with a `code`, never 500, on SQLite and on
PostgreSQL; nothing is saved."""

import json
import re

import pytest
from django.db import transaction

from liaison.api import api as ninja_api
from liaison.core.tests.bad_input_world import build_world

WRITE_METHODS = ("post", "patch", "put")
# Refused everywhere: a NUL character (PostgreSQL cannot store one), integers
# past a 32-bit column, time-zone offsets no place on Earth has.
NUL_TEXT = "Scan\x00labels"
BAD_INTEGERS = (2**31, 2**63, 2**64, -(2**63) - 1)
BAD_NUMBERS = (10**20, 1e300, -1e300)  # past any DecimalField's digits
BAD_DATETIMES = ("2027-01-04T10:00:00+20:45", "2027-01-04T10:00:00-18:30")


def _schema() -> dict:
    return ninja_api.get_openapi_schema()


def _resolve(node: dict, components: dict) -> dict:
    while "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in node:  # `X | None`: the X
        node = next(option for option in node["anyOf"] if option.get("type") != "null")
        return _resolve(node, components)
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(node["allOf"][0], components)
    return node


def _example(node: dict, components: dict, name: str = ""):
    """A plausible value of the schema: what a careful client would send."""
    node = _resolve(node, components)
    if "enum" in node:
        return node["enum"][0]
    if "const" in node:
        return node["const"]
    kind = node.get("type")
    if kind == "string":
        return {"date": "2027-01-04", "date-time": "2027-01-04T10:00:00Z"}.get(
            node.get("format", ""), "Text"
        )
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {
            prop: _example(sub, components, prop)
            for prop, sub in node.get("properties", {}).items()
            if prop in node.get("required", ())
        }
    return None


def _bad_values(node: dict, components: dict) -> list[tuple[str, object]]:
    """(label, value) pairs that the field's type allows but no row can hold."""
    node = _resolve(node, components)
    if "enum" in node or "const" in node:
        return [("nul", NUL_TEXT)]
    kind = node.get("type")
    if kind == "string" and node.get("format") == "date-time":
        return [(f"offset {value[-6:]}", value) for value in BAD_DATETIMES]
    if kind == "string" and node.get("format") == "date":
        return []
    if kind == "string":
        return [("nul", NUL_TEXT)]
    if kind == "integer":
        return [(f"int {value}", value) for value in BAD_INTEGERS]
    if kind == "number":
        return [(f"number {value}", value) for value in BAD_NUMBERS]
    if kind == "array":
        item = _resolve(node.get("items", {}), components)
        found = [(f"[{label}]", [value]) for label, value in _bad_values(item, components)]
        if item.get("type") == "object":
            found.append(("[{}]", [{}]))
        return found
    if kind == "object":
        found = [("{}", {})]
        for prop, sub in node.get("properties", {}).items():
            base = _example(node, components)
            for label, value in _bad_values(sub, components):
                found.append((f"{{{prop}: {label}}}", {**base, prop: value}))
        return found
    return []


def write_operations() -> list[tuple[str, str, str]]:
    """(method, path, schema name) of every JSON write."""
    found = []
    for path, operations in _schema()["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if method in WRITE_METHODS and body:
                found.append((method, path, body["schema"]["$ref"].rsplit("/", 1)[1]))
    return found


def _operation_params() -> list:
    return [
        pytest.param(method, path, name, id=f"{method} {path}")
        for method, path, name in write_operations()
    ]


PATH_VALUES = {
    "code": lambda world: "OWN",
    "key": None,  # by the collection, below
    "number": lambda world: "1",
    "member_id": lambda world: str(world.membership_id),
    "dependency_id": lambda world: str(world.dependency_id),
    "item_id": lambda world: str(world.plan_item_id),
    "webhook_id": lambda world: str(world.webhook_id),
    "standard_id": lambda world: str(world.standard_id),
    "entry_id": lambda world: str(world.entry_id),
    "timesheet_id": lambda world: str(world.timesheet_id),
    "user_id": lambda world: str(world.member_user_id),
    "term_id": lambda world: str(world.term_id),
    "folder_id": lambda world: str(world.folder_id),
    "review_id": lambda world: str(world.review_id),
}
KEYS = {
    "requirements": "REQ-1",
    "milestones": "M-1",
    "tasks": "T-1",
    "interactions": "COM-1",
    "action-items": "ACT-1",
    "changes": "CR-1",
    "risks": "RISK-1",
    "issues": "ISS-1",
    "uat-rounds": "UAT-1",
    "expenses": "EXP-1",
    "documents": "DOC-1",
}
# The client's own operations (the team gets 404 there).
CLIENT_PATHS = {
    "/api/v1/projects/{code}/uat-rounds/{key}/results",
    "/api/v1/projects/{code}/document-reviews/{review_id}/decision",
}
# The organization's owners' and admins' (a person's working week and time off).
OWNER_PATHS = {"/api/v1/people/{user_id}/capacity", "/api/v1/people/{user_id}/time-off"}


def _url(path: str, world) -> str:
    def value(match: re.Match) -> str:
        name = match[1]
        if name == "key":
            collection = path[: match.start()].rstrip("/").rsplit("/", 1)[1]
            return KEYS[collection]
        return PATH_VALUES[name](world)

    return re.sub(r"{(\w+)}", value, path)


@pytest.fixture
def world(project, manager, client_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the documents' files
    return build_world(project, manager, client_user)


def _current_version(client, url: str) -> int:
    """The version a careful client would send: the one it just read."""
    response = client.get(url)
    if response.status_code == 200 and "version" in response.json():
        return response.json()["version"]
    return 1


@pytest.mark.parametrize(("method", "path", "schema"), _operation_params())
def test_a_value_no_row_can_hold_is_refused_with_a_code(
    login, owner, manager, client_user, world, method, path, schema
):
    components = _schema()["components"]["schemas"]
    who = client_user if path in CLIENT_PATHS else owner if path in OWNER_PATHS else manager
    client = login(who)
    client.raise_request_exception = False
    url = _url(path, world)
    base = _example(components[schema], components)
    if "version" in components[schema].get("properties", {}):
        base["version"] = _current_version(client, url)
    wrong = []
    for field, sub in components[schema].get("properties", {}).items():
        for label, value in _bad_values(sub, components):
            body = json.dumps({**base, field: value})
            with transaction.atomic():
                response = getattr(client, method)(url, body, content_type="application/json")
                transaction.set_rollback(True)
            if response.status_code not in (400, 422) or not response.json().get("code"):
                wrong.append(f"{field}={label}: {response.status_code} {response.content[:300]}")
    assert not wrong, "\n".join(wrong)
