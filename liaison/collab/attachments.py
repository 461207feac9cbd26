"""Files on project objects (docs/architecture.md, Data rules): a size limit, the type read from the
content (never from the name or the browser's word for it), a clean name,
storage outside the web root, and one function that decides who may fetch one.

Accepted: PDF, PNG, JPEG, GIF, WebP, Word / Excel / PowerPoint documents
(.docx, .xlsx, .pptx, without macros) and plain text or CSV in UTF-8.
"""

import codecs
import os
import unicodedata
import uuid
import zipfile

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.models import Attachment
from liaison.core.activity import activity_record
from liaison.core.services import InvalidInput
from liaison.core.stored_files import stored
from liaison.projects import access
from liaison.projects.access import Action, Audience

MAX_SIZE = 20 * 1024 * 1024
MAX_NAME = 200
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# The extension a file of each type is given when its name says otherwise.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    "text/csv": (".csv",),
    "text/plain": (".txt", ".text", ".md", ".markdown", ".log", ".tsv"),
}
# Text a browser would run or render as a page: never accepted, whatever the name.
_MARKUP_NAMES = (".htm", ".html", ".xhtml", ".shtml", ".svg", ".xml", ".js", ".mjs", ".hta")
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<head", b"<body")
_OFFICE_DIRS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))


def _refuse(message) -> InvalidInput:
    return InvalidInput(message, field="file", code="bad_file")


def _not_accepted() -> InvalidInput:
    return _refuse(
        _(
            "This kind of file is not accepted. Upload a PDF, an image (PNG, JPEG, GIF, WebP), "
            "a Word, Excel or PowerPoint document, or a text or CSV file."
        )
    )


def sanitize_filename(name: str | None) -> str:
    """The last path component, without control characters, at most 200 characters
    (the extension kept), never empty or hidden."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    if not name:
        return "file"
    if len(name) > MAX_NAME:
        stem, ext = os.path.splitext(name)
        ext = ext[:20]
        name = stem[: MAX_NAME - len(ext)] + ext
    return name


def _office_type(upload) -> str | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None  # macros
    for prefix, content_type in _OFFICE_DIRS:
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def _is_utf8_text(upload) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def detect_content_type(upload, name: str) -> str | None:
    """The type the bytes say, or None for anything not accepted."""
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    lowered = name.lower()
    if lowered.endswith(_MARKUP_NAMES):
        return None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_MARKUP_STARTS) or b"<script" in head.lower():
        return None
    if not head or not _is_utf8_text(upload):
        return None
    return "text/csv" if lowered.endswith(".csv") else "text/plain"


def _with_extension(name: str, content_type: str) -> str:
    """Keep the name when its extension fits the content, else give it the right one
    ("scan.pdf" holding a PNG becomes "scan.png")."""
    allowed = EXTENSIONS[content_type]
    stem, ext = os.path.splitext(name)
    if ext.lower() in allowed or (content_type == "text/plain" and not ext):
        return name
    return sanitize_filename((stem or "file")[: MAX_NAME - 6] + allowed[0])


@transaction.atomic
def attachment_add(
    *,
    target: models.Model,
    project,
    by: User,
    upload: UploadedFile | None,
    need: Action = Action.EDIT,
) -> Attachment:
    """Store `upload` on `target` (a row of `project`) after checking its size and
    its content; the name on disk is random, the reader sees the cleaned name.
    `need`: what the caller's rule asks of `by` (a client attaching to what they
    raise asks less than editing; that service checks the target is theirs to see)."""
    access.require(by, need, project)
    if target != project and getattr(target, "project_id", None) != project.pk:
        raise InvalidInput(_("This is not part of the project."))
    if upload is None:
        raise _refuse(_("Choose a file to upload."))
    if not upload.size:
        raise _refuse(_("The file is empty."))
    if upload.size > MAX_SIZE:
        raise _refuse(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MAX_SIZE // 1024 // 1024}
        )
    name = sanitize_filename(upload.name)
    content_type = detect_content_type(upload, name)
    if content_type is None:
        raise _not_accepted()
    name = _with_extension(name, content_type)
    upload.seek(0)
    attachment = Attachment(
        project=project,
        target=target,
        name=name,
        size=upload.size,
        content_type=content_type,
        uploaded_by=by,
    )
    extension = os.path.splitext(name)[1].lower() or EXTENSIONS[content_type][0]
    with stored(attachment.file, f"{uuid.uuid4().hex}{extension}", upload):
        attachment.save()
        activity_record(
            actor=by,
            verb="attached",
            target=target,
            project=project,
            diff={"attachment": [None, name]},
            client_visible=bool(getattr(target, "client_visible", False)),
        )
    return attachment


def _target_visible(attachment: Attachment, project, audience: Audience) -> bool:
    model = attachment.target_type.model_class()
    if model is None:
        return False
    if model is type(project):
        return attachment.target_id == project.pk and audience.internal
    manager = model._default_manager
    rows = manager.for_audience(audience) if hasattr(manager, "for_audience") else None
    if rows is None:
        if not audience.internal:  # no rule says the client may see it: they may not
            return False
        rows = manager.all()
    return rows.filter(pk=attachment.target_id, project=project).exists()


def attachment_for_audience(*, project, audience: Audience, attachment_id: int) -> Attachment:
    """The attachment if it belongs to `project` and its target is visible to
    `audience`; 404 otherwise (another project's id included)."""
    attachment = (
        Attachment.objects.filter(pk=attachment_id, project=project)
        .select_related("target_type")
        .first()
    )
    if attachment is None or not _target_visible(attachment, project, audience):
        raise Http404
    return attachment


def is_inline(attachment: Attachment) -> bool:
    """Images open in the browser; everything else downloads."""
    return attachment.content_type in IMAGE_TYPES
