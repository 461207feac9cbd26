"""Terms explained where they appear: the words of a project's glossary marked
in rendered markdown, each showing its definition on hover, focus or tap
(docs/architecture.md, "The glossary").

The kernel knows no glossary: features give their terms as `Gloss` through the
registry's `TermSource`, and `mark_terms` marks them in HTML that nh3 has
already cleaned. Only text nodes change; a term inside a link, code or a
preformatted block is left alone. Latin words match whole, case-insensitively;
CJK terms match anywhere (the scripts put no space between words); at any
place the longest term wins. Everything written is escaped here.
"""

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


@dataclass(frozen=True, slots=True)
class Gloss:
    """A term as the marker uses it: `words`, every name that marks it (the
    term in each language, its abbreviations); `name` and `definition`, what
    the reader is shown, in their language."""

    words: tuple[str, ...]
    name: str
    definition: str


# Scripts written without spaces between words: a term of theirs is found inside a run.
_CJK = "\u2e80-\u9fff\u3000-\u303f\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
# A letter or digit of a spaced script: a Latin term may not touch one.
_SPACED_WORD = rf"[^\W{_CJK}]"
_UNSPACED = re.compile(f"[{_CJK}]")
_SKIPPED_TAGS = frozenset({"a", "code", "pre"})
MAX_WORD = 200
_ids = itertools.count(1)


def _usable(word: str) -> bool:
    """A word that can mark text: not empty, not absurdly long, and free of
    control and format characters (bidi overrides mark nothing)."""
    return 0 < len(word) <= MAX_WORD and not any(
        unicodedata.category(char) in ("Cc", "Cf") for char in word
    )


def _pattern(word: str) -> str:
    body = re.escape(word)
    before = "" if _UNSPACED.match(word[0]) else rf"(?<!{_SPACED_WORD})"
    after = "" if _UNSPACED.match(word[-1]) else rf"(?!{_SPACED_WORD})"
    return before + body + after


class Matcher:
    """The compiled words of a set of glosses; `mark(html)` marks them."""

    def __init__(self, glosses: Iterable[Gloss]) -> None:
        self.by_word: dict[str, Gloss] = {}
        for gloss in glosses:
            for word in gloss.words:
                word = " ".join(word.split())
                if _usable(word):
                    self.by_word.setdefault(word.lower(), gloss)
        words = sorted(self.by_word, key=lambda word: (-len(word), word))
        self.regex = (
            re.compile("|".join(_pattern(word) for word in words), re.IGNORECASE) if words else None
        )

    def mark(self, html: str) -> SafeString:
        """`html` (cleaned already) with the terms of its text marked."""
        if self.regex is None or not self.regex.search(html):
            return mark_safe(html)
        parser = _TextMarker(self)
        parser.feed(html)
        parser.close()
        return mark_safe("".join(parser.out))

    def mark_text(self, text: str) -> str:
        """One text node, escaped, its terms marked."""
        assert self.regex is not None
        out, last = [], 0
        for match in self.regex.finditer(text):
            gloss = self.by_word.get(match[0].lower())
            if gloss is None:
                continue
            out += [escape(text[last : match.start()]), _marked(match[0], gloss)]
            last = match.end()
        out.append(escape(text[last:]))
        return "".join(out)


def _marked(found: str, gloss: Gloss) -> str:
    tip = f"gloss-{next(_ids)}"
    return (
        f'<span class="term" tabindex="0" aria-describedby="{tip}">{escape(found)}'
        f'<span class="term__tip" role="tooltip" id="{tip}">'
        f'<span class="term__name">{escape(gloss.name)}</span> {escape(gloss.definition)}'
        "</span></span>"
    )


class _TextMarker(HTMLParser):
    """Copies cleaned HTML through, marking terms in text nodes outside links,
    code and preformatted blocks."""

    def __init__(self, matcher: Matcher) -> None:
        super().__init__(convert_charrefs=True)
        self.matcher = matcher
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in _SKIPPED_TAGS:
            self.skipping += 1

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in _SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data) if self.skipping else self.matcher.mark_text(data))


@functools.lru_cache(maxsize=256)
def _matcher(glosses: tuple[Gloss, ...]) -> Matcher:
    """The compiled matcher of a set of glosses, kept across requests: the same
    glossary read again compiles nothing."""
    return Matcher(glosses)


Sources = Sequence[Callable[[Any], Sequence[Gloss]]]


def project_matcher(project: Any, sources: Sources) -> Matcher:
    """The project's matcher in the reader's language, read once per project
    object (a request's) and language, whatever number of texts it marks."""
    cache = project.__dict__.setdefault("_liaison_glosses", {})
    language = get_language() or ""
    if language not in cache:
        glosses = tuple(gloss for terms in sources for gloss in terms(project))
        cache[language] = _matcher(glosses)
    matcher: Matcher = cache[language]
    return matcher


def mark_terms(html: str, project: Any, sources: Sources) -> SafeString:
    """Cleaned HTML with the project's terms marked; as it is without a project."""
    if not project or not sources:
        return mark_safe(html)
    return project_matcher(project, sources).mark(html)
