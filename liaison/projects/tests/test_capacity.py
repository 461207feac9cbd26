"""A person's capacity in the organization: their working week (org owners and
admins), their time off (admins and the person), the reminder setting, the
person's page, and the migration that carried the projects' capacities over."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404
from django.urls import reverse

from conftest import TODAY
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.projects.capacity_services import (
    capacity_set,
    time_off_add,
    time_off_delete,
    time_reminders_set,
)
from liaison.projects.models import Capacity, TimeOff
from liaison.projects.selectors import person_capacity

MONDAY = dt.date(2027, 1, 4)


def _set(org, person, by, version=1, hours=32, weekdays="0123"):
    return capacity_set(
        organization=org,
        person=person,
        by=by,
        version=version,
        hours_per_week=hours,
        working_weekdays=weekdays,
    )


def _off(org, person, by, first=MONDAY, last=MONDAY, note="Leave"):
    return time_off_add(
        organization=org, person=person, by=by, start_date=first, end_date=last, note=note
    )


# -- the services ----------------------------------------------------------------------------


def test_an_admin_sets_a_persons_week_and_a_stale_edit_is_refused(org, owner, member):
    capacity = _set(org, member, owner)
    assert (capacity.hours_per_week, capacity.working_weekdays, capacity.version) == (32, "0123", 2)
    assert Activity.objects.filter(verb="updated", target_id=capacity.pk).exists()
    with pytest.raises(StaleEdit):
        _set(org, member, owner, version=1, hours=20)
    assert Capacity.objects.get(user=member).hours_per_week == 32


@pytest.mark.parametrize(
    ("hours", "weekdays", "field"),
    [
        (169, "01234", "hours_per_week"),
        (-1, "01234", "hours_per_week"),
        (40, "", "working_weekdays"),
        (40, "789", "working_weekdays"),
    ],
)
def test_capacity_refusals_name_the_field(org, owner, member, hours, weekdays, field):
    with pytest.raises(InvalidInput) as refused:
        _set(org, member, owner, hours=hours, weekdays=weekdays)
    assert refused.value.field == field
    assert not Capacity.objects.exists()


def test_only_org_admins_set_capacity(org, manager, member):
    for by in (manager, member):
        with pytest.raises(PermissionDenied):
            _set(org, member, by)
    assert not Capacity.objects.exists()


def test_a_person_records_and_removes_their_own_time_off(org, member):
    absence = _off(org, member, member, MONDAY, MONDAY + dt.timedelta(days=4))
    assert absence.created_by == member
    assert time_off_delete(organization=org, time_off_id=absence.pk, by=member) == member
    assert not TimeOff.objects.exists()


def test_nobody_else_but_an_admin_records_someones_time_off(org, owner, manager, member, outsider):
    with pytest.raises(PermissionDenied):
        _off(org, member, manager)
    absence = _off(org, member, owner)
    with pytest.raises(PermissionDenied):
        time_off_delete(organization=org, time_off_id=absence.pk, by=manager)
    with pytest.raises(Http404):  # someone they do not see
        time_off_delete(organization=org, time_off_id=absence.pk, by=outsider)
    assert TimeOff.objects.count() == 1


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (MONDAY, MONDAY - dt.timedelta(days=1), "ends_before"),
        (MONDAY, MONDAY + dt.timedelta(days=366), "time_off_too_long"),
        (MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=9), "time_off_overlaps"),
        (dt.date(9999, 1, 1), dt.date(9999, 1, 2), "invalid"),
    ],
)
def test_time_off_refusals(org, member, first, last, code):
    _off(org, member, member, MONDAY, MONDAY + dt.timedelta(days=4))
    with pytest.raises(InvalidInput) as refused:
        _off(org, member, member, first, last)
    assert refused.value.code == code
    assert TimeOff.objects.count() == 1


def test_the_reminder_setting_is_an_admins_and_off_by_default(org, owner, manager):
    assert org.time_reminders is False
    with pytest.raises(PermissionDenied):
        time_reminders_set(organization=org, by=manager, version=org.version, enabled=True)
    saved = time_reminders_set(organization=org, by=owner, version=org.version, enabled=True)
    assert saved.time_reminders is True
    with pytest.raises(StaleEdit):
        time_reminders_set(organization=org, by=owner, version=org.version, enabled=False)


def test_person_capacity_reads_the_defaults_then_the_row(org, owner, member):
    data = person_capacity(organization=org, person=member, today=TODAY)
    assert (data.hours_per_week, data.working_weekdays, data.version) == (40, "01234", 1)
    _set(org, member, owner)
    _off(org, member, owner, TODAY, TODAY, "Dentist")
    _off(org, member, owner, TODAY - dt.timedelta(days=200), TODAY - dt.timedelta(days=199))
    data = person_capacity(organization=org, person=member, today=TODAY)
    assert (data.hours_per_week, data.version) == (32, 2)
    assert [absence.note for absence in data.time_off] == ["Dentist"]  # old ones drop off


# -- the person's page -----------------------------------------------------------------------


def _url(name, person, *args):
    return reverse(f"projects:{name}", args=[person.pk, *args])


def test_an_admin_edits_the_week_on_the_persons_page(login, owner, member):
    http = login(owner)
    page = http.get(_url("person", member)).content.decode()
    assert 'data-testid="capacity-form"' in page and 'data-testid="time-off-form"' in page
    response = http.post(
        _url("person-capacity", member),
        {"hours_per_week": 24, "working_weekdays": ["0", "1", "2"], "version": 1},
    )
    assert response.status_code == 302
    assert Capacity.objects.get(user=member).hours_per_week == 24
    response = http.post(
        _url("person-capacity", member),
        {"hours_per_week": 20, "working_weekdays": ["0"], "version": 1},
    )
    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
    response = http.post(_url("person-capacity", member), {"hours_per_week": 20, "version": 2})
    assert response.status_code == 400
    assert "Choose at least one working day." in response.content.decode()
    assert Capacity.objects.get(user=member).hours_per_week == 24


SOON = TODAY + dt.timedelta(days=40)  # time off ahead, whichever day the suite runs on
DAY = dt.timedelta(days=1)


def test_a_person_sees_their_week_and_records_their_time_off(login, member):
    http = login(member)
    page = http.get(_url("person", member)).content.decode()
    assert 'data-testid="capacity-form"' not in page
    assert "40 hours per week" in page
    response = http.post(
        _url("time-off-add", member),
        {"start_date": SOON.isoformat(), "end_date": (SOON - DAY).isoformat(), "note": ""},
    )
    assert response.status_code == 400
    assert "The last day comes on or after the first." in response.content.decode()
    response = http.post(
        _url("time-off-add", member),
        {
            "start_date": SOON.isoformat(),
            "end_date": (SOON + 4 * DAY).isoformat(),
            "note": "Skiing",
        },
    )
    assert response.status_code == 302
    absence = TimeOff.objects.get()
    assert "Skiing" in http.get(_url("person", member)).content.decode()
    response = http.post(reverse("projects:time-off-delete", args=[absence.pk]))
    assert response.status_code == 302
    assert not TimeOff.objects.exists()


def test_a_manager_sees_their_team_but_edits_nothing(login, manager, member, outsider):
    http = login(manager)
    page = http.get(_url("person", member)).content.decode()
    assert 'data-testid="capacity-form"' not in page and 'data-testid="time-off-form"' not in page
    assert http.get(_url("person", outsider)).status_code == 404
    response = http.post(
        _url("time-off-add", member), {"start_date": "2027-01-04", "end_date": "2027-01-04"}
    )
    assert response.status_code == 403


# -- the migration ---------------------------------------------------------------------------

# accounts' newest too: its columns are in the table either way.
BEFORE = [
    ("projects", "0003_keycounter_membership"),
    ("accounts", "0008_organization_time_reminders"),
]
AFTER = [("projects", "0004_capacity")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_the_largest_capacity_over():
    """Per organization, the largest of the person's manager and member
    memberships' capacities; observers' and clients' rows carry nothing."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        _carry_over(executor)
    finally:
        # Later tests on this worker need every migration, not just this one's.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _carry_over(executor: MigrationExecutor) -> None:
    old = executor.loader.project_state(BEFORE).apps
    org = old.get_model("accounts", "Organization").objects.create(name="Old", slug="old")
    users = old.get_model("accounts", "User").objects
    li = users.create(email="li@test.example", display_name="Li")
    wang = users.create(email="wang@test.example", display_name="Wang")
    client = old.get_model("accounts", "Client").objects.create(organization=org, name="C")
    membership = old.get_model("projects", "Membership").objects
    for code, li_hours, wang_role in (("A", 24, "observer"), ("B", 32, "member")):
        project = old.get_model("projects", "Project").objects.create(
            organization=org, code=code, name=code, client=client, manager=li
        )
        membership.create(project=project, user=li, role="member", capacity_hours=li_hours)
        membership.create(project=project, user=wang, role=wang_role, capacity_hours=20)
    project.memberships.filter(user=wang).update(capacity_hours=10)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("projects", "Capacity").objects.values_list(
        "user__email", "hours_per_week"
    )
    assert sorted(rows) == [("li@test.example", 32), ("wang@test.example", 10)]


def test_the_owner_turns_the_reminders_on_on_their_page(login, org, owner):
    http = login(owner)
    url = reverse("projects:time-reminders")
    assert 'data-testid="time-reminders-form"' in http.get(url).content.decode()
    assert http.post(url, {"enabled": "on", "version": 1}).status_code == 302
    org.refresh_from_db()
    assert org.time_reminders is True
    response = http.post(url, {"version": 1})  # stale: someone turned it on meanwhile
    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
