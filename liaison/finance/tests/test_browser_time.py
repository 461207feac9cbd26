"""A week of time through a real browser, in 简体中文: a member fills the grid
for three days (Enter saves) and submits; the manager sends one day back with
a reason; the member sees why, fixes it and submits again; the manager
approves. Elements are found by names, ids and data attributes, not by their
(translated) words."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from liaison.finance.models import EntryStatus, TimeEntry
from liaison.finance.tests.factories import LAST_WEEK, role_rates
from liaison.planning.tests.factories import make_task
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser
WEEK = f"/p/OWN/time/?week={LAST_WEEK.isoformat()}"
TUESDAY = LAST_WEEK + dt.timedelta(days=1)


def cell(task, day: dt.date) -> str:
    return f"#h-{task.pk}-{day.isoformat()}"


def fill_three_days_and_submit(page: Page, task) -> None:
    page.goto(WEEK)
    for n, hours in enumerate(("8", "7.5", "6")):
        page.locator(cell(task, LAST_WEEK + dt.timedelta(days=n))).fill(hours)
    page.locator(cell(task, LAST_WEEK + dt.timedelta(days=2))).press("Enter")
    expect(page.locator("#week-total")).to_have_text("21.5")
    page.locator("#submit-week").click()
    expect(page.locator('[data-testid="week-status"]')).to_have_attribute(
        "data-status", "submitted"
    )


def send_tuesday_back(page: Page) -> None:
    page.goto("/p/OWN/time/approvals/")
    week = page.locator('[data-testid="waiting-week"]')
    expect(week).to_have_count(1)
    week.locator('[data-testid="reject-day"]').select_option(TUESDAY.isoformat())
    week.locator('[data-testid="reject-reason"]').fill("周二是供应商研讨会，请记为项目工作")
    week.locator('[data-testid="reject-day-button"]').click()
    expect(page.locator('[data-testid="waiting-week"]')).to_have_count(0)


def fix_and_resubmit(page: Page, task) -> None:
    page.goto(WEEK)
    expect(page.locator("#rejections")).to_contain_text("供应商研讨会")
    page.locator(cell(task, TUESDAY)).fill("")
    page.locator(f"#h-0-{TUESDAY.isoformat()}").fill("7.5")
    page.locator(f"#h-0-{TUESDAY.isoformat()}").press("Enter")
    expect(page.locator("#week-total")).to_have_text("21.5")
    page.locator("#submit-week").click()
    expect(page.locator('[data-testid="week-status"]')).to_have_attribute(
        "data-status", "submitted"
    )


def test_a_week_is_filled_sent_back_fixed_and_approved_in_chinese(
    page: Page, project, manager, member
):
    for person in (manager, member):
        person.language = "zh-hans"
        person.save(update_fields=["language"])
    task = make_task(project, title="拣货流程", assignee=member)
    role_rates(project)

    sign_in(page, member.email)
    fill_three_days_and_submit(page, task)
    sign_in(page, manager.email)
    send_tuesday_back(page)
    assert TimeEntry.objects.get(day=TUESDAY).status == EntryStatus.REJECTED
    sign_in(page, member.email)
    fix_and_resubmit(page, task)
    sign_in(page, manager.email)
    page.goto("/p/OWN/time/approvals/")
    page.locator('[data-testid="approve-week"]').click()
    expect(page.locator('[data-testid="waiting-week"]')).to_have_count(0)

    entries = TimeEntry.objects.order_by("day")
    assert {entry.status for entry in entries} == {EntryStatus.APPROVED}
    assert [(e.day, e.task, e.hours) for e in entries] == [
        (LAST_WEEK, task, Decimal("8.00")),
        (TUESDAY, None, Decimal("7.50")),
        (LAST_WEEK + dt.timedelta(days=2), task, Decimal("6.00")),
    ]
    assert all(entry.cost_rate == Decimal("60.00") for entry in entries)


PHONE = {"width": 390, "height": 844}


def assert_nothing_scrolls_sideways(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, f"the page scrolls {width} px sideways"


def test_a_phone_fills_the_week_as_cards_and_a_refused_cell_says_why(page: Page, project, member):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    task = make_task(project, title="拣货流程", assignee=member)
    page.set_viewport_size(PHONE)
    sign_in(page, member.email)
    page.goto(WEEK)
    assert_nothing_scrolls_sideways(page)
    monday, friday = cell(task, LAST_WEEK), cell(task, LAST_WEEK + dt.timedelta(days=4))
    expect(page.locator(friday)).to_be_in_viewport()

    page.locator(monday).fill("8")
    page.locator(friday).fill("八")
    page.locator("#save-week").click()
    expect(page.locator(f"{friday}_error")).to_be_visible()
    expect(page.locator("#grid-problem")).to_be_visible()
    assert_nothing_scrolls_sideways(page)
    assert not TimeEntry.objects.exists(), "all or nothing"

    page.locator(friday).fill("7.5")
    page.locator("#save-week").click()
    expect(page.locator("#week-total")).to_have_text("15.5")
    expect(page.locator("#week-total")).to_be_visible()
    assert sorted(TimeEntry.objects.values_list("hours", flat=True)) == [
        Decimal("7.50"),
        Decimal("8.00"),
    ]
