"""A ceiling on request bodies that carry files, applied while they arrive.

The services check each file's size and type, but only after Django has read
the whole body into a temporary file: without this, a 2 GB upload would fill
the disk before being refused. A body larger than MAX_UPLOAD_BYTES (the largest
file any service takes, plus room for the form) is not read at all, and the
view says why instead of "choose a file".
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _


class UploadLimit(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: refuses what is too large, passes the rest on."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            return QueryDict(encoding=encoding), MultiValueDict()  # nothing is read
        return None

    def receive_data_chunk(self, raw_data, start):
        # A body of unknown length (chunked) is counted as it comes.
        if start + len(raw_data) > settings.MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler makes the file


def upload_refusal(request) -> str:
    """The message for a body refused by UploadLimit, or ""."""
    request.FILES  # noqa: B018 -- parses the body (the handlers run) if nothing has yet
    if not getattr(request, "upload_too_large", False):
        return ""
    return _("The file is too large: at most %(mb)s MB.") % {
        "mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)
    }
