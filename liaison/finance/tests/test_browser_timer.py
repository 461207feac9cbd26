"""A timer through a real browser, in 简体中文: a member starts it on a task's
page, sees it running, stops it, and the quarter hour appears on the week's
grid. Elements are found by ids, not by their (translated) words."""

import pytest
from playwright.sync_api import Page, expect

from conftest import TODAY
from liaison.finance.models import Timer
from liaison.finance.tests.test_browser_time import sign_in
from liaison.planning.tests.factories import make_task

pytestmark = pytest.mark.browser


def test_a_timer_started_on_a_task_lands_on_the_timesheet_in_chinese(page: Page, project, member):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    task = make_task(project, title="拣货流程", assignee=member)
    sign_in(page, member.email)

    page.goto(f"/p/OWN/tasks/{task.key}/")
    page.locator("#timer-note").fill("调试打印")
    page.locator("#timer-start").click()
    expect(page.locator("#running-timer")).to_contain_text("调试打印")
    expect(page.locator("#timer-elapsed")).to_have_text("0:00")
    assert Timer.objects.filter(person=member, task=task).exists()

    page.locator("#timer-stop").click()
    expect(page.locator(f"#h-{task.pk}-{TODAY.isoformat()}")).to_have_value("0.25")
    expect(page.locator("#running-timer")).to_have_count(0)
    expect(page.locator("#start-timer")).to_be_visible()
