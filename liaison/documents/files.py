"""A document version's file: the checks before it is stored and the answer
that serves it (docs/architecture.md, Documents).

The type comes from the content (collab.attachments.detect_content_type, the
same rules as attachments); a name that says another type, a refused type
(pages, SVG, programs), an empty or oversized file, a name with a path, NUL or
control characters, and an upload past the project's quota are refused. Files
go through Django's default storage, never a path on disk."""

import hashlib
import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from liaison.collab.attachments import EXTENSIONS, IMAGE_TYPES, detect_content_type
from liaison.core.services import InvalidInput
from liaison.core.uploads import size_label

# Opened in the browser (images, PDF, text); everything else downloads.
INLINE_TYPES = IMAGE_TYPES | {"application/pdf", "text/plain", "text/csv"}
# Named here so that the refusal can say what is refused, whatever the content.
REFUSED_EXTENSIONS = (
    ".htm", ".html", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".js", ".mjs", ".hta",
    ".exe", ".dll", ".msi", ".bat", ".cmd", ".com", ".scr", ".ps1", ".vbs", ".sh",
    ".jar", ".apk", ".app", ".dmg", ".bin", ".elf", ".so",
    ".docm", ".xlsm", ".pptm",
)  # fmt: skip
KNOWN_EXTENSIONS = {ext: kind for kind, exts in EXTENSIONS.items() for ext in exts}
MAX_NAME = 200
FOLDER = "documents"  # where the storage keeps the versions' files


def _refuse(message, code: str = "bad_file") -> InvalidInput:
    return InvalidInput(message, field="file", code=code)


def refused_types_text() -> str:
    """What the pages list under the upload field."""
    return " ".join(REFUSED_EXTENSIONS)


def checked_name(raw: str | None) -> str:
    """The file's name as given, refused when it holds a path, NUL or control
    characters instead of quietly cleaned: such a name is an attack, not a typo."""
    name = (raw or "").strip()
    if not name:
        raise _refuse(_("The file has no name."), "bad_name")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise _refuse(_("The file's name may not hold a path."), "bad_name")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise _refuse(_("The file's name holds control characters."), "bad_name")
    if len(name) > MAX_NAME:
        raise _refuse(
            _("The file name is too long: at most %(max)d characters.") % {"max": MAX_NAME},
            "bad_name",
        )
    return name


def check_size(size: int) -> None:
    limit = settings.DOCUMENT_MAX_BYTES
    if not size:
        raise _refuse(_("The file is empty."), "empty_file")
    if size > limit:
        raise _refuse(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": size_label(size), "limit": size_label(limit)},
            "file_too_large",
        )


def check_quota(*, used: int, size: int) -> None:
    quota = settings.DOCUMENT_QUOTA_BYTES
    if used + size > quota:
        raise _refuse(
            _(
                "The project's storage is full: %(used)s of %(quota)s used, "
                "this file needs %(size)s."
            )
            % {"used": size_label(used), "quota": size_label(quota), "size": size_label(size)},
            "quota_exceeded",
        )


def content_type_of(upload: File, name: str) -> str:
    """The type the bytes say, refused when not accepted or when the name's
    extension says another type ("report.pdf" holding a PNG)."""
    extension = os.path.splitext(name)[1].lower()
    if extension in REFUSED_EXTENSIONS:
        raise _refuse(_("Files of this type are refused: %(type)s.") % {"type": extension})
    content_type = detect_content_type(upload, name)
    if content_type is None:
        raise _refuse(
            _(
                "This kind of file is not accepted. Upload a PDF, an image (PNG, JPEG, GIF, "
                "WebP), a Word, Excel or PowerPoint document, or a text or CSV file."
            )
        )
    said = KNOWN_EXTENSIONS.get(extension)
    if said is not None and said != content_type:
        text_pair = {said, content_type} <= {"text/plain", "text/csv"}
        if not text_pair:
            raise _refuse(
                _("The file's content is not what its name says (%(ext)s).") % {"ext": extension},
                "content_mismatch",
            )
    return content_type


def sha256_of(upload: File) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@dataclass(frozen=True)
class CheckedFile:
    name: str
    size: int
    content_type: str
    sha256: str


def check_upload(upload: File | None, *, used: int) -> CheckedFile:
    """Every check, cheapest first; the content is read once for its type and
    once for its hash."""
    if upload is None:
        raise _refuse(_("Choose a file to upload."), "file_required")
    name = checked_name(upload.name)
    size = upload.size or 0
    check_size(size)
    check_quota(used=used, size=size)
    content_type = content_type_of(upload, name)
    return CheckedFile(name=name, size=size, content_type=content_type, sha256=sha256_of(upload))


def store(upload: File, checked: CheckedFile) -> str:
    """Save the bytes under a random name through the storage API; the name stored."""
    extension = os.path.splitext(checked.name)[1].lower()
    upload.seek(0)
    return default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}{extension}", upload)


def discard(stored_name: str) -> None:
    """Remove a file no row refers to (a refusal or a rollback after it was saved)."""
    if stored_name:
        default_storage.delete(stored_name)


def file_response(file, *, name: str, content_type: str) -> FileResponse:
    """The file with the type read from its content: images, PDF and text open
    in the browser under a policy that runs nothing; the rest downloads. The
    browser is told not to guess a type."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    inline = content_type in INLINE_TYPES
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A sandbox keeps Chromium's PDF viewer out, so a PDF gets the policy without it.
    sandbox = "" if content_type == "application/pdf" else "; sandbox"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'" + sandbox
    )
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
