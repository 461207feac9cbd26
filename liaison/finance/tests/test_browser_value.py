"""Earned value through a real browser, in 简体中文: the manager follows the
sidebar to the figures and the charts; the client, once the budget is shared,
reads its summary in the portal. Elements are found by ids and attributes, not
by their (translated) words."""

import pytest
from playwright.sync_api import Page, expect

from liaison.accounts.tests.factories import PASSWORD
from liaison.finance.models import Budget
from liaison.finance.tests.factories_value import fence

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_the_manager_reads_earned_value_and_the_client_the_shared_budget(
    page: Page, project, manager, member, client_user
):
    for person in (manager, client_user):
        person.language = "zh-hans"
        person.save(update_fields=["language"])
    fence(project, member)
    sign_in(page, manager.email)
    page.goto("/p/OWN/")
    expect(page.locator("#value-card-cpi")).to_have_text("0.89")
    page.locator('nav.sidebar a[href="/p/OWN/value/"]').click()
    expect(page.locator('tr[data-figure="CPI"] td[data-value]')).to_have_attribute(
        "data-value", "0.89"
    )
    expect(page.locator('tr[data-figure="EAC"] td[data-value]')).to_have_text("4,480.00")
    expect(page.locator("#s-curve")).to_be_visible()
    expect(page.locator("#burn-chart")).to_be_visible()

    sign_in(page, client_user.email)
    page.goto("/portal/p/OWN/")
    expect(page.locator("#portal-budget")).to_have_count(0)
    Budget.objects.filter(project=project).update(share_with_client=True)
    page.reload()
    expect(page.locator("#portal-budget-agreed")).to_have_text("4,000.00")
    expect(page.locator("#portal-budget-forecast")).to_have_text("4,480.00")
