"""The API fuzzed against its own OpenAPI document (schemathesis, in-process).

Every operation of /api/v1/openapi.json is called with cases schemathesis
generates from the document, as each role that holds a token and is not the
owner: manager, member, observer, client and outsider (the access matrix beside
this module decides who may do what; here every answer, allowed or not, must
keep the contract). Each answer must be:

- no server error (5xx);
- a status the operation documents;
- a body that matches the schema documented for that status.

Three cases in four call the team's own project and its objects (the path
parameters of the operation's first access-matrix row), so the fuzz gets past
the 404; a third of those send what the schema refuses (schemathesis's negative
mode). The rest fuzz the path too. The world is the access matrix's, built once
for the module (`build_world`); each test and each call runs in a savepoint
that is rolled back, so every case sees the same small world.

`make test` runs EXAMPLES_PER_ROLE cases per operation and role, derandomized
(the same cases on every run); `make fuzz` sets LIAISON_FUZZ_EXAMPLES to many
more, with a random seed. Hypothesis keeps no database (nothing is written to
the checkout).
"""

import json
import os
from collections.abc import Iterator

import pytest
import schemathesis
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test.utils import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import ServerError
from schemathesis.openapi.checks import JsonSchemaError, UndefinedStatusCode

from conftest import NOW
from liaison.api import api
from liaison.projects import access
from liaison.tests.access_matrix import (
    OWN,
    World,
    all_rows,
    api_operations,
    build_world,
    resolve,
)

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/openapi.json"
ROLES = ("manager", "member", "observer", "client", "outsider")
FUZZ_EXAMPLES = os.environ.get("LIAISON_FUZZ_EXAMPLES")
EXAMPLES_PER_ROLE = int(FUZZ_EXAMPLES or 10)  # 5 roles: 50 cases per operation
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
HYPOTHESIS = settings(
    max_examples=EXAMPLES_PER_ROLE,
    database=None,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    print_blob=False,
)
OPERATIONS = sorted(api_operations(), key=lambda operation: (operation[1], operation[0]))

# Narrow, named exclusions: (method, path) → why. Empty is the goal.
KNOWN: dict[tuple[str, str], str] = {}


@pytest.fixture
def wsgi_app():
    """Django as a server runs it, but in the test's thread and transaction: a
    real server closes the database connection at the end of each request,
    which would end the test's transaction, so that is switched off here (as
    Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """The conftest's people and projects with each app's access rows, built
    once for the module's eight tests, not once per test (about a second of
    CPU each), and rolled back at its end."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=True),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"],
        ),
        transaction.atomic(),
    ):
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def schema(wsgi_app, world):
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app)


def real_path_parameters(method: str, path: str, world: World, role: str) -> dict | None:
    """The path parameters of the operation's first project-bound access-matrix
    row, against the team's own project: objects that exist."""
    for row in all_rows("ENDPOINTS"):
        if (row.method, row.target) == (method, path) and row.foreign is not None:
            return resolve(row.kwargs, world, OWN, role)
    return None


def cases(operation, real: dict | None):
    """Half the cases valid on real objects, a quarter invalid on real objects
    (a query or body the schema refuses), a quarter fuzzed through and
    through, path included."""
    fuzzed = operation.as_strategy()
    if not real:
        return st.one_of(fuzzed, fuzzed, operation.as_strategy(GenerationMode.NEGATIVE))
    names = {parameter.name for parameter in operation.path_parameters}
    path = {name: value for name, value in real.items() if name in names}
    on_real = operation.as_strategy(path_parameters=path)
    invalid = operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=path)
    return st.one_of(on_real, on_real, invalid, fuzzed)


def fuzz(strategy, headers: dict[str, str]) -> None:
    """Hypothesis's run of one operation as one role: each case in a savepoint
    rolled back, each answer checked."""

    @HYPOTHESIS
    @given(case=strategy)
    def run(case):
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.mark.parametrize("role", ROLES)
def test_api_fuzz(role: str, schema, world: World):
    """Every operation as `role`; the failures of all operations are reported
    together, each with the case that shows it."""
    headers = {"Authorization": f"Bearer {world.secrets[role]}"}
    failures = []
    for method, path in OPERATIONS:
        if (method, path) in KNOWN:
            continue
        operation = schema[path][method]
        try:
            fuzz(cases(operation, real_path_parameters(method, path, world, role)), headers)
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis: a FailureGroup
            failures.append(f"{method} {path} as the {role}:\n{failure}")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)


# -- the fuzz fails when it should ----------------------------------------------------

DETAIL = "/api/v1/projects/{code}"


def _one_operation(wsgi_app, doctor=None):
    document = json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
    if doctor:
        doctor(document)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = wsgi_app
    return schema[DETAIL]["GET"]


def test_the_fuzz_fails_on_an_undocumented_status(wsgi_app, world):
    def forget_404(document):
        del document["paths"][DETAIL]["get"]["responses"]["404"]

    operation = _one_operation(wsgi_app, forget_404)
    outsider = {"Authorization": f"Bearer {world.secrets['outsider']}"}
    with pytest.raises(BaseExceptionGroup) as failed:
        fuzz(cases(operation, {"code": world.projects[OWN].code}), outsider)
    assert failed.group_contains(UndefinedStatusCode)


def test_the_fuzz_fails_on_a_body_the_schema_does_not_allow(wsgi_app, world):
    def code_as_a_number(document):
        document["components"]["schemas"]["ProjectOut"]["properties"]["code"] = {"type": "integer"}

    operation = _one_operation(wsgi_app, code_as_a_number)
    manager = {"Authorization": f"Bearer {world.secrets['manager']}"}
    with pytest.raises(BaseExceptionGroup) as failed:
        fuzz(operation.as_strategy(path_parameters={"code": world.projects[OWN].code}), manager)
    assert failed.group_contains(JsonSchemaError)


def test_the_fuzz_fails_on_a_server_error(wsgi_app, world, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(access, "get_project_for", boom)
    operation = _one_operation(wsgi_app)
    manager = {"Authorization": f"Bearer {world.secrets['manager']}"}
    with pytest.raises(BaseExceptionGroup) as failed:
        fuzz(operation.as_strategy(path_parameters={"code": world.projects[OWN].code}), manager)
    assert failed.group_contains(ServerError)
