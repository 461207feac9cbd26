"""API: a project's folders, documents, their versions (uploaded as
multipart, listed, downloaded after the permission check) and the client
reviews the manager asks for. The team's (`TEAM` audience): a client user gets
404 here; the client decides in the portal or through `deliverables.py`'s
decision. Writes go through the services."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.core.schemas import READ, WRITE, Conflict, Page, named_as_sent, not_null
from liaison.core.services import InvalidInput
from liaison.documents import files, selectors
from liaison.documents.models import Document, DocumentVersion, Folder
from liaison.documents.schemas import (
    DocumentFolderIn,
    DocumentFolderOut,
    DocumentOut,
    DocumentPatch,
    DocumentReviewIn,
    DocumentReviewOut,
    DocumentStatus,
    DocumentVersionOut,
)
from liaison.documents.services import client as client_services
from liaison.documents.services import documents as services
from liaison.documents.services import folders as folder_services
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.projects.models import Project

router = Router()
# A multipart file that may be missing: the service says so with its code, not a 422.
NO_FILE = File(None)
PROJECT = "/projects/{code}"
DOC = PROJECT + "/documents/{key}"


def _folder(project: Project, folder_id: int | None, field: str) -> Folder | None:
    if folder_id is None:
        return None
    folder = selectors.folder_find(project=project, folder_id=folder_id)
    if folder is None:
        raise InvalidInput(_("Choose a folder of this project."), field=field, code="bad_folder")
    return folder


def _document(request, code: str, key: str, need: Action = Action.VIEW) -> Document:
    project = access.get_project_for(request.user, code, need=need)
    return selectors.document_get(project=project, audience=TEAM, key=key)


def _document_out(document: Document) -> dict:
    return {
        "key": document.key,
        "title": document.title,
        "folder_id": document.folder_id,
        "tags": document.tags,
        "status": document.status,
        "client_visible": document.client_visible,
        "from_client": document.from_client,
        "owner_id": document.owner_id,
        "latest_version": document.latest.number if document.latest else None,
        "version": document.version,
    }


def _version_out(document: Document, version: DocumentVersion) -> dict:
    url = reverse("api:document_version_file", args=[document.project.code, version.pk])
    return {
        "id": version.pk,
        **{name: getattr(version, name) for name in ("number", "name", "size", "content_type")},
        **{
            name: getattr(version, name)
            for name in ("sha256", "note", "client_visible", "by_client")
        },
        "uploaded_at": version.uploaded_at,
        "download_url": url,
    }


# -- folders ---------------------------------------------------------------------------


@router.get(
    PROJECT + "/document-folders",
    response={200: list[DocumentFolderOut], **READ},
    summary="A project's folders",
)
@paginate(Page)
def folder_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return selectors.folder_list(project=project, audience=TEAM)


@router.post(
    PROJECT + "/document-folders",
    response={201: DocumentFolderOut, **WRITE},
    summary="Make a folder (members; sharing it is the manager's)",
    description="One level deep: `parent_id` names a top folder. A name taken answers 400 "
    "`folder_exists`.",
)
def folder_create(request, code: str, data: DocumentFolderIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = data.dict()
    parent = _folder(project, fields.pop("parent_id"), "parent_id")
    folder = folder_services.folder_create(
        project=project, by=request.user, parent=parent, **fields
    )
    return Status(201, folder)


# -- documents -------------------------------------------------------------------------


class DocumentQuery(Schema):
    folder: int | None = Field(None, description="A folder's id: its documents only.")
    q: str = ""
    tag: str = ""
    status: DocumentStatus | None = None


@router.get(
    PROJECT + "/documents",
    response={200: list[DocumentOut], **READ},
    summary="A project's documents, by title",
)
@paginate(Page)
def document_list(request, code: str, filters: Query[DocumentQuery]):
    project = access.get_project_for(request.user, code)
    rows = selectors.document_rows(
        project=project,
        audience=TEAM,
        filters=selectors.DocumentFilters(
            folder=filters.folder,
            q=filters.q[:200],
            tag=filters.tag[:40],
            status=filters.status or "",
        ),
    )
    return [_document_out(document) for document in rows]


@router.post(
    PROJECT + "/document-folders/{folder_id}/documents",
    response={201: DocumentOut, **WRITE},
    summary="Upload a new document into a folder (multipart: its first version)",
    description="The file is refused (400) when missing (`file_required`), empty (`empty_file`), "
    "too large (`file_too_large`), past the project's quota (`quota_exceeded`), of a refused "
    "type (`bad_file`), not what its name says (`content_mismatch`) or named with a path or "
    "control characters (`bad_name`).",
)
def document_create(
    request,
    code: str,
    folder_id: int,
    file: UploadedFile = NO_FILE,  # None when missing: the service refuses it
    title: Form[str] = "",
    tags: Form[str] = "",
    note: Form[str] = "",
):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    folder = selectors.folder_get(project=project, folder_id=folder_id)
    document = services.document_create(
        project=project,
        by=request.user,
        folder=folder,
        title=title[:200] or (file.name or "" if file else ""),
        upload=file,
        tags=tags,
        note=note,
    )
    return Status(201, _document_out(document))


@router.get(DOC, response={200: DocumentOut, **READ}, summary="One document")
def document_get(request, code: str, key: str):
    return _document_out(_document(request, code, key))


@router.patch(
    DOC,
    response={200: DocumentOut, **WRITE, 409: Conflict},
    summary="Edit a document: title, tags, folder (a move), owner, status",
)
def document_patch(request, code: str, key: str, data: DocumentPatch):
    document = _document(request, code, key, need=Action.EDIT)
    fields = not_null(data.dict(exclude_unset=True, exclude={"version", "status"}), ("owner_id",))
    if "folder_id" in fields:
        fields["folder"] = _folder(document.project, fields.pop("folder_id"), "folder_id")
    if "owner_id" in fields:
        owner_id = fields.pop("owner_id")
        fields["owner"] = User.objects.filter(pk=owner_id).first() if owner_id else None
        if owner_id and fields["owner"] is None:
            raise InvalidInput(
                _("Choose someone of the project's team."), field="owner_id", code="bad_owner"
            )
    with named_as_sent(owner="owner_id", folder="folder_id"):
        document = services.document_update(
            document=document, by=request.user, version=data.version, **fields
        )
    if data.status is not None:
        document = services.document_set_status(
            document=document, by=request.user, version=document.version, status=data.status
        )
    return _document_out(
        selectors.document_get(project=document.project, audience=TEAM, key=document.key)
    )


# -- versions --------------------------------------------------------------------------


@router.get(
    DOC + "/versions",
    response={200: list[DocumentVersionOut], **READ},
    summary="A document's versions, newest first",
)
@paginate(Page)
def version_list(request, code: str, key: str):
    document = _document(request, code, key)
    return [
        _version_out(document, v) for v in selectors.version_list(document=document, audience=TEAM)
    ]


@router.post(
    DOC + "/versions",
    response={201: DocumentVersionOut, **WRITE, 409: Conflict},
    summary="Upload a new version (multipart)",
    description="`version` is the document's, as last read: a stale one answers 409. The "
    "file's refusals are those of creating a document.",
)
def version_upload(
    request,
    code: str,
    key: str,
    file: UploadedFile = NO_FILE,  # None when missing: the service refuses it
    version: Form[int | None] = None,
    note: Form[str] = "",
):
    document = _document(request, code, key, need=Action.EDIT)
    if version is None:
        raise InvalidInput(
            _("Give the document's version."), field="version", code="version_required"
        )
    added = services.version_upload(
        document=document, by=request.user, upload=file, note=note, version=version
    )
    return Status(201, _version_out(document, added))


VERSION = PROJECT + "/document-versions/{version_id}"


def _version(request, code: str, version_id: int) -> tuple[Document, DocumentVersion]:
    project = access.get_project_for(request.user, code)
    version = selectors.version_find(project=project, version_id=version_id)
    if version is None:
        raise Http404
    document = selectors.document_get(project=project, audience=TEAM, key=version.document.key)
    return document, version


@router.get(
    VERSION,
    response={200: DocumentVersionOut, **READ},
    summary="One version, with its download URL",
)
def version_get(request, code: str, version_id: int):
    return _version_out(*_version(request, code, version_id))


@router.get(
    VERSION + "/file",
    response={200: None, **READ},
    summary="A version's file",
    url_name="document_version_file",
    description="Images, PDF and text inline, anything else as an attachment; `nosniff`.",
)
def version_file(request, code: str, version_id: int):
    _, version = _version(request, code, version_id)
    return files.file_response(version.file, name=version.name, content_type=version.content_type)


# -- reviews ---------------------------------------------------------------------------


def review_out(review) -> dict:
    return {
        "id": review.pk,
        "number": review.version.number,
        **{name: getattr(review, name) for name in ("status", "message", "comment", "sha256")},
        "requested_at": review.requested_at,
        "decided_at": review.decided_at,
    }


@router.get(
    DOC + "/reviews",
    response={200: list[DocumentReviewOut], **READ},
    summary="The client's reviews of a document",
)
@paginate(Page)
def review_list(request, code: str, key: str):
    document = _document(request, code, key)
    return [review_out(review) for review in selectors.review_list(document=document)]


@router.post(
    DOC + "/reviews",
    response={201: DocumentReviewOut, **WRITE},
    summary="Ask the client to review a version (the manager)",
    description="The document must be shared (`document_internal`); one review waits at a time "
    "(`review_pending`). Asking shares that version with the client.",
)
def review_request(request, code: str, key: str, data: DocumentReviewIn):
    document = _document(request, code, key, need=Action.MANAGE)
    try:
        version = selectors.version_get(document=document, audience=TEAM, number=data.number)
    except Http404:
        raise InvalidInput(
            _("No version has that number."), field="number", code="bad_version"
        ) from None
    review = client_services.review_request(
        document=document, version=version, by=request.user, message=data.message
    )
    return Status(201, review_out(review))
