"""The requirement pages run a fixed number of queries whatever the data size
(docs/architecture.md, How it is checked): each test builds a few rows, counts the queries of one
request, builds many more, and counts again; the counts must be equal and stay
under a ceiling."""

import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.collab.services import comment_create
from liaison.projects.tests.factories import make_teammates
from liaison.requirements.models import Requirement
from liaison.requirements.services import (
    requirement_create,
    requirement_transition,
    requirement_update,
)

SMALL, MORE = 3, 30
DETAIL = "/p/OWN/requirements/REQ-1/"
_serial = itertools.count()


# -- data builders ---------------------------------------------------------------------


def _requirements(project, n: int, *, parent: Requirement | None = None) -> list[Requirement]:
    """n requirements with different owners, parents, tags and statuses; all
    children of `parent` when it is given."""
    made = []
    for index, owner in enumerate(make_teammates(project, n)):
        requirement = requirement_create(
            project=project,
            by=project.manager,
            title=f"Requirement {next(_serial)}",
            owner=owner,
            parent=parent or (made[-1] if index % 3 else None),
            tags=f"tag{index % 4}, common",
            priority=("must", "should", "could")[index % 3],
            client_visible=index % 2 == 0,
        )
        if index % 2:
            requirement_transition(requirement=requirement, by=owner, status="in_review")
        made.append(requirement)
    return made


def _edits(requirement: Requirement, n: int) -> None:
    """n revisions by different people, long text included."""
    for person in make_teammates(requirement.project, n):
        current = Requirement.objects.get(pk=requirement.pk)
        requirement_update(
            requirement=current,
            by=person,
            version=current.version,
            title=f"Title {next(_serial)}",
            body=f"Line one\nLine {next(_serial)}",
        )


def _discussion(requirement: Requirement, n: int) -> None:
    """About n/2 comments (the page shows the latest 30, so the thread stays
    under that), internal and client-visible, by different people, plus n
    edits and n children: all of which the detail page shows."""
    for index, author in enumerate(make_teammates(requirement.project, n // 2 + 1)):
        comment_create(
            target=requirement,
            project=requirement.project,
            by=author,
            body=f"Comment **{index}**",
            client_visible=index % 2 == 0,
        )
    _requirements(requirement.project, n, parent=requirement)
    _edits(requirement, n)


# -- measuring -------------------------------------------------------------------------


def _queries(client, url: str, headers: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _assert_constant(client, url, grow, ceiling, django_assert_max_num_queries, headers=None):
    client.get(url, headers=headers or {})  # warm caches (content types, sessions)
    grow(SMALL)
    small = _queries(client, url, headers)
    grow(MORE)
    with django_assert_max_num_queries(ceiling):
        large = _queries(client, url, headers)
    assert small == large, f"{url}: {small} queries with {SMALL} rows, {large} with more"


def _first(project) -> Requirement:
    return requirement_create(project=project, by=project.manager, title="The first one")


# -- pages -----------------------------------------------------------------------------


def test_requirement_list_queries_are_constant(
    login, manager, project, django_assert_max_num_queries
):
    _assert_constant(
        login(manager),
        "/p/OWN/requirements/",
        lambda n: _requirements(project, n),
        10,
        django_assert_max_num_queries,
    )


def test_requirement_list_htmx_queries_are_constant(
    login, manager, project, django_assert_max_num_queries
):
    _assert_constant(
        login(manager),
        "/p/OWN/requirements/?status=in_review&tag=common&sort=rank",
        lambda n: _requirements(project, n),
        10,
        django_assert_max_num_queries,
        headers={"HX-Request": "true"},
    )


def test_requirement_detail_queries_are_constant(
    login, manager, project, django_assert_max_num_queries
):
    requirement = _first(project)
    _assert_constant(
        login(manager),
        DETAIL,
        lambda n: _discussion(requirement, n),
        12,  # with the glossary's terms, read once for the page's marked text
        django_assert_max_num_queries,
    )


def test_requirement_form_queries_are_constant(
    login, manager, project, django_assert_max_num_queries
):
    _first(project)
    _assert_constant(
        login(manager),
        DETAIL + "edit/",
        lambda n: _requirements(project, n),
        10,
        django_assert_max_num_queries,
    )


def test_priorities_queries_are_constant(login, manager, project, django_assert_max_num_queries):
    _assert_constant(
        login(manager),
        "/p/OWN/requirements/priorities/",
        lambda n: _requirements(project, n),
        8,
        django_assert_max_num_queries,
    )


def test_revisions_queries_are_constant(login, manager, project, django_assert_max_num_queries):
    requirement = _first(project)
    _assert_constant(
        login(manager),
        DETAIL + "revisions/",
        lambda n: _edits(requirement, n),
        10,
        django_assert_max_num_queries,
    )
