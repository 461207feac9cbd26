"""Documents (DOC-n) and their versions: the team makes, edits, moves, shares
and removes them; each upload is a new version, kept for ever with its hash.

Who sees a version: the client sees a client-visible document's versions that
were shared with them (uploaded while it was client-visible, or shared by
hand), never the ones made while it was internal (`DocumentVersion.client_visible`)."""

from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core import search
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.services import InvalidInput
from liaison.documents import files
from liaison.documents.models import Deliverable, Document, DocumentVersion, Folder
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Membership, Project

PREFIX = "DOC"
EDITABLE = ("title", "tags", "owner", "folder")
MAX_TAGS, MAX_TAG = 10, 40


def used_bytes(*, project: Project) -> int:
    """What the project's versions take in storage."""
    total = DocumentVersion.objects.filter(project=project).aggregate(total=Sum("size"))["total"]
    return int(total or 0)


def _clean_title(title: str | None) -> str:
    cleaned = " ".join((title or "").split())[:200]
    if not cleaned:
        raise InvalidInput(_("Give the document a title."), field="title", code="title_required")
    return cleaned


def clean_tags(*, tags: Any) -> list[str]:
    """Tags from a list or a comma-separated text: trimmed, unique, at most ten."""
    if isinstance(tags, str):
        tags = tags.replace("，", ",").split(",")
    if not isinstance(tags, list | tuple):
        raise InvalidInput(_("Give the tags as a list."), field="tags", code="bad_tags")
    cleaned: list[str] = []
    for tag in tags:
        text = " ".join(str(tag).split())[:MAX_TAG]
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(
            _("At most %(max)d tags.") % {"max": MAX_TAGS}, field="tags", code="too_many_tags"
        )
    return cleaned


def _clean_owner(project: Project, owner: User | None) -> User | None:
    if owner is None:
        return None
    is_team = Membership.objects.filter(
        project=project, user=owner, role__in=access.INTERNAL_ROLES, user__is_active=True
    ).exists()
    if not is_team:
        raise InvalidInput(
            _("Choose someone of the project's team."), field="owner", code="bad_owner"
        )
    return owner


def _clean_folder(project: Project, folder: Folder | None) -> Folder:
    if folder is None or folder.project_id != project.pk:
        raise InvalidInput(_("Choose a folder of this project."), field="folder", code="bad_folder")
    return folder


def add_version(
    *, document: Document, by: User, upload: "File[Any] | None", note: str, by_client: bool = False
) -> DocumentVersion:
    """Check, store and record one version; the file is removed again if
    anything after storing it fails (a sweep catches a rollback further out)."""
    project = Project.objects.select_for_update().get(pk=document.project_id)  # the quota
    checked = files.check_upload(upload, used=used_bytes(project=project))
    assert upload is not None
    stored = files.store(upload, checked)
    try:
        number = (document.latest.number if document.latest else 0) + 1
        version = DocumentVersion.objects.create(
            document=document,
            project=project,
            number=number,
            file=stored,
            name=checked.name,
            size=checked.size,
            content_type=checked.content_type,
            sha256=checked.sha256,
            note=" ".join((note or "").split())[:300],
            client_visible=document.client_visible,
            by_client=by_client,
            uploaded_by=by,
        )
        document.latest = version
        if version.client_visible:
            document.shared_version = version
        document.version += 1
        document.save(update_fields=["latest", "shared_version", "version", "updated_at"])
        search.index(document)
    except BaseException:
        files.discard(stored)
        raise
    return version


@transaction.atomic
def document_create(
    *,
    project: Project,
    by: User,
    folder: Folder,
    title: str,
    upload: "File[Any] | None",
    tags: Any = (),
    note: str = "",
    client_visible: bool | None = None,
) -> Document:
    """A document with its first version; it is client-visible as its folder
    says unless told (sharing it is the manager's)."""
    access.require(by, Action.EDIT, project)
    folder = _clean_folder(project, folder)
    visible = folder.client_visible if client_visible is None else bool(client_visible)
    if visible and not folder.client_visible:
        access.require(by, Action.MANAGE, project)
    number = next_number(project=project, prefix=PREFIX)
    document = Document.objects.create(
        project=project,
        number=number,
        key=f"{PREFIX}-{number}",
        folder=folder,
        title=_clean_title(title),
        tags=clean_tags(tags=list(tags) if not isinstance(tags, str) else tags),
        client_visible=visible,
        owner=by,
    )
    add_version(document=document, by=by, upload=upload, note=note)
    activity_record(
        actor=by, verb="created", target=document, project=project, client_visible=visible
    )
    return document


def _locked(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("latest")
        .get(pk=document.pk)
    )


@transaction.atomic
def version_upload(
    *, document: Document, by: User, upload: "File[Any] | None", note: str = "", version: int
) -> DocumentVersion:
    """A new version of the document (the team's). `version`: the document's,
    as the uploader saw it, so two uploads at once do not both think they are next."""
    project = document.project
    access.require(by, Action.EDIT, project)
    locked = _locked(document)
    check_version(locked, version)
    added = add_version(document=locked, by=by, upload=upload, note=note)
    if locked.status == Document.Status.APPROVED:
        locked.status = Document.Status.DRAFT  # what was approved was the previous version
        locked.save(update_fields=["status"])
    activity_record(
        actor=by,
        verb="uploaded",
        target=locked,
        project=project,
        diff={"version": [added.number - 1 or None, added.number]},
        client_visible=added.client_visible,
    )
    return added


@transaction.atomic
def document_update(*, document: Document, by: User, version: int, **fields: Any) -> Document:
    """Title, tags, owner or folder (a move)."""
    project = document.project
    access.require(by, Action.EDIT, project)
    locked = _locked(document)
    check_version(locked, version)
    fields = {name: value for name, value in fields.items() if name in EDITABLE}
    if "title" in fields:
        fields["title"] = _clean_title(fields["title"])
    if "tags" in fields:
        fields["tags"] = clean_tags(tags=fields["tags"])
    if "owner" in fields:
        fields["owner"] = _clean_owner(project, fields["owner"])
    if "folder" in fields:
        fields["folder"] = _clean_folder(project, fields["folder"])
    diff = apply_fields(locked, fields)
    if diff:
        save_changes(locked, diff)
        search.index_changed(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    return locked


@transaction.atomic
def document_set_visibility(
    *, document: Document, by: User, version: int, client_visible: bool, share_latest: bool = True
) -> Document:
    """Share a document with the client or take it back (the manager's).
    Sharing shares its latest version (`share_latest`), never the older ones:
    those stay internal unless shared one by one (`version_share`)."""
    project = document.project
    access.require(by, Action.MANAGE, project)
    locked = _locked(document)
    check_version(locked, version)
    visible = bool(client_visible)
    if locked.client_visible == visible:
        return locked
    locked.client_visible = visible
    diff: dict[str, list[object]] = {"client_visible": [not visible, visible]}
    if visible and share_latest and locked.latest is not None:
        DocumentVersion.objects.filter(pk=locked.latest.pk).update(client_visible=True)
        locked.shared_version = locked.latest
        diff["shared_version"] = [None, locked.latest.number]
    save_changes(locked, ["client_visible", "shared_version"])
    search.index(locked)
    activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    return locked


@transaction.atomic
def version_share(*, version: DocumentVersion, by: User) -> DocumentVersion:
    """Share one version made while the document was internal (the manager's)."""
    document = version.document
    access.require(by, Action.MANAGE, document.project)
    locked = _locked(document)
    if not locked.client_visible:
        raise InvalidInput(_("Share the document with the client first."), code="document_internal")
    if version.client_visible:
        return version
    version.client_visible = True
    version.save(update_fields=["client_visible"])
    newest = locked.versions.filter(client_visible=True).order_by("-number").only("pk").first()
    locked.shared_version = newest
    save_changes(locked, ["shared_version"])
    search.index(locked)
    activity_record(
        actor=by,
        verb="shared",
        target=locked,
        project=locked.project,
        diff={"version": [None, version.number]},
        client_visible=True,
    )
    return version


@transaction.atomic
def document_set_status(*, document: Document, by: User, version: int, status: str) -> Document:
    project = document.project
    access.require(by, Action.EDIT, project)
    if status not in Document.Status.values:
        raise InvalidInput(_("Choose a status."), field="status", code="bad_status")
    locked = _locked(document)
    check_version(locked, version)
    diff = apply_fields(locked, {"status": status})
    if diff:
        save_changes(locked, diff)
        search.index_changed(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    return locked


@transaction.atomic
def document_delete(*, document: Document, by: User, version: int | None = None) -> None:
    """The manager removes a document with its versions; not one the client
    reviewed or accepted (that record stays). The files go once the removal
    is committed."""
    project = document.project
    access.require(by, Action.MANAGE, project)
    locked = _locked(document)
    if version is not None:
        check_version(locked, version)
    if locked.reviews.exclude(status="withdrawn").exists() or _delivered(locked):
        raise InvalidInput(
            _("The client reviewed or received this document: it is kept."),
            code="document_kept",
        )
    names = list(locked.versions.values_list("file", flat=True))
    activity_record(actor=by, verb="deleted", target=locked, project=project)
    Document.objects.filter(pk=locked.pk).update(latest=None, shared_version=None)
    search.unindex(locked)
    locked.delete()
    transaction.on_commit(lambda: _discard_all(names))


def _discard_all(names: list[str]) -> None:
    for name in names:
        files.discard(name)


def _delivered(document: Document) -> bool:
    return Deliverable.objects.filter(version__document=document).exists()
