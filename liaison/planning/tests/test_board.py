"""The board: four columns by status, filters, moving a card by drag and drop
or its menu (HTMX), without JavaScript from the task's page, and a fixed number
of queries. Lanes, limits and quick filters: test_board_lanes.py."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from conftest import TODAY
from liaison.accounts.tests.factories import PASSWORD
from liaison.core.models import Activity
from liaison.planning.models import Task
from liaison.planning.selectors.board import BOARD_LIMIT
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.tasks import task_create, task_update
from liaison.planning.tests.factories import bulk_tasks
from liaison.tests.browser import assert_accessible

BOARD = "/p/OWN/board/"
HTMX = {"HX-Request": "true"}


def _text(response) -> str:
    return response.content.decode()


def _column(text: str, status: str) -> str:
    """The HTML of one column of the board."""
    start = text.index(f'data-drop-status="{status}"')
    end = text.find("</section>", start)
    return text[start:end]


@pytest.fixture
def tasks(project, manager, member):
    milestone = milestone_create(
        project=project, by=manager, name="Pilot", due_date=dt.date(2027, 2, 1)
    )
    made = {
        "design": task_create(
            project=project, by=manager, title="Design", assignee=member, milestone=milestone
        ),
        "build": task_create(project=project, by=manager, title="Build", status="in_progress"),
        "wait": task_create(project=project, by=manager, title="Wait for API", status="blocked"),
        "ship": task_create(project=project, by=manager, title="Ship", status="done"),
        "first": task_create(project=project, by=manager, title="Comes first", order=0),
    }
    task_update(task=made["design"], by=manager, version=1, rank=5)
    return made


@pytest.mark.parametrize(
    ("role", "expected"),
    [("manager", 200), ("member", 200), ("observer", 200), ("client_user", 404), ("outsider", 404)],
)
def test_the_team_sees_the_board(login, tasks, role, expected, request):
    client = login(request.getfixturevalue(role))
    assert client.get(BOARD).status_code == expected
    assert client.get(BOARD + "?q=Design", headers=HTMX).status_code == expected


def test_each_column_shows_its_cards_and_count(login, manager, tasks, member):
    text = _text(login(manager).get(BOARD))
    todo = _column(text, "todo")
    assert 'To do <span class="chip__count">2</span>' in todo
    # By rank, then key: "Comes first" (rank 0) before Design (rank 5).
    assert todo.index("Comes first") < todo.index("Design")
    assert 'title="member"' in todo  # the assignee's initials, named for the pointer
    assert ">ME</span>" in todo
    assert "M-1" in todo
    assert "Build" in _column(text, "in_progress")
    assert "Wait for API" in _column(text, "blocked")
    assert 'Done <span class="chip__count">1</span>' in _column(text, "done")


def test_an_overdue_card_is_highlighted(login, manager, project):
    yesterday = TODAY - dt.timedelta(days=1)
    task_create(project=project, by=manager, title="Late", start_date=yesterday, due_date=yesterday)
    task_create(project=project, by=manager, title="On time", due_date=yesterday, status="done")
    text = _text(login(manager).get(BOARD))
    assert text.count("board-card--overdue") == 1
    assert "Overdue: " in _column(text, "todo")


def test_a_long_column_shows_the_first_cards_and_links_to_the_rest(login, manager, project):
    bulk_tasks(project, 4 * BOARD_LIMIT + 20)  # statuses in turn: 55 per column
    text = _text(login(manager).get(BOARD))
    todo = _column(text, "todo")
    assert todo.count('<li class="board-card') == BOARD_LIMIT
    assert 'To do <span class="chip__count">55</span>' in todo
    assert 'href="/p/OWN/tasks/?status=todo">and 5 more</a>' in todo
    filtered = _text(login(manager).get(BOARD + "?milestone=M-9999"))
    assert filtered.count("No task here matches the filters.") == 4
    assert "more</a>" not in filtered


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("q=design", ["Design"], ["Build", "Ship"]),
        ("q=T-2", ["Build"], ["Design"]),
        ("milestone=M-1", ["Design"], ["Build", "Comes first"]),
        ("assignee=0", ["Build", "Ship"], ["Design"]),
    ],
)
def test_the_board_filters(login, manager, tasks, query, shown, hidden):
    text = _text(login(manager).get(f"{BOARD}?{query}"))
    for title in shown:
        assert f">{title}</a>" in text
    for title in hidden:
        assert f">{title}</a>" not in text


def test_the_board_filters_by_assignee_and_links_the_rest_with_the_filters(
    login, manager, member, tasks
):
    text = _text(login(manager).get(f"{BOARD}?assignee={member.pk}"))
    assert ">Design</a>" in text
    assert ">Comes first</a>" not in text
    assert 'To do <span class="chip__count">1</span>' in text


def test_htmx_filters_get_only_the_columns(login, manager, tasks):
    text = _text(login(manager).get(BOARD + "?q=Ship", headers=HTMX))
    assert "<html" not in text
    assert text.lstrip().startswith('<div class="board" id="board-columns"')
    assert ">Ship</a>" in text
    assert ">Design</a>" not in text


def test_editors_get_one_menu_per_card_and_observers_none(login, manager, observer, tasks):
    text = _text(login(manager).get(BOARD))
    assert 'draggable="true"' in text
    assert text.count('class="board-card__menu"') == 5  # one button per card, no form
    assert 'aria-label="Move T-1"' in text
    assert 'aria-haspopup="menu"' in text and 'id="board-menu" role="menu"' in text
    assert "board-card__move" not in text and '<select id="move-' not in text
    assert 'src="/static/planning/board.js"' in text  # the drag and drop
    assert 'data-next="/p/OWN/board/"' in text  # where a move returns
    seen = _text(login(observer).get(BOARD))
    assert ">Design</a>" in seen
    for control in ("draggable", "board-card__menu", "board-menu", "board.js"):
        assert control not in seen, control


def test_without_javascript_the_task_page_changes_the_status(login, manager, tasks):
    text = _text(login(manager).get("/p/OWN/tasks/T-1/"))
    assert 'action="/p/OWN/tasks/T-1/status/"' in text


def test_moving_a_card_without_javascript_goes_back_to_the_board(login, manager, tasks):
    client = login(manager)
    response = client.post(
        "/p/OWN/tasks/T-1/status/",
        {"version": _version("T-1"), "status": "in_progress", "next": BOARD + "?q=Design"},
    )
    assert response.status_code == 302
    assert response["Location"] == BOARD + "?q=Design"
    assert Task.objects.get(key="T-1").status == "in_progress"
    text = _text(client.get(response["Location"]))
    assert "T-1 is now In progress." in text
    assert ">Design</a>" in _column(text, "in_progress")


def test_the_log_records_a_cards_status_not_its_place_in_the_column(manager, tasks):
    # The rank is a number nobody reads; the client would see it as a change.
    design = Task.objects.get(pk=tasks["design"].pk)  # the fixture ranked it: not logged
    task_update(task=design, by=manager, version=design.version, status="in_progress", rank=7)
    moved = Task.objects.get(pk=design.pk)
    task_update(task=moved, by=manager, version=moved.version, rank=3)
    logged = Activity.objects.filter(
        target_type__model="task", target_id=design.pk, verb="updated"
    ).order_by("pk")
    assert [entry.diff for entry in logged] == [{"status": ["todo", "in_progress"]}]


def test_moving_a_card_with_htmx_answers_the_updated_columns(login, manager, tasks):
    response = login(manager).post(
        "/p/OWN/tasks/T-1/status/",
        {"version": _version("T-1"), "status": "done", "next": BOARD + "?milestone=M-1"},
        headers=HTMX,
    )
    assert response.status_code == 200
    text = _text(response)
    assert "<html" not in text
    assert 'id="board-columns"' in text
    assert "T-1 is now Done." in text
    done = _column(text, "done")
    assert ">Design</a>" in done
    assert 'Done <span class="chip__count">1</span>' in done  # counted with the filters kept
    assert ">Ship</a>" not in done
    assert 'data-next="/p/OWN/board/?milestone=M-1"' in text
    task = Task.objects.get(key="T-1")
    assert (task.status, task.progress) == ("done", 100)


def test_a_refused_move_says_why_in_the_board(login, manager, tasks):
    response = login(manager).post(
        "/p/OWN/tasks/T-1/status/",
        {"version": _version("T-1"), "status": "archived", "next": BOARD},
        headers=HTMX,
    )
    text = _text(response)
    assert 'class="message message--error" role="alert">Choose one of the listed values.' in text
    assert Task.objects.get(key="T-1").status == "todo"


def test_observers_cannot_move_cards(login, observer, tasks):
    client = login(observer)
    assert (
        client.post(
            "/p/OWN/tasks/T-1/status/", {"version": _version("T-1"), "status": "done"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/p/OWN/tasks/T-1/status/", {"version": _version("T-1"), "status": "done"}, headers=HTMX
        ).status_code
        == 403
    )
    assert Task.objects.get(key="T-1").status == "todo"


def test_an_empty_board_says_so(login, manager, project):
    text = _text(login(manager).get(BOARD))
    assert text.count("No tasks here.") == 4
    assert 'href="/p/OWN/tasks/new/">New task' in text


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_the_board_runs_a_fixed_number_of_queries(
    login, manager, project, headers, django_assert_max_num_queries, count_queries
):
    client = login(manager)
    client.get(BOARD)  # warm the caches
    bulk_tasks(project, 10)
    small = count_queries(client, BOARD, headers)
    bulk_tasks(project, 290)
    with django_assert_max_num_queries(11):
        large = count_queries(client, BOARD, headers)
    assert small == large
    assert count_queries(client, BOARD + "?q=Task&assignee=0&milestone=M-1", headers) <= large


def test_a_move_runs_a_fixed_number_of_queries(
    login, manager, project, django_assert_max_num_queries, count_queries
):
    client = login(manager)
    bulk_tasks(project, 10)
    url = "/p/OWN/tasks/T-2/status/"
    client.post(url, {"status": "done", "version": _version("T-2"), "next": BOARD}, headers=HTMX)

    def move(status: str) -> int:
        version = _version("T-2")
        with CaptureQueriesContext(connection) as context:
            response = client.post(
                url, {"status": status, "version": version, "next": BOARD}, headers=HTMX
            )
        assert response.status_code == 200
        return len(context.captured_queries)

    small = move("todo")
    bulk_tasks(project, 290)
    with django_assert_max_num_queries(30):
        large = move("done")
    assert small == large


# -- in a real browser ------------------------------------------------------------------


def _sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.browser
def test_a_card_dragged_to_another_column_moves_there(page, manager, tasks):
    _sign_in(page, manager.email)
    page.goto(BOARD)
    card = page.locator("#card-T-1")
    expect(page.locator('[data-drop-status="todo"]')).to_contain_text("Design")
    card.drag_to(page.locator('[data-drop-status="done"]'))
    done = page.locator('[data-drop-status="done"]')
    expect(done.locator("#card-T-1")).to_be_visible()
    expect(done.get_by_role("heading")).to_contain_text("2")
    expect(page.get_by_role("status").filter(has_text="T-1 is now Done.")).to_be_visible()
    assert Task.objects.get(key="T-1").status == "done"


@pytest.mark.browser
def test_a_card_moves_with_its_menu_from_the_keyboard(page, manager, tasks):
    _sign_in(page, manager.email)
    page.goto(BOARD)
    button = page.get_by_role("button", name="Move T-2")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    menu = page.get_by_role("menu")
    expect(menu.get_by_role("menuitem", name="Move left")).to_be_focused()
    expect(menu.get_by_role("menuitem", name="Move up")).to_be_disabled()  # alone in its column
    assert_accessible(page)  # the board, its menu open
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="Move right")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator('[data-drop-status="blocked"] #card-T-2')).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="T-2 is now Blocked.")).to_be_visible()
    expect(page.get_by_role("button", name="Move T-2")).to_be_focused()  # focus stays on the card
    assert Task.objects.get(key="T-2").status == "blocked"
    # Escape closes the menu and gives the focus back to its button.
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.get_by_role("menu")).to_be_hidden()
    expect(page.get_by_role("button", name="Move T-2")).to_be_focused()


@pytest.mark.browser
def test_a_card_dragged_into_another_lane_in_chinese_is_saved(page, manager, member, tasks):
    """In swimlanes by assignee, a card dropped into the member's lane and
    another column is theirs and moved, in one save; the board passes axe."""
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    _sign_in(page, manager.email)
    page.goto(BOARD + "?lanes=assignee")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert_accessible(page)
    target = page.locator(f'[data-drop-status="done"][data-lane="{member.pk}"]')
    page.locator("#card-T-2").drag_to(target)
    expect(target.locator("#card-T-2")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("T-2")
    task = Task.objects.get(key="T-2")
    assert (task.status, task.progress, task.assignee) == ("done", 100, member)
    # From the keyboard: its menu moves it to the lane below, nobody's.
    page.locator("#card-T-2 .board-card__menu").focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-move="lane-up"]')).to_be_disabled()  # the first lane
    page.locator('[data-move="lane-down"]').click()
    expect(page.locator('[data-drop-status="done"][data-lane=""] #card-T-2')).to_be_visible()
    expect(page.locator("#card-T-2 .board-card__menu")).to_be_focused()
    assert Task.objects.get(key="T-2").assignee is None


@pytest.mark.browser
def test_a_card_dragged_within_its_column_keeps_its_place(page, manager, tasks):
    _sign_in(page, manager.email)
    page.goto(BOARD)
    todo = page.locator('[data-drop-status="todo"]')
    expect(todo.locator("li").first).to_contain_text("Comes first")
    # Dropped on the upper half of "Comes first": it goes before it, and stays there.
    first = todo.locator("#card-T-5")
    page.locator("#card-T-1").drag_to(first, target_position={"x": 10, "y": 4})
    expect(page.get_by_role("status")).to_contain_text("T-1")
    expect(todo.locator("li").first).to_contain_text("Design")
    page.reload()
    expect(page.locator('[data-drop-status="todo"] li').first).to_contain_text("Design")
    ranks = dict(Task.objects.filter(status="todo").values_list("key", "rank"))
    assert ranks["T-1"] < ranks["T-5"]


def _version(key: str) -> int:
    return Task.objects.get(key=key).version


def test_a_move_from_a_stale_board_is_refused(login, manager, member, tasks):
    """The member blocked the task after the manager's board was drawn: the
    manager's move must not silently overwrite it."""
    stale = _version("T-1")
    login(member).post(
        "/p/OWN/tasks/T-1/status/", {"status": "blocked", "version": stale}, headers=HTMX
    )
    response = login(manager).post(
        "/p/OWN/tasks/T-1/status/", {"status": "done", "version": stale}, headers=HTMX
    )
    assert "Someone else saved this" in _text(response)
    assert Task.objects.get(key="T-1").status == "blocked"
