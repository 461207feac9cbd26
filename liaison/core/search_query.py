"""Search across everything: the reads (the writes are in core/search.py).

One query, the same answer on both databases: every word typed must be in an
entry's key, title or body (as a substring, so Chinese needs no spaces), in the
projects the caller's access rule gives (projects.access.search_scope), only
client-visible entries for a client. Ranked: the exact key first (`REQ-12`),
then entries with every word in the title, then the most recently changed.

SQLite finds words of three characters or more through the FTS5 trigram table
(migration core 0009) and shorter ones by LIKE; PostgreSQL compares the key,
title and body joined, UPPER(…) LIKE, which one trigram index serves (core
0010): a word is one index scan there, where a column each was three; the
results rank there by their words too (ts_rank over a tsvector a trigger keeps,
core 0011) between the title's matches and the most recent.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from liaison.core.models import SearchEntry
from liaison.core.registry import registry

LIMIT = 50
MAX_WORDS = 8
SNIPPET = 160
KEY = re.compile(r"^[A-Za-z]{1,10}-\d{1,9}$")
FTS_MATCH = "SELECT rowid FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s"
# Exactly the expression of PostgreSQL's trigram index (migration core 0010).
PG_TEXT = (
    "UPPER(core_searchentry.key || ' ' || core_searchentry.title || ' ' || core_searchentry.body)"
)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result, its texts escaped and the words marked (`<mark>`)."""

    kind: str
    kind_label: str
    key: str
    title: SafeString
    snippet: SafeString
    project_code: str
    project_name: str
    url: str
    updated_at: dt.datetime


def search_words(query: str) -> list[str]:
    """The words of a query, at most MAX_WORDS, each once."""
    words: list[str] = []
    for word in query.split():
        if word.casefold() not in (known.casefold() for known in words):
            words.append(word[:100])
    return words[:MAX_WORDS]


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _contains(word: str) -> Q:
    return Q(key__icontains=word) | Q(title__icontains=word) | Q(body__icontains=word)


def _in_text(word: str) -> Q:
    """PostgreSQL: the word in the entry's key, title or body."""
    pattern = f"%{connection.ops.prep_for_like_query(word)}%"
    return Q(RawSQL(f"{PG_TEXT} LIKE UPPER(%s)", [pattern], output_field=BooleanField()))


def _matching(words: list[str]) -> Q:
    """Every word somewhere in the entry."""
    found = Q()
    if connection.vendor == "postgresql":
        for word in words:
            found &= _in_text(word)
        return found
    if connection.vendor == "sqlite":
        # The trigram table finds words of three characters and more; shorter
        # ones have no trigram, so LIKE reads them.
        long_words = [word for word in words if len(word) >= 3]
        if long_words:
            phrases = " AND ".join(_fts_phrase(word) for word in long_words)
            found &= Q(id__in=RawSQL(FTS_MATCH, [phrases]))
        words = [word for word in words if len(word) < 3]
    for word in words:
        found &= _contains(word)
    return found


def _parents(client: bool) -> QuerySet[SearchEntry]:
    """An entry's parent as the caller may find it: a comment goes with its
    subject, when it is deleted or made internal."""
    parents = SearchEntry.objects.filter(
        kind=OuterRef("parent_kind"), object_id=OuterRef("parent_id")
    )
    return parents.filter(client_visible=True) if client else parents


def _ranked(entries: QuerySet[SearchEntry], query: str, words: list[str]) -> QuerySet[SearchEntry]:
    in_title = Q()
    for word in words:
        in_title &= Q(title__icontains=word)
    ranked = entries.annotate(
        exact=Case(When(key=query.upper(), then=Value(1)), default=Value(0)),
        in_title=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()),
    )
    if connection.vendor == "postgresql":
        # Full-text rank of the words as whole words (the title's weigh more
        # than the body's), after the exact key and every word in the title.
        return ranked.annotate(
            words=RawSQL(
                "ts_rank(core_searchentry.search_vector, plainto_tsquery('simple', %s))",
                [" ".join(words)],
                output_field=FloatField(),
            )
        ).order_by("-exact", "-in_title", "-words", "-updated_at", "-id")
    return ranked.order_by("-exact", "-in_title", "-updated_at", "-id")


def search_entries(
    *,
    query: str,
    project_ids: list[int],
    client: bool,
    kinds: list[str] | None = None,
    limit: int = LIMIT,
) -> list[SearchHit]:
    """The entries of those projects that match `query`, best first: one query."""
    query = query.strip()
    words = search_words(query)
    if not words:
        return []
    entries = SearchEntry.objects.filter(project_id__in=project_ids)
    if client:
        entries = entries.filter(client_visible=True)
    entries = entries.filter(Q(parent_kind="") | Exists(_parents(client)))
    if kinds:
        entries = entries.filter(kind__in=kinds)
    matching = _matching(words)
    if KEY.match(query):
        matching |= Q(key=query.upper())
    rows = (
        _ranked(entries.filter(matching), query, words)
        .select_related("project")
        .only(*HIT_FIELDS)[:limit]
    )
    labels = kind_labels()
    return [_hit(row, words, labels, client) for row in rows]


HIT_FIELDS = (
    "kind",
    "key",
    "title",
    "body",
    "url",
    "portal_url",
    "updated_at",
    "project__code",
    "project__name",
)


def kind_labels() -> dict[str, str]:
    return {source.name: str(source.label) for source in registry.search_sources}


def _hit(row: SearchEntry, words: list[str], labels: dict[str, str], client: bool) -> SearchHit:
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return SearchHit(
        kind=row.kind,
        kind_label=labels.get(row.kind, row.kind),
        key=row.key,
        title=marked(row.title, pattern),
        snippet=marked(excerpt(row.body, pattern), pattern),
        project_code=row.project.code,
        project_name=row.project.name,
        url=row.portal_url if client else row.url,
        updated_at=row.updated_at,
    )


def excerpt(text: str, pattern: re.Pattern[str]) -> str:
    """Some SNIPPET characters of `text` around its first match (its start without one)."""
    text = " ".join(text.split())
    found = pattern.search(text)
    start = max(0, found.start() - SNIPPET // 3) if found else 0
    piece = text[start : start + SNIPPET]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET < len(text) else "")


def marked(text: str, pattern: re.Pattern[str]) -> SafeString:
    """`text` escaped, each match wrapped in <mark> (itself escaped)."""
    parts: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece escaped above
