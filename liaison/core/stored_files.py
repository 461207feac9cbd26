"""Stored files, through Django's storage API only (README "Storage"): the local
disk (MEDIA_ROOT) or an S3-compatible bucket (STORAGE_URL), never a path.

- `file_response`: a download the caller has already permitted, streamed
  through this process or, with STORAGE_DOWNLOADS=presigned, a redirect to a
  short-lived pre-signed address of the object (issued only here, so only
  after the caller's access check).
- `stored`: a file saved for a row being written; deleted again when the block
  that writes the row fails, so no stray file remains.
- `stray_files_delete`: the daily sweep of files no row names (a transaction
  rolled back around the block, a process killed between file and row).
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import models
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


# A file younger than this may belong to a write still in progress.
STRAY_AGE = dt.timedelta(days=1)


def stray_files_delete(*, now: dt.datetime, older_than: dt.timedelta = STRAY_AGE) -> list[str]:
    """Delete the files in the folders the file fields store into (their
    `upload_to`'s first folder: attachments/, imports/) that no row names and
    that are older than `older_than`; the names deleted. The folders are listed
    before the rows are read: a file whose row is saved meanwhile is younger."""
    deleted: list[str] = []
    for storage, folder in _upload_folders():
        listed = list(_walk(storage, folder))
        named = _named_files()
        for name in listed:
            if name not in named and storage.get_modified_time(name) < now - older_than:
                storage.delete(name)
                deleted.append(name)
    return deleted


def _file_fields() -> list[models.FileField]:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.local_fields
        if isinstance(field, models.FileField)
    ]


def _upload_folders() -> set[tuple[Storage, str]]:
    """Each storage with the top folders its fields write into (a callable
    `upload_to` names none: its files are left alone)."""
    return {
        (field.storage, field.upload_to.split("/", 1)[0])
        for field in _file_fields()
        if isinstance(field.upload_to, str) and "/" in field.upload_to
    }


def _named_files() -> set[str]:
    return {
        name
        for field in _file_fields()
        for name in field.model._base_manager.exclude(**{field.name: ""}).values_list(
            field.name, flat=True
        )
    }


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored there yet (the local disk)
        return
    yield from (f"{folder}/{name}" for name in files)
    for inner in folders:
        yield from _walk(storage, f"{folder}/{inner}")
