"""The API's contract as its OpenAPI document states it: schema names that never
collide, every operation's error answers documented, one pagination shape, decimals
served as documented, and a client generated from the document without a warning."""

import json
import re
import subprocess
import sys
import typing
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from pydantic import BaseModel

from liaison.api import api

URL = "/api/v1/openapi.json"


@pytest.fixture(scope="module")
def document() -> dict:
    """The document as clients read it: JSON, so statuses are strings."""
    return json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))


def operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, by_method in document["paths"].items()
        for method, operation in by_method.items()
    ]


# -- schema names -------------------------------------------------------------------------


def _models_in(annotation) -> list[type[BaseModel]]:
    """The pydantic models an annotation names, through unions, lists and dicts."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for argument in typing.get_args(annotation):
        found += _models_in(argument)
    return found


def _walk(model: type[BaseModel], seen: dict[type, None]) -> None:
    if model in seen:
        return
    seen[model] = None
    for field in model.model_fields.values():
        for inner in _models_in(field.annotation):
            _walk(inner, seen)


def every_router() -> list:
    """The API's routers, those of an app's api/ package included: django-ninja
    lists the nested ones only once it has built the API's URLs."""
    _ = api.urls  # builds them (once)
    return [router for _prefix, router in api._routers]


def schemas_used_by_operations() -> list[type[BaseModel]]:
    """Every schema class an operation reads or answers with, nested ones included
    (django-ninja's own wrappers around the parameters and the answers left out)."""
    seen: dict[type, None] = {}
    for router in every_router():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                wrappers = [*operation.models, *operation.response_models.values()]
                for wrapper in wrappers:
                    if not isinstance(wrapper, type):  # None (204) or NOT_SET
                        continue
                    for field in wrapper.model_fields.values():
                        for model in _models_in(field.annotation):
                            _walk(model, seen)
    return list(seen)


def test_the_walk_finds_nested_schemas():
    names = {model.__name__ for model in schemas_used_by_operations()}
    assert {"RequirementOut", "UserRef", "ConflictChange", "ValidationProblem"} <= names
    assert {"TaskOut", "GanttRowOut", "InteractionOut", "MarkReadOut"} <= names  # api/ packages


def test_no_two_schemas_share_a_name():
    """The document keeps one schema per name: two classes called alike would make
    one of them vanish from every generated client."""
    by_name: dict[str, list[type]] = {}
    for model in schemas_used_by_operations():
        by_name.setdefault(model.__name__, []).append(model)
    clashes = {
        name: [f"{model.__module__}.{model.__qualname__}" for model in models_]
        for name, models_ in by_name.items()
        if len(models_) > 1
    }
    assert not clashes, f"rename one of each: {clashes}"


def test_the_two_transitions_are_both_in_the_document(document):
    schemas = document["components"]["schemas"]
    assert "status" in schemas["RequirementTransitionIn"]["properties"]
    assert "comment" in schemas["ChangeTransitionIn"]["properties"]


def test_an_operation_id_names_the_apps_api_and_the_function(document):
    """Whether an app keeps its operations in api.py or in an api/ package, the id
    is liaison_<app>_api_<function>: splitting a module renames nothing a
    generated client calls."""
    ids = {
        (method, path): operation["operationId"] for method, path, operation in operations(document)
    }
    assert ids[("GET", "/api/v1/projects/{code}/tasks")] == "liaison_planning_api_task_list"
    assert ids[("POST", "/api/v1/notifications/read")] == (
        "liaison_communication_api_notifications_read"
    )
    assert ids[("GET", "/api/v1/me")] == "liaison_projects_api_me"
    assert all(re.fullmatch(r"liaison_[a-z]+_api_[a-z_]+", id_) for id_ in ids.values())
    assert len(set(ids.values())) == len(ids)


# -- error answers --------------------------------------------------------------------------


def _response_schema(operation: dict, status: int) -> str:
    content = operation["responses"][str(status)].get("content", {})
    return content.get("application/json", {}).get("schema", {}).get("$ref", "")


def _takes_a_version(document: dict, operation: dict) -> bool:
    if any(parameter["name"] == "version" for parameter in operation.get("parameters", [])):
        return True
    ref = _request_schema(operation)
    if not ref:
        return False
    properties = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    return "version" in properties


def _request_schema(operation: dict) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema", {}).get("$ref", "")


# Writes any signed-in person may make (their own token, their own inbox).
OPEN_WRITES = {("POST", "/api/v1/auth/token"), ("POST", "/api/v1/notifications/read")}


def expected_errors(document: dict, method: str, path: str, operation: dict) -> dict[int, str]:
    """The error statuses an operation must document, with the schema each answers."""
    expected = {401: "Error"}
    if operation.get("parameters") or "requestBody" in operation:
        expected[422] = "Invalid"
        expected[400] = "Error"  # a value no column can hold (core.schemas.refuse_unstorable)
    if "{" in path:
        expected[404] = "Error"
    if "requestBody" in operation:
        expected[400] = "Error"  # and a body that is not JSON
    if method != "GET" and (method, path) not in OPEN_WRITES:
        expected[403] = "Error"
    if _takes_a_version(document, operation):
        expected[409] = "Conflict"
    return expected


def test_every_operation_documents_its_errors(document):
    problems = []
    for method, path, operation in operations(document):
        for status, schema in expected_errors(document, method, path, operation).items():
            if str(status) not in operation["responses"]:
                problems.append(f"{method} {path}: no {status}")
            elif not _response_schema(operation, status).endswith("/" + schema):
                problems.append(f"{method} {path}: {status} is not {schema}")
    assert not problems, "\n".join(problems)


def test_the_error_schemas_carry_a_code(document):
    schemas = document["components"]["schemas"]
    for name in ("Error", "Invalid", "Conflict"):
        assert {"code", "message"} <= set(schemas[name]["required"]), name
    problem = schemas["ValidationProblem"]["properties"]
    assert {"loc", "msg", "type"} <= set(problem)


def test_the_conflict_values_accept_lists_and_objects(document):
    value = document["components"]["schemas"]["ConflictChange"]["properties"]["value"]
    types_ = {option.get("type") for option in value["anyOf"]}
    assert {"string", "integer", "number", "boolean", "array", "object", "null"} <= types_


# -- pagination -----------------------------------------------------------------------------


def _schema(document: dict, ref: str) -> dict:
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_list_answers_one_page_shape(document):
    """A list is {items, count} and takes limit and offset, whichever app it is from."""
    lists = 0
    problems = []
    for method, path, operation in operations(document):
        answer = operation["responses"].get("200", {}).get("content", {})
        schema = answer.get("application/json", {}).get("schema", {})
        if schema.get("type") == "array":
            problems.append(f"{method} {path}: a bare array, not a page")
            continue
        if not schema.get("$ref"):
            continue
        properties = _schema(document, schema["$ref"]).get("properties", {})
        if properties.get("items", {}).get("type") != "array":
            continue
        lists += 1
        params = {parameter["name"] for parameter in operation.get("parameters", [])}
        if set(properties) != {"items", "count"} or not {"limit", "offset"} <= params:
            problems.append(f"{method} {path}: {sorted(properties)} with {sorted(params)}")
        if params & {"page", "page_size"}:
            problems.append(f"{method} {path}: page numbers besides limit/offset")
    assert lists >= 13, "the walk must find the lists"
    assert not problems, "\n".join(problems)


# -- decimals -------------------------------------------------------------------------------


def _holds(annotation, kind: type) -> bool:
    if annotation is kind:
        return True
    return any(_holds(argument, kind) for argument in typing.get_args(annotation))


# A value read from the audit log or a frozen diff: whatever JSON held.
ANY_JSON = {("ConflictChange", "value"), ("FieldChangeOut", "old"), ("FieldChangeOut", "new")}


def test_fractions_are_decimals_in_every_schema():
    """Hours and money are Decimal in the models and served as strings: a schema
    with a float would answer 7.5 where another answers "7.5"."""
    used = schemas_used_by_operations()
    problems = [
        f"{model.__name__}.{name}"
        for model in used
        for name, field in model.model_fields.items()
        if _holds(field.annotation, float) and (model.__name__, name) not in ANY_JSON
    ]
    assert not problems, "declare these as Decimal: " + ", ".join(problems)
    decimals = {
        name
        for model in used
        for name, field in model.model_fields.items()
        if _holds(field.annotation, Decimal)
    }
    assert {"estimate_hours", "effort_hours", "cost"} <= decimals


def test_decimals_are_documented_as_strings(document):
    for name in ("TaskOut", "ChangeOut", "ImpactOut"):
        properties = document["components"]["schemas"][name]["properties"]
        for field in ("estimate_hours", "effort_hours", "cost"):
            if field in properties:
                options = {option.get("type") for option in properties[field]["anyOf"]}
                assert options == {"string", "null"}, f"{name}.{field}"


# -- a generated client ---------------------------------------------------------------------


def test_a_client_generates_from_the_document_without_a_warning(client, tmp_path):
    """What a user of the API does first: generate a client. openapi-python-client
    warns (and leaves pieces out) on a schema it cannot use."""
    response = client.get(URL)
    assert response.status_code == 200
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(response.json()))
    config = tmp_path / "config.yml"
    config.write_text("post_hooks: []\n")  # no formatter run: the document is under test
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(path),
            "--output-path",
            str(tmp_path / "client"),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert not re.search(r"warning|error", output, re.IGNORECASE), output
    models_ = {path.stem for path in (tmp_path / "client").glob("*/models/*.py")}
    assert {"requirement_transition_in", "change_transition_in", "conflict_change"} <= models_
