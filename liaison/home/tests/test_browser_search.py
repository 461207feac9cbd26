"""Search across everything in a real browser, in Chinese: the manager presses
`/` on the dashboard, types part of a Chinese title into the top bar's box and
lands on the results; the client does the same from the portal, with Ctrl-K,
and finds only what the portal shows. Elements are found by id and class, not
by their (translated) text."""

import pytest
from playwright.sync_api import Page, expect

from liaison.planning.tests.factories import make_task
from liaison.requirements.tests.factories import make_requirement
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser


def test_the_team_and_the_client_search_in_chinese(page: Page, project, manager, client_user):
    for person in (manager, client_user):
        person.language = "zh-hans"
        person.save(update_fields=["language"])
    shown = make_requirement(project, title="仓库管理系统上线", client_visible=True)
    make_task(project, title="仓库管理的内部成本核算", client_visible=False)

    sign_in(page, manager.email)
    page.goto("/")
    page.locator("main").click()  # nothing focused: "/" is the shortcut, not a character
    page.keyboard.press("/")
    expect(page.locator("#topbar-search")).to_be_focused()
    page.keyboard.type("库管")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator("#search-results .search-result")
    expect(results).to_have_count(2)
    expect(page.locator("#search-results mark").first).to_have_text("库管")
    page.locator(f"#search-results a[href='/p/OWN/requirements/{shown.key}/']").click()
    page.wait_for_url(f"**/p/OWN/requirements/{shown.key}/")
    page.context.clear_cookies()

    sign_in(page, client_user.email)
    page.goto("/portal/")
    page.keyboard.press("Control+k")
    expect(page.locator("#topbar-search")).to_be_focused()
    page.keyboard.type("仓库管理")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/search/?q=*")
    expect(results).to_have_count(1)
    expect(results.first.locator("a")).to_have_attribute(
        "href", f"/portal/p/OWN/requirements/{shown.key}/"
    )
    expect(page.locator("#search-results")).not_to_contain_text("内部成本")
