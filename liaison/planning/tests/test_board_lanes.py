"""The board's swimlanes, work-in-progress limits and quick filters, per role,
and its queries with 200 tasks and more, with and without lanes."""

import datetime as dt

import pytest

from conftest import TODAY
from liaison.planning.models import BoardLimits
from liaison.planning.services.board import board_limits_set
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.tasks import task_create
from liaison.planning.tests.factories import bulk_tasks
from liaison.projects.member_services import membership_remove
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member

BOARD = "/p/OWN/board/"
LIMITS = "/p/OWN/board/limits/"
HTMX = {"HX-Request": "true"}
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


def _text(response) -> str:
    return response.content.decode()


def _cell(text: str, lane: str, status: str) -> str:
    """One lane's cell of a column."""
    start = text.index(f'data-drop-status="{status}" data-lane="{lane}"')
    return text[start : text.index("</section>", start)]


@pytest.fixture
def tasks(project, manager, member):
    pilot = milestone_create(
        project=project, by=manager, name="Pilot", due_date=dt.date(2027, 2, 1)
    )
    made = {
        "design": task_create(
            project=project, by=manager, title="Design", assignee=member, milestone=pilot
        ),
        "build": task_create(
            project=project, by=manager, title="Build", status="in_progress", assignee=manager
        ),
        "wait": task_create(project=project, by=manager, title="Wait for API", status="blocked"),
        "ship": task_create(
            project=project, by=manager, title="Ship", due_date=MONDAY + dt.timedelta(days=6)
        ),
        "later": task_create(
            project=project, by=manager, title="Later", due_date=MONDAY + dt.timedelta(days=7)
        ),
    }
    # Ship waits for Build, which is not done: blocked too, in its own column.
    dependency_create(
        project=project, by=manager, predecessor=made["build"], successor=made["ship"]
    )
    return made


def test_lanes_by_assignee_deal_the_cards_to_their_people(login, manager, member, tasks):
    text = _text(login(manager).get(BOARD + "?lanes=assignee"))
    assert 'class="board board--lanes"' in text
    assert ">Design</a>" in _cell(text, str(member.pk), "todo")
    assert ">Build</a>" in _cell(text, str(manager.pk), "in_progress")
    assert ">Wait for API</a>" in _cell(text, "", "blocked")
    # Nobody's lane comes last; each lane names its person and counts its cards.
    lanes = [text.index(f">{name} <span") for name in ("manager", "member", "Nobody")]
    assert lanes == sorted(lanes)
    assert text.count('class="board__lane"') == 3


def test_the_tasks_of_people_who_left_share_one_others_lane(login, project, manager, org):
    """Two people who left the team still hold tasks: one "Others" lane holds them."""
    for name in ("ana", "bo"):
        person = make_member(project, f"{name}@test.example", org=org)
        task_create(project=project, by=manager, title=f"Left by {name}", assignee=person)
        membership_remove(membership=Membership.objects.get(user=person), by=manager)
    text = _text(login(manager).get(BOARD + "?lanes=assignee"))
    assert text.count(">Others <span") == 1
    others = _cell(text, "others", "todo")
    assert ">Left by ana</a>" in others and ">Left by bo</a>" in others


def test_lanes_by_milestone_and_their_links_keep_the_filters(login, manager, tasks):
    client = login(manager)
    text = _text(client.get(BOARD + "?lanes=milestone"))
    assert text.index(">M-1 Pilot <span") < text.index(">No milestone <span")
    text = _text(client.get(BOARD + "?lanes=milestone&q=Design"))
    assert ">M-1 Pilot <span" in text and ">No milestone <span" not in text  # lanes with cards
    assert ">Design</a>" in text
    # The quick filters keep the lanes and the search; the lane links keep the search.
    assert 'href="?q=Design&amp;blocked=1&amp;lanes=milestone"' in text
    assert 'href="?q=Design&amp;lanes=assignee"' in text
    assert 'href="?q=Design"' in text  # no lanes


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("assignee={me}", ["Build"], ["Design", "Ship"]),
        ("due=week", ["Ship"], ["Later", "Design"]),
        ("blocked=1", ["Wait for API", "Ship"], ["Build", "Design", "Later"]),
        ("blocked=1&due=week", ["Ship"], ["Wait for API"]),
    ],
)
def test_the_quick_filters(login, manager, tasks, query, shown, hidden):
    text = _text(login(manager).get(BOARD + "?" + query.format(me=manager.pk)))
    for title in shown:
        assert f">{title}</a>" in text, title
    for title in hidden:
        assert f">{title}</a>" not in text, title


def test_a_quick_filter_that_is_on_links_to_turn_it_off(login, manager, tasks):
    text = _text(login(manager).get(BOARD + f"?due=week&assignee={manager.pk}"))
    assert (
        f'class="chip chip--active" href="?assignee={manager.pk}" aria-current="true">Due this week'
        in text
    )
    assert 'class="chip chip--active" href="?due=week" aria-current="true">Mine' in text


def test_a_column_over_its_limit_says_so(login, manager, project, tasks):
    board_limits_set(project=project, by=manager, version=0, limits={"todo": 2, "done": 5})
    text = _text(login(manager).get(BOARD))
    assert 'class="board__title board__title--over" id="column-todo"' in text
    assert 'title="Over the limit">3 / 2</span>' in text
    assert ">0 / 5</span>" in text
    # The limit counts the column whatever the filters show.
    filtered = _text(login(manager).get(BOARD + "?q=Design"))
    assert ">3 / 2</span>" in filtered


@pytest.mark.parametrize(
    ("role", "expected"),
    [("manager", 302), ("member", 403), ("observer", 403), ("client_user", 404)],
)
def test_only_managers_set_the_limits(login, project, request, role, expected):
    client = login(request.getfixturevalue(role))
    response = client.post(LIMITS, {"version": 0, "in_progress": "3"})
    assert response.status_code == expected
    assert BoardLimits.objects.filter(project=project).exists() == (expected == 302)


def test_the_limits_form_shows_to_managers_and_refuses_with_a_message(
    login, manager, member, tasks
):
    assert 'action="/p/OWN/board/limits/"' not in _text(login(member).get(BOARD))
    client = login(manager)
    assert 'action="/p/OWN/board/limits/"' in _text(client.get(BOARD))
    response = client.post(LIMITS, {"version": 0, "todo": "0"}, follow=True)
    assert "Ensure this value is greater than or equal to 1." in _text(response)
    client.post(LIMITS, {"version": 0, "todo": "4"})
    stale = client.post(LIMITS, {"version": 0, "todo": "6"}, follow=True)
    assert "Someone else saved this" in _text(stale)
    assert BoardLimits.objects.get().limits == {"todo": 4}


@pytest.mark.parametrize("lanes", ["", "?lanes=assignee", "?lanes=milestone&blocked=1"])
def test_the_board_queries_stay_fixed_with_200_tasks(
    login, manager, project, lanes, django_assert_max_num_queries, count_queries
):
    client = login(manager)
    board_limits_set(project=project, by=manager, version=0, limits={"in_progress": 3})
    client.get(BOARD + lanes)  # warm the caches
    bulk_tasks(project, 10)
    small = count_queries(client, BOARD + lanes, HTMX)
    bulk_tasks(project, 200)
    with django_assert_max_num_queries(12):
        large = count_queries(client, BOARD + lanes, {})
    assert count_queries(client, BOARD + lanes, HTMX) == small
    assert large >= small
