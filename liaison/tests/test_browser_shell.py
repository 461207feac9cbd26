"""The shell in a real browser: the main flows pass axe-core with no serious or
critical violation, and at 390 px a page shows its content first, the
sidebar folded behind the Menu button until it is pressed."""

import pytest
from playwright.sync_api import Page, expect

from liaison.planning.tests.factories import make_task
from liaison.requirements.tests.factories import agreed_requirement
from liaison.tests.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chinese(manager, client_user):
    for person in (manager, client_user):
        person.language = "zh-hans"
        person.save(update_fields=["language"])


def test_the_sign_in_page_is_accessible(page: Page):
    page.goto("/accounts/login/")
    assert_accessible(page)


def test_the_teams_main_pages_are_accessible(page: Page, project, manager, chinese):
    task = make_task(project)
    requirement = agreed_requirement(project, client_visible=True)
    sign_in(page, manager.email)
    for path in (
        "/",
        f"/p/{project.code}/",
        f"/p/{project.code}/tasks/",
        f"/p/{project.code}/tasks/{task.key}/",
        f"/p/{project.code}/requirements/{requirement.key}/",
    ):
        page.goto(path)
        assert_accessible(page)


def test_the_portal_is_accessible(page: Page, project, client_user, chinese):
    requirement = agreed_requirement(project, client_visible=True)
    sign_in(page, client_user.email)
    for path in (f"/portal/p/{project.code}/", f"/portal/p/{project.code}/requirements/"):
        page.goto(path)
        assert_accessible(page)
    page.goto(f"/portal/p/{project.code}/requirements/{requirement.key}/")
    assert_accessible(page)


def test_a_phone_shows_the_content_first_and_the_menu_on_demand(
    page: Page, project, manager, chinese
):
    page.set_viewport_size(PHONE)
    sign_in(page, manager.email)
    page.goto(f"/p/{project.code}/")
    heading = page.locator("main h1").first
    expect(heading).to_be_in_viewport()
    box = heading.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    sidebar, toggle = page.locator("#sidebar"), page.locator("[data-nav-toggle]")
    expect(sidebar).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(sidebar).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(sidebar.locator("a").first).to_be_focused()
    assert_accessible(page)

    page.keyboard.press("Escape")
    expect(sidebar).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focus is visible"


def test_a_phone_shows_the_task_list_as_cards(page: Page, project, manager, chinese):
    make_task(project, title="扫描枪联调")
    page.set_viewport_size(PHONE)
    sign_in(page, manager.email)
    page.goto(f"/p/{project.code}/tasks/")
    table = page.locator("table.table--cards")
    expect(table.locator("thead")).not_to_be_in_viewport()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing scrolls sideways"
    expect(table.locator("td[data-label]").first).to_be_visible()


def test_the_desktop_keeps_the_sidebar_and_hides_the_menu_button(
    page: Page, project, manager, chinese
):
    sign_in(page, manager.email)
    page.goto(f"/p/{project.code}/")
    expect(page.locator("#sidebar")).to_be_visible()
    expect(page.locator("[data-nav-toggle]")).to_be_hidden()


def test_without_script_a_phone_shows_the_content_then_the_sidebar(
    browser, live_server, project, manager, chinese
):
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport=PHONE
    )
    try:
        page = context.new_page()
        sign_in(page, manager.email)
        page.goto(f"/p/{project.code}/")
        expect(page.locator("main h1").first).to_be_in_viewport()
        sidebar = page.locator("#sidebar")
        expect(sidebar).to_be_attached()
        expect(sidebar).not_to_be_in_viewport()
        page.locator("[data-nav-toggle]").click()  # a link to #sidebar
        expect(sidebar).to_be_in_viewport()
    finally:
        context.close()
