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

from liaison.planning.selectors.workload import WorkloadFilters, monday_of, workload
from liaison.planning.services.plan import capacity_update
from liaison.planning.tests.factories import make_task
from liaison.projects.models import Membership

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


def test_a_holiday_lowers_that_weeks_capacity(project, member):
    project.holidays = ["2027-01-06"]
    project.save(update_fields=["holidays"])
    make_task(project, assignee=member, estimate_hours=16, **FIRST_WEEK)  # four working days
    data = workload(project=project, filters=_filters())
    first, second = _row(data, member).weeks[:2]
    assert (data.weeks[0].working_days, data.weeks[1].working_days) == (4, 5)
    assert (first.hours, first.capacity) == (Decimal("16.0"), Decimal("32.0"))
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


# -- capacity --------------------------------------------------------------------------------


def _capacity_url(membership) -> str:
    return reverse("planning:capacity", args=["OWN", membership.pk])


def test_manager_sets_capacity_and_keeps_the_weeks(login, manager, member, project):
    membership = Membership.objects.get(project=project, user=member)
    response = login(manager).post(
        _capacity_url(membership),
        {"capacity_hours": 24, "version": membership.version, "from": "2027-01-06", "weeks": "6"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?from=2027-01-04&weeks=6"
    membership.refresh_from_db()
    assert membership.capacity_hours == 24
    page = login(manager).get(response["Location"])
    assert f'id="capacity-{membership.pk}-capacity_hours"' in page.content.decode()
    assert 'value="24"' in page.content.decode()


def test_capacity_refusals_show_beside_the_field(login, manager, member, project):
    membership = Membership.objects.get(project=project, user=member)
    http = login(manager)
    response = http.post(_capacity_url(membership), {"capacity_hours": 200, "version": 1})
    assert response.status_code == 200
    assert "less than or equal to 168" in response.content.decode()
    capacity_update(membership=membership, by=manager, version=1, hours=30)
    response = http.post(_capacity_url(membership), {"capacity_hours": 20, "version": 1})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this" in html
    assert 'name="version" value="2"' in html  # saving again is a choice made knowingly
    membership.refresh_from_db()
    assert membership.capacity_hours == 30


def test_capacity_with_htmx_answers_the_grid(login, manager, member, project):
    membership = Membership.objects.get(project=project, user=member)
    response = login(manager).post(
        _capacity_url(membership),
        {"capacity_hours": 10, "version": 1, "from": "2027-01-04", "weeks": "4"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="workload">')
    assert "<html" not in html


@pytest.mark.parametrize(("role", "expected"), [("member", 403), ("observer", 403)])
def test_capacity_is_for_managers(request, login, project, member, role, expected):
    membership = Membership.objects.get(project=project, user=member)
    http = login(request.getfixturevalue(role))
    response = http.post(_capacity_url(membership), {"capacity_hours": 1, "version": 1})
    assert response.status_code == expected
    membership.refresh_from_db()
    assert membership.capacity_hours == 40


def test_capacity_of_an_observer_or_another_project_is_404(
    login, manager, observer, project, foreign_project
):
    observer_membership = Membership.objects.get(project=project, user=observer)
    foreign = Membership.objects.get(project=foreign_project)
    http = login(manager)
    for membership in (observer_membership, foreign):
        response = http.post(_capacity_url(membership), {"capacity_hours": 1, "version": 1})
        assert response.status_code == 404


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
