"""The status report's main flow through a real browser: the manager drafts
last week's report, writes the summary and publishes it; the client finds it in
the portal and acknowledges it; the manager sees who acknowledged it."""

import re

import pytest
from playwright.sync_api import Page, expect

from liaison.accounts.tests.factories import PASSWORD
from liaison.reports.forms import last_weeks_monday
from liaison.reports.models import StatusReport

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def sign_out(page: Page) -> None:
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def write_and_publish(page: Page) -> None:
    page.goto("/p/OWN/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.locator("main")).to_contain_text("No status reports yet")
    page.get_by_role("link", name="Write last week's report").click()
    expect(page.get_by_label("A day in the period")).to_have_value(last_weeks_monday().isoformat())
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("status")).to_contain_text("RPT-1 is drafted")
    expect(page.locator("main")).to_contain_text("the client cannot see it yet; figures are live")
    expect(page.get_by_role("button", name="Publish to the client")).to_be_disabled()

    page.locator(".toolbar").get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Summary").fill("The scanners **work** with gloves on.")
    page.get_by_label("Next steps").fill("Pilot in the second warehouse.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#summary strong")).to_have_text("work")

    page.get_by_role("button", name="Publish to the client").click()
    expect(page.get_by_role("status")).to_contain_text("RPT-1 is published")
    expect(page.locator("main")).to_contain_text(re.compile(r"Published on .* by manager"))
    expect(page.locator("main")).to_contain_text("Waiting for the client to acknowledge it.")


def test_manager_publishes_and_the_client_acknowledges(page: Page, project, manager, client_user):
    sign_in(page, manager.email)
    write_and_publish(page)
    sign_out(page)

    sign_in(page, client_user.email)
    page.goto(f"/portal/p/{project.code}/")
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Reports").click()
    row = page.locator("tr", has_text="To acknowledge")
    row.get_by_role("link").click()
    expect(page.locator("#summary")).to_contain_text("The scanners work with gloves on.")
    page.get_by_label("Comment (optional)").fill("Good news, thank you.")
    page.get_by_role("button", name="I have read it").click()
    expect(page.get_by_role("status")).to_contain_text("you acknowledged RPT-1")
    expect(page.locator("#acknowledged")).to_contain_text("Acknowledged by client")
    expect(page.get_by_role("button", name="I have read it")).to_have_count(0)
    report = StatusReport.objects.get()
    assert report.status == StatusReport.Status.ACKNOWLEDGED
    assert report.acknowledged_by == client_user
    sign_out(page)

    sign_in(page, manager.email)
    page.goto("/p/OWN/reports/")
    expect(page.locator("tbody tr").first).to_contain_text("client")
    page.get_by_role("link", name=re.compile("RPT-1")).click()
    expect(page.locator("#state")).to_contain_text("Acknowledged by client on")
    expect(page.locator("#state")).to_contain_text("Good news, thank you.")
