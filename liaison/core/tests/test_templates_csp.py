"""No template carries inline script: no <script> without a src, no on*=
handler attribute. Behaviour lives in static files, so that a
Content-Security-Policy of script-src 'self' breaks nothing."""

import re
from pathlib import Path

import pytest
from django.conf import settings

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
