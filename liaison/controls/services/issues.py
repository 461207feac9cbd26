"""Writes of issues (`ISS-n`): raised by the team or the client, worked on,
resolved with a root cause and a solution, verified by whoever raised it,
closed, and reopened with a reason (docs/architecture.md, Where code goes).
Escalation is in issue_escalation.py, the dispute's two sides in issue_disputes.py."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.attachments import attachment_add
from liaison.collab.models import Attachment
from liaison.collab.notify import notify
from liaison.controls.models import Issue
from liaison.core import search
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Membership, Project
from liaison.projects.selectors import client_members
from liaison.requirements.models import Requirement

Status = Issue.Status
Kind = Issue.Kind
PREFIX = "ISS"
EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "severity",
    "priority",
    "requirement",
    "milestone",
    "task",
    "found_in",
    "steps",
    "owner",
    "due_date",
    "blocked",
    "client_visible",
    "our_position",
    "agreed_outcome",
)
CREATE_FIELDS = (*EDITABLE_FIELDS, "raised_by")
# Only the manager records what both sides agreed in a dispute.
MANAGER_FIELDS = ("agreed_outcome",)
# What the client may raise in the portal (a dispute is the team's to open).
CLIENT_KINDS = (Kind.PROBLEM, Kind.DEFECT, Kind.QUESTION)
WHERE_FOUND: dict[str, type[Requirement] | type[Milestone] | type[Task]] = {
    "requirement": Requirement,
    "milestone": Milestone,
    "task": Task,
}
TEXT_LIMITS = {"found_in": 200}
OWNER_ROLES = (Membership.Role.MANAGER, Membership.Role.MEMBER)
# -- who is who -----------------------------------------------------------------


def _role_of(project: Project, user: User) -> str | None:
    if user.pk == project.manager_id:
        return Membership.Role.MANAGER
    role: str | None = (
        Membership.objects.filter(project=project, user=user)
        .values_list("role", flat=True)
        .order_by()
        .first()
    )
    return role


def is_client_of(*, project: Project, user: User) -> bool:
    return _role_of(project, user) == Membership.Role.CLIENT and access.is_client_user(user)


def _check_owner(project: Project, owner: User | None) -> None:
    if owner is None:
        return
    if not owner.is_active or _role_of(project, owner) not in OWNER_ROLES:
        raise InvalidInput(
            _("The owner must be a manager or member of the project."), field="owner"
        )


def _check_raiser(project: Project, raiser: User) -> None:
    if not raiser.is_active or _role_of(project, raiser) is None:
        raise InvalidInput(
            _("Whoever raised it must be a member or a client contact of the project."),
            field="raised_by",
        )


# -- cleaning -------------------------------------------------------------------


def _clean_text(fields: dict[str, Any]) -> None:
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())[:300]
        if not fields["title"]:
            raise InvalidInput(_("Say what the issue is."), field="title", code="title_required")
    for name in ("description", "steps", "found_in", "our_position", "agreed_outcome"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()[: TEXT_LIMITS.get(name, 20_000)]


def _clean_choices(fields: dict[str, Any]) -> None:
    for name, choices in (
        ("kind", Kind),
        ("severity", Issue.Severity),
        ("priority", Issue.Priority),
    ):
        if name in fields and fields[name] not in choices.values:
            raise InvalidInput(_("Choose one of the offered values."), field=name)


def _clean_where_found(project: Project, fields: dict[str, Any]) -> None:
    """A requirement, milestone or task of this project only."""
    for name, model in WHERE_FOUND.items():
        row = fields.get(name)
        if row is not None and (not isinstance(row, model) or row.project_id != project.pk):
            raise InvalidInput(
                _("That is not part of this project."), field=name, code="not_in_project"
            )


def _clean(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    _clean_text(fields)
    _clean_choices(fields)
    _clean_where_found(project, fields)
    if "due_date" in fields:
        due = fields["due_date"]
        if due is not None and (not isinstance(due, dt.date) or isinstance(due, dt.datetime)):
            raise InvalidInput(_("Give the due date as a date."), field="due_date")
        check_date(due, "due_date")
    if "owner" in fields:
        _check_owner(project, fields["owner"])
    for name in ("blocked", "client_visible"):
        if name in fields:
            fields[name] = bool(fields[name])
    return fields


def _always_visible(issue_fields: dict[str, Any], raised_by_client: bool) -> None:
    """What the client raised, and a dispute with them, the client always sees."""
    if raised_by_client or issue_fields.get("kind") == Kind.DISPUTE:
        issue_fields["client_visible"] = True


def lock_issue(*, issue: Issue) -> Issue:
    """The row, locked (only its own row: PostgreSQL refuses FOR UPDATE on the
    nullable side of an outer join)."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    locked.project = issue.project
    return locked


# -- telling people ---------------------------------------------------------------


def url_for(*, issue: Issue, user: User | None) -> str:
    """The issue's page for this reader: the portal's for a client."""
    if user is not None and is_client_of(project=issue.project, user=user):
        return issue.portal_url()
    return issue.get_absolute_url()


def _tell_raised(issue: Issue, by: User) -> None:
    """A critical issue, or one the client raised, goes to the manager at once."""
    if not (issue.raised_by_client or issue.severity == Issue.Severity.CRITICAL):
        return
    notify(
        event="issue.raised",
        recipients=[issue.project.manager],
        actor=by,
        project=issue.project,
        message=_("%(actor)s raised %(severity)s issue %(issue)s"),
        params={"actor": by, "severity": Issue.Severity(issue.severity).label, "issue": issue},
        url=issue.get_absolute_url(),
        target=issue,
    )


def _tell_assigned(issue: Issue, by: User) -> None:
    if issue.owner is None:
        return
    notify(
        event="issue.assigned",
        recipients=[issue.owner],
        actor=by,
        project=issue.project,
        message=_("%(actor)s gave you issue %(issue)s"),
        params={"actor": by, "issue": issue},
        url=issue.get_absolute_url(),
        target=issue,
    )


def record_issue(
    *, issue: Issue, by: User | None, verb: str, diff: dict[str, list[object]] | None = None
) -> None:
    activity_record(
        actor=by,
        verb=verb,
        target=issue,
        project=issue.project,
        diff=diff,
        client_visible=issue.client_visible,
    )


# -- raising and editing --------------------------------------------------------------


def _new_issue(project: Project, by: User, fields: dict[str, Any]) -> Issue:
    raiser = fields.pop("raised_by", None) or by
    if raiser != by:  # whoever acts may raise (access said so); another must belong to it
        _check_raiser(project, raiser)
    raised_by_client = is_client_of(project=project, user=raiser)
    _always_visible(fields, raised_by_client)
    number = next_number(project=project, prefix=PREFIX)
    issue = Issue.objects.create(
        project=project,
        key=f"{PREFIX}-{number}",
        number=number,
        raised_by=raiser,
        raised_by_client=raised_by_client,
        **fields,
    )
    search.index(issue)
    record_issue(issue=issue, by=by, verb="created")
    _tell_raised(issue, by)
    _tell_assigned(issue, by)
    return issue


@transaction.atomic
def issue_create(*, project: Project, by: User, **fields: Any) -> Issue:
    """The team raises an issue (for themselves, or for a client contact who
    told them: `raised_by`). Recording a dispute's agreed outcome is the manager's."""
    access.require(by, Action.EDIT, project)
    only_editable(fields, CREATE_FIELDS)
    if fields.get("agreed_outcome"):
        access.require(by, Action.MANAGE, project)
    fields = _clean(project, {"title": "", **fields})
    return _new_issue(project, by, fields)


@transaction.atomic
def issue_raise_from_client(
    *,
    project: Project,
    by: User,
    title: str,
    description: str = "",
    kind: str = Kind.PROBLEM,
    severity: str = Issue.Severity.MAJOR,
    steps: str = "",
    found_in: str = "",
    upload: "UploadedFile[bytes] | None" = None,
) -> Issue:
    """The client raises a problem, defect or question in the portal, with a
    file if they have one; the manager hears of it."""
    access.require(by, Action.APPROVE, project)
    if kind not in CLIENT_KINDS:
        raise InvalidInput(_("Choose one of the offered values."), field="kind")
    fields = _clean(
        project,
        {
            "title": title,
            "description": description,
            "kind": kind,
            "severity": severity,
            "steps": steps,
            "found_in": found_in,
        },
    )
    issue = _new_issue(project, by, fields)
    if upload is not None:
        attachment_add(target=issue, project=project, by=by, upload=upload, need=Action.APPROVE)
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, by: User, version: int, **fields: Any) -> Issue:
    project = issue.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    locked = lock_issue(issue=issue)
    check_version(locked, version)
    fields = _clean(project, fields)
    if any(name in fields and fields[name] != getattr(locked, name) for name in MANAGER_FIELDS):
        access.require(by, Action.MANAGE, project)
    if locked.raised_by_client or fields.get("kind", locked.kind) == Kind.DISPUTE:
        fields["client_visible"] = True
    if "agreed_outcome" in fields and fields["agreed_outcome"] != locked.agreed_outcome:
        # A new outcome needs the client's confirmation again.
        fields.update(confirmed_by=None, confirmed_at=None, confirmed_name="", confirmed_ip=None)
    previous_owner = locked.owner_id
    diff = apply_fields(locked, fields)
    if diff:
        save_changes(locked, diff)
        search.index_changed(locked, diff)
        record_issue(issue=locked, by=by, verb="updated", diff=diff)
        if "owner" in diff and locked.owner_id != previous_owner:
            _tell_assigned(locked, by)
        if "agreed_outcome" in diff and locked.agreed_outcome:
            _ask_confirmation(locked, by)
    return locked


def _ask_confirmation(issue: Issue, by: User) -> None:
    notify(
        event="dispute.outcome_agreed",
        recipients=client_members(project=issue.project),
        actor=by,
        project=issue.project,
        message=_("%(actor)s recorded the agreed outcome of %(issue)s: please confirm it"),
        room_message=_("%(actor)s recorded the agreed outcome of %(issue)s for the client"),
        params={"actor": by, "issue": issue},
        url=issue.portal_url(),
        target=issue,
    )


@transaction.atomic
def issue_attach(*, issue: Issue, by: User, upload: "UploadedFile[bytes] | None") -> Attachment:
    """A file on the issue: the team's, or the client's on an issue they see."""
    project = issue.project
    if access.audience_of(by, project).internal:
        need = Action.EDIT
    else:
        need = Action.COMMENT
        if not issue.client_visible:
            raise InvalidInput(_("That is not part of this project."), code="not_in_project")
    return attachment_add(target=issue, project=project, by=by, upload=upload, need=need)
