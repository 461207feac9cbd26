"""Steps the browser tests share."""

from playwright.sync_api import Page, expect

from liaison.accounts.tests.factories import PASSWORD


def sign_in(page: Page, email: str) -> None:
    """Sign in as `email` on the sign-in page (whoever was signed in is signed
    out first) and wait for the first page, in 简体中文: the person's language."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.btn--primary[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1").first).to_be_visible()
