"""Steps the browser tests share."""

from pathlib import Path

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


# axe-core, the accessibility checker (MPL-2.0), from the npm registry at the
# version package-lock.json pins: `make test` runs `npm ci` when it is missing.
# Run through Playwright's evaluate, which the page's Content-Security-Policy
# does not govern, so the page stays as served; never served itself.
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What must never reach a person: axe's two worst impacts.
BLOCKING = ("serious", "critical")


def _axe_source() -> str:
    """axe-core's script; a clear failure, never a skip, where it is not installed."""
    if not AXE.is_file():
        raise AssertionError(
            f"axe-core is not installed ({AXE} is missing): run `npm ci --no-audit --no-fund`"
            " at the repository's root, or `make test`, which does."
        )
    return AXE.read_text(encoding="utf-8")


def accessibility_violations(page: Page) -> list[str]:
    """axe's serious and critical violations of the page as it is now, one line
    each: the rule, its impact and the first elements it names."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]


def assert_accessible(page: Page) -> None:
    """The page has no serious or critical accessibility violation (axe-core)."""
    violations = accessibility_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)
