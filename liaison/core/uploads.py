"""A ceiling on request bodies that carry files, applied while they arrive.

The services check each file's size and type, but only after Django has read
the whole body into a temporary file: without this, a 2 GB upload would fill
the disk before being refused. In a body larger than MAX_UPLOAD_BYTES (the
largest file any service takes, plus room for the form) no file is kept: the
fields before the first file are read (the CSRF token among them, so the
browser gets our message, not the CSRF failure page), the rest is read and
thrown away, and the view says why instead of "choose a file".
"""

from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

KB, MB = 1024, 1024 * 1024


class UploadLimit(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: refuses what is too large, passes the rest on."""

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        if content_length and content_length > settings.MAX_UPLOAD_BYTES:
            self._mark_too_large()
        return None  # the parser goes on; new_file() stops it at the first file

    def _mark_too_large(self) -> None:
        """For upload_refusal(): an attribute of our own, which Django's request
        does not declare."""
        setattr(self.request, "upload_too_large", True)  # noqa: B010

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if getattr(self.request, "upload_too_large", False):
            # connection_reset=False: the rest of the body is read (and dropped),
            # since a browser still sending when the server closes shows
            # "connection reset" instead of the answer.
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        # A body of unknown length (chunked) is counted as it comes.
        if start + len(raw_data) > settings.MAX_UPLOAD_BYTES:
            self._mark_too_large()
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def size_label(size: int) -> str:
    """21 MB, 1.5 MB, 200 KB."""
    unit, label = (MB, _("%(size)s MB")) if size >= MB else (KB, _("%(size)s KB"))
    return label % {"size": f"{size / unit:.1f}".removesuffix(".0")}


def upload_refusal(request: HttpRequest) -> str:
    """The message for a body refused by UploadLimit, or ""."""
    request.FILES  # noqa: B018 -- parses the body (the handlers run) if nothing has yet
    if not getattr(request, "upload_too_large", False):
        return ""
    return _("The file is too large: the limit is %(limit)s.") % {
        "limit": size_label(settings.MAX_UPLOAD_BYTES)
    }
