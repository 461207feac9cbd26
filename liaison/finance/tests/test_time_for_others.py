"""A project's manager records, changes and removes a team member's draft
time for them: the entry is the member's (their week, their 24 hours), the
log says who did it for whom; nobody else writes anyone's time, and what is
submitted or approved stays locked for the manager too."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import TODAY
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.finance.models import EntryStatus, TimeEntry, Timesheet
from liaison.finance.services.time import (
    time_entry_create,
    time_entry_delete,
    time_entry_update,
    timesheet_save_week,
)
from liaison.finance.tests.factories import LAST_WEEK, log, submitted_week
from liaison.projects.models import Membership


def refused(code, call, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def for_member(project, manager, member, hours="3", day=LAST_WEEK):
    return time_entry_create(
        project=project, by=manager, person_id=member.pk, day=day, hours=Decimal(hours)
    )


def test_a_manager_records_a_members_time_and_the_log_says_for_whom(project, manager, member):
    entry = for_member(project, manager, member)
    assert entry.person == member and entry.timesheet.person == member
    assert entry.status == EntryStatus.DRAFT
    logged = Activity.objects.get(verb="created", target_id=entry.pk)
    assert logged.actor == manager and logged.diff == {"on_behalf_of": [None, str(member)]}
    mine = log(project, member, LAST_WEEK, "1")  # the member's own, in the same week
    assert mine.timesheet == entry.timesheet
    assert Activity.objects.get(verb="created", target_id=mine.pk).diff == {}


def test_the_members_day_counts_not_the_managers(project, manager, member):
    log(project, manager, LAST_WEEK, "20")
    for_member(project, manager, member, "20")  # the manager's 20 hours are theirs
    refused(
        "too_many_hours",
        time_entry_create,
        project=project,
        by=manager,
        person_id=member.pk,
        day=LAST_WEEK,
        hours=Decimal("5"),
    )


def test_only_managers_and_only_for_the_team(project, manager, member, observer, outsider):
    refused(
        "not_manager",
        time_entry_create,
        project=project,
        by=member,
        person_id=manager.pk,
        day=LAST_WEEK,
        hours=Decimal("1"),
    )
    for person in (observer, outsider):
        error = refused(
            "not_member",
            time_entry_create,
            project=project,
            by=manager,
            person_id=person.pk,
            day=LAST_WEEK,
            hours=Decimal("1"),
        )
        assert error.field == "person"
    assert not TimeEntry.objects.exists()


def test_a_manager_changes_and_removes_a_members_draft_but_not_what_is_handed_in(
    project, manager, member
):
    entry = for_member(project, manager, member)
    entry = time_entry_update(entry=entry, by=manager, version=entry.version, hours=Decimal("4"))
    assert entry.hours == Decimal("4") and entry.person == member
    updated = Activity.objects.get(verb="updated", target_id=entry.pk)
    assert updated.diff["on_behalf_of"] == [None, str(member)]
    time_entry_delete(entry=entry, by=manager, version=entry.version)
    assert not TimeEntry.objects.exists()
    sheet = submitted_week(project, member, week=LAST_WEEK - dt.timedelta(days=7), days=1)
    handed_in = TimeEntry.objects.get(timesheet=sheet)
    refused("entry_locked", time_entry_update, entry=handed_in, by=manager, version=1, hours=2)
    refused("entry_locked", time_entry_delete, entry=handed_in, by=manager)


def test_other_members_change_nobody_elses_time(project, manager, member, org):
    from liaison.projects.tests.factories import make_member

    colleague = make_member(project, "colleague@test.example", org=org)
    entry = log(project, member, LAST_WEEK)
    refused("not_yours", time_entry_update, entry=entry, by=colleague, version=1, hours=2)
    refused("not_yours", time_entry_delete, entry=entry, by=colleague)


def test_a_manager_fills_in_a_members_week(project, manager, member):
    cells = {(None, LAST_WEEK): Decimal("6"), (None, LAST_WEEK + dt.timedelta(days=1)): None}
    sheet = timesheet_save_week(
        project=project, by=manager, week=LAST_WEEK, version=0, cells=cells, person_id=member.pk
    )
    assert sheet.person == member
    assert list(TimeEntry.objects.values_list("person_id", "hours")) == [
        (member.pk, Decimal("6.00"))
    ]
    assert not Timesheet.objects.filter(person=manager).exists()
    Membership.objects.filter(user=member).delete()
    refused(
        "not_member",
        timesheet_save_week,
        project=project,
        by=manager,
        week=TODAY,
        version=0,
        cells=cells,
        person_id=member.pk,
    )
