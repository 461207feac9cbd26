"""Every list page and list endpoint runs a fixed number of queries whatever
the data size (docs/architecture.md, How it is checked). Each test builds a few rows, counts the
queries of one request, builds many more rows, and counts again: the two counts
must be equal (no N+1) and stay under a fixed ceiling."""

import datetime
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.accounts.models import Client
from liaison.accounts.services import api_token_create
from liaison.accounts.tests.factories import make_people
from liaison.collab.models import Notification
from liaison.collab.services import comment_create
from liaison.communication.models import ActionItem
from liaison.projects import services
from liaison.projects.member_services import membership_change_role
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_project, make_teammates

SMALL, MORE = 3, 30
_serial = itertools.count()


# -- data builders: each adds n rows of what the page lists ----------------------------


def _projects(org, viewer, n: int, **fields) -> list[Project]:
    """n projects the viewer manages, with different managers of record, clients
    and teammates, in a mix of states the dashboard cares about (late, ending
    soon, not started)."""
    today = timezone.localdate()
    states = [
        {"status": "active", "end_date": today - datetime.timedelta(days=3)},
        {"status": "on_hold", "end_date": today + datetime.timedelta(days=5)},
        {"status": "proposed", "start_date": today - datetime.timedelta(days=2)},
        {"status": "active", "end_date": today + datetime.timedelta(days=60)},
    ]
    projects = []
    for index, teammate in enumerate(make_people(n, org=org)):
        code = f"Q{next(_serial):04d}"
        state = {**states[index % len(states)], **fields}
        if index % 2:
            project = make_project(org, teammate, code, **state)
            Membership.objects.create(project=project, user=viewer, role=Membership.Role.MANAGER)
        else:
            project = make_project(org, viewer, code, **state)
            Membership.objects.create(project=project, user=teammate, role=Membership.Role.MEMBER)
        projects.append(project)
    return projects


def _members(project, n: int) -> None:
    """n people on the project: team members, observers and client contacts."""
    staff = make_people(n - n // 3, org=project.organization)
    for index, user in enumerate(staff):
        role = Membership.Role.MEMBER if index % 2 else Membership.Role.OBSERVER
        Membership.objects.create(project=project, user=user, role=role)
    for user in make_people(n // 3):
        Membership.objects.create(project=project, user=user, role=Membership.Role.CLIENT)


def _comments(project, n: int) -> None:
    """n comments by different authors, internal and client-visible."""
    for index, author in enumerate(make_teammates(project, n)):
        comment_create(
            target=project,
            project=project,
            by=author,
            body=f"Comment **{index}**",
            client_visible=index % 2 == 0,
        )


def _activity(project, manager, n: int) -> None:
    """n audit rows of different kinds, by different people, with diffs."""
    _members(project, n // 2 + 1)
    editors = list(Membership.objects.filter(project=project, role=Membership.Role.MEMBER))
    for index in range(n // 2):
        fresh = Project.objects.get(pk=project.pk)
        services.project_update(
            project=fresh, by=manager, version=fresh.version, name=f"Name {next(_serial)}"
        )
        if index < len(editors):
            membership = Membership.objects.get(pk=editors[index].pk)
            membership_change_role(
                membership=membership, by=manager, version=membership.version, role="observer"
            )
    _comments(project, n - n // 2)


def _notifications(user, project, n: int) -> None:
    """n notifications from different people about different projects, some read."""
    actors = make_people(n, org=project.organization)
    others = _projects(project.organization, project.manager, n // 2)
    for index, actor in enumerate(actors):
        Notification.objects.create(
            recipient=user,
            actor=actor,
            project=others[index // 2] if index % 2 else project,
            event="comment",
            text=f"Notification {index}",
            url=f"/p/{project.code}/" if index % 3 else "",
            read_at=timezone.now() if index % 4 == 0 else None,
        )


def _portal_projects(client_user, org, manager, n: int) -> None:
    for project in _projects(org, manager, n):
        Membership.objects.create(project=project, user=client_user, role=Membership.Role.CLIENT)


def _clients(org, manager, n: int) -> None:
    for index in range(n):
        client = Client.objects.create(
            organization=org, name=f"Customer {next(_serial)}", contacts="Li\nWang"
        )
        if index % 2:
            make_project(org, manager, f"C{next(_serial):04d}", client=client)


# -- measuring -------------------------------------------------------------------------------


def _queries(client, url: str, headers: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _assert_constant(client, url, grow, ceiling, django_assert_max_num_queries, headers=None):
    """Counts at two data sizes must be equal and under the ceiling."""
    client.get(url, headers=headers or {})  # warm caches (content types, token use)
    grow(SMALL)
    small = _queries(client, url, headers)
    grow(MORE)
    with django_assert_max_num_queries(ceiling):
        large = _queries(client, url, headers)
    assert small == large, f"{url}: {small} queries with {SMALL} rows, {large} with more"


# -- pages ---------------------------------------------------------------------------------


def test_dashboard_queries_are_constant(login, manager, org, django_assert_max_num_queries):
    project = make_project(org, manager, "HOME", status="active")

    def grow(n):
        _projects(org, manager, n)
        _notifications(manager, project, n)

    _assert_constant(login(manager), "/", grow, 13, django_assert_max_num_queries)


def test_project_list_queries_are_constant(login, manager, org, django_assert_max_num_queries):
    _assert_constant(
        login(manager),
        "/projects/",
        lambda n: _projects(org, manager, n),
        14,
        django_assert_max_num_queries,
    )


def test_project_list_htmx_queries_are_constant(login, manager, org, django_assert_max_num_queries):
    _assert_constant(
        login(manager),
        "/projects/?status=active&q=Q",
        lambda n: _projects(org, manager, n),
        12,
        django_assert_max_num_queries,
        headers={"HX-Request": "true"},
    )


def test_project_overview_queries_are_constant(
    login, manager, project, django_assert_max_num_queries
):
    def grow(n):
        _members(project, n)
        _activity(project, manager, n)

    # 12, and one each for the change requests' counts and the latest report; two
    # for the quality card's last check and last acceptance-test round; one for the
    # budget (the cost card reads no more without one); two for the documents card
    # (the documents changed last, the reviews waiting for the client)
    _assert_constant(login(manager), "/p/OWN/", grow, 19, django_assert_max_num_queries)


def test_project_members_queries_are_constant(
    login, manager, project, django_assert_max_num_queries
):
    _assert_constant(
        login(manager),
        "/p/OWN/members/",
        lambda n: _members(project, n),
        10,
        django_assert_max_num_queries,
    )


def test_project_activity_queries_are_constant(
    login, manager, project, django_assert_max_num_queries
):
    _assert_constant(
        login(manager),
        "/p/OWN/activity/",
        lambda n: _activity(project, manager, n),
        11,
        django_assert_max_num_queries,
    )


def test_notifications_queries_are_constant(login, manager, project, django_assert_max_num_queries):
    _assert_constant(
        login(manager),
        "/notifications/",
        lambda n: _notifications(manager, project, n),
        10,
        django_assert_max_num_queries,
    )


def test_portal_home_queries_are_constant(
    login, client_user, org, manager, django_assert_max_num_queries
):
    _assert_constant(
        login(client_user),
        "/portal/",
        lambda n: _portal_projects(client_user, org, manager, n),
        14,  # one query per kind of decision: baselines, milestones, changes, reports, the
        # document versions to review, the resolutions of issues to verify, the disputes'
        # outcomes to confirm and the acceptance-test rounds to run; and the closed projects
        django_assert_max_num_queries,
    )


def test_portal_project_queries_are_constant(
    login, client_user, project, django_assert_max_num_queries
):
    def grow(n):
        _comments(project, n)
        first = ActionItem.objects.count() + 1
        ActionItem.objects.bulk_create(  # the client's own open items are listed too
            ActionItem(
                project=project,
                key=f"ACT-{first + i}",
                title="Send the floor plans",
                owner=client_user,
                client_visible=True,
            )
            for i in range(n)
        )

    # 13, one for the acceptance-test rounds waiting for the client, one for the
    # budget's summary (whether there is a budget shared), and the overview's own:
    # the progress and the next milestone, the latest report, the client's issues,
    # the communication plan, the visit (two), what changed since, the contacts
    _assert_constant(login(client_user), "/portal/p/OWN/", grow, 25, django_assert_max_num_queries)


def test_client_list_queries_are_constant(login, manager, org, django_assert_max_num_queries):
    _assert_constant(
        login(manager),
        "/accounts/clients/",
        lambda n: _clients(org, manager, n),
        10,
        django_assert_max_num_queries,
    )


# -- endpoints -------------------------------------------------------------------------------


def _bearer(user) -> dict:
    _, secret = api_token_create(by=user, name="queries")
    return {"Authorization": f"Bearer {secret}"}


def test_api_project_list_queries_are_constant(client, manager, org, django_assert_max_num_queries):
    _assert_constant(
        client,
        "/api/v1/projects",
        lambda n: _projects(org, manager, n),
        6,
        django_assert_max_num_queries,
        headers=_bearer(manager),
    )


def test_api_member_list_queries_are_constant(
    client, manager, project, django_assert_max_num_queries
):
    _assert_constant(
        client,
        "/api/v1/projects/OWN/members",
        lambda n: _members(project, n),
        7,
        django_assert_max_num_queries,
        headers=_bearer(manager),
    )
