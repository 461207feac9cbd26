"""Stored files, through Django's storage API only (README "Storage"): the local
disk (MEDIA_ROOT) or an S3-compatible bucket (STORAGE_URL), never a path.

- `file_response`: a download the caller has already permitted, streamed
  through this process or, with STORAGE_DOWNLOADS=presigned, a redirect to a
  short-lived pre-signed address of the object (issued only here, so only
  after the caller's access check).
- `stored`: a file saved for a row being written; deleted again when the block
  that writes the row fails, so no stray file remains.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

NO_STORE = "private, no-store"


def file_response(
    stored: FieldFile, *, name: str, content_type: str, inline: bool
) -> HttpResponseBase:
    """The file under `name` with its stored `content_type`, inline or as a
    download; the browser is told not to guess. 404 when the storage lost it."""
    if settings.STORAGE_DOWNLOADS == "presigned":
        return _presigned_redirect(stored, name=name, content_type=content_type, inline=inline)
    try:
        handle = stored.storage.open(stored.name or "", "rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = NO_STORE
    return response


def _presigned_redirect(
    stored: FieldFile, *, name: str, content_type: str, inline: bool
) -> HttpResponseRedirect:
    """The storage serves the bytes, with the type, disposition and caching
    this process would have sent (the signature covers them)."""
    storage: Any = stored.storage  # S3Storage: settings allow presigned with S3 only
    if not stored.name or not storage.exists(stored.name):
        raise Http404
    url = storage.url(
        stored.name,
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition_header(
                as_attachment=not inline, filename=name
            ),
            "ResponseCacheControl": NO_STORE,
        },
        expire=settings.PRESIGNED_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = NO_STORE  # the address is good for seconds only
    response["Referrer-Policy"] = "no-referrer"
    return response


@contextmanager
def stored(field_file: FieldFile, name: str, content: "File[Any]") -> Iterator[str]:
    """Save `content` into `field_file` (not the row) under `name`; if the block
    raises, the stored file is deleted before the error goes on."""
    field_file.save(name, content, save=False)
    try:
        yield field_file.name or ""
    except BaseException:
        field_file.storage.delete(field_file.name or "")
        raise
