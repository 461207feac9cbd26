"""No English in a Chinese reader's pages: every page of the access matrix a
manager or a client may open (GET, the team's project) is read in 简体中文, and
a visible string that is an English msgid of the catalog with a translation is
interface text the page forgot to translate.

Visible text is the page's text nodes and its aria-label, title and
placeholder attributes, less what is not interface text: script and style,
code, and what the people wrote (rendered markdown, `.markdown`; elements
marked `translate="no"`). Comparing with the catalog's msgids, rather than
looking for Latin letters, leaves names, keys and the world's English content
alone. A string the code shows without gettext is not in the catalog, so this
does not find it: test_translations.py checks that every string is extracted."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client as HttpClient
from django.urls import reverse

from liaison.accounts.models import User
from liaison.tests.access_matrix import NO_PROJECT, OWN, World, resolve
from liaison.tests.test_access_matrix import PAGES, world  # noqa: F401 (the fixture)

CATALOG = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
QUOTED = r'(?:"(?:[^"\\]|\\.)*"\n)'
ENTRY = re.compile(
    rf"^(?:msgctxt {QUOTED})?msgid ({QUOTED}+)msgstr ({QUOTED}+)",
    re.MULTILINE,
)
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
SKIPPED = {"script", "style", "code", "pre", "noscript", "svg", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
ATTRIBUTES = ("aria-label", "title", "placeholder")


def _unquote(block: str) -> str:
    return "".join(LITERAL.findall(block)).replace('\\"', '"').replace("\\n", "\n")


def english_interface_strings() -> set[str]:
    """The catalog's msgids whose translation differs from them, as a page
    shows them (no placeholders, no markup, whitespace collapsed)."""
    found = set()
    for msgid_block, msgstr_block in ENTRY.findall(CATALOG.read_text(encoding="utf-8")):
        msgid, msgstr = _unquote(msgid_block), _unquote(msgstr_block)
        if not msgid or not msgstr or msgid == msgstr or "%" in msgid or "<" in msgid:
            continue
        found.add(" ".join(msgid.split()))
    return found


class VisibleText(HTMLParser):
    """The visible strings of a page outside what people wrote."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.strings: list[str] = []
        self.hidden_depth = 0  # > 0 inside a skipped element
        self.stack: list[bool] = []  # per open element: does it start a skipped part

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        skipped = tag in SKIPPED or values.get("translate") == "no" or "markdown" in classes
        if not self.hidden_depth and not skipped:
            self.strings += [
                " ".join(values[name].split()) for name in ATTRIBUTES if values.get(name)
            ]
        if tag in VOID:
            return
        self.stack.append(skipped)
        self.hidden_depth += skipped

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        self.hidden_depth -= self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.hidden_depth:
            self.strings.append(text)


# Pages shown in another person's language by design: the unsubscribe link's
# page speaks the language of whom the mail went to (collab.views).
OTHER_READER = {"collab:notifications-unsubscribe"}


def world_content() -> set[str]:
    """Every text the world's rows hold (names, titles, a plan item's audience):
    content, not interface, even when it is a word of the catalog (a person
    called "client", a baseline titled "Scope")."""
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("liaison."):
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField)]
        for values in model._default_manager.values_list(*fields) if fields else []:
            found.update(" ".join(value.split()) for value in values if value)
    return found


def untranslated(html: str, english: set[str]) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return {text for text in parser.strings if text in english}


def _readable_rows(role: str) -> list:
    """The GET pages `role` opens with a 200 in the team's own project."""
    return [
        row
        for row in PAGES
        if row.method == "GET" and row.expect[role] == 200 and row.target not in OTHER_READER
    ]


def test_the_parser_finds_interface_text_and_skips_what_people_wrote():
    english = {"Save", "Dashboard", "Search tasks"}
    html = (
        '<h1>Dashboard</h1><input placeholder="Search tasks"><div class="markdown"><p>Save</p>'
        '<code>x</code></div><p translate="no">Save</p><script>Save</script><p>保存</p>'
    )
    assert untranslated(html, english) == {"Dashboard", "Search tasks"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "client"])
def test_every_page_is_chinese_for_a_chinese_reader(role: str, world: World):  # noqa: F811
    user = world.users[role]
    assert user is not None
    User.objects.filter(pk=user.pk).update(language=User.Language.CHINESE)
    http = HttpClient(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    http.force_login(User.objects.get(pk=user.pk))
    english = english_interface_strings() - world_content()
    found: dict[str, set[str]] = {}
    rows = _readable_rows(role)
    assert rows, "the matrix has pages this reader opens"
    for row in rows:
        side = OWN if row.foreign is not None else NO_PROJECT
        url = reverse(row.target, kwargs=resolve(row.kwargs, world, side, role))
        response = http.get(url, resolve(row.data, world, side, role) or {})
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        if missed := untranslated(response.content.decode(), english):
            found[str(row)] = missed
    assert found == {}, "English on a Chinese page:\n" + "\n".join(
        f"{page}: {sorted(strings)}" for page, strings in sorted(found.items())
    )
