"""The change request's main flow through a real browser: the manager raises a
change that gives a task new dates, previews its impact (the tasks that follow
move too), and sends it to the client; the client reads the impact in the
portal and approves it by typing their name; the manager finds it approved and
the plan's dates moved."""

import pytest
from playwright.sync_api import Page, expect

from liaison.accounts.tests.factories import PASSWORD
from liaison.changes.models import ChangeRequest
from liaison.changes.tests.factories import chain_plan
from liaison.planning.models import Task

pytestmark = pytest.mark.browser

CHANGE = "/p/OWN/changes/CR-1/"


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


def raise_and_assess(page: Page) -> None:
    page.goto("/p/OWN/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Changes").click()
    page.get_by_role("link", name="New change request").first.click()
    page.get_by_label("Title").fill("Longer pilot")
    page.get_by_label("What changes").fill("Step 2 takes **two more days**.")
    page.get_by_label("Tasks").fill("T-2")
    page.get_by_role("button", name="Create change request").click()
    expect(page.get_by_role("status")).to_contain_text("CR-1 created.")
    page.get_by_role("button", name="Start assessing").click()
    expect(page.get_by_role("status")).to_contain_text("CR-1 is being assessed.")

    page.get_by_role("link", name="Assess the impact").click()
    page.get_by_label("Effort (hours)").fill("16")
    page.get_by_label("Impact on scope").fill("The pilot covers the second dock.")
    page.get_by_label("New task dates").fill("T-2 2027-01-06 2027-01-12")
    page.get_by_role("link", name="Preview the impact").click()
    preview = page.locator("#impact-preview")
    expect(preview).to_contain_text("It moves 2 other tasks to respect the dependencies.")
    expect(preview).to_contain_text("The project finishes 2 working days later, on 2027-01-19.")
    assert page.url.endswith("/assess/")  # the preview saved nothing and left the form
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_role("status")).to_contain_text("The assessment of CR-1 is saved.")

    page.get_by_role("button", name="Send to the client").click()
    expect(page.get_by_role("status")).to_contain_text("CR-1 is with the client")


def approve_in_the_portal(page: Page) -> None:
    page.goto("/portal/")
    decision = page.locator(".decision").filter(has_text="Approve or reject change CR-1:")
    decision.get_by_role("link", name="Read and decide").click()
    expect(page.locator("#impact")).to_contain_text(
        "The project finishes 2 working days later, on 2027-01-19."
    )
    page.get_by_label("Your full name").fill("Li Wei")
    page.get_by_label("I approve this change and its impact.").check()
    page.get_by_role("button", name="Approve the change").click()
    expect(page.get_by_role("status")).to_contain_text("You approved CR-1.")
    expect(page.locator("#decision")).to_contain_text("Li Wei approved this change")


def test_a_change_is_assessed_sent_approved_and_applied(page: Page, project, manager, client_user):
    chain_plan(project, manager)
    sign_in(page, manager.email)
    raise_and_assess(page)
    sign_out(page)

    sign_in(page, client_user.email)
    approve_in_the_portal(page)
    sign_out(page)

    sign_in(page, manager.email)
    page.goto(CHANGE)
    expect(page.locator(".toolbar .badge").first).to_have_text("Approved")
    expect(page.locator("#decision")).to_contain_text("Li Wei")
    page.goto("/p/OWN/tasks/T-4/")
    expect(page.locator("main")).to_contain_text("2027-01-19")
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.APPROVED
    assert Task.objects.get(key="T-4").due_date.isoformat() == "2027-01-19"
