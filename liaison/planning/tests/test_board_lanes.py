"""The board's swimlanes, work-in-progress limits and quick filters, per role,
and its queries with 200 tasks and more, with and without lanes; a card
dropped into another lane takes its assignee or milestone."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from conftest import TODAY
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.planning.models import BoardLimits, Milestone, Task
from liaison.planning.services.board import board_limits_set
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.tasks import task_create, task_transition
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


# -- a card dropped into another lane -----------------------------------------------------


def _fresh(task: Task) -> Task:
    return Task.objects.select_related("assignee", "milestone").get(pk=task.pk)


def _accept(milestone: Milestone) -> None:
    """The client accepted it (the review's steps are test_milestones_services.py's)."""
    Milestone.objects.filter(pk=milestone.pk).update(status=Milestone.Status.ACCEPTED)


def test_a_drop_into_another_lane_sets_its_assignee_in_the_same_write(manager, member, tasks):
    wait = tasks["wait"]
    task_transition(
        task=wait, by=manager, status="in_progress", version=1, lane={"assignee": member}
    )
    wait = _fresh(wait)
    assert (wait.status, wait.assignee, wait.version) == ("in_progress", member, 2)
    row = Activity.objects.filter(target_id=wait.pk, verb="updated").latest("pk")
    assert {"status", "assignee"} <= set(row.diff) and row.actor == manager
    # Nobody's lane clears it.
    task_transition(task=wait, by=manager, status="in_progress", lane={"assignee": None})
    assert _fresh(wait).assignee is None


def test_a_drop_into_another_milestone_lane_sets_or_clears_the_milestone(manager, tasks):
    build, design = tasks["build"], tasks["design"]
    pilot = design.milestone
    task_transition(task=build, by=manager, status="in_progress", lane={"milestone": pilot})
    assert _fresh(build).milestone == pilot
    task_transition(task=design, by=manager, status="todo", lane={"milestone": None})
    assert _fresh(design).milestone is None


def test_a_lane_change_is_refused_as_task_update_would_and_changes_nothing(
    manager, observer, tasks
):
    wait, design, build = tasks["wait"], tasks["design"], tasks["build"]
    with pytest.raises(InvalidInput, match="Assign the task to a manager or member"):
        task_transition(task=wait, by=manager, status="todo", lane={"assignee": observer})
    assert (_fresh(wait).status, _fresh(wait).assignee) == ("blocked", None)
    _accept(design.milestone)
    design = _fresh(design)
    with pytest.raises(InvalidInput, match="The client accepted M-1"):
        task_transition(task=design, by=manager, status="todo", lane={"milestone": None})
    with pytest.raises(InvalidInput, match="The client accepted M-1"):
        task_transition(task=build, by=manager, status="done", lane={"milestone": design.milestone})
    assert _fresh(build).milestone is None and _fresh(design).milestone is not None
    with pytest.raises(InvalidInput, match="cannot be changed here"):
        task_transition(task=build, by=manager, status="done", lane={"title": "Renamed"})
    with pytest.raises(PermissionDenied):
        task_transition(task=build, by=observer, status="done", lane={"assignee": None})


def test_a_lane_change_from_a_stale_card_is_refused(manager, member, tasks):
    wait = tasks["wait"]
    task_transition(task=wait, by=member, status="todo", version=1)
    with pytest.raises(StaleEdit):
        task_transition(task=wait, by=manager, status="done", version=1, lane={"assignee": member})
    assert (_fresh(wait).status, _fresh(wait).assignee) == ("todo", None)


def test_a_card_keeps_an_assignee_who_left_when_it_moves_within_their_lane(
    manager, observer, tasks
):
    """The lane of someone who may no longer be assigned: moving within it
    changes no assignee, so it is not refused."""
    Task.objects.filter(pk=tasks["wait"].pk).update(assignee=observer)
    wait = _fresh(tasks["wait"])
    task_transition(task=wait, by=manager, status="todo", lane={"assignee": observer})
    assert (_fresh(wait).status, _fresh(wait).assignee) == ("todo", observer)


def _drop(client, task: Task, lanes: str, lane: object, status: str = "todo", **headers):
    return client.post(
        f"/p/OWN/tasks/{task.key}/status/",
        {
            "status": status,
            "version": _fresh(task).version,
            "after": "",
            "lanes": lanes,
            "lane": lane,
            "next": f"{BOARD}?lanes={lanes}",
        },
        headers=headers or HTMX,
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [("manager", 200), ("member", 200), ("observer", 403), ("client_user", 404)],
)
def test_only_editors_drop_a_card_into_another_lane(login, request, member, tasks, role, expected):
    response = _drop(login(request.getfixturevalue(role)), tasks["wait"], "assignee", member.pk)
    assert response.status_code == expected
    assert (_fresh(tasks["wait"]).assignee == member) == (expected == 200)
    if expected == 200:
        text = _text(response)
        assert "T-3 is now To do, in the lane member." in text
        assert ">Wait for API</a>" in _cell(text, str(member.pk), "todo")
        assert 'data-lanes="assignee"' in text


def test_a_drop_into_the_lane_of_no_milestone_clears_it(login, manager, tasks):
    response = _drop(login(manager), tasks["design"], "milestone", "")
    assert "T-1 is now To do, in the lane No milestone." in _text(response)
    assert ">Design</a>" in _cell(_text(response), "", "todo")
    assert _fresh(tasks["design"]).milestone is None


@pytest.mark.parametrize(
    ("lanes", "lane", "why"),
    [
        ("assignee", "{observer}", "Assign the task to a manager or member of the project."),
        ("assignee", "999999", "Assign the task to a manager or member of the project."),
        ("milestone", "999999", "The milestone must be one of this project."),
        ("milestone", "x", "The milestone must be one of this project."),
        # Another project's rows: its manager, its milestone (the foreign-id walk
        # lists `lane` as checked here).
        ("assignee", "{foreign_manager}", "Assign the task to a manager or member of the project."),
        ("milestone", "{foreign_milestone}", "The milestone must be one of this project."),
    ],
)
def test_a_refused_lane_change_says_why_on_the_board(
    login, manager, observer, tasks, foreign_project, lanes, lane, why
):
    elsewhere = milestone_create(
        project=foreign_project, by=foreign_project.manager, name="Theirs", due_date=TODAY
    )
    ids = {
        "observer": observer.pk,
        "foreign_manager": foreign_project.manager_id,
        "foreign_milestone": elsewhere.pk,
    }
    response = _drop(login(manager), tasks["wait"], lanes, lane.format(**ids))
    assert f'class="message message--error" role="alert">{why}' in _text(response)
    wait = _fresh(tasks["wait"])
    assert (wait.status, wait.assignee, wait.milestone) == ("blocked", None, None)


def test_an_accepted_milestone_keeps_its_cards_on_the_board(login, manager, tasks):
    _accept(tasks["design"].milestone)
    response = _drop(login(manager), tasks["design"], "milestone", "", status="done")
    assert "The client accepted M-1: its tasks stay as they were." in _text(response)
    assert _fresh(tasks["design"]).status == "todo"


def test_a_lane_change_runs_a_bounded_number_of_queries(
    login, manager, member, project, django_assert_max_num_queries
):
    client = login(manager)
    bulk_tasks(project, 200)
    task = Task.objects.get(key="T-3")
    # A plain move's queries (test_board.py), the new assignee's notice, and the lane's row.
    with django_assert_max_num_queries(32):
        response = _drop(client, task, "assignee", member.pk)
    assert response.status_code == 200
    assert _fresh(task).assignee == member
