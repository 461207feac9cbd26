"""Writes of requirements and baselines. Every change is audited and makes a revision."""

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.attachments import attachment_add
from liaison.collab.notify import notifications_resolve, notify
from liaison.core import search
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import only_editable
from liaison.core.services import InvalidInput
from liaison.core.stored_files import stored
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_key, next_number
from liaison.projects.models import Membership, Project
from liaison.projects.selectors import client_members
from liaison.requirements.baseline_content import baseline_content, content_hash
from liaison.requirements.jobs import run_import
from liaison.requirements.models import Baseline, ImportJob, Requirement, RequirementRevision
from liaison.requirements.rules import (
    EDITABLE_FIELDS,
    allowed_next,
    clean_criteria,
    clean_tags,
    requirement_score,
    snapshot_of,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# -- cleaning -------------------------------------------------------------------


def _clean(
    project: Project, fields: dict[str, Any], requirement: Requirement | None = None
) -> dict[str, Any]:
    """Check every rule on the given fields; raise on the first broken one."""
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise InvalidInput(_("A requirement needs a title."), field="title")
    choices = {
        "kind": Requirement.Kind,
        "source": Requirement.Source,
        "priority": Requirement.Priority,
    }
    for name, enum in choices.items():
        if name in fields and fields[name] not in enum.values:
            raise InvalidInput(_("Choose one of the listed values."), field=name)
    for name in ("value", "feasibility", "cost"):
        if name in fields and (not isinstance(fields[name], int) or not 1 <= fields[name] <= 5):
            raise InvalidInput(_("Give a score from 1 to 5."), field=name)
    if "acceptance_criteria" in fields:
        fields["acceptance_criteria"] = clean_criteria(fields["acceptance_criteria"])
    if "tags" in fields:
        fields["tags"] = clean_tags(fields["tags"])
    for name in ("body", "source_ref"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    _check_parent(project, fields.get("parent"), requirement)
    owner = fields.get("owner")
    if (
        owner is not None
        and not Membership.objects.filter(
            project=project, user=owner, role__in=access.INTERNAL_ROLES
        ).exists()
    ):
        raise InvalidInput(_("The owner must be on the project team."), field="owner")
    return fields


def _check_parent(project: Project, parent: Requirement | None, child: Requirement | None) -> None:
    if parent is None:
        return
    if parent.project_id != project.pk:
        raise InvalidInput(_("The parent must be a requirement of this project."), field="parent")
    ancestor: Requirement | None = parent
    while ancestor is not None:
        if child is not None and ancestor.pk == child.pk:
            raise InvalidInput(_("A requirement cannot be its own ancestor."), field="parent")
        ancestor = ancestor.parent


def _rescore(requirement: Requirement) -> None:
    requirement.score = requirement_score(
        priority=requirement.priority,
        value=requirement.value,
        feasibility=requirement.feasibility,
        cost=requirement.cost,
    )


def _revise(requirement: Requirement, by: User) -> None:
    RequirementRevision.objects.create(
        requirement=requirement,
        number=requirement.version,
        snapshot=snapshot_of(requirement),
        author=by,
    )


def _record_change(
    requirement: Requirement,
    by: User,
    diff: dict[str, Any],
    extra_fields: Sequence[str] = (),
) -> None:
    """Save a change the way every requirement change is kept: a new version,
    a revision with the whole snapshot, and an audit row with the diff."""
    save_changes(requirement, [*diff, *extra_fields])
    _revise(requirement, by)
    search.index(requirement)
    activity_record(
        actor=by,
        verb="updated",
        target=requirement,
        project=requirement.project,
        diff=diff,
        client_visible=requirement.client_visible,
    )


def _url(requirement: Requirement) -> str:
    return reverse("requirements:detail", args=[requirement.project.code, requirement.key])


# -- requirements ---------------------------------------------------------------


@transaction.atomic
def requirement_create(*, project: Project, by: User, **fields: Any) -> Requirement:
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    fields = _clean(project, {"title": "", **fields})
    requirement = Requirement(
        project=project, key=next_key(project=project, prefix="REQ"), **fields
    )
    _rescore(requirement)
    requirement.save()
    _revise(requirement, by)
    search.index(requirement)
    activity_record(
        actor=by,
        verb="created",
        target=requirement,
        project=project,
        client_visible=requirement.client_visible,
    )
    return requirement


@transaction.atomic
def requirement_update(
    *, requirement: Requirement, by: User, version: int, **fields: Any
) -> Requirement:
    project = requirement.project
    access.require(by, Action.EDIT, project)
    locked = Requirement.objects.select_for_update().get(pk=requirement.pk)
    check_version(locked, version)
    only_editable(fields, EDITABLE_FIELDS)
    diff = apply_fields(locked, _clean(project, fields, locked))
    if not diff:
        return locked
    _rescore(locked)
    _record_change(locked, by, diff, extra_fields=["score"])
    if locked.owner_id:
        notify(
            event="requirement.updated",
            recipients=[locked.owner],
            actor=by,
            project=project,
            message=_("%(actor)s changed %(requirement)s"),
            params={"actor": by, "requirement": locked},
            url=_url(locked),
        )
    return locked


@transaction.atomic
def requirement_transition(
    *, requirement: Requirement, by: User, status: str, version: int | None = None
) -> Requirement:
    project = requirement.project
    access.require(by, Action.EDIT, project)
    locked = Requirement.objects.select_for_update().get(pk=requirement.pk)
    if version is not None:
        check_version(locked, version)
    if status not in allowed_next(locked.status):
        allowed = ", ".join(str(Requirement.Status(s).label) for s in allowed_next(locked.status))
        raise InvalidInput(
            _(
                "A requirement that is %(current)s cannot become %(target)s. "
                "It can become: %(allowed)s."
            )
            % {
                "current": locked.get_status_display(),
                "target": Requirement.Status(status).label
                if status in Requirement.Status.values
                else status,
                "allowed": allowed or "—",
            },
            field="status",
            code="transition_not_allowed",
        )
    old = locked.status
    _record_change(locked, by, apply_fields(locked, {"status": status}))
    if old == Requirement.Status.DRAFT:
        requested_handled(requirement=locked)
    # The owner's inbox, and the team's chat room (webhooks), hear of every move.
    notify(
        event="requirement.status",
        recipients=[locked.owner] if locked.owner_id else [],
        actor=by,
        project=project,
        message=_("%(actor)s moved %(requirement)s from %(old)s to %(new)s"),
        params={
            "actor": by,
            "requirement": locked,
            "old": Requirement.Status(old).label,
            "new": Requirement.Status(status).label,
        },
        url=_url(locked),
    )
    return locked


@transaction.atomic
def requirement_request(
    *,
    project: Project,
    by: User,
    title: str,
    body: str,
    upload: "UploadedFile[bytes] | None" = None,
) -> Requirement:
    """A client asks for something, with a file when they attach one (checked
    as any attachment: refused, nothing is kept): it lands as a draft for the
    manager."""
    access.require(by, Action.COMMENT, project)
    fields = _clean(project, {"title": title, "body": body})
    requirement = Requirement(
        project=project,
        key=next_key(project=project, prefix="REQ"),
        source=Requirement.Source.CLIENT_REQUEST,
        client_visible=True,
        **fields,
    )
    _rescore(requirement)
    requirement.save()
    _revise(requirement, by)
    search.index(requirement)
    activity_record(
        actor=by, verb="requested", target=requirement, project=project, client_visible=True
    )
    if upload is not None:
        attachment_add(
            target=requirement, project=project, by=by, upload=upload, need=Action.COMMENT
        )
    notify(
        event="requirement.requested",
        recipients=[project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s requested %(requirement)s"),
        params={"actor": by, "requirement": requirement},
        url=_url(requirement),
        target=requirement,
    )
    return requirement


def requested_handled(*, requirement: Requirement) -> None:
    """A client's request left draft (reviewed, confirmed, rejected or deferred):
    the manager has handled it, so it leaves their bell. Called in the caller's
    transaction."""
    if requirement.source == Requirement.Source.CLIENT_REQUEST:
        notifications_resolve(target=requirement, events=["requirement.requested"])


# -- baselines ------------------------------------------------------------------

BASELINE_PREFIX = "BASELINE"  # the counter behind baseline numbers


@transaction.atomic
def baseline_propose(*, project: Project, by: User, title: str, note: str = "") -> Baseline:
    access.require(by, Action.MANAGE, project)
    title = title.strip()
    if not title:
        raise InvalidInput(_("Give the baseline a title."), field="title")
    content = baseline_content(project)
    if not content["requirements"]:
        raise InvalidInput(
            _("There is nothing to sign yet: confirm requirements that the client can see first."),
            code="empty_baseline",
        )
    # The counter's lock also serialises two proposals made at the same moment.
    number = next_number(project=project, prefix=BASELINE_PREFIX)
    pending_ones = Baseline.objects.select_for_update().filter(
        project=project, status=Baseline.Status.PROPOSED
    )
    for pending in pending_ones:
        pending.status = Baseline.Status.SUPERSEDED
        pending.save(update_fields=["status"])
        activity_record(
            actor=by, verb="superseded", target=pending, project=project, client_visible=True
        )
    baseline = Baseline.objects.create(
        project=project,
        number=number,
        title=title[:200],
        note=note.strip(),
        content=content,
        content_hash=content_hash(content),
        proposed_by=by,
    )
    activity_record(
        actor=by, verb="proposed", target=baseline, project=project, client_visible=True
    )
    notify(
        event="approval.needed",
        recipients=client_members(project=project),
        actor=by,
        project=project,
        message=_("%(actor)s asks you to sign %(baseline)s"),
        room_message=_("%(actor)s asks the client to sign %(baseline)s"),
        params={"actor": by, "baseline": baseline},
        url=reverse("portal:baseline", args=[project.code, baseline.number]),
        target=baseline,
    )
    return baseline


def _decide(baseline: Baseline, by: User) -> Baseline:
    access.require(by, Action.APPROVE, baseline.project)
    locked = Baseline.objects.select_for_update().get(pk=baseline.pk)
    if locked.status != Baseline.Status.PROPOSED:
        raise InvalidInput(
            _("This baseline is %(status)s; it can no longer be signed or rejected.")
            % {"status": locked.get_status_display()},
            code="baseline_decided",
        )
    if content_hash(locked.content) != locked.content_hash:
        raise InvalidInput(
            _("This baseline's content does not match its hash."), code="baseline_tampered"
        )
    return locked


def _tell_team(baseline: Baseline, by: User, message: "StrOrPromise") -> None:
    """The baseline is decided: the request to sign it is answered for every client."""
    notifications_resolve(target=baseline, events=["approval.needed"])
    notify(
        event="baseline.decided",
        recipients=[baseline.project.manager, baseline.proposed_by],
        actor=by,
        project=baseline.project,
        message=message,
        params={"actor": by, "baseline": baseline},
        url=reverse("requirements:baseline", args=[baseline.project.code, baseline.number]),
    )


@transaction.atomic
def baseline_sign(
    *, baseline: Baseline, by: User, full_name: str, agreed: bool, ip: str | None
) -> Baseline:
    locked = _decide(baseline, by)
    full_name = full_name.strip()
    if not full_name:
        raise InvalidInput(_("Type your full name to sign."), field="full_name")
    if not agreed:
        raise InvalidInput(_("Tick the statement to sign."), field="agreed")
    locked.status = Baseline.Status.SIGNED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.signed_name, locked.signed_ip = full_name[:200], ip
    locked.save(update_fields=["status", "decided_by", "decided_at", "signed_name", "signed_ip"])
    activity_record(
        actor=by,
        verb="signed",
        target=locked,
        project=locked.project,
        diff={"status": [Baseline.Status.PROPOSED, Baseline.Status.SIGNED]},
        client_visible=True,
    )
    _tell_team(locked, by, _("%(actor)s signed %(baseline)s"))
    return locked


@transaction.atomic
def baseline_reject(*, baseline: Baseline, by: User, comment: str, ip: str | None) -> Baseline:
    locked = _decide(baseline, by)
    comment = comment.strip()
    if not comment:
        raise InvalidInput(_("Say what should change, so the team can act on it."), field="comment")
    locked.status = Baseline.Status.REJECTED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.rejection_comment, locked.signed_ip = comment, ip
    locked.save(
        update_fields=["status", "decided_by", "decided_at", "rejection_comment", "signed_ip"]
    )
    activity_record(
        actor=by,
        verb="rejected",
        target=locked,
        project=locked.project,
        diff={"status": [Baseline.Status.PROPOSED, Baseline.Status.REJECTED]},
        client_visible=True,
    )
    _tell_team(locked, by, _("%(actor)s rejected %(baseline)s"))
    return locked


# -- import ---------------------------------------------------------------------

MAX_IMPORT_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive


@transaction.atomic
def requirement_import_start(
    *, project: Project, by: User, upload: "UploadedFile[bytes]"
) -> ImportJob:
    """Check the upload and queue the import; the job reports progress and problems."""
    access.require(by, Action.EDIT, project)
    if (upload.size or 0) > MAX_IMPORT_BYTES:
        raise InvalidInput(_("The file is larger than 10 MB."), field="file")
    head = upload.read(4)
    upload.seek(0)
    if head != XLSX_MAGIC or not (upload.name or "").lower().endswith(".xlsx"):
        raise InvalidInput(_("Upload an Excel workbook (.xlsx)."), field="file")
    # Stored under a name of our own: the browser's may not fit the storage (many
    # dots, or a long Chinese name past the file system's 255 bytes).
    job = ImportJob(project=project, by=by)
    with stored(job.file, f"{uuid.uuid4().hex}.xlsx", upload):
        job.save()
        activity_record(actor=by, verb="uploaded", target=job, project=project)
    transaction.on_commit(lambda: run_import(job.pk))
    return job
