"""The issue's main flow through a real browser: the manager logs a meeting with
the client, two decisions and three action items (one owned by the client) and
sends the minutes, which arrive at a real SMTP server; the client finds their
action item in the portal and marks it done; the manager's bell shows it."""

import re

import pytest
from playwright.sync_api import Page, expect

from liaison.accounts.tests.factories import PASSWORD
from liaison.communication.models import ActionItem

pytestmark = pytest.mark.browser

LOG = "/p/OWN/communication"
ITEMS = [
    ("Send the floor plans", "client (Client)"),
    ("Collect label samples", "member (Member)"),
    ("Book the pilot room", "manager (Manager)"),
]


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


def log_the_meeting(page: Page) -> None:
    page.goto(f"{LOG}/new/")
    page.get_by_label("Subject").fill("Kick-off with the warehouse")
    page.get_by_label("When").fill("2027-01-05T10:00")
    for person in ("manager (Manager)", "client (Client)", "member (Member)"):
        page.get_by_label(person).check()
    page.get_by_label("Minutes", exact=True).fill(
        "We walked the dock. Scanners must work with gloves on."
    )
    page.get_by_label("Decisions").fill("Two-week sprints\nDemo every other Friday")
    page.get_by_label("Visible to the client").check()
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("main")).to_contain_text("COM-1")
    expect(page.locator("main")).to_contain_text("Kick-off with the warehouse")
    for title, owner in ITEMS:
        page.get_by_label("New action item").fill(title)
        page.get_by_label("Owner").select_option(label=owner)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator("#action-items")).to_contain_text(title)


def test_meeting_minutes_and_the_clients_action_item(
    page: Page, project, manager, member, client_user, smtp_inbox
):
    sign_in(page, manager.email)
    log_the_meeting(page)
    page.get_by_role("button", name="Send minutes to participants").click()
    expect(page.get_by_role("status")).to_be_visible()
    minutes_to = sorted(
        m["X-Envelope-To"]
        for m in smtp_inbox.messages
        if "Kick-off with the warehouse" in m["Subject"]
    )
    assert minutes_to == sorted([manager.email, member.email, client_user.email])
    to_client = [m for m in smtp_inbox.messages if client_user.email in m["X-Envelope-To"]]
    # The client was told of the item given to them, then got the minutes.
    minutes = [m for m in to_client if "Kick-off with the warehouse" in m["Subject"]]
    assert len(minutes) == 1, [m["Subject"] for m in to_client]
    text = minutes[0].get_body(("plain",)).get_content()
    for expected in ("Two-week sprints", "Demo every other Friday", "Send the floor plans"):
        assert expected in text
    assert "Collect label samples" not in text  # an internal item stays internal
    sign_out(page)

    sign_in(page, client_user.email)
    page.goto(f"/portal/p/{project.code}/")
    mine = page.locator("li, tr", has_text="Send the floor plans").first
    mine.get_by_role("button", name="Mark done").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile("done", re.I))
    assert ActionItem.objects.get(title="Send the floor plans").status == "done"
    sign_out(page)

    sign_in(page, manager.email)
    expect(page.locator(".bell__count")).to_be_visible()
    page.locator(".bell").click()
    expect(page.locator("main")).to_contain_text("completed")
    expect(page.locator("main")).to_contain_text("Send the floor plans")
