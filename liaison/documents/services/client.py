"""What the client does with documents in the portal: upload files into a
folder the manager opened for them, and decide on a version they were asked
to review. The manager asks for (or withdraws) a review here too."""

from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notifications_resolve, notify
from liaison.core import search
from liaison.core.activity import activity_record
from liaison.core.locking import save_changes
from liaison.core.services import InvalidInput
from liaison.documents.models import Document, DocumentVersion, Folder, Review
from liaison.documents.services.documents import PREFIX, add_version
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Project
from liaison.projects.selectors import client_members

REVIEW_REQUESTED = "document.review_requested"
REVIEW_DECIDED = "document.review_decided"
CLIENT_UPLOADED = "document.client_uploaded"


def _require_client(by: User, project: Project) -> None:
    access.require(by, Action.APPROVE, project)  # clients only: the team never approves
    if access.audience_of(by, project).internal:
        raise InvalidInput(_("Only the client does this."), code="client_only")


def _team_to_tell(project: Project, document: Document) -> list[User]:
    people = [project.manager, document.owner]
    return [person for i, person in enumerate(people) if person and person not in people[:i]]


@transaction.atomic
def client_upload(
    *,
    project: Project,
    by: User,
    folder: Folder,
    upload: "File[Any] | None",
    title: str = "",
    note: str = "",
) -> Document:
    """A file from the client: a new document in a folder open to their
    uploads, visible to them and waiting for the team's review."""
    _require_client(by, project)
    if folder.project_id != project.pk or not folder.client_uploads:
        raise InvalidInput(
            _("This folder does not take files from you."), field="folder", code="bad_folder"
        )
    number = next_number(project=project, prefix=PREFIX)
    name = (upload.name if upload is not None else "") or ""
    document = Document.objects.create(
        project=project,
        number=number,
        key=f"{PREFIX}-{number}",
        folder=folder,
        title=" ".join((title or name).split())[:200] or str(_("File from the client")),
        tags=[],
        client_visible=True,
        owner=project.manager,
        status=Document.Status.FOR_REVIEW,
        from_client=True,
    )
    add_version(document=document, by=by, upload=upload, note=note, by_client=True)
    activity_record(
        actor=by, verb="uploaded", target=document, project=project, client_visible=True
    )
    notify(
        event=CLIENT_UPLOADED,
        recipients=_team_to_tell(project, document),
        actor=by,
        project=project,
        message=_("%(actor)s sent a file: %(document)s"),
        params={"actor": by, "document": document},
        url=document.get_absolute_url(),
        target=document,
    )
    return document


@transaction.atomic
def review_request(
    *, document: Document, version: DocumentVersion, by: User, message: str = ""
) -> Review:
    """Ask the client to review one version (the manager's): the document must
    be shared; asking shares that version with the client."""
    project = document.project
    access.require(by, Action.MANAGE, project)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if version.document_id != locked.pk:
        raise InvalidInput(
            _("Choose a version of this document."), field="version", code="bad_version"
        )
    if not locked.client_visible:
        raise InvalidInput(_("Share the document with the client first."), code="document_internal")
    if locked.reviews.filter(status=Review.Status.PENDING).exists():
        raise InvalidInput(_("A review is already waiting for the client."), code="review_pending")
    if not version.client_visible:
        version.client_visible = True
        version.save(update_fields=["client_visible"])
        newest = locked.versions.filter(client_visible=True).order_by("-number").first()
        locked.shared_version = newest
    locked.status = Document.Status.FOR_REVIEW
    save_changes(locked, ["status", "shared_version"])
    search.index(locked)
    review = Review.objects.create(
        project=project,
        document=locked,
        version=version,
        message=(message or "").strip()[:5000],
        requested_by=by,
    )
    activity_record(
        actor=by,
        verb="requested",
        target=locked,
        project=project,
        diff={"version": [None, version.number]},
        client_visible=True,
    )
    notify(
        event=REVIEW_REQUESTED,
        recipients=client_members(project=project),
        actor=by,
        project=project,
        message=_("%(actor)s asks you to review %(document)s, version %(number)s"),
        room_message=_("%(actor)s asked the client to review %(document)s, version %(number)s"),
        params={"actor": by, "document": locked, "number": version.number},
        url=locked.portal_url(),
        target=review,
    )
    return review


@transaction.atomic
def review_decide(*, review: Review, by: User, approve: bool, comment: str = "") -> Review:
    """The client approves the version or asks for changes (a comment says
    which); the version's hash is recorded with the decision."""
    project = review.project
    _require_client(by, project)
    locked = (
        Review.objects.select_for_update(of=("self",))
        .select_related("version", "document")
        .get(pk=review.pk)
    )
    if locked.status != Review.Status.PENDING:
        raise InvalidInput(_("This review is already decided."), code="review_decided")
    comment = (comment or "").strip()[:5000]
    if not approve and not comment:
        raise InvalidInput(_("Say what should change."), field="comment", code="comment_required")
    locked.status = Review.Status.APPROVED if approve else Review.Status.CHANGES
    locked.comment = comment
    locked.sha256 = locked.version.sha256
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save()
    document = Document.objects.select_for_update().get(pk=locked.document_id)
    document.status = Document.Status.APPROVED if approve else Document.Status.DRAFT
    save_changes(document, ["status"])
    activity_record(
        actor=by,
        verb="approved" if approve else "changes_requested",
        target=document,
        project=project,
        diff={"version": [None, locked.version.number], "sha256": [None, locked.sha256]},
        client_visible=True,
    )
    notifications_resolve(target=locked, events=[REVIEW_REQUESTED])
    notify(
        event=REVIEW_DECIDED,
        recipients=_team_to_tell(project, document),
        actor=by,
        project=project,
        message=(
            _("%(actor)s approved %(document)s, version %(number)s")
            if approve
            else _("%(actor)s asks for changes to %(document)s, version %(number)s")
        ),
        params={"actor": by, "document": document, "number": locked.version.number},
        url=document.get_absolute_url(),
        target=locked,
    )
    return locked


@transaction.atomic
def review_withdraw(*, review: Review, by: User) -> Review:
    """The manager takes a pending review back (a newer version is coming)."""
    access.require(by, Action.MANAGE, review.project)
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status != Review.Status.PENDING:
        raise InvalidInput(_("This review is already decided."), code="review_decided")
    locked.status = Review.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    document = Document.objects.select_for_update().get(pk=locked.document_id)
    document.status = Document.Status.DRAFT
    save_changes(document, ["status"])
    activity_record(actor=by, verb="withdrawn", target=document, project=review.project)
    notifications_resolve(target=locked, events=[REVIEW_REQUESTED])
    return locked
