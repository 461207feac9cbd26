"""A fresh instance in a real browser, in Chinese: the printed setup link opens
the first-run page, which creates the organization and lands on the dashboard.
Elements are found by id and name, not by their (translated) text."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from liaison.accounts.models import Organization, OrgMembership, User

pytestmark = pytest.mark.browser


@pytest.fixture
def chinese_page(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()


def test_first_run_page_in_chinese_leads_to_the_dashboard(chinese_page, live_server, settings):
    settings.SITE_URL = live_server.url
    out = io.StringIO()
    call_command("first_run_link", stdout=out)
    link = re.search(r"Open (\S+) to create", out.getvalue()).group(1)
    assert link.startswith(live_server.url + "/setup/?token=")
    page = chinese_page

    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # The browser's language is the owner's language unless they choose another.
    expect(page.locator("#id_language")).to_have_value("zh-hans")
    page.locator("#id_name").fill("明线交付")
    page.locator("#id_display_name").fill("王芳")
    page.locator("#id_email").fill("wang.fang@mingxian.example")
    page.locator("#id_password").fill("Tide-table-orchard-83")
    page.locator("#id_password_again").fill("Tide-table-orchard-83")
    page.screenshot(path="/tmp/browser-first-run.png", full_page=True)
    page.locator("button[name=create]").click()

    expect(page).to_have_url(re.compile(r"^" + re.escape(live_server.url) + r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".topbar__org")).to_have_text("明线交付")
    expect(page.locator(".menu summary")).to_have_text("王芳")
    owner = User.objects.get(email="wang.fang@mingxian.example")
    assert owner.language == "zh-hans"
    assert OrgMembership.objects.get(user=owner).organization == Organization.objects.get()

    # The link has done its work: the page is gone.
    response = page.goto(link)
    assert response.status == 404
