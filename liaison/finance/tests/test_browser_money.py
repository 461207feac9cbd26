"""The money pages through a real browser, in 简体中文: the manager writes the
budget's lines (labour priced at the role's rate), agrees the total, sees a
month's approved billable time in the invoicing page and marks it invoiced.
Elements are found by ids and data attributes, not by their (translated) words."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from conftest import TODAY
from liaison.finance.models import BudgetChange, TimeEntry
from liaison.finance.tests.money_factories import approved_entry, make_rate
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser


def write_and_agree_the_budget(page: Page) -> None:
    page.goto("/p/OWN/budget/")
    page.locator("#id_lines-0-kind").select_option("labour")
    page.locator("#id_lines-0-description").fill("仓库系统实施")
    page.locator("#id_lines-0-role").select_option("member")
    page.locator("#id_lines-0-hours").fill("10")
    page.locator("#id_lines-1-kind").select_option("reserve")
    page.locator("#id_lines-1-description").fill("风险储备金")
    page.locator("#id_lines-1-amount").fill("1000")
    page.locator("#budget-lines-form button[type=submit]").click()
    expect(page.locator("#lines-total")).to_contain_text("CNY 8,000.00")
    page.locator("#agree-form button[type=submit]").click()
    expect(page.locator("#agreed-total")).to_contain_text("CNY 8,000.00")
    expect(page.locator('#budget-history tr[data-kind="agreed"]')).to_have_count(1)


def invoice_the_month(page: Page) -> None:
    start = (TODAY - dt.timedelta(days=30)).isoformat()
    page.goto(f"/p/OWN/invoicing/?start={start}&end={TODAY.isoformat()}")
    expect(page.locator("#invoice-total")).to_contain_text("CNY 1,400.00")
    expect(page.locator("#invoice-time tbody tr")).to_have_count(1)
    page.locator("#id_reference").fill("FP-2026-118")
    page.locator("#mark-form button[type=submit]").click()
    expect(page.locator("#invoice-list")).to_contain_text("FP-2026-118")


def test_the_manager_budgets_and_invoices_in_chinese(page: Page, project, manager, member):
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    make_rate(project, role="member", cost="300", bill="700")
    entry = approved_entry(
        project, member, TODAY - dt.timedelta(days=2), hours="2", bill_rate="700"
    )

    sign_in(page, manager.email)
    write_and_agree_the_budget(page)
    assert BudgetChange.objects.get().total_after == Decimal("8000.00")
    invoice_the_month(page)
    entry.refresh_from_db()
    assert entry.invoiced_at is not None
    assert TimeEntry.objects.filter(invoiced_at__isnull=True).count() == 0
