"""access.py, the one module that decides who may do what
(docs/architecture.md, The access model)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from liaison.accounts.models import OrgMembership, User
from liaison.accounts.tests.factories import make_user
from liaison.projects import access
from liaison.projects.access import CLIENT, ROLE_ACTIONS, TEAM, Action, Role
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_member, make_project


def fresh(user: User) -> User:
    """The user as a new request loads it: no cached roles."""
    return User.objects.get(pk=user.pk)


def codes(user) -> set[str]:
    user = fresh(user) if isinstance(user, User) else user
    return set(access.visible_projects(user).values_list("code", flat=True))


@pytest.fixture
def side_project(org) -> Project:
    """Another project of the organization, run by somebody else."""
    return make_project(org, make_user("pm2@test.example", org=org), "SIDE")


@pytest.fixture
def archived_project(org, manager, client_user) -> Project:
    """A finished project `client_user` was the client of."""
    old = make_project(org, manager, "OLD", archived_at=timezone.now())
    Membership.objects.create(project=old, user=client_user, role=Role.CLIENT)
    return old


# -- the Role × Action table ----------------------------------------------------------


def test_role_actions_manager_manages_but_does_not_administer():
    assert ROLE_ACTIONS[Role.MANAGER] == {Action.VIEW, Action.COMMENT, Action.EDIT, Action.MANAGE}


def test_role_actions_member_edits_but_does_not_manage():
    assert Action.EDIT in ROLE_ACTIONS[Role.MEMBER]
    assert Action.MANAGE not in ROLE_ACTIONS[Role.MEMBER]
    assert Action.APPROVE not in ROLE_ACTIONS[Role.MEMBER]


def test_role_actions_observer_only_views():
    assert ROLE_ACTIONS[Role.OBSERVER] == {Action.VIEW}


def test_role_actions_client_views_comments_approves_and_never_edits():
    assert ROLE_ACTIONS[Role.CLIENT] == {
        Action.VIEW,
        Action.COMMENT,
        Action.APPROVE,
        Action.SUPPORT,
    }
    assert not ROLE_ACTIONS[Role.CLIENT] & {Action.EDIT, Action.MANAGE, Action.ADMIN}


def test_role_actions_only_the_client_approves_and_only_the_org_admin_administers():
    assert [role for role, actions in ROLE_ACTIONS.items() if Action.APPROVE in actions] == [
        Role.CLIENT
    ]
    assert [role for role, actions in ROLE_ACTIONS.items() if Action.ADMIN in actions] == ["admin"]


def test_role_actions_cover_every_role():
    assert set(Role.values) <= set(ROLE_ACTIONS)


# -- visible_projects -------------------------------------------------------------


def test_visible_projects_org_admin_sees_every_project_of_its_organization_only(
    org, owner, project, side_project, foreign_project
):
    admin = make_user("admin@test.example", org=org, org_role=OrgMembership.Role.ADMIN)
    assert codes(owner) == {"OWN", "SIDE"}
    assert codes(admin) == {"OWN", "SIDE"}


def test_visible_projects_team_sees_the_projects_it_belongs_to(
    manager, member, observer, side_project, foreign_project
):
    for user in (manager, member, observer):
        assert codes(user) == {"OWN"}, user


def test_visible_projects_outsider_anonymous_and_deactivated_see_nothing(
    outsider, deactivated, project, foreign_project
):
    assert codes(outsider) == set()
    assert codes(deactivated) == set()
    assert codes(AnonymousUser()) == set()


def test_visible_projects_a_membership_in_another_organization_shows_nothing(
    member, foreign_project
):
    """A team role in a project of an organization one is not staff of counts for nothing."""
    Membership.objects.create(project=foreign_project, user=member, role=Role.MEMBER)
    assert codes(member) == {"OWN"}


def test_visible_projects_client_sees_active_projects_they_are_the_client_of(
    client_user, side_project, archived_project, foreign_project
):
    assert codes(client_user) == {"OWN"}


def test_visible_projects_carry_the_users_role(member, project):
    (row,) = access.visible_projects(fresh(member))
    assert row.my_role == Role.MEMBER


# -- who counts as what ---------------------------------------------------------------


def test_staff_and_client_users_are_told_apart(owner, member, client_user, deactivated):
    assert access.is_staff_user(fresh(member)) and not access.is_client_user(fresh(member))
    assert access.is_client_user(fresh(client_user))
    assert not access.is_staff_user(fresh(client_user))
    for nobody in (AnonymousUser(), fresh(deactivated)):
        assert not access.is_staff_user(nobody) and not access.is_client_user(nobody)


def test_actions_per_role(owner, manager, member, observer, client_user, outsider, project):
    assert access.actions_for(fresh(owner), project) == ROLE_ACTIONS["admin"]
    assert access.actions_for(fresh(manager), project) == ROLE_ACTIONS[Role.MANAGER]
    assert access.actions_for(fresh(member), project) == ROLE_ACTIONS[Role.MEMBER]
    assert access.actions_for(fresh(observer), project) == ROLE_ACTIONS[Role.OBSERVER]
    assert access.actions_for(fresh(client_user), project) == ROLE_ACTIONS[Role.CLIENT]
    assert access.actions_for(fresh(outsider), project) == frozenset()


def test_audience_is_the_client_for_client_users_and_the_team_for_the_team(
    owner, member, client_user, project
):
    assert access.audience_of(fresh(client_user), project) == CLIENT
    assert access.audience_of(fresh(member), project) == TEAM
    assert access.audience_of(fresh(owner), project) == TEAM


def test_audience_without_a_role_is_the_client_one(outsider, org, project):
    """Nobody gets internal fields by default: no role means the narrow audience."""
    contact = make_member(project, "both@test.example", role=Role.CLIENT, org=org)
    assert access.audience_of(fresh(outsider), project) == CLIENT
    assert access.audience_of(fresh(contact), project) == CLIENT


def test_leaving_the_organization_ends_the_project_roles_in_it(member, project, other_org):
    """Still staff somewhere else, but no longer of the project's organization:
    require() agrees with visible_projects() and answers 404."""
    OrgMembership.objects.create(organization=other_org, user=member)
    OrgMembership.objects.filter(organization=project.organization, user=member).delete()
    user = fresh(member)
    assert codes(user) == set()
    assert access.actions_for(user, project) == frozenset()
    with pytest.raises(Http404):
        access.require(fresh(member), Action.VIEW, project)
    with pytest.raises(Http404):
        access.get_project_for(fresh(member), "OWN")


# -- get_project_for ----------------------------------------------------------------


def test_get_project_for_gives_the_project_to_whom_may(owner, manager, member, observer, project):
    assert access.get_project_for(fresh(owner), "OWN", need=Action.ADMIN) == project
    assert access.get_project_for(fresh(manager), "OWN", need=Action.MANAGE) == project
    assert access.get_project_for(fresh(member), "OWN", need=Action.EDIT) == project
    assert access.get_project_for(fresh(observer), "OWN") == project


def test_get_project_for_404_when_not_visible_or_missing(
    owner, member, outsider, client_user, deactivated, project, foreign_project
):
    cases = [
        (owner, "FOREIGN"),
        (member, "FOREIGN"),
        (owner, "NOPE"),
        (member, "NOPE"),
        (outsider, "OWN"),
        (client_user, "OWN"),
        (deactivated, "OWN"),
    ]
    for user, code in cases:
        with pytest.raises(Http404):
            access.get_project_for(fresh(user), code)
    with pytest.raises(Http404):
        access.get_project_for(AnonymousUser(), "OWN")


def test_get_project_for_404_even_when_the_action_is_too_high(outsider, client_user, project):
    """Not visible wins over too low: no 403 that would confirm the project exists."""
    for user in (outsider, client_user):
        with pytest.raises(Http404):
            access.get_project_for(fresh(user), "OWN", need=Action.MANAGE)


def test_get_project_for_403_when_the_role_is_too_low(manager, member, observer, project):
    cases = [
        (member, Action.MANAGE),
        (member, Action.APPROVE),
        (observer, Action.COMMENT),
        (observer, Action.EDIT),
        (observer, Action.MANAGE),
        (manager, Action.ADMIN),
        (manager, Action.APPROVE),
    ]
    for user, action in cases:
        with pytest.raises(PermissionDenied):
            access.get_project_for(fresh(user), "OWN", need=action)


def test_get_project_for_staff_listed_as_a_client_contact_is_404(org, project):
    contact = make_member(project, "both@test.example", role=Role.CLIENT, org=org)
    with pytest.raises(Http404):
        access.get_project_for(fresh(contact), "OWN")


def test_get_project_for_runs_in_a_bounded_number_of_queries(
    member, owner, project, side_project, django_assert_max_num_queries
):
    for user, code in ((member, "OWN"), (owner, "SIDE")):
        user = fresh(user)
        with access.viewer_scope():  # as a request's
            with django_assert_max_num_queries(2):  # the user's organizations, then the project
                access.get_project_for(user, code)
            with django_assert_max_num_queries(1):  # organizations known: the project only
                found = access.get_project_for(user, code, need=Action.EDIT)
            with django_assert_max_num_queries(0):  # what the page then asks costs nothing
                access.actions_for(user, found)
                access.audience_of(user, found)
                access.role_label(user, found)
                _ = (found.client.name, found.manager.display_name, found.organization.name)


# -- get_portal_project -------------------------------------------------------------


def test_get_portal_project_gives_the_client_their_project(client_user, project):
    for need in (Action.VIEW, Action.COMMENT, Action.APPROVE):
        assert access.get_portal_project(fresh(client_user), "OWN", need=need) == project


def test_get_portal_project_client_never_edits(client_user, project):
    for need in (Action.EDIT, Action.MANAGE, Action.ADMIN):
        with pytest.raises(PermissionDenied):
            access.get_portal_project(fresh(client_user), "OWN", need=need)


def test_get_portal_project_404_for_everyone_else(
    owner, manager, member, observer, outsider, deactivated, project, foreign_project, org
):
    for user in (owner, manager, member, observer, outsider, deactivated):
        with pytest.raises(Http404):
            access.get_portal_project(fresh(user), "OWN")
    with pytest.raises(Http404):
        access.get_portal_project(AnonymousUser(), "OWN")


def test_get_portal_project_404_for_other_projects(client_user, side_project, foreign_project):
    for code in ("SIDE", "FOREIGN", "NOPE"):
        with pytest.raises(Http404):
            access.get_portal_project(fresh(client_user), code)


def test_an_archived_project_stays_readable_for_its_client_and_refuses_anything_more(
    client_user, archived_project
):
    assert access.get_portal_project(fresh(client_user), "OLD") == archived_project
    for action in (Action.COMMENT, Action.APPROVE):
        with pytest.raises(PermissionDenied) as refused:
            access.get_portal_project(fresh(client_user), "OLD", need=action)
        assert str(refused.value) == str(access.CLOSED_MESSAGE)
    # Future support requests stay open on a closed project.
    assert access.can(fresh(client_user), Action.SUPPORT, archived_project)


def test_get_portal_project_staff_listed_as_a_client_contact_gets_no_portal(org, project):
    contact = make_member(project, "both@test.example", role=Role.CLIENT, org=org)
    assert not access.is_client_user(fresh(contact))
    assert codes(contact) == set()
    with pytest.raises(Http404):
        access.get_portal_project(fresh(contact), "OWN")


def test_get_portal_project_client_user_with_a_team_role_gets_no_internal_page(
    client_user, side_project
):
    """A client user holding a team role by mistake still sees no internal page."""
    Membership.objects.create(project=side_project, user=client_user, role=Role.MANAGER)
    with pytest.raises(Http404):
        access.get_project_for(fresh(client_user), "SIDE")
    with pytest.raises(Http404):
        access.get_portal_project(fresh(client_user), "SIDE")
    assert access.actions_for(fresh(client_user), side_project) == frozenset()


def test_get_portal_project_runs_in_a_bounded_number_of_queries(
    client_user, project, django_assert_max_num_queries
):
    user = fresh(client_user)
    with access.viewer_scope():  # as a request's
        with django_assert_max_num_queries(2):
            access.get_portal_project(user, "OWN")
        with django_assert_max_num_queries(1):
            access.get_portal_project(user, "OWN", need=Action.APPROVE)


# -- organization-level checks --------------------------------------------------------


def test_require_staff_and_org_admin(org, other_org, owner, member, client_user):
    access.require_staff(fresh(member))
    access.require_org_admin(fresh(owner), org)
    with pytest.raises(Http404):
        access.require_staff(fresh(client_user))
    with pytest.raises(Http404):
        access.require_org_admin(fresh(client_user), org)
    with pytest.raises(PermissionDenied):
        access.require_org_admin(fresh(member), org)
    with pytest.raises(PermissionDenied):
        access.require_org_admin(fresh(owner), other_org)
