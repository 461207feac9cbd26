"""The people view: each person the viewer may see over eight weeks, across
every project of the organization; who is over, who is free next month."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import TODAY
from liaison.planning.selectors.people import PeopleFilters, people_view
from liaison.planning.selectors.workload import monday_of
from liaison.planning.tests.factories import make_task
from liaison.projects.capacity_services import capacity_set, time_off_add
from liaison.projects.models import Capacity, Membership, Project
from liaison.projects.tests.factories import make_project, make_teammates

URL = "/people/"
MONDAY = monday_of(TODAY)
THIS_WEEK = {"start_date": MONDAY, "due_date": MONDAY + dt.timedelta(days=4)}


@pytest.fixture
def second_project(org, manager, member):
    other = make_project(org, manager, "TWO", status=Project.Status.ACTIVE)
    Membership.objects.create(project=other, user=member, role=Membership.Role.MEMBER)
    return other


def _names(user, org, show="all") -> list[str]:
    data = people_view(user=user, organization=org, filters=PeopleFilters(MONDAY, show))
    return [row["name"] for row in data.page.object_list]


def _row(user, org, person) -> dict:
    data = people_view(user=user, organization=org, filters=PeopleFilters(MONDAY))
    return next(row for row in data.page.object_list if row["id"] == person.pk)


def test_who_sees_whom(org, owner, manager, member, observer, outsider, second_project):
    everyone = sorted(str(person) for person in (owner, manager, member, observer, outsider))
    assert _names(owner, org) == everyone
    assert _names(manager, org) == sorted([str(manager), str(member)])  # their teams' workers
    assert _names(member, org) == [str(member)]
    assert _names(outsider, org) == [str(outsider)]


def test_hours_sum_across_projects_and_time_off_lowers_capacity(
    org, owner, manager, member, project, second_project
):
    make_task(project, assignee=member, estimate_hours=40, **THIS_WEEK)
    make_task(second_project, assignee=member, estimate_hours=30, **THIS_WEEK)
    time_off_add(
        organization=org,
        person=member,
        by=member,
        start_date=MONDAY + dt.timedelta(days=7),
        end_date=MONDAY + dt.timedelta(days=8),
    )
    row = _row(manager, org, member)
    first, second = row["cells"][:2]
    assert (first["hours"], first["capacity"], first["free"], first["level"]) == (
        "70",
        "40",
        "-30",
        "over",
    )
    assert (second["capacity"], second["off"]) == ("24", "2")
    assert row["over"] is True
    assert row["free_next"] == "144"  # weeks 2 to 5: 24 + 3 × 40, nothing booked


def test_the_filters_over_and_free_next_month(org, owner, manager, member, project):
    make_task(project, assignee=member, estimate_hours=50, **THIS_WEEK)
    capacity_set(organization=org, person=manager, by=owner, version=1, hours_per_week=0)
    assert _names(owner, org, "over") == [str(member)]
    assert str(manager) not in _names(owner, org, "free")  # no hours at all to give
    assert str(member) in _names(owner, org, "free")  # over this week, free after it


def test_the_page_escapes_names_and_shows_over_in_red(login, org, owner, member, project):
    member.display_name = "<b>Li</b>"
    member.save(update_fields=["display_name"])
    make_task(project, assignee=member, estimate_hours=50, **THIS_WEEK)
    response = login(owner).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;b&gt;Li&lt;/b&gt;" in html and "<b>Li</b>" not in html
    assert 'class="is-over"' in html
    assert '<span class="badge badge--red">50<span class="visually-hidden"> over capacity' in html
    assert 'data-testid="time-reminders"' in html  # the owner's setting, on its page
    assert 'data-testid="time-reminders"' not in login(member).get(URL).content.decode()


def test_htmx_answers_the_grid_and_bad_filters_fall_back(login, owner, member):
    response = login(owner).get(f"{URL}?show=everyone&from=never", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="people">')
    assert PeopleFilters.from_query({"show": "x", "from": "2027-01-06"}) == PeopleFilters(
        dt.date(2027, 1, 4), "all"
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", 200), ("manager", 200), ("member", 200), ("outsider", 200), ("client_user", 404)],
)
def test_page_access_by_role(request, login, role, expected, member):
    assert login(request.getfixturevalue(role)).get(URL).status_code == expected


def _grow(org, project, n: int) -> None:
    people = make_teammates(project, n)
    other = make_project(org, project.manager, f"G{n}", status=Project.Status.ACTIVE)
    for index, person in enumerate(people):
        Membership.objects.create(project=other, user=person, role=Membership.Role.MEMBER)
        for where in (project, other):
            make_task(where, assignee=person, estimate_hours=8 + index, **THIS_WEEK)
        time_off_add(organization=org, person=person, by=person, start_date=MONDAY, end_date=MONDAY)
        if index % 2:
            Capacity.objects.create(organization=org, user=person, hours_per_week=32)


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_queries_do_not_grow_with_people_tasks_or_projects(request, login, org, project, who):
    viewer = request.getfixturevalue(who)
    http = login(viewer)
    counts = []
    for n in (2, 12):
        _grow(org, project, n)
        for show in ("all", "over"):
            with CaptureQueriesContext(connection) as queries:
                assert http.get(f"{URL}?show={show}").status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert max(counts) <= 10, counts  # the layout, the people (and their count), four
