"""Issue 16's whole way of time to money through a real browser, in 简体中文:
a member fills last week's timesheet (a task row, three billable days) and logs
two non-billable hours from the task's page, then submits; the manager sends
Tuesday back with a reason; the member reads it, fixes Tuesday and submits
again; the manager approves. Earned value's AC and CPI and the overview's
budget card then move by exactly the approved hours × the member's cost rate,
and the invoicing CSV, downloaded through the browser, holds exactly the
approved billable rows: not the non-billable hours, nor a colleague's week
still waiting, nor the member's time in another project.

Elements are found by ids and data attributes, not by their (translated) words;
words are read only to see the Chinese: the CSV's header and the card's
"spent / budget" (English says "of")."""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from liaison.finance.earned_value import cents
from liaison.finance.tests.factories import LAST_WEEK, submitted_week
from liaison.finance.tests.factories_value import approve_time, make_budget, plan_tasks
from liaison.finance.tests.money_factories import approved_entry, make_expense, make_rate
from liaison.planning.models import Task
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member, make_project
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser

COST, BILL = Decimal("60"), Decimal("150")  # the member role's rates, per hour
BUDGET, PROGRESS = Decimal("4000"), 60  # one planned task earns 60 % of the budget
EARNED = BUDGET * PROGRESS / 100
EARLIER_HOURS = Decimal("30")  # approved the week before: AC before this week's
EXPENSE = Decimal("250.00")  # billable, in last week
DAYS = [LAST_WEEK + dt.timedelta(days=n) for n in range(4)]  # Monday to Thursday
TUESDAY, THURSDAY = DAYS[1], DAYS[3]
BILLED = {DAYS[0]: Decimal("8"), TUESDAY: Decimal("7.5"), DAYS[2]: Decimal("6")}  # once fixed
UNBILLED = Decimal("2")  # Thursday, logged from the task's page
WEEK = f"/p/OWN/time/?week={LAST_WEEK.isoformat()}"
PERIOD = f"start={LAST_WEEK.isoformat()}&end={(LAST_WEEK + dt.timedelta(days=6)).isoformat()}"


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def expect_submitted(page: Page) -> None:
    expect(page.locator('[data-testid="week-status"]')).to_have_attribute(
        "data-status", "submitted"
    )


def fill_the_week(page: Page, task: Task) -> None:
    """The task added as a row of the grid, 8 hours on Tuesday (wrongly), then
    two non-billable hours from the task's page; submitted."""
    page.goto(WEEK)
    page.locator("#new-task").select_option(str(task.pk))
    typed = {**BILLED, TUESDAY: Decimal("8")}
    for day, hours in typed.items():
        page.locator(f'input[name="h-new-{day.isoformat()}"]').fill(str(hours))
    page.locator(f'input[name="h-new-{DAYS[2].isoformat()}"]').press("Enter")
    expect(page.locator("#week-total")).to_have_text("22")

    page.goto(f"/p/OWN/tasks/{task.key}/")
    form = page.locator("#log-time")
    form.locator("#log-day").fill(THURSDAY.isoformat())
    form.locator("#log-hours").fill(str(UNBILLED))
    form.locator("#log-note").fill("内部培训")
    form.locator("#log-billable").uncheck()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"/p/OWN/tasks/{task.key}/")

    page.goto(WEEK)
    expect(page.locator("#week-total")).to_have_text("24")
    page.locator("#submit-week").click()
    expect_submitted(page)


def members_week(page: Page, email: str):
    return page.locator(f'[data-testid="waiting-week"][data-person="{email}"]')


def send_tuesday_back(page: Page, email: str) -> None:
    page.goto("/p/OWN/time/approvals/")
    week = members_week(page, email)
    week.locator('[data-testid="reject-day"]').select_option(TUESDAY.isoformat())
    week.locator('[data-testid="reject-reason"]').fill("周二只有半天在现场，请改为 7.5 小时")
    week.locator('[data-testid="reject-day-button"]').click()
    expect(members_week(page, email)).to_have_count(0)


def fix_tuesday(page: Page, task: Task) -> None:
    page.goto(WEEK)
    expect(page.locator("#rejections")).to_contain_text("7.5 小时")
    expect(page.locator('[data-testid="week-status"]')).not_to_have_attribute(
        "data-status", "submitted"
    )
    tuesday = page.locator(f"#h-{task.pk}-{TUESDAY.isoformat()}")
    tuesday.fill(str(BILLED[TUESDAY]))
    tuesday.press("Enter")
    expect(page.locator("#week-total")).to_have_text("23.5")
    page.locator("#submit-week").click()
    expect_submitted(page)


def expect_cost(page: Page, spent: Decimal) -> None:
    """The value page's AC and CPI, and the overview card's spent and CPI, at `spent`."""
    cpi = f"{EARNED / spent:.2f}"
    page.goto("/p/OWN/value/")
    expect(page.locator('tr[data-figure="AC"] td[data-value]')).to_have_attribute(
        "data-value", money(spent)
    )
    expect(page.locator('tr[data-figure="CPI"] td[data-value]')).to_have_attribute(
        "data-value", cpi
    )
    page.goto("/p/OWN/")
    expect(page.locator("#value-card-spent")).to_contain_text(f"{money(spent)} / {money(BUDGET)}")
    expect(page.locator("#value-card-cpi")).to_have_text(cpi)


def download_invoice_csv(page: Page) -> list[list[str]]:
    page.goto(f"/p/OWN/invoicing/?{PERIOD}")
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return list(csv.reader(text.splitlines()))


def test_time_goes_from_the_timesheet_to_earned_value_and_the_invoice_in_chinese(
    page: Page, org, project, manager, member
):
    for person in (manager, member):
        person.language = "zh-hans"
        person.save(update_fields=["language"])
    make_rate(project, role="member", cost=str(COST), bill=str(BILL), days_ago=60)
    make_budget(project, str(BUDGET))
    (task,) = plan_tasks(project, [(DAYS[0], DAYS[-1], "40")])
    Task.objects.filter(pk=task.pk).update(title="拣货流程", progress=PROGRESS)
    earlier_week = LAST_WEEK - dt.timedelta(days=7)
    approve_time(project, member, earlier_week, hours=str(EARLIER_HOURS), rate=str(COST))
    make_expense(project, manager, day=TUESDAY, amount=EXPENSE, description="仓库差旅")
    colleague = make_member(project, "colleague@test.example", org=org)
    submitted_week(project, colleague, days=2)  # waits: not approved, not billed
    other = make_project(org, manager, "OTHER")
    Membership.objects.create(project=other, user=member, role=Membership.Role.MEMBER)
    approved_entry(other, member, DAYS[0], hours="3", bill_rate=str(BILL))  # not OWN's

    sign_in(page, member.email)
    fill_the_week(page, task)
    sign_in(page, manager.email)
    send_tuesday_back(page, member.email)
    sign_in(page, member.email)
    fix_tuesday(page, task)

    sign_in(page, manager.email)
    before = EARLIER_HOURS * COST + EXPENSE
    expect_cost(page, before)
    page.goto("/p/OWN/time/approvals/")
    members_week(page, member.email).locator('[data-testid="approve-week"]').click()
    expect(members_week(page, member.email)).to_have_count(0)
    expect(page.locator('[data-testid="waiting-week"]')).to_have_count(1)  # the colleague's
    expect_cost(page, before + (sum(BILLED.values()) + UNBILLED) * COST)

    header, *rows = download_invoice_csv(page)
    assert header[0] == "类型"
    billed = [
        (row[1], row[4], row[5], Decimal(row[9]), Decimal(row[10]), Decimal(row[11]))
        for row in rows
        if row[4]  # an expense's row names no person
    ]
    assert billed == [
        (day.isoformat(), "member", task.key, hours, BILL, cents(hours * BILL))
        for day, hours in BILLED.items()
    ]
    assert {row[12] for row in rows} == {project.currency}
    assert [(row[1], row[7], Decimal(row[11])) for row in rows if not row[4]] == [
        (TUESDAY.isoformat(), "仓库差旅", EXPENSE)
    ]
