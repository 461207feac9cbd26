"""A milestone's deliverables that are document versions (beside its
link-only deliverables, which planning keeps): linked and unlinked by the team
while the milestone is open, and their hashes recorded when the client accepts
the milestone (a registry hook, run in the acceptance's transaction)."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.services import InvalidInput
from liaison.documents.models import Deliverable, DocumentVersion
from liaison.planning.models import Milestone
from liaison.projects import access
from liaison.projects.access import Action


def _open(milestone: Milestone) -> None:
    """What the client judges or accepted stays as it was: refused with a
    message that says what to do. The milestone's row is locked, so a
    submission or an acceptance at the same moment waits for this change."""
    status = (
        Milestone.objects.select_for_update().values_list("status", flat=True).get(pk=milestone.pk)
    )
    if status == Milestone.Status.ACCEPTED:
        raise InvalidInput(
            _("The client accepted this milestone: what it delivered stays as they accepted it."),
            code="milestone_frozen",
        )
    if status == Milestone.Status.SUBMITTED:
        raise InvalidInput(
            _(
                "The milestone waits for the client's decision: withdraw the submission "
                "to change what it delivers."
            ),
            code="milestone_frozen",
        )


def _named(version: DocumentVersion) -> str:
    return f"{version.document.key} v{version.number}"


@transaction.atomic
def deliverable_add(*, milestone: Milestone, version: DocumentVersion, by: User) -> Deliverable:
    """Deliver a document version with a milestone (the manager's)."""
    project = milestone.project
    access.require(by, Action.MANAGE, project)
    _open(milestone)
    if version.project_id != project.pk:
        raise InvalidInput(
            _("Choose a document of this project."), field="version", code="bad_version"
        )
    try:
        with transaction.atomic():
            delivered = Deliverable.objects.create(
                project=project, milestone=milestone, version=version, added_by=by
            )
    except IntegrityError:
        raise InvalidInput(
            _("This version is already delivered with the milestone."), code="already_delivered"
        ) from None
    activity_record(
        actor=by,
        verb="linked",
        target=milestone,
        project=project,
        diff={"deliverable": [None, _named(version)]},
    )
    return delivered


@transaction.atomic
def deliverable_remove(*, deliverable: Deliverable, by: User) -> None:
    """Take a document version off an open milestone (the manager's)."""
    milestone = deliverable.milestone
    access.require(by, Action.MANAGE, milestone.project)
    _open(milestone)
    activity_record(
        actor=by,
        verb="unlinked",
        target=milestone,
        project=milestone.project,
        diff={"deliverable": [_named(deliverable.version), None]},
    )
    deliverable.delete()


def record_accepted(*, milestone: Any, by: User) -> None:
    """The registry's `milestone_accepted` hook: freeze the hash of each
    version the milestone delivers, with the moment the client accepted it."""
    hashes = DocumentVersion.objects.filter(pk=OuterRef("version_id")).values("sha256")[:1]
    Deliverable.objects.filter(milestone=milestone, accepted_at__isnull=True).update(
        accepted_sha256=Subquery(hashes), accepted_at=timezone.now()
    )
