"""The communication plan: its services, adherence computed from the log on
hand-made data with a fixed `today`, and its pages per role."""

import datetime as dt
import itertools
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from liaison.communication.models import CommunicationPlanItem, Kind
from liaison.communication.selectors.plan import (
    KEPT,
    MISSED,
    NOT_YET,
    PENDING,
    add_months,
    plan_adherence,
)
from liaison.communication.services.plan import plan_item_create, plan_item_update
from liaison.communication.tests.factories import interaction_row
from liaison.core.locking import StaleEdit
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone
from liaison.projects.tests.factories import make_member

Frequency = CommunicationPlanItem.Frequency
TODAY = dt.date(2026, 3, 18)  # a Wednesday
PLAN = "/p/OWN/communication/plan/"
NEW = PLAN + "new/"
K, M, P, N = KEPT, MISSED, PENDING, NOT_YET
_serial = itertools.count(1)


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _plan(project, **fields) -> CommunicationPlanItem:
    return plan_item_create(
        project=project,
        by=project.manager,
        **{
            "audience": "Client steering group",
            "purpose": "Progress and risks",
            "kind": Kind.MEETING,
            "frequency": Frequency.WEEKLY,
            "starts_on": dt.date(2026, 1, 5),
            **fields,
        },
    )


def _states(row) -> list[str]:
    return [period.state for period in row.periods]


def _row(project, item):
    (row,) = [r for r in plan_adherence(project=project, today=TODAY) if r.item.pk == item.pk]
    return row


# -- services --------------------------------------------------------------------------


def test_create_and_update_check_the_rules(project, manager, member):
    item = _plan(project, owner=member)
    assert item.owner == member and item.active
    saved = plan_item_update(
        item=item, by=manager, version=item.version, frequency=Frequency.MONTHLY
    )
    assert saved.frequency == Frequency.MONTHLY and saved.version == 2
    with pytest.raises(StaleEdit):
        plan_item_update(item=item, by=manager, version=1, audience="Old page")


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"audience": "  "}, "audience"),
        ({"purpose": ""}, "purpose"),
        ({"kind": "fax"}, "kind"),
        ({"frequency": "daily"}, "frequency"),
        ({"starts_on": "soon"}, "starts_on"),
    ],
)
def test_create_refuses_bad_input_by_field(project, fields, field):
    with pytest.raises(InvalidInput) as refused:
        _plan(project, **fields)
    assert refused.value.field == field


@pytest.mark.parametrize("who", ["observer", "client_user", "outsider"])
def test_the_owner_must_be_on_the_team(request, project, who):
    with pytest.raises(InvalidInput) as refused:
        _plan(project, owner=request.getfixturevalue(who))
    assert refused.value.field == "owner"


def test_only_managers_write_the_plan(project, member):
    with pytest.raises(PermissionDenied):
        plan_item_create(project=project, by=member, audience="A", purpose="B")


# -- adherence -------------------------------------------------------------------------


def test_weekly_kept_and_missed(project):
    item = _plan(project)
    for day in (dt.date(2026, 1, 6), dt.date(2026, 1, 14), dt.date(2026, 2, 5)):
        interaction_row(project, occurred_at=_at(day))
    # Another channel: does not count.
    interaction_row(project, occurred_at=_at(dt.date(2026, 1, 20)), kind=Kind.CALL)
    interaction_row(project, occurred_at=_at(dt.date(2026, 3, 17)))  # this week
    # Tomorrow: has not happened yet.
    interaction_row(project, occurred_at=_at(dt.date(2026, 3, 19)))
    row = _row(project, item)
    # Weeks from Monday 29 Dec 2025 to Monday 16 Mar 2026; the first is before starts_on.
    assert row.periods[0].start == dt.date(2025, 12, 29)
    assert row.periods[-1].start == dt.date(2026, 3, 16)
    assert row.periods[-1].end == dt.date(2026, 3, 22)
    assert _states(row) == [N, K, K, M, M, K, M, M, M, M, M, K]
    assert row.kept_count == 4 and row.missed_count == 7
    assert row.last_at == _at(dt.date(2026, 3, 17))
    assert row.next_due == dt.date(2026, 3, 24) and not row.overdue


def test_the_current_week_is_pending_and_a_late_item_overdue(project):
    item = _plan(project)
    interaction_row(project, occurred_at=_at(dt.date(2026, 3, 3)))
    row = _row(project, item)
    assert _states(row)[-3:] == [K, M, P]
    assert row.next_due == dt.date(2026, 3, 10) and row.overdue


def test_linked_interactions_count_for_their_item_only(project):
    weekly = _plan(project, audience="Client")
    other = _plan(project, audience="Key users")
    # A meeting, but for the other item.
    interaction_row(project, occurred_at=_at(dt.date(2026, 3, 10)), plan_item=other)
    # A call, but linked: counts.
    interaction_row(project, occurred_at=_at(dt.date(2026, 3, 3)), kind=Kind.CALL, plan_item=weekly)
    row = _row(project, weekly)
    assert _states(row)[-3:] == [K, M, P]
    assert row.last_at == _at(dt.date(2026, 3, 3))
    assert row.item.last_key
    other_row = _row(project, other)
    assert _states(other_row)[-3:] == [M, K, P]


def test_an_interaction_linked_to_an_inactive_item_counts_for_no_other(project, manager):
    active = _plan(project)
    paused = _plan(project, audience="Old", active=False)
    interaction_row(project, occurred_at=_at(dt.date(2026, 3, 10)), plan_item=paused)
    rows = plan_adherence(project=project, today=TODAY)
    assert [row.item.pk for row in rows] == [active.pk]
    assert _states(rows[0])[-2] == M


def test_starts_on_gives_not_yet_and_the_first_due_date(project):
    item = _plan(project, starts_on=dt.date(2026, 3, 4))
    row = _row(project, item)
    assert _states(row) == [N] * 9 + [M, M, P]  # the week of 2 Mar holds the 4th
    assert row.last_at is None
    assert row.next_due == dt.date(2026, 3, 4) and row.overdue
    future = _plan(project, audience="Later", starts_on=dt.date(2026, 4, 1))
    row = _row(project, future)
    assert set(_states(row)) == {N} and row.next_due == dt.date(2026, 4, 1) and not row.overdue


def test_an_old_last_interaction_still_gives_the_next_due_date(project):
    item = _plan(project, starts_on=dt.date(2025, 1, 6))
    interaction_row(project, occurred_at=_at(dt.date(2025, 6, 2)))
    row = _row(project, item)
    assert row.last_at == _at(dt.date(2025, 6, 2))
    assert row.next_due == dt.date(2025, 6, 9) and row.overdue
    assert set(_states(row)) == {M, P}


def test_biweekly_blocks_count_from_the_monday_of_starts_on(project):
    item = _plan(
        project, kind=Kind.CALL, frequency=Frequency.BIWEEKLY, starts_on=dt.date(2026, 1, 7)
    )
    interaction_row(project, occurred_at=_at(dt.date(2026, 1, 8)), kind=Kind.CALL)
    interaction_row(project, occurred_at=_at(dt.date(2026, 2, 20)), kind=Kind.CALL)
    row = _row(project, item)
    assert row.periods[-1].start == dt.date(2026, 3, 16)
    assert row.periods[-1].end == dt.date(2026, 3, 29)
    assert row.periods[6].start == dt.date(2026, 1, 5)
    assert _states(row) == [N] * 6 + [K, M, M, K, M, P]
    assert row.next_due == dt.date(2026, 3, 6) and row.overdue


def test_monthly_by_calendar_month(project):
    item = _plan(
        project, kind=Kind.EMAIL, frequency=Frequency.MONTHLY, starts_on=dt.date(2025, 10, 15)
    )
    interaction_row(project, occurred_at=_at(dt.date(2025, 11, 3)), kind=Kind.EMAIL)
    interaction_row(project, occurred_at=_at(dt.date(2026, 1, 20)), kind=Kind.EMAIL)
    row = _row(project, item)
    assert [p.start for p in row.periods][:2] == [dt.date(2025, 4, 1), dt.date(2025, 5, 1)]
    assert row.periods[-1].end == dt.date(2026, 3, 31)
    assert _states(row) == [N] * 6 + [M, K, M, K, M, P]
    assert row.next_due == dt.date(2026, 2, 20) and row.overdue


def test_per_milestone_kept_within_seven_days_before_or_three_after(project):
    item = _plan(project, frequency=Frequency.PER_MILESTONE, starts_on=dt.date(2026, 1, 1))
    for number, due in enumerate(
        (dt.date(2025, 12, 1), dt.date(2026, 1, 10), dt.date(2026, 2, 10), dt.date(2026, 3, 10)),
        start=1,
    ):
        Milestone.objects.create(project=project, key=f"M-{number}", name="Step", due_date=due)
    Milestone.objects.create(
        project=project, key="M-9", name="Go-live", due_date=dt.date(2026, 4, 10)
    )
    interaction_row(project, occurred_at=_at(dt.date(2026, 1, 3)))  # 7 days before M-2
    interaction_row(project, occurred_at=_at(dt.date(2026, 2, 14)))  # 4 days after M-3: too late
    interaction_row(project, occurred_at=_at(dt.date(2026, 3, 13)))  # 3 days after M-4
    row = _row(project, item)
    assert [p.milestone for p in row.periods] == ["M-1 Step", "M-2 Step", "M-3 Step", "M-4 Step"]
    assert _states(row) == [N, K, M, K]
    assert row.next_due == dt.date(2026, 4, 10) and not row.overdue


def test_per_milestone_within_the_grace_days_is_pending_and_due(project):
    item = _plan(project, frequency=Frequency.PER_MILESTONE, starts_on=dt.date(2026, 1, 1))
    Milestone.objects.create(
        project=project, key="M-1", name="Pilot", due_date=dt.date(2026, 3, 16)
    )
    row = _row(project, item)
    assert _states(row) == [P]
    assert row.next_due == dt.date(2026, 3, 16) and row.overdue


def test_per_milestone_keeps_the_last_twelve(project):
    item = _plan(project, frequency=Frequency.PER_MILESTONE, starts_on=dt.date(2025, 1, 1))
    for number in range(15):
        Milestone.objects.create(
            project=project,
            key=f"M-{number}",
            name="Step",
            due_date=dt.date(2025, 1, 20) + dt.timedelta(weeks=number),
        )
    row = _row(project, item)
    assert len(row.periods) == 12 and row.periods[0].milestone == "M-3 Step"
    assert row.next_due is None and not row.overdue


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 12, 15), 1) == dt.date(2026, 1, 15)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 1), -11) == dt.date(2025, 4, 1)


@pytest.mark.parametrize("size", [1, 8])
def test_adherence_runs_three_queries_whatever_the_size(project, size, django_assert_num_queries):
    for number in range(size):
        # The first item is per milestone: the milestones' query always runs.
        frequency = Frequency.values[(number + 3) % 4]
        item = _plan(project, audience=f"A{number}", frequency=frequency)
        for week in range(size):
            interaction_row(
                project,
                occurred_at=_at(TODAY - dt.timedelta(weeks=week)),
                plan_item=item if week % 2 else None,
            )
        Milestone.objects.create(
            project=project, key=f"M-{number}", name="Step", due_date=TODAY - dt.timedelta(number)
        )
    with django_assert_num_queries(3):
        rows = plan_adherence(project=project, today=TODAY)
    assert len(rows) == size


def test_an_empty_plan_costs_one_query(project, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert plan_adherence(project=project, today=TODAY) == []


# -- the page --------------------------------------------------------------------------


def _text(response) -> str:
    return response.content.decode()


def test_the_plan_page_shows_each_item_with_its_strip(login, project, manager, member):
    today = timezone.localdate()
    item = _plan(project, owner=member, starts_on=today - dt.timedelta(weeks=3))
    interaction_row(project, occurred_at=_at(today - dt.timedelta(weeks=2)))
    page = _text(login(manager).get(PLAN))
    assert "Client steering group" in page and "Progress and risks" in page
    assert "Weekly" in page and "Meeting" in page and "member" in page
    assert page.count('class="adherence__cell') == 12
    assert "adherence__cell--kept" in page and "adherence__cell--missed" in page
    assert ": kept</span>" in page and ": missed</span>" in page  # text, not just colour
    assert "1 kept, 2 missed" in page
    assert 'class="badge badge--red">Overdue' in page  # last + 1 week is past
    assert f"/p/OWN/communication/plan/{item.pk}/edit/" in page
    assert "Add a plan item" in page


def test_members_read_the_plan_without_buttons(login, project, member):
    _plan(project)
    page = _text(login(member).get(PLAN))
    assert "Client steering group" in page
    assert "Add a plan item" not in page and "/edit/" not in page


@pytest.mark.parametrize("role", ["client_user", "outsider"])
def test_others_get_404(request, login, project, role):
    _plan(project)
    assert login(request.getfixturevalue(role)).get(PLAN).status_code == 404


def test_the_empty_plan_explains_what_it_is_for(login, project, manager, member):
    page = _text(login(manager).get(PLAN))
    assert "No communication plan yet" in page
    assert "who hears what" in page and "Add a plan item" in page
    assert "The project manager writes the plan." in _text(login(member).get(PLAN))


def test_paused_items_are_listed_apart(login, project, manager):
    _plan(project, audience="Old rhythm", active=False)
    page = _text(login(manager).get(PLAN))
    assert "Paused items" in page and "Old rhythm" in page
    assert "No communication plan yet" not in page


def test_create_from_the_form(login, project, manager, member):
    http = login(manager)
    page = _text(http.get(NEW))
    assert 'name="audience"' in page and 'name="frequency"' in page
    response = http.post(
        NEW,
        {
            "audience": "Warehouse key users",
            "purpose": "Training progress",
            "kind": "call",
            "frequency": "biweekly",
            "owner": member.pk,
            "starts_on": "2026-01-05",
            "active": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == PLAN
    item = CommunicationPlanItem.objects.get()
    assert (item.kind, item.frequency, item.owner) == ("call", "biweekly", member)
    assert not item.client_visible  # its box was left unticked
    assert '<span class="badge badge--grey">Internal</span>' in _text(http.get(PLAN))


def test_the_new_item_form_offers_the_client_the_item_by_default(login, project, manager):
    page = _text(login(manager).get(NEW))
    assert 'name="client_visible"' in page
    assert re.search(r'<input[^>]*name="client_visible"[^>]*checked', page)


def test_the_form_names_what_is_missing(login, project, manager, observer):
    response = login(manager).post(
        NEW, {"audience": "", "purpose": "", "kind": "meeting", "frequency": "weekly"}
    )
    page = _text(response)
    assert response.status_code == 200
    assert "Say who this communication is for." in page
    assert "Say what it is for and what it covers." in page
    assert "Give the first day as a date." in page
    response = login(manager).post(
        NEW,
        {
            "audience": "A",
            "purpose": "B",
            "kind": "meeting",
            "frequency": "weekly",
            "starts_on": "2026-01-05",
            "owner": observer.pk,  # not offered: observers do not keep plan items
        },
    )
    assert "Select a valid choice" in _text(response)
    assert not CommunicationPlanItem.objects.exists()


def test_edit_with_a_stale_version_shows_the_change(login, project, manager):
    item = _plan(project)
    plan_item_update(item=item, by=manager, version=1, audience="Steering committee")
    url = f"{PLAN}{item.pk}/edit/"
    http = login(manager)
    assert 'value="Steering committee"' in _text(http.get(url))
    response = http.post(
        url,
        {
            "audience": "Mine",
            "purpose": "P",
            "kind": "meeting",
            "frequency": "weekly",
            "starts_on": "2026-01-05",
            "version": 1,
        },
    )
    page = _text(response)
    assert response.status_code == 200 and "Someone else saved this" in page
    assert 'name="version" value="2"' in page


def test_member_cannot_write_the_plan(login, project, member):
    item = _plan(project)
    http = login(member)
    assert http.get(NEW).status_code == 403
    assert http.post(NEW, {"audience": "A"}).status_code == 403
    assert http.get(f"{PLAN}{item.pk}/edit/").status_code == 403


def test_an_item_of_another_project_is_404(login, project, manager, foreign_project):
    theirs = _plan(foreign_project, starts_on=dt.date(2026, 1, 5))
    assert login(manager).get(f"{PLAN}{theirs.pk}/edit/").status_code == 404


@pytest.mark.parametrize("size", [1, 10])
def test_the_plan_page_runs_a_fixed_number_of_queries(
    login, project, manager, size, django_assert_max_num_queries
):
    today = timezone.localdate()
    owners = [manager]
    for _number in range(min(size, 3)):
        person = make_member(project, f"o{next(_serial)}@test.example", org=project.organization)
        owners.append(person)
    for number in range(size):
        item = _plan(
            project,
            audience=f"Audience {number}",
            frequency=Frequency.values[number % 4],
            owner=owners[number % len(owners)],
            starts_on=today - dt.timedelta(weeks=20),
            active=number % 5 != 4,
        )
        for week in range(size):
            interaction_row(
                project,
                occurred_at=_at(today - dt.timedelta(weeks=week)),
                plan_item=item if week % 2 else None,
            )
        Milestone.objects.create(
            project=project, key=f"M-{number}", name="Step", due_date=today - dt.timedelta(number)
        )
    http = login(manager)
    with django_assert_max_num_queries(12):
        assert http.get(PLAN).status_code == 200
