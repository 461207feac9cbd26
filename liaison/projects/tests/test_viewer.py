"""What a person holds is read once per request or job (projects.viewer), kept
nowhere else, and read again where the code says a role changed."""

from collections.abc import Callable

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory
from huey.contrib.djhuey import HUEY

from liaison.accounts.models import User
from liaison.projects import access
from liaison.projects.access import Action, Role
from liaison.projects.member_services import member_invite, membership_change_role
from liaison.projects.middleware import ViewerScopeMiddleware
from liaison.projects.models import Membership, Project
from liaison.projects.viewer import viewer_of


def _demote(project: Project, user: User) -> None:
    """A role change the access rules are not told of (another process's)."""
    Membership.objects.filter(project=project, user=user).update(role=Role.OBSERVER)


def _liaison_attributes(user: object) -> list[str]:
    return [name for name in dir(user) if name.startswith("_liaison")]


def test_a_request_leaves_nothing_on_the_user(login, project, manager, client_user):
    for user, url in ((manager, "/p/OWN/"), (client_user, "/portal/p/OWN/")):
        response = login(user).get(url)
        assert response.status_code == 200
        assert response.wsgi_request.user == user
        assert _liaison_attributes(response.wsgi_request.user) == []


def _in_a_request(user: User, view: Callable[[HttpRequest], HttpResponse]) -> HttpResponseBase:
    """`view` called through ViewerScopeMiddleware, as the request of `user`."""
    request = RequestFactory().get("/")
    request.user = user
    return ViewerScopeMiddleware(view)(request)


def test_a_request_reads_roles_once_and_again_after_forget(project, member):
    def view(request: HttpRequest) -> HttpResponse:
        assert access.can(member, Action.EDIT, project)
        _demote(project, member)
        # The request keeps what it read, for every User object of the person.
        assert access.can(member, Action.EDIT, project)
        assert access.can(User.objects.get(pk=member.pk), Action.EDIT, project)
        access.forget(member)
        assert not access.can(member, Action.EDIT, project)
        assert access.role_label(User.objects.get(pk=member.pk), project) == "Observer"
        return HttpResponse()

    assert _in_a_request(member, view).status_code == 200
    assert _liaison_attributes(member) == []


def test_a_role_changed_by_a_service_is_seen_in_the_same_request(project, manager, member):
    membership = Membership.objects.get(project=project, user=member)

    def view(request: HttpRequest) -> HttpResponse:
        assert access.can(member, Action.EDIT, project)
        membership_change_role(
            membership=membership, by=manager, version=membership.version, role=Role.OBSERVER
        )
        assert not access.can(member, Action.EDIT, project)
        assert access.can(member, Action.VIEW, project)
        return HttpResponse()

    assert _in_a_request(manager, view).status_code == 200


@pytest.mark.parametrize(
    ("role", "action", "staff"),
    [(Role.MEMBER, Action.EDIT, True), (Role.CLIENT, Action.APPROVE, False)],
)
def test_an_invitation_counts_within_the_same_request(project, manager, role, action, staff):
    newcomer = User.objects.create_user(email="new@test.example", display_name="New")

    def view(request: HttpRequest) -> HttpResponse:
        assert not access.is_staff_user(newcomer)
        assert not access.can(newcomer, Action.VIEW, project)
        member_invite(project=project, by=manager, email=newcomer.email, role=role, confirm=True)
        assert access.is_staff_user(newcomer) == staff
        assert access.can(newcomer, action, project)
        return HttpResponse()

    assert _in_a_request(manager, view).status_code == 200


def test_outside_any_scope_each_question_reads_afresh(project, member):
    assert viewer_of(member) is not viewer_of(member)
    assert access.can(member, Action.EDIT, project)
    _demote(project, member)
    assert not access.can(member, Action.EDIT, project)


def test_a_scope_keeps_one_viewer_per_person(project, member):
    with access.viewer_scope():
        viewer = viewer_of(member)
        assert viewer_of(User.objects.get(pk=member.pk)) is viewer
        with access.viewer_scope():
            assert viewer_of(member) is not viewer
        assert viewer_of(member) is viewer
        access.forget(member)
        assert viewer_of(member) is not viewer


def test_a_project_listed_for_one_person_does_not_answer_for_another(project, manager, member):
    # The `my_role` annotation is the manager's; the member is asked about separately.
    with access.viewer_scope():
        listed = access.get_project_for(manager, "OWN")
        assert access.role_label(manager, listed) == "Manager"
        assert access.role_label(member, listed) == "Member"
        assert not access.can(member, Action.MANAGE, listed)


def test_each_job_reads_roles_in_a_scope_of_its_own(project, member):
    seen: list[tuple[bool, bool]] = []

    @HUEY.task()
    def probe() -> None:
        one_viewer = viewer_of(member) is viewer_of(member)
        seen.append((one_viewer, access.can(member, Action.EDIT, project)))

    try:
        with access.viewer_scope():  # a request that queues the job (run inline in tests)
            assert access.can(member, Action.EDIT, project)
            _demote(project, member)
            probe()
            # The job read the roles afresh; the request keeps its own.
            assert seen == [(True, False)]
            assert access.can(member, Action.EDIT, project)
        probe()  # a job on its own, as the worker runs it
        assert seen == [(True, False), (True, False)]
    finally:
        probe.unregister()
