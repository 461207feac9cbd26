"""The Gantt through a real browser, in 简体中文 (issue 18): a manager drags a bar a
week later with the mouse, sees the successor in the preview, confirms, and the
successor moved (in the database); the same with the arrow keys; on a phone the
chart gives way to a list of the next weeks. Elements are found by ids, classes
and data attributes, not by their (translated) words."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from liaison.planning.models import Dependency, Task
from liaison.planning.services.plan import dependency_create
from liaison.planning.tests.factories import make_task
from liaison.tests.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser

MONDAY = dt.date(2026, 11, 16)  # the pinned today's week (conftest TODAY, a Wednesday)
WEEK = dt.timedelta(days=7)


@pytest.fixture
def chain(project, manager):
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    first = make_task(
        project, title="现场勘察", start_date=MONDAY, due_date=MONDAY + dt.timedelta(days=4)
    )
    second = make_task(
        project,
        title="综合布线",
        start_date=MONDAY + WEEK,
        due_date=MONDAY + WEEK + dt.timedelta(days=4),
    )
    dependency_create(project=project, by=manager, predecessor=first, successor=second)
    return first, second


def confirm_and_see_the_successor_move(page: Page, second: Task) -> None:
    panel = page.locator("#gantt-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".schedule-preview__refused")).to_have_count(0)
    expect(panel).to_contain_text("T-2")  # the successor, in "what else moves"
    expect(panel).to_contain_text("综合布线")
    panel.locator("[data-gantt-confirm]").click()
    moved = (MONDAY + 2 * WEEK).isoformat()
    # the chart redraws itself with the successor where the plan pushed it
    expect(page.locator('#gantt-scroll a[data-key="T-2"]')).to_have_attribute("data-start", moved)
    second.refresh_from_db()
    assert second.start_date == MONDAY + 2 * WEEK


def test_a_bar_dragged_a_week_later_pushes_its_successor(page: Page, manager, chain):
    _first, second = chain
    sign_in(page, manager.email)
    page.goto("/p/OWN/plan/")
    expect(page.locator("#gantt-panel")).to_be_hidden()  # full width until a bar is chosen
    bar = page.locator('#gantt-scroll a[data-key="T-1"] .g-bar')
    box = bar.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 3, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y, steps=4)
    page.mouse.move(x + 42, y, steps=4)  # a week: 6 px a day on the week scale
    page.mouse.up()
    confirm_and_see_the_successor_move(page, second)


def test_a_focused_bar_moves_with_the_arrow_keys(page: Page, manager, chain):
    _first, second = chain
    sign_in(page, manager.email)
    page.goto("/p/OWN/plan/")
    assert_accessible(page)
    page.locator('#gantt-scroll a[data-key="T-1"]').focus()
    for _day in range(7):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("#gantt-panel")).to_be_visible()
    assert_accessible(page)  # with the preview's panel open
    confirm_and_see_the_successor_move(page, second)


def test_a_phone_gets_the_list_of_the_next_weeks(page: Page, manager, chain):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, manager.email)
    page.goto("/p/OWN/plan/")
    expect(page.locator("#gantt-scroll")).to_be_hidden()
    items = page.locator(".gantt-list__item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("现场勘察")
    expect(items.first).to_contain_text("2026-11-16")


def test_a_bar_dropped_on_another_links_them_after_the_type_is_chosen(
    page: Page, project, manager, chain
):
    _first, second = chain
    third = make_task(
        project, title="上线验收", start_date=MONDAY + 3 * WEEK, due_date=MONDAY + 3 * WEEK
    )
    sign_in(page, manager.email)
    page.goto("/p/OWN/plan/")
    start = page.locator('#gantt-scroll a[data-key="T-2"] .g-bar').bounding_box()
    end = page.locator('#gantt-scroll a[data-key="T-3"] .g-bar').bounding_box()
    assert start is not None and end is not None
    page.mouse.move(start["x"] + 8, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 5, steps=6)
    page.mouse.up()
    panel = page.locator("#gantt-panel")
    expect(panel.locator("#id_kind")).to_be_visible()
    panel.locator("#id_kind").select_option("SS")
    panel.locator("[data-gantt-confirm]").click()
    expect(panel.locator(".message--success")).to_be_visible()
    assert Dependency.objects.filter(predecessor=second, successor=third, kind="SS").exists()
