"""The people view through a real browser, in 简体中文: the owner finds the
person over capacity across two projects, filters on who is over, opens their
page and records a day off; the day off shows in the view. Elements are found
by ids, test ids and attributes, not by their (translated) words."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from conftest import TODAY
from liaison.accounts.tests.factories import PASSWORD
from liaison.planning.selectors.workload import monday_of
from liaison.planning.tests.factories import make_task
from liaison.projects.models import Membership, Project, TimeOff
from liaison.projects.tests.factories import make_project

pytestmark = pytest.mark.browser

MONDAY = monday_of(TODAY)
THIS_WEEK = {"start_date": MONDAY, "due_date": MONDAY + dt.timedelta(days=4)}


def test_the_owner_finds_who_is_over_and_records_their_day_off_in_chinese(
    page: Page, org, owner, manager, member, project
):
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    other = make_project(org, manager, "TWO", status=Project.Status.ACTIVE)
    Membership.objects.create(project=other, user=member, role=Membership.Role.MEMBER)
    make_task(project, assignee=member, estimate_hours=30, **THIS_WEEK)
    make_task(other, assignee=member, estimate_hours=20, **THIS_WEEK)

    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.locator('.sidebar a[href="/people/"]').click()
    row = page.locator(f'[data-testid="people"] tr[data-person="{member.pk}"]')
    expect(row).to_have_class("is-over")
    expect(row.locator(".badge--red").first).to_contain_text("50")  # 30 + 20 h against 40
    page.locator('[data-testid="people-show"]').select_option("over")
    expect(page).to_have_url(re.compile(r"/people/\?from=[-0-9]+&show=over$"))
    expect(page.locator('[data-testid="people"] tbody tr')).to_have_count(1)

    row.get_by_role("link").click()
    form = page.locator('[data-testid="time-off-form"]')
    form.locator("#id_start_date").fill((MONDAY + dt.timedelta(days=1)).isoformat())
    form.locator("#id_end_date").fill((MONDAY + dt.timedelta(days=1)).isoformat())
    form.locator("#id_note").fill("体检")
    form.locator('button[type="submit"]').click()
    expect(page.locator('[data-testid="time-off"]')).to_contain_text("体检")
    assert TimeOff.objects.get().user == member

    page.goto("/people/")
    cell = page.locator(f'tr[data-person="{member.pk}"] td').nth(1)
    expect(cell).to_contain_text("32")  # four days' capacity that week
