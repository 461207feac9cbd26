"""The issue's main flow through a real browser: the manager writes and confirms
three requirements and proposes baseline 1, the client signs it in the portal;
the manager changes one title and proposes baseline 2, whose diff shows exactly
that change; the client rejects it with a comment, which the manager reads."""

import re

import pytest
from playwright.sync_api import Page, expect

from liaison.accounts.tests.factories import PASSWORD
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member
from liaison.requirements.models import Baseline

pytestmark = pytest.mark.browser

REQUIREMENTS = [
    ("Scan pallet labels", "Reads EAN-13 barcodes\nWorks with gloves on"),
    ("Print pick lists", "One page per order"),
    ("Night shift reports", "Ready by 06:00"),
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


def write_and_confirm(page: Page, title: str, criteria: str) -> None:
    page.get_by_role("link", name="New requirement").first.click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Acceptance criteria").fill(criteria)
    expect(page.get_by_label("Visible to the client")).to_be_checked()
    page.get_by_role("button", name="Create requirement").click()
    expect(page.get_by_role("status")).to_contain_text("created.")
    for status in ("In review", "Confirmed"):
        page.get_by_role("button", name=status, exact=True).click()
        expect(page.get_by_role("status")).to_contain_text(f"is now {status}.")


def propose(page: Page, title: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Baselines").click()
    page.get_by_role("link", name="Propose baseline").first.click()
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Propose to the client").click()
    expect(page.get_by_role("status")).to_contain_text("is proposed")


def open_the_decision(page: Page, number: int) -> None:
    decision = page.locator(".decision").filter(has_text=f"Sign baseline {number}:")
    decision.get_by_role("link", name="Read and decide").click()
    expect(page).to_have_url(re.compile(rf"/portal/p/OWN/baselines/{number}/$"))


def test_requirements_signed_then_a_change_rejected(page: Page, project, manager):
    claire = make_member(
        project,
        "claire@customer.example",
        role=Membership.Role.CLIENT,
        display_name="Claire Client",
    )

    # 1. The manager writes three requirements and confirms them.
    sign_in(page, manager.email)
    page.goto("/p/OWN/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requirements").click()
    for title, criteria in REQUIREMENTS:
        write_and_confirm(page, title, criteria)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Requirements").click()
    expect(page.locator("main tbody tr")).to_have_count(3)

    # 2. …and proposes baseline 1, which freezes all three.
    propose(page, "Warehouse scope")
    expect(page).to_have_url(re.compile(r"/p/OWN/baselines/1/$"))
    expect(page.locator("#record")).to_contain_text("Awaiting signature")
    for title, _criteria in REQUIREMENTS:
        expect(page.locator("main")).to_contain_text(title)
    page.screenshot(path="/tmp/browser-req-1-baseline.png", full_page=True)
    sign_out(page)

    # 3. The client finds the decision first and signs.
    sign_in(page, claire.email)
    expect(page.locator("main")).to_contain_text("1 decision waiting for you")
    open_the_decision(page, 1)
    expect(page.locator("main")).to_contain_text("Works with gloves on")
    page.get_by_label("Your full name").fill("Claire Client")
    page.get_by_label(
        "I have read this baseline and agree that it describes the agreed scope."
    ).check()
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("You signed baseline 1.")
    record = page.locator("#record")
    expect(record).to_contain_text("Claire Client")
    expect(record).to_contain_text("127.0.0.1")
    expect(page.get_by_role("button", name="Sign", exact=True)).to_have_count(0)
    page.screenshot(path="/tmp/browser-req-2-signed.png", full_page=True)
    sign_out(page)

    # 4. The manager renames one requirement and proposes baseline 2.
    sign_in(page, manager.email)
    page.goto("/p/OWN/requirements/")
    page.get_by_role("link", name="Print pick lists").click()
    page.locator(".toolbar").get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Title").fill("Print pick lists and labels")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("saved.")
    propose(page, "Warehouse scope, revised")
    expect(page).to_have_url(re.compile(r"/p/OWN/baselines/2/$"))

    # 5. The diff shows exactly that change.
    page.get_by_role("link", name="Compare with 1").click()
    main = page.locator("main")
    expect(main).to_contain_text("From baseline 1 to baseline 2: 0 added, 0 removed, 1 changed.")
    expect(page.locator("#diff-added")).to_have_count(0)
    expect(page.locator("#diff-removed")).to_have_count(0)
    changed = page.locator("#diff-changed")
    expect(changed.locator("h4")).to_have_count(1)
    expect(changed.locator("tbody tr")).to_have_count(1)
    expect(changed.locator(".diff__old")).to_have_text("Print pick lists")
    expect(changed.locator(".diff__new")).to_have_text("Print pick lists and labels")
    page.screenshot(path="/tmp/browser-req-3-diff.png", full_page=True)
    sign_out(page)

    # 6. The client sees what changed since what they signed, and rejects it.
    sign_in(page, claire.email)
    open_the_decision(page, 2)
    expect(main).to_contain_text("What changed since baseline 1, which you signed")
    page.screenshot(path="/tmp/browser-req-4-decide.png", full_page=True)
    page.get_by_label("What should change?").fill("Labels belong in phase 2, not now.")
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_role("status")).to_contain_text("You rejected baseline 2.")
    sign_out(page)

    # 7. The manager reads the rejection on the baseline's page.
    sign_in(page, manager.email)
    page.goto("/p/OWN/baselines/")
    page.get_by_role("link", name=re.compile("Warehouse scope, revised")).click()
    record = page.locator("#record")
    expect(record).to_contain_text("Rejected by the client")
    expect(record.locator(".rejection")).to_have_text("Labels belong in phase 2, not now.")
    page.screenshot(path="/tmp/browser-req-5-rejected.png", full_page=True)

    statuses = dict(Baseline.objects.values_list("number", "status"))
    assert statuses == {1: Baseline.Status.SIGNED, 2: Baseline.Status.REJECTED}
