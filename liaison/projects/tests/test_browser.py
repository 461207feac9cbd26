"""The main flow through a real browser: a manager creates a project and invites
the client, who chooses a password from the e-mail, signs in to the portal and
switches to Chinese. Plus the HTMX project filter."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from liaison.accounts.models import Client
from liaison.accounts.tests.factories import PASSWORD
from liaison.projects.models import Project
from liaison.projects.tests.factories import make_project

pytestmark = pytest.mark.browser

SET_PASSWORD_LINK = re.compile(r"http://\S+/accounts/welcome/HARBOUR/[^/\s]+/[^/\s]+/")


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_manager_invites_client_who_uses_the_portal_in_chinese(
    page: Page, live_server, settings, smtp_inbox, org, manager
):
    settings.SITE_URL = live_server.url  # the invitation's link points here
    company = Client.objects.create(organization=org, name="Harbour Foods")
    # Same organization and even the same client company, but the client person
    # is not a member: the portal must not show it.
    make_project(org, manager, "SECRET", name="Internal tooling", client=company)

    # 1. The manager signs in.
    sign_in(page, manager.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Good to see you, {manager.display_name}"
    )

    # 2. …and creates a project.
    start = timezone.localdate()
    end = start + timedelta(days=120)
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Code").fill("HARBOUR")
    page.get_by_label("Name").fill("Cold chain rollout")
    page.get_by_label("Client").select_option(label="Harbour Foods")
    page.get_by_label("Start", exact=True).fill(start.isoformat())
    page.get_by_label("End", exact=True).fill(end.isoformat())
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Create project").click()

    expect(page).to_have_url(re.compile(r"/p/HARBOUR/$"))
    expect(page.get_by_role("status")).to_contain_text("Project HARBOUR created.")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("HARBOUR")
    expect(heading).to_contain_text("Cold chain rollout")
    expect(page.locator(".page-header__meta")).to_contain_text("Active")
    expect(page.locator(".stats")).to_contain_text(end.isoformat())
    expect(page.locator(".stats")).to_contain_text("days left")
    page.screenshot(path="/tmp/browser-1-overview.png", full_page=True)

    # 3. The manager invites the client's contact person.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    invite = page.locator("form").filter(has=page.get_by_role("button", name="Send invitation"))
    invite.get_by_label("E-mail address").fill("lin.wei@harbour.example")
    invite.get_by_label("Name").fill("Lin Wei")
    # No role is chosen for the manager: sent as it is, the form asks for one.
    role = invite.get_by_label("Role")
    expect(role).to_have_value("")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#id_role_error")).to_be_visible()
    invite = page.locator("form").filter(has=page.get_by_role("button", name="Send invitation"))
    invite.get_by_label("Role").select_option(label="Client")
    invite.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("status")).to_contain_text(
        "lin.wei@harbour.example is invited as Client."
    )
    invited_row = page.get_by_role("row").filter(has_text="lin.wei@harbour.example")
    expect(invited_row).to_contain_text("Invited")
    page.screenshot(path="/tmp/browser-2-members.png", full_page=True)

    # The mail went out when the request's transaction committed, before the
    # response, so it is already at the SMTP server.
    assert len(smtp_inbox.messages) == 1
    mail = smtp_inbox.messages[0]
    assert mail["X-Envelope-To"] == "lin.wei@harbour.example"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Cold chain rollout" in body
    link = SET_PASSWORD_LINK.search(body).group(0)
    assert link.startswith(live_server.url)

    # 4. The manager signs out; the client chooses a password and signs in.
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a password")).to_be_visible()
    new_password = "Tide-table-orchard-83"
    page.locator("[name=new_password1]").fill(new_password)
    page.locator("[name=new_password2]").fill(new_password)
    page.get_by_role("button", name="Save password").click()

    # Choosing the password signs the client in, straight to the portal.
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Lin Wei")
    projects = page.locator("main .card")
    expect(projects).to_have_count(1)
    expect(projects).to_contain_text("Cold chain rollout")
    expect(page.locator("main")).not_to_contain_text("SECRET")
    expect(page.locator("main")).not_to_contain_text("Internal tooling")

    page.get_by_role("link", name=re.compile("Cold chain rollout")).click()
    expect(page).to_have_url(re.compile(r"/portal/p/HARBOUR/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cold chain rollout")
    expect(page.locator("main")).to_contain_text(end.isoformat())

    # 5. The client switches to Chinese with the top bar's switcher.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(".topbar").get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_url(re.compile(r"/portal/p/HARBOUR/$"))
    with translation.override("zh-hans"):
        your_projects = translation.gettext("Your projects")
    assert your_projects != "Your projects", "“Your projects” is not translated to zh-hans yet"
    expect(page.get_by_role("link", name=your_projects)).to_be_visible()
    expect(page.locator(".topbar").get_by_role("button", name="English")).to_be_visible()
    page.screenshot(path="/tmp/browser-3-portal-zh.png", full_page=True)


def test_project_list_filters_in_place(page: Page, org, manager):
    for code, name in [("ALPHA", "Warehouse move"), ("BETA", "Beta portal"), ("GAMMA", "Audit")]:
        make_project(org, manager, code, name=name, status=Project.Status.ACTIVE)

    sign_in(page, manager.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    rows = page.locator("#results tbody tr")
    count = page.locator(".page-header__meta")
    expect(rows).to_have_count(3)
    expect(count).to_have_text("3 projects")

    # A full page load would wipe this; an HTMX swap keeps it.
    page.evaluate("window.__sameDocument = true")
    page.locator("#f-q").press_sequentially("portal")

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("BETA")
    expect(count).to_have_text("1 project")
    expect(page).to_have_url(re.compile(r"[?&]q=portal"))
    assert page.evaluate("window.__sameDocument") is True
    page.screenshot(path="/tmp/browser-4-filtered.png", full_page=True)


def test_choosing_a_role_saves_it_at_once(page: Page, manager, member, project):
    """The role select sends its form on change: liaison.js, not an inline
    handler (a Content-Security-Policy would block one)."""
    sign_in(page, manager.email, PASSWORD)
    page.goto(f"/p/{project.code}/members/")
    role = page.locator(f"#role-{member.memberships.get(project=project).pk}")
    with page.expect_navigation():
        role.select_option("observer")
    expect(role).to_have_value("observer")
    assert member.memberships.get(project=project).role == "observer"
