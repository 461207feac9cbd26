"""The Content-Security-Policy: every HTML page carries it, and no template
carries inline script (no <script> without a src, no on*= handler attribute),
so that script-src 'self' breaks nothing. The browser tests run under it and
fail on any violation (liaison/conftest.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = sorted((Path(settings.BASE_DIR) / "liaison").glob("*/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_the_walk_finds_the_templates():
    names = {path.name for path in TEMPLATES}
    assert {"base.html", "board.html", "members.html", "_topbar.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(path.parents[2])))
def test_no_inline_script(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "an inline <script>: move it to a static file"
    assert not HANDLER.search(text), "an on*= handler: use a data- attribute and liaison.js"


def test_the_checks_catch_what_they_forbid():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert HANDLER.search('<select name="role" onchange="this.form.submit()">')
    assert not HANDLER.search('<select name="role" data-autosubmit>')


def _directive(policy: str, name: str) -> str:
    return next(part.strip() for part in policy.split(";") if part.strip().startswith(name + " "))


def test_every_page_carries_the_policy(client, login, manager, project):
    login(manager)
    policy = client.get(reverse("home:overview", args=[project.code]))["Content-Security-Policy"]
    assert _directive(policy, "script-src") == "script-src 'self'"
    assert _directive(policy, "frame-ancestors") == "frame-ancestors 'none'"
    assert _directive(policy, "object-src") == "object-src 'none'"
    assert _directive(policy, "img-src") == "img-src 'self' data:"
    sign_in = client.get(reverse("accounts:login"))
    assert sign_in["Content-Security-Policy"] == policy


def test_a_views_own_stricter_policy_stays(client, login, manager, project):
    login(manager)
    svg = client.get(reverse("planning:gantt-svg", args=[project.code]))
    assert svg["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"


def test_json_answers_carry_no_page_policy(client, login, manager):
    login(manager)
    assert "Content-Security-Policy" not in client.get("/api/v1/me")


@pytest.mark.browser
def test_the_browser_enforces_the_policy_and_the_tests_see_it(page, csp_violations):
    """An inline script injected into a real page does not run, and the page
    fixture hears of it (and would fail the test that caused it)."""
    page.goto(reverse("accounts:login"))
    inject = (
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(inject)
    assert page.evaluate("() => window.ran") is None
    assert len(csp_violations) == 1 and "inline script" in csp_violations[0]
    csp_violations.clear()  # seen and meant: the fixture's own check passes
