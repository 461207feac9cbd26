"""The access matrix (docs/architecture.md, The access model).

Every URL pattern in the resolver and every operation in the OpenAPI schema has
a written expectation: for each role (owner, manager, member, observer, client,
outsider, anonymous, deactivated), against the team's own project "OWN" and
against "FOREIGN", a project of another organization. The rows live with the
app that serves them, in `liaison/<app>/tests/access_rows.py` (the framework:
access_matrix.py beside this module). A URL or operation without an expectation
fails the suite, and so does an expectation whose URL is gone.

The rules:
- a client user gets 404 on every internal page and internal API operation;
- a project the user may not see, and the foreign project for everyone, is 404;
- a role too low for the action is 403;
- anonymous and deactivated users are sent to the sign-in page (302) by pages
  and get 401 from the API;
- portal pages are 404 for anyone who is not a client user of that project.

Each case runs inside a savepoint that is rolled back, so a request that
archives, removes or revokes never changes what the next case sees; so the
world is built once for the module (rolled back at its end), not per row.
"""

import json
import re
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.db import transaction
from django.test import Client as HttpClient
from django.test.utils import override_settings
from django.urls import reverse

from conftest import NOW
from liaison.accounts.models import User
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member
from liaison.tests.access_matrix import (
    FOREIGN,
    LOGIN,
    OWN,
    PROJECTS,
    PUBLIC,
    ROLES,
    Expected,
    Redirect,
    Row,
    World,
    all_rows,
    api_operations,
    build_world,
    page,
    page_names,
    resolve,
    statuses,
)

# The API's own pages (its operations are the apps' ENDPOINTS): liaison/api.py
# mounts them, no app serves them.
WIRING_PAGES = [
    page("api:openapi-json", "GET", PUBLIC, note="the schema holds no data"),
    page("api:openapi-view", "GET", PUBLIC),
    page("api:api-root", "GET", statuses(all=404), note="django-ninja's root answers 404"),
]
PAGES = all_rows("PAGES") + WIRING_PAGES
ENDPOINTS = all_rows("ENDPOINTS")


# -- every URL and operation has its rows --------------------------------------------


def _coverage_problems(table: str, missing: list[str], stale: list[str]) -> str:
    problems = []
    if missing:
        problems.append(
            f"no expectation in {table} (add a row for each to the app's "
            "tests/access_rows.py): " + ", ".join(missing)
        )
    if stale:
        problems.append(f"{table} rows for what no longer exists: " + ", ".join(stale))
    return "\n".join(problems)


def test_every_url_has_an_expectation():
    names = page_names()
    written = {row.target for row in PAGES}
    missing = [f"{name} (/{names[name]})" for name in sorted(set(names) - written)]
    stale = sorted(written - set(names))
    assert not (missing or stale), _coverage_problems("PAGES", missing, stale)


def test_every_api_operation_has_an_expectation():
    operations = api_operations()
    written = {(row.method, row.target) for row in ENDPOINTS}
    missing = [f"{method} {path}" for method, path in sorted(operations - written)]
    stale = [f"{method} {path}" for method, path in sorted(written - operations)]
    assert not (missing or stale), _coverage_problems("ENDPOINTS", missing, stale)


def test_the_table_has_no_duplicate_rows():
    for rows in (PAGES, ENDPOINTS):
        names = [str(row) for row in rows]
        assert len(names) == len(set(names)), "give repeated rows a case"


# -- running the cases ------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """The conftest's people and projects with each app's rows, built once:
    every case and every test below runs in a savepoint rolled back, so each
    meets this world as it was built."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=True),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),  # the attachments the apps write
            WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"],  # a webhook the API may create
        ),
        transaction.atomic(),
    ):
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)


def sign_in(http: HttpClient, user: User | None) -> None:
    """None stays anonymous; a deactivated user keeps an old session, which
    Django must treat as anonymous."""
    if user is None:
        return
    if user.is_active:
        http.force_login(user)
    else:
        user.is_active = True
        http.force_login(user)
        user.is_active = False


def _matches(expected: Expected, response) -> bool:
    if isinstance(expected, Redirect):
        return response.status_code == 302 and response["Location"].startswith(expected.to)
    if expected == 302:  # a success that redirects, never a bounce to the sign-in page
        return response.status_code == 302 and not response["Location"].startswith(LOGIN.to)
    return response.status_code == expected


def _got(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code}→{response['Location']}"
    return str(response.status_code)


def check(row: Row, world: World, request: Callable) -> list[str]:
    """Every role against every project of the row; returns the mismatches."""
    mismatches = []
    for side in row.sides:
        for role in ROLES:
            expected = row.expected(role, side)
            with transaction.atomic():
                response = request(world, side, role)
                transaction.set_rollback(True)
            if not _matches(expected, response):
                mismatches.append(f"{row} {role} {side}: expected {expected} got {_got(response)}")
    return mismatches


def _report(mismatches: list[str]) -> str:
    return f"{len(mismatches)} access mismatches:\n" + "\n".join(mismatches)


@pytest.mark.django_db
@pytest.mark.parametrize("row", PAGES, ids=str)
def test_page_access(row: Row, world: World):
    def request(world: World, side: str, role: str):
        http = HttpClient(raise_request_exception=False)
        sign_in(http, world.users[role])
        url = reverse(row.target, kwargs=resolve(row.kwargs, world, side, role))
        data = resolve(row.data, world, side, role) or {}
        return getattr(http, row.method.lower())(url, data)

    mismatches = check(row, world, request)
    assert not mismatches, _report(mismatches)


@pytest.mark.django_db
@pytest.mark.parametrize("auth", ["session", "token"])
@pytest.mark.parametrize("row", ENDPOINTS, ids=str)
def test_api_access(row: Row, auth: str, world: World):
    def request(world: World, side: str, role: str):
        http = HttpClient(raise_request_exception=False)
        headers = {}
        if auth == "session":
            sign_in(http, world.users[role])
        elif world.secrets[role]:
            headers["Authorization"] = f"Bearer {world.secrets[role]}"
        params = resolve(row.kwargs, world, side, role)
        path = re.sub(r"{(\w+)}", lambda match: str(params[match[1]]), row.target)
        body = resolve(row.data, world, side, role)
        return http.generic(
            row.method,
            path,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers,
        )

    mismatches = check(row, world, request)
    assert not mismatches, _report(mismatches)


# -- ids from another project ------------------------------------------------------


@pytest.mark.django_db
def test_a_membership_of_another_project_is_404_through_an_own_project(world: World):
    """A manager of OWN cannot reach a FOREIGN membership by putting its id
    under OWN's code, neither on the pages nor in the API."""
    http = HttpClient(raise_request_exception=False)
    http.force_login(world.users["manager"])
    foreign_id = world.of["projects"][FOREIGN].membership.pk  # `member`'s in FOREIGN
    for name in ("projects:member-role", "projects:member-remove"):
        url = reverse(name, kwargs={"code": OWN, "membership_id": foreign_id})
        assert http.post(url, {"role": "observer", "version": 1}).status_code == 404, name
    path = f"{PROJECTS}/{OWN}/members/{foreign_id}"
    body = json.dumps({"role": "observer", "version": 1})
    assert http.patch(path, body, content_type="application/json").status_code == 404
    assert http.delete(path).status_code == 404
    assert Membership.objects.filter(pk=foreign_id, role=Membership.Role.MEMBER).exists()


PORTAL_POSTS = [row for row in PAGES if row.target.startswith("portal:") and row.method == "POST"]
# A closed project's pages in the portal: every one read, none offering a form
# that writes (the pages that are a form, asking for something new, are 403).
PORTAL_READS = [
    row
    for row in PAGES
    if row.target.startswith("portal:")
    and row.method == "GET"
    and row.foreign is not None
    and row.expect["client"] == 200
]
POST_FORM = re.compile(rb'<form[^>]*method="post"|hx-post=', re.IGNORECASE)
# Pages that are a form asking for something new: refused like the POST.
ASKING_PAGES = {
    "portal:change-request",
    "portal:issue-raise",
    "portal:message",
    "portal:requirement-request",
}


def _footprint() -> dict[str, tuple[int, int]]:
    """Each liaison model's row count and sum of versions: a write anywhere
    moves one of them."""
    from django.apps import apps
    from django.db.models import Sum

    footprint = {}
    for model in apps.get_models():
        if not model.__module__.startswith("liaison.") or model._meta.proxy:
            continue
        rows = model._default_manager.all()
        names = {field.name for field in model._meta.concrete_fields}
        versions = rows.aggregate(total=Sum("version"))["total"] if "version" in names else 0
        footprint[model._meta.label] = (rows.count(), versions or 0)
    return footprint


@pytest.mark.django_db
def test_an_archived_project_stays_readable_and_refuses_every_portal_post(world: World):
    """Its client reads it (decisions and records); every action the portal
    offers answers 403 with why, and changes nothing."""
    project = world.projects[OWN]
    http = HttpClient(raise_request_exception=False)
    http.force_login(world.users["manager"])
    assert http.post(reverse("projects:archive", kwargs={"code": OWN})).status_code == 302
    http.force_login(world.users["client"])
    assert http.get(reverse("portal:project", kwargs={"code": project.code})).status_code == 200
    before = _footprint()
    refused = []
    for row in PORTAL_POSTS:
        url = reverse(row.target, kwargs=resolve(row.kwargs, world, OWN, "client"))
        response = http.post(url, resolve(row.data, world, OWN, "client") or {})
        if response.status_code != 403 or b"This project is closed" not in response.content:
            refused.append(f"{row}: {response.status_code}")
    assert PORTAL_POSTS and not refused, refused
    after = _footprint()
    assert after == before, {
        label: (before[label], after[label]) for label in after if after[label] != before[label]
    }


@pytest.mark.django_db
def test_an_archived_project_s_portal_pages_render_and_offer_no_action(world: World):
    """Every portal page the client reads on an open project still renders
    once it is archived, and none shows a form that would write."""
    http = HttpClient(raise_request_exception=False)
    http.force_login(world.users["manager"])
    assert http.post(reverse("projects:archive", kwargs={"code": OWN})).status_code == 302
    http.force_login(world.users["client"])
    problems = []
    for row in PORTAL_READS:
        url = reverse(row.target, kwargs=resolve(row.kwargs, world, OWN, "client"))
        response = http.get(url)
        if row.target in ASKING_PAGES:
            if response.status_code != 403 or b"This project is closed" not in response.content:
                problems.append(f"{row}: {response.status_code}, not refused")
        elif response.status_code != 200:
            problems.append(f"{row}: {response.status_code}")
        elif response["Content-Type"].startswith("text/html") and POST_FORM.search(
            response.content.split(b"<main", 1)[-1]
        ):
            problems.append(f"{row}: a form that writes")
    assert PORTAL_READS and not problems, problems


@pytest.mark.django_db
def test_a_staff_member_who_is_also_a_client_contact_gets_no_portal(world: World):
    """A person of the delivery firm listed as a client contact stays internal."""
    staff = make_member(
        world.projects[OWN], "both@test.example", role=Membership.Role.CLIENT, org=world.orgs[OWN]
    )
    http = HttpClient(raise_request_exception=False)
    http.force_login(staff)
    assert http.get(reverse("portal:project", kwargs={"code": OWN})).status_code == 404
    assert http.get(reverse("home:overview", kwargs={"code": OWN})).status_code == 404
    assert http.get(reverse("portal:home")).status_code == 404
