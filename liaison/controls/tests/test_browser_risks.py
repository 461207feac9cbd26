"""The risk register through a real browser, in 简体中文: the manager records a
risk, gives it a probability and an impact, finds it in its heat map cell and
shares it with the client; the client reads it in the portal. Elements are
found by ids and attributes, not by their (translated) words."""

import pytest
from playwright.sync_api import Page, expect

from liaison.accounts.tests.factories import PASSWORD
from liaison.controls.models import Risk

pytestmark = pytest.mark.browser

REGISTER = "/p/OWN/risks/"


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def record_a_risk(page: Page) -> None:
    page.goto(REGISTER)
    page.locator("#new-risk").click()
    page.locator("#id_title").fill("RF 手持终端到货延迟")
    page.locator("#id_category").select_option("external")
    page.locator("#id_probability").select_option("5")
    page.locator("#id_impact").select_option("4")
    page.locator("#id_preventive_actions").fill("每周确认到货日期")
    page.locator("#save-risk").click()
    expect(page.locator("#risk-score")).to_have_attribute("data-score", "20")
    expect(page.locator("#risk-internal")).to_be_visible()


def find_it_in_the_heat_map(page: Page) -> None:
    page.goto(REGISTER)
    cell = page.locator("#heat-p5-i4")
    expect(cell).to_have_attribute("data-count", "1")
    expect(page.locator("#heat-p1-i1")).to_have_attribute("data-count", "0")
    cell.click()
    expect(page.locator("#heat-p5-i4")).to_have_attribute("aria-current", "true")
    rows = page.locator("#risk-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-key", "RISK-1")


def share_it_with_the_client(page: Page) -> None:
    page.locator('#risk-table a[href$="/risks/RISK-1/"]').click()
    page.locator("#edit-risk").click()
    page.locator("#id_client_visible").check()
    page.locator("#save-risk").click()
    expect(page.locator("#risk-internal")).to_have_count(0)


def test_a_risk_is_recorded_mapped_and_shared_in_chinese(page: Page, project, manager, client_user):
    for person in (manager, client_user):
        person.language = "zh-hans"
        person.save(update_fields=["language"])
    sign_in(page, manager.email)
    record_a_risk(page)
    find_it_in_the_heat_map(page)
    share_it_with_the_client(page)
    assert Risk.objects.get().client_visible
    sign_out(page)

    sign_in(page, client_user.email)
    page.goto("/portal/p/OWN/")
    page.locator('a[href="/portal/p/OWN/risks/"]').first.click()
    row = page.locator('#portal-risk-table tr[data-key="RISK-1"]')
    expect(row).to_contain_text("RF 手持终端到货延迟")
    row.get_by_role("link").click()
    expect(page.locator("#risk-score")).to_have_attribute("data-score", "20")
    expect(page.locator("main")).to_contain_text("每周确认到货日期")
