"""A contingency plan through a real browser: the manager writes a task step,
previews the activation with its dates, activates it and finds the task the
plan created. Elements are found by ids and attributes."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from conftest import TODAY
from liaison.accounts.tests.factories import PASSWORD
from liaison.controls.tests.factories import make_risk
from liaison.planning.models import Task

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str, language: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_plan_is_written_previewed_and_activated(page: Page, project, manager, member, language):
    manager.language = language
    manager.save(update_fields=["language"])
    make_risk(project, manager, title="Cold store Wi-Fi drops", owner=member)
    sign_in(page, manager.email, language)
    page.goto("/p/OWN/risks/RISK-1/")
    page.locator("#open-plan").click()
    page.locator("#add-task").click()
    page.locator("#id_title").fill("Install two access points")
    page.locator("#id_owner").select_option(str(member.pk))
    page.locator("#id_start_offset").fill("1")
    page.locator("#id_duration_days").fill("2")
    page.locator("#save-step").click()
    expect(page.locator("#step-1")).to_contain_text("Install two access points")

    page.locator("#preview-activation").click()
    today = TODAY
    line = page.locator("#preview-1")
    expect(line.locator("time").first).to_have_attribute(
        "datetime", (today + dt.timedelta(days=1)).isoformat()
    )
    expect(page.locator("#preview-issue")).to_be_visible()
    page.locator("#confirm-activation").click()

    expect(page.locator("#plan-state")).to_have_attribute("data-state", "activated")
    task = Task.objects.get()
    page.locator(f'#step-1 a[href="/p/OWN/tasks/{task.key}/"]').click()
    expect(page.locator("main")).to_contain_text("Install two access points")
