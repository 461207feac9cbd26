"""The export, the import's pages and the API lists run a fixed number of
queries whatever the data size (docs/architecture.md, How it is checked): counted with a
few rows, then with many more; the counts must be equal and stay under a ceiling."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.accounts.services import api_token_create
from liaison.projects.tests.factories import make_teammates
from liaison.requirements.models import ImportJob
from liaison.requirements.services import (
    baseline_propose,
    requirement_create,
    requirement_transition,
)

SMALL, MORE = 3, 30
_serial = itertools.count()


def _requirements(project, n: int) -> None:
    """n agreed requirements with different owners and parents, some internal."""
    parent = None
    for index, owner in enumerate(make_teammates(project, n)):
        requirement = requirement_create(
            project=project,
            by=project.manager,
            title=f"Requirement {next(_serial)}",
            owner=owner,
            parent=parent if index % 2 else None,
            tags=f"tag{index % 3}",
            client_visible=index % 4 != 0,
            acceptance_criteria=["One", "Two"],
        )
        for status in ("in_review", "confirmed"):
            requirement = requirement_transition(requirement=requirement, by=owner, status=status)
        parent = requirement


def _with_baseline(project, n: int) -> None:
    _requirements(project, n)
    baseline_propose(project=project, by=project.manager, title=f"Scope {next(_serial)}")


def _count(client, url: str, headers: dict) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _assert_constant(client, url, grow, ceiling, django_assert_max_num_queries, headers=None):
    headers = headers or {}
    client.get(url, headers=headers)  # warm caches (content types, token use)
    grow(SMALL)
    small = _count(client, url, headers)
    grow(MORE)
    with django_assert_max_num_queries(ceiling):
        large = _count(client, url, headers)
    assert small == large, f"{url}: {small} queries with {SMALL} rows, {large} with more"


@pytest.fixture
def bearer(manager) -> dict:
    _, secret = api_token_create(by=manager, name="queries")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_queries_are_constant(login, manager, project, fmt, django_assert_max_num_queries):
    _assert_constant(
        login(manager),
        f"/p/OWN/requirements/export.{fmt}",
        lambda n: _requirements(project, n),
        7,
        django_assert_max_num_queries,
    )


def test_import_status_queries_are_fixed(login, manager, project, django_assert_max_num_queries):
    job = ImportJob.objects.create(
        project=project,
        by=manager,
        file="imports/x.xlsx",
        status=ImportJob.Status.FAILED,
        errors=[
            {"row": n, "column": "Title", "problem": "A title is required."} for n in range(500)
        ],
    )
    http, url = login(manager), f"/p/OWN/requirements/import/{job.pk}/"
    http.get(url)  # warm caches
    with django_assert_max_num_queries(8):
        _count(http, url, {})


def test_api_requirement_list_queries_are_constant(
    client, bearer, project, django_assert_max_num_queries
):
    _assert_constant(
        client,
        "/api/v1/projects/OWN/requirements",
        lambda n: _requirements(project, n),
        7,
        django_assert_max_num_queries,
        headers=bearer,
    )


def test_api_baseline_list_queries_are_constant(
    client, bearer, project, django_assert_max_num_queries
):
    _assert_constant(
        client,
        "/api/v1/projects/OWN/baselines",
        lambda n: _with_baseline(project, n),
        7,
        django_assert_max_num_queries,
        headers=bearer,
    )
