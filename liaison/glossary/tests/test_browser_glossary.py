"""A glossary term explained in the portal, in 简体中文: the client opens a
requirement whose text uses a term; pointing at it, or reaching it with the
keyboard, shows its definition, and Escape puts it away; the portal's
glossary lists it. Elements are found by ids and classes, not by words."""

import pytest
from playwright.sync_api import Page, expect

from liaison.glossary.tests.factories import make_term
from liaison.requirements.tests.factories import make_requirement
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser


def test_the_client_finds_a_term_explained_on_hover_and_focus(page: Page, project, client_user):
    client_user.language = "zh-hans"
    client_user.save(update_fields=["language"])
    make_term(
        project,
        term="EMR",
        term_zh="电子病历",
        definition="Electronic medical record.",
        definition_zh="以电子方式记录的病历，取代纸质病历。",
    )
    requirement = make_requirement(
        project, title="门诊病历结构化录入", body="医生在工作站按模板录入**电子病历**的主诉。"
    )

    sign_in(page, client_user.email)
    page.goto(f"/portal/p/{project.code}/requirements/{requirement.key}/")
    term = page.locator(".markdown .term").first
    tip = term.locator(".term__tip")
    expect(term).to_contain_text("电子病历")
    expect(tip).to_be_hidden()

    term.hover()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("以电子方式记录的病历，取代纸质病历。")
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()

    term.focus()  # a tap focuses it too
    expect(tip).to_be_visible()
    description = page.locator(f"#{term.get_attribute('aria-describedby')}")
    expect(description).to_contain_text("电子病历 (EMR)")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()

    page.goto(f"/portal/p/{project.code}/glossary/")
    expect(page.locator("#glossary")).to_contain_text("以电子方式记录的病历")
