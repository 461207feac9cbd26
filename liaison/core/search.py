"""Search across everything: the index and its writes (docs/architecture.md,
"Search across everything").

Each feature registers a `SearchSource` (core.registry) saying how one of its
rows reads as a `SearchDoc`. Its services call `index(row)` after saving and
`unindex(row)` before deleting, in their own transaction, so the index never
holds what was rolled back; no signal is involved. `rebuild()` writes every
entry again from the sources (`manage.py search_rebuild`, the demo, the bench).
The reads are in core/search_query.py.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from liaison.core.links import RowUrls
from liaison.core.models import SearchEntry
from liaison.core.registry import SearchSource, registry

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A minutes' text is rarely longer; what is past it is not searched.
BODY_LIMIT = 20_000
BATCH = 1000


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """What the search knows of one row: its text, who may find it, where it leads
    (`url` the team's page, `portal_url` the client's, "" when the portal shows
    it nowhere)."""

    object_id: int
    project_id: int
    key: str
    title: str
    body: str
    client_visible: bool
    url: str
    portal_url: str = ""
    updated_at: dt.datetime | None = None
    # (kind, object id) of the entry this one leads to, for a comment.
    parent: tuple[str, int] | None = None


def source_for(row: models.Model) -> SearchSource:
    label = row._meta.label
    for source in registry.search_sources:
        if source.model == label:
            return source
    raise LookupError(f"no search source for {label}")


def _fields(doc: SearchDoc) -> dict[str, object]:
    return {
        "project_id": doc.project_id,
        "key": doc.key[:40],
        "title": doc.title[:300],
        "body": doc.body[:BODY_LIMIT],
        "client_visible": doc.client_visible and bool(doc.portal_url),
        "url": doc.url,
        "portal_url": doc.portal_url,
        "updated_at": doc.updated_at or timezone.now(),
        "parent_kind": doc.parent[0] if doc.parent else "",
        "parent_id": doc.parent[1] if doc.parent else None,
    }


def index(row: models.Model) -> None:
    """Write `row`'s entry as its source reads it now (or remove it when the
    source no longer lists it). Called by the service that saved the row."""
    source = source_for(row)
    doc = source.doc(row)
    if doc is None:
        SearchEntry.objects.filter(kind=source.name, object_id=row.pk).delete()
        return
    fields = _fields(doc)
    found = SearchEntry.objects.filter(kind=source.name, object_id=doc.object_id)
    if not found.update(**fields):
        SearchEntry.objects.create(kind=source.name, object_id=doc.object_id, **fields)


def index_changed(row: models.Model, changed: Iterable[str]) -> None:
    """`index` after an edit of these fields, when the entry reads any of them
    (a task moved on the board changes no entry)."""
    fields = source_for(row).fields
    if not fields or fields & set(changed):
        index(row)


def index_all(rows: Iterable[models.Model]) -> None:
    """`index` for each of several rows a service changed at once."""
    for row in rows:
        index(row)


def unindex(row: models.Model) -> None:
    """Remove `row`'s entry: called by the service that deletes it, before it does."""
    SearchEntry.objects.filter(kind=source_for(row).name, object_id=row.pk).delete()


def _entries(source: SearchSource, docs: Iterable[SearchDoc]) -> Iterable[SearchEntry]:
    for doc in docs:
        yield SearchEntry(kind=source.name, object_id=doc.object_id, **_fields(doc))


@transaction.atomic
def rebuild(projects: Iterable[models.Model]) -> int:
    """Write the entries of these projects again from every source, in
    registry order (a comment's source reads the entries of its subjects).
    Returns how many entries there are."""
    count = 0
    for project in projects:
        SearchEntry.objects.filter(project_id=project.pk).delete()
        for source in registry.search_sources:
            batch: list[SearchEntry] = []
            for entry in _entries(source, source.docs(project)):
                batch.append(entry)
                if len(batch) == BATCH:
                    count += len(SearchEntry.objects.bulk_create(batch))
                    batch = []
            count += len(SearchEntry.objects.bulk_create(batch))
    return count


# -- a source read from a model's own fields ------------------------------------


def _shown_to_client(row: Any) -> bool:
    return bool(row.client_visible)


def _link(viewname: str, code: str, arg: str | None) -> Callable[[Any], str]:
    """Each row's address: `viewname` with the project's code and the row's `arg`
    attribute, or the same page for every row when `arg` is None (a list)."""
    if not viewname:
        return lambda row: ""
    if arg is None:
        url = reverse(viewname, args=[code])
        return lambda row: url
    urls = RowUrls(viewname, code)
    return lambda row: urls(getattr(row, arg))


@dataclass(frozen=True)
class RowReading:
    """How a model's rows read for the search: which fields are the title and
    the body, which page leads to a row for the team (`url`) and for the client
    (`portal_url`, "" for none), with which attribute of the row (`url_arg`,
    `portal_arg`; None: the project's list page), who of the client sees a row
    (`visible`, reading the `fields` it names)."""

    model: type[models.Model]
    url: str
    portal_url: str = ""
    url_arg: str | None = "key"
    portal_arg: str | None = "key"
    title: str = "title"
    body: tuple[str, ...] = ()
    key: str = "key"
    fields: tuple[str, ...] = ("key", "client_visible")
    visible: Callable[[Any], bool] = _shown_to_client

    def doc(
        self, row: Any, url: Callable[[Any], str], portal_url: Callable[[Any], str]
    ) -> SearchDoc:
        body = "\n".join(str(getattr(row, name) or "") for name in self.body)
        client = self.visible(row)
        return SearchDoc(
            object_id=row.pk,
            project_id=row.project_id,
            key=str(getattr(row, self.key)),
            title=str(getattr(row, self.title)),
            body=body,
            client_visible=client,
            url=url(row),
            portal_url=portal_url(row) if client else "",
            updated_at=row.updated_at,
        )

    def one(self, row: Any) -> SearchDoc:
        code = row.project.code
        urls = _link(self.url, code, self.url_arg), _link(self.portal_url, code, self.portal_arg)
        return self.doc(row, *urls)

    def every(self, project: Any) -> Iterator[SearchDoc]:
        urls = _link(self.url, project.code, self.url_arg)
        portal_urls = _link(self.portal_url, project.code, self.portal_arg)
        names = {"id", "project", "updated_at", self.title, *self.body, *self.fields}
        rows = self.model._default_manager.filter(project=project).only(*names).order_by()
        for row in rows.iterator(chunk_size=2000):
            yield self.doc(row, urls, portal_urls)


def row_source(name: str, order: int, label: "StrOrPromise", reading: RowReading) -> SearchSource:
    """A SearchSource whose rows read as `reading` says."""
    return SearchSource(
        name=name,
        order=order,
        label=label,
        model=reading.model._meta.label,
        doc=reading.one,
        docs=reading.every,
        fields=frozenset({reading.title, *reading.body, *reading.fields}),
    )
