"""What of documents the search finds (core/search.py): key, title and tags;
the client finds a client-visible document with a version shared with them
(Document.for_audience)."""

from django.utils.translation import gettext_lazy as _

from liaison.core.search import RowReading, row_source
from liaison.documents.models import Document


def _shared(document: Document) -> bool:
    return document.client_visible and document.shared_version_id is not None


SOURCES = (
    row_source(
        "document",
        80,
        _("Documents"),
        RowReading(
            Document,
            url="documents:document",
            portal_url="portal:document",
            body=("tag_text",),
            fields=("key", "client_visible", "shared_version", "tags"),
            visible=_shared,
        ),
    ),
)
