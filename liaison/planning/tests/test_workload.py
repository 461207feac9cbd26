"""The workload page: estimates spread over working days, weekly capacity
scaled by the calendar, the manager's capacity edit."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import NOW
from liaison.planning.selectors.plan import work_calendar
from liaison.planning.selectors.workload import (
    WorkloadFilters,
    monday_of,
    person_weeks,
    workload,
)
from liaison.planning.tests.factories import make_task
from liaison.projects.capacity_services import capacity_set, time_off_add
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_project

MONDAY = dt.date(2027, 1, 4)  # ISO week 1 of 2027
FRIDAY = MONDAY + dt.timedelta(days=4)
WEEK = dt.timedelta(days=7)
URL = "/p/OWN/workload/"
FIRST_WEEKS = "from=2027-01-04&weeks=4"
FIRST_WEEK = {"start_date": MONDAY, "due_date": FRIDAY}


def _filters(start=MONDAY, weeks=4) -> WorkloadFilters:
    return WorkloadFilters(start=start, weeks=weeks)


def _row(data, user):
    return next(row for row in data.rows if row.membership.user_id == user.pk)


# -- the numbers -----------------------------------------------------------------------------


def test_the_estimate_is_spread_over_the_working_days(project, manager, member):
    ten_days = {"start_date": MONDAY, "due_date": FRIDAY + WEEK}
    friday_and_monday = {"start_date": FRIDAY, "due_date": FRIDAY + dt.timedelta(days=3)}
    make_task(project, assignee=member, estimate_hours=20, **ten_days)
    make_task(project, assignee=member, estimate_hours=6, **friday_and_monday)
    data = workload(project=project, filters=_filters())
    row = _row(data, member)
    assert [load.hours for load in row.weeks] == [Decimal("13.0"), Decimal("13.0"), 0, 0]
    assert [week.number for week in data.weeks] == [1, 2, 3, 4]
    assert data.totals[0].hours == Decimal("13.0")
    assert _row(data, manager).total == 0


def test_a_holiday_spreads_the_work_but_leaves_the_persons_capacity(project, member):
    """The project's holiday is the plan's day off; a person's capacity is
    theirs across projects and drops only with their own time off."""
    project.holidays = ["2027-01-06"]
    project.save(update_fields=["holidays"])
    make_task(project, assignee=member, estimate_hours=16, **FIRST_WEEK)  # four working days
    data = workload(project=project, filters=_filters())
    first, second = _row(data, member).weeks[:2]
    assert (data.weeks[0].working_days, data.weeks[1].working_days) == (4, 5)
    assert (first.hours, first.capacity) == (Decimal("16.0"), Decimal("40.0"))
    assert second.capacity == Decimal("40.0")


def test_levels_over_and_nearly_full(project, manager, member):
    make_task(project, assignee=member, estimate_hours=50, **FIRST_WEEK)
    make_task(project, assignee=manager, estimate_hours=34, **FIRST_WEEK)
    make_task(
        project,
        assignee=manager,
        estimate_hours=20,
        start_date=MONDAY + WEEK,
        due_date=FRIDAY + WEEK,
    )
    data = workload(project=project, filters=_filters())
    assert _row(data, member).weeks[0].level == "over"
    assert _row(data, manager).weeks[0].level == "high"  # 85 %
    assert _row(data, manager).weeks[1].level == "ok"
    assert _row(data, manager).weeks[2].level == "none"
    assert data.totals[0].level == "over"  # 84 of 80 hours


def test_what_counts_and_what_does_not(project, manager, member, observer):
    make_task(project, assignee=member, estimate_hours=10, title="Counted", **FIRST_WEEK)
    make_task(project, assignee=member, estimate_hours=7, title="Without dates")
    make_task(
        project, assignee=member, estimate_hours=30, status="done", title="Done", **FIRST_WEEK
    )
    make_task(project, assignee=member, estimate_hours=None, title="No estimate", **FIRST_WEEK)
    make_task(project, assignee=None, estimate_hours=12, title="Nobody's", **FIRST_WEEK)
    data = workload(project=project, filters=_filters())
    assert [row.membership.user for row in data.rows] == [manager, member]  # no observer
    row = _row(data, member)
    assert row.weeks[0].hours == Decimal("10.0")
    assert row.unscheduled == Decimal("7.0")
    assert (row.task_count, data.unscheduled) == (2, Decimal("7.0"))


def test_the_range_comes_from_the_query():
    today = dt.date(2027, 3, 10)  # a Wednesday
    assert WorkloadFilters.from_query(QueryDict(""), today=today) == WorkloadFilters(
        start=dt.date(2027, 3, 8), weeks=8
    )
    query = QueryDict("from=2027-01-07&weeks=2")
    assert WorkloadFilters.from_query(query, today=today) == WorkloadFilters(MONDAY, 4)
    query = QueryDict("from=yesterday&weeks=999")
    assert WorkloadFilters.from_query(query, today=today).weeks == 26
    assert WorkloadFilters.from_query(QueryDict("weeks=²"), today=today).weeks == 8
    for junk in ("9999-12-31", "0001-01-03"):
        far = WorkloadFilters.from_query(QueryDict(f"from={junk}"), today=today)
        assert far.start == dt.date(2027, 3, 8)
    filters = WorkloadFilters(MONDAY, 4)
    assert filters.end == dt.date(2027, 1, 31)
    assert filters.next_query == "from=2027-02-01&weeks=4"
    assert filters.previous_query == "from=2026-12-07&weeks=4"
    assert monday_of(dt.date(2027, 1, 10)) == MONDAY


# -- the page --------------------------------------------------------------------------------


def test_page_shows_hours_against_capacity(login, manager, member, project):
    make_task(project, assignee=member, estimate_hours=50, title="Too much", **FIRST_WEEK)
    response = login(member).get(f"{URL}?{FIRST_WEEKS}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'badge--red" title="50 / 40 h">50<span class="visually-hidden"> over capacity' in html
    assert 'id="member-' in html
    assert "W1" in html
    assert 'name="capacity_hours"' not in html  # members do not edit capacity


def test_page_empty_state(login, manager, member, project):
    make_task(project, assignee=member, estimate_hours=5)
    response = login(manager).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nobody has estimated, dated work yet" in html
    assert "5 estimated hours are still without dates." in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [("manager", 200), ("member", 200), ("observer", 200), ("client_user", 404), ("outsider", 404)],
)
def test_page_access_by_role(request, login, project, role, expected):
    assert login(request.getfixturevalue(role)).get(URL).status_code == expected


def test_anonymous_is_sent_to_sign_in(client, project):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.fixture
def second_project(org, manager, member):
    other = make_project(org, manager, "TWO", status=Project.Status.ACTIVE)
    Membership.objects.create(project=other, user=member, role=Membership.Role.MEMBER)
    return other


# -- capacity: the person's, across projects ----------------------------------------------


def test_capacity_is_the_persons_and_edited_on_their_page(login, owner, manager, member, project):
    make_task(project, assignee=member, estimate_hours=30, **FIRST_WEEK)
    capacity_set(
        organization=project.organization, person=member, by=owner, version=1, hours_per_week=24
    )
    html = login(manager).get(f"{URL}?{FIRST_WEEKS}").content.decode()
    assert 'badge--red" title="30 / 24 h">30<' in html
    assert 'name="capacity_hours"' not in html  # no edit here any more
    assert reverse("projects:person", args=[member.pk]) not in html  # a manager is no org admin
    html = login(owner).get(f"{URL}?{FIRST_WEEKS}").content.decode()
    assert f'href="{reverse("projects:person", args=[member.pk])}">24</a>' in html


def test_time_off_lowers_that_weeks_capacity(project, owner, member):
    make_task(project, assignee=member, estimate_hours=16, **FIRST_WEEK)
    time_off_add(
        organization=project.organization,
        person=member,
        by=owner,
        start_date=MONDAY + dt.timedelta(days=2),
        end_date=MONDAY + WEEK,  # Wednesday to the next Monday: three working days, then one
    )
    data = workload(project=project, filters=_filters())
    first, second, third = _row(data, member).weeks[:3]
    assert (first.capacity, second.capacity, third.capacity) == (
        Decimal("16.0"),
        Decimal("32.0"),
        Decimal("40.0"),
    )
    assert first.level == "high"  # 16 of 16 hours: full, not over


def test_weeks_counted_once_per_calendar_give_the_day_by_day_sums(
    owner, manager, member, project, second_project
):
    """Each calendar's weeks are counted once and reused for every task and
    person on it: the hours and capacities are still those of adding each
    working day's share, day by day, person by person."""
    second_project.holidays, second_project.extra_workdays = ["2027-01-13"], ["2027-01-16"]
    second_project.save(update_fields=["holidays", "extra_workdays"])
    spans = [(-3, 2), (0, 20), (2, 9), (7, 13), (8, 27), (15, 40), (16, 16)]
    tasks = [
        make_task(
            where,
            assignee=who,
            estimate_hours=Decimal(7 + n),
            start_date=MONDAY + dt.timedelta(days=first),
            due_date=MONDAY + dt.timedelta(days=last),
        )
        for n, ((first, last), where, who) in enumerate(
            zip(spans * 2, [project, second_project] * 7, [member, manager] * 7, strict=True)
        )
    ]
    org = project.organization
    for person in (owner, manager):
        capacity_set(
            organization=org,
            person=person,
            by=owner,
            version=1,
            hours_per_week=32,
            working_weekdays="0123",
        )
    tuesday = MONDAY + WEEK + dt.timedelta(days=1)
    time_off_add(
        organization=org, person=manager, by=owner, start_date=tuesday, end_date=tuesday + WEEK
    )
    filters = _filters(weeks=5)
    people = person_weeks(
        organization_id=org.pk, user_ids=[owner.pk, manager.pk, member.pk], filters=filters
    )
    expected = {who.pk: {} for who in (owner, manager, member)}
    for task in tasks:
        calendar = work_calendar(task.project)
        days = calendar.working_days(task.start_date, task.due_date)
        weeks = expected[task.assignee_id].setdefault(task.project_id, [Decimal(0)] * 5)
        for offset in range(5):
            share = Decimal()
            for day in days:
                if (day - MONDAY).days // 7 == offset:
                    share += task.estimate_hours / len(days)
            weeks[offset] += share
    assert {pk: people[pk].hours for pk in expected} == expected
    assert people[owner.pk].capacity == [Decimal(32)] * 5  # four days a week
    # Off from Tuesday to the next Tuesday: three of their days, then two.
    assert people[manager.pk].capacity == [32, 8, 16, 32, 32]
    assert people[manager.pk].days_off == [0, 3, 2, 0, 0]


def test_hours_in_other_projects_count_against_the_same_capacity(
    login, owner, manager, member, project, second_project
):
    """40 h in one project and 30 h in another: over a 40 h capacity on both pages."""
    make_task(project, assignee=member, estimate_hours=40, **FIRST_WEEK)
    make_task(second_project, assignee=member, estimate_hours=30, **FIRST_WEEK)
    here = _row(workload(project=project, filters=_filters()), member).weeks[0]
    there = _row(workload(project=second_project, filters=_filters()), member).weeks[0]
    assert (here.hours, here.other, here.level) == (Decimal("40.0"), Decimal("30.0"), "over")
    assert (there.hours, there.other, there.level) == (Decimal("30.0"), Decimal("40.0"), "over")
    html = login(manager).get(f"{URL}?{FIRST_WEEKS}").content.decode()
    assert 'title="70 / 40 h">40<span class="visually-hidden"> over capacity' in html
    assert 'title="in other projects">+30</span>' in html
    assert second_project.code not in html  # one figure, no names of projects


def test_archived_and_foreign_projects_do_not_count(
    project, second_project, foreign_project, member, owner
):
    make_task(second_project, assignee=member, estimate_hours=30, **FIRST_WEEK)
    # Another organization's project (the person's role there is a stale row) counts nowhere here.
    Membership.objects.create(project=foreign_project, user=member, role=Membership.Role.MEMBER)
    make_task(foreign_project, assignee=member, estimate_hours=30, **FIRST_WEEK)
    second_project.archived_at = NOW
    second_project.save(update_fields=["archived_at"])
    assert _row(workload(project=project, filters=_filters()), member).weeks[0].other == 0


# -- queries ---------------------------------------------------------------------------------

_serial = itertools.count(1)


def _grow(project, people: list, n: int) -> None:
    for _ in range(n):
        number = next(_serial)
        for person in people:
            start = MONDAY + dt.timedelta(days=number % 20)
            make_task(
                project,
                assignee=person,
                estimate_hours=8,
                start_date=start,
                due_date=start + dt.timedelta(days=9),
            )
            make_task(project, assignee=person, estimate_hours=3)


def test_page_queries_are_constant(login, manager, member, project, django_assert_max_num_queries):
    http = login(manager)
    url = f"{URL}?{FIRST_WEEKS}"
    http.get(url)  # warm caches (content types, the session)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            response = http.get(url)
        assert response.status_code == 200
        return len(context.captured_queries)

    _grow(project, [manager, member], 2)
    small = count()
    _grow(project, [manager, member], 15)
    with django_assert_max_num_queries(12):
        large = count()
    assert small == large, f"{small} queries with few tasks, {large} with more"
