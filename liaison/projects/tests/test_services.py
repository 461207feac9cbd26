import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from liaison.accounts.models import Client
from liaison.accounts.tests.factories import make_user
from liaison.collab.models import Notification
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.projects import services
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_project


@pytest.fixture
def acme(org, manager) -> Client:
    """A client of an earlier project of the manager's: staff who are not org
    admins start projects only for the clients of projects they see."""
    acme = Client.objects.create(organization=org, name="Acme")
    make_project(org, manager, "ACME-OLD", client=acme)
    return acme


def _create(org, by, code="ACME-ERP", **fields):
    values = {
        "name": "ERP rollout",
        "client": Client.objects.filter(name="Acme").first(),
        "manager": by,
        "status": Project.Status.PROPOSED,
        "currency": "CNY",
    }
    return services.project_create(organization=org, by=by, code=code, **{**values, **fields})


def _edit(project, by, **fields):
    return services.project_update(project=project, by=by, version=project.version, **fields)


# -- create ---------------------------------------------------------------------------


def test_project_create_by_staff_refuses_a_client_they_see_no_project_of(org, manager, owner):
    hidden = Client.objects.create(organization=org, name="Hidden")
    with pytest.raises(InvalidInput) as caught:
        _create(org, manager, client=hidden)
    assert caught.value.field == "client"
    assert not Project.objects.filter(code="ACME-ERP").exists()
    # An org admin sees every client of the organization.
    assert _create(org, owner, client=hidden, manager=manager).client == hidden


def test_project_update_refuses_a_client_the_manager_sees_no_project_of(org, project, manager):
    hidden = Client.objects.create(organization=org, name="Hidden")
    with pytest.raises(InvalidInput) as caught:
        _edit(project, manager, client=hidden)
    assert caught.value.field == "client"
    # Keeping the current client, or moving to another they see, is fine.
    other = make_project(org, manager, "OTHER").client
    assert _edit(project, manager, name="Renamed").client == project.client
    project.refresh_from_db()
    assert _edit(project, manager, client=other).client == other


def test_project_create_saves_and_makes_the_manager_a_member(org, manager, acme):
    project = _create(
        org,
        manager,
        code=" acme-erp ",
        description="  Scope  ",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    assert project.code == "ACME-ERP"
    assert project.description == "Scope"
    assert project.organization == org
    assert project.version == 1
    membership = Membership.objects.get(project=project, user=manager)
    assert membership.role == Membership.Role.MANAGER


def test_project_create_records_activity_with_a_diff(org, manager, acme):
    project = _create(org, manager, end_date=datetime.date(2026, 6, 30))
    activity = Activity.objects.get(verb="created", project=project)
    assert activity.actor == manager
    assert activity.diff["name"] == [None, "ERP rollout"]
    assert activity.diff["client"] == [None, "Acme"]
    assert activity.diff["end_date"] == [None, "2026-06-30"]
    assert "start_date" not in activity.diff  # empty values are not news


def test_project_create_notifies_a_manager_chosen_by_someone_else(org, owner, manager, acme):
    project = _create(org, owner, manager=manager)
    notification = Notification.objects.get(recipient=manager)
    assert notification.event == "project.assigned"
    assert notification.url == f"/p/{project.code}/"
    assert str(owner) in notification.text


def test_project_create_by_staff_for_another_manager_keeps_both(org, manager, acme):
    colleague = make_user("colleague@test.example", org=org)
    project = _create(org, manager, manager=colleague)
    roles = dict(Membership.objects.filter(project=project).values_list("user", "role"))
    assert roles == {colleague.pk: "manager", manager.pk: "manager"}


def test_project_create_refuses_a_duplicate_code(org, manager, acme, project):
    before = Project.objects.count(), Membership.objects.count(), Activity.objects.count()
    with pytest.raises(InvalidInput) as caught:
        _create(org, manager, code="own")
    assert caught.value.field == "code"
    assert caught.value.code == "duplicate_code"
    assert "OWN" in caught.value.message
    after = Project.objects.count(), Membership.objects.count(), Activity.objects.count()
    assert before == after


@pytest.mark.parametrize("code", ["A", "1ABC", "AB CD", "ÄBC", "A" * 21, ""])
def test_project_create_refuses_a_malformed_code(org, manager, acme, code):
    with pytest.raises(InvalidInput) as caught:
        _create(org, manager, code=code)
    assert caught.value.field == "code"
    assert not Project.objects.exclude(code="ACME-OLD").exists()  # only the fixture's


def test_project_create_refuses_end_before_start(org, manager, acme):
    with pytest.raises(InvalidInput) as caught:
        _create(
            org,
            manager,
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 5, 31),
        )
    assert caught.value.field == "end_date"
    assert not Project.objects.exclude(code="ACME-OLD").exists()  # only the fixture's


def test_project_create_allows_a_one_day_project(org, manager, acme):
    day = datetime.date(2026, 6, 1)
    assert _create(org, manager, start_date=day, end_date=day).end_date == day


def test_project_create_manager_must_be_organization_staff(
    org, manager, acme, client_user, foreign_project
):
    for stranger in (client_user, foreign_project.manager):
        with pytest.raises(InvalidInput) as caught:
            _create(org, manager, manager=stranger)
        assert caught.value.field == "manager"
    assert not Project.objects.filter(code="ACME-ERP").exists()


def test_project_create_refuses_a_client_of_another_organization(
    org, manager, acme, foreign_project
):
    with pytest.raises(InvalidInput) as caught:
        _create(org, manager, client=foreign_project.client)
    assert caught.value.field == "client"
    assert not Project.objects.filter(code="ACME-ERP").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "  "), ("status", "finished"), ("currency", "XYZ"), ("client", None)],
)
def test_project_create_checks_every_field(org, manager, acme, field, value):
    with pytest.raises(InvalidInput) as caught:
        _create(org, manager, **{field: value})
    assert caught.value.field == field
    assert not Project.objects.exclude(code="ACME-OLD").exists()  # only the fixture's


def test_project_create_refuses_people_outside_the_organization(
    org, acme, client_user, foreign_project
):
    with pytest.raises(Http404):
        _create(org, client_user, manager=None)
    with pytest.raises(PermissionDenied):
        _create(org, foreign_project.manager)
    assert not Project.objects.filter(code="ACME-ERP").exists()


# -- update -------------------------------------------------------------------------------


def test_project_update_saves_the_diff_and_records_it(project, manager):
    updated = _edit(project, manager, name="Renamed", status=Project.Status.ON_HOLD)
    stored = Project.objects.get(pk=project.pk)
    assert (stored.name, stored.status, stored.version) == ("Renamed", "on_hold", 2)
    assert updated.version == 2
    activity = Activity.objects.get(verb="updated", project=project)
    assert activity.diff == {"name": ["Project OWN", "Renamed"], "status": ["active", "on_hold"]}


def test_project_update_without_changes_keeps_the_version(project, manager):
    _edit(project, manager, name=project.name)
    assert Project.objects.get(pk=project.pk).version == 1
    assert not Activity.objects.filter(verb="updated").exists()


def test_project_update_refuses_a_stale_version_and_changes_nothing(project, manager):
    _edit(Project.objects.get(pk=project.pk), manager, name="First")
    with pytest.raises(StaleEdit) as caught:
        _edit(project, manager, name="Second", description="lost?")
    assert caught.value.current.version == 2
    assert "First" in caught.value.message
    stored = Project.objects.get(pk=project.pk)
    assert (stored.name, stored.description, stored.version) == ("First", "", 2)


def test_project_update_checks_the_rules(project, manager):
    project.start_date = datetime.date(2026, 3, 1)
    project.save()
    with pytest.raises(InvalidInput) as caught:
        _edit(project, manager, end_date=datetime.date(2026, 2, 1))
    assert caught.value.field == "end_date"
    assert Project.objects.get(pk=project.pk).end_date is None


def test_project_update_manager_change_gives_membership_and_notification(project, manager, member):
    _edit(project, manager, manager=member)
    assert Project.objects.get(pk=project.pk).manager == member
    assert Membership.objects.get(project=project, user=member).role == "manager"
    notification = Notification.objects.get(recipient=member, event="project.assigned")
    assert str(manager) in notification.text
    assert notification.project == project


def test_project_update_manager_change_to_someone_new_adds_them(project, manager, org):
    newcomer = make_user("newcomer@test.example", org=org)
    _edit(project, manager, manager=newcomer)
    assert Membership.objects.get(project=project, user=newcomer).role == "manager"


def test_project_update_needs_the_manage_right(project, member):
    with pytest.raises(PermissionDenied):
        _edit(project, member, name="Member edit")
    assert Project.objects.get(pk=project.pk).name == "Project OWN"


def test_project_update_by_an_org_admin(project, owner):
    assert _edit(project, owner, name="By the owner").name == "By the owner"


# -- archive ----------------------------------------------------------------------------


def test_project_archive_and_unarchive(project, manager):
    services.project_archive(project=project, by=manager)
    stored = Project.objects.get(pk=project.pk)
    assert stored.is_archived
    assert stored.version == 2
    services.project_unarchive(project=stored, by=manager)
    stored = Project.objects.get(pk=project.pk)
    assert not stored.is_archived
    assert stored.version == 3
    verbs = list(Activity.objects.filter(project=project).values_list("verb", flat=True))
    assert sorted(verbs) == ["archived", "restored"]


def test_project_archive_twice_changes_nothing_more(project, manager):
    services.project_archive(project=project, by=manager)
    archived_at = Project.objects.get(pk=project.pk).archived_at
    services.project_archive(project=Project.objects.get(pk=project.pk), by=manager)
    stored = Project.objects.get(pk=project.pk)
    assert stored.archived_at == archived_at
    assert stored.version == 2
    assert Activity.objects.filter(verb="archived").count() == 1


@pytest.mark.parametrize("role_user", ["member", "observer", "client_user"])
def test_project_archive_needs_the_manage_right(project, role_user, request):
    user = request.getfixturevalue(role_user)
    with pytest.raises(PermissionDenied):
        services.project_archive(project=project, by=user)
    assert not Project.objects.get(pk=project.pk).is_archived
