"""Writes of issues (`ISS-n`): raised by the team or the client, worked on,
resolved with a root cause and a solution, verified by whoever raised it,
closed, and reopened with a reason (docs/architecture.md, Where code goes).
Escalation is in issue_escalation.py, the dispute's two sides in issue_disputes.py."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.attachments import attachment_add
from liaison.collab.models import Attachment
from liaison.collab.notify import notifications_resolve, notify
from liaison.controls.models import Issue
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
WHERE_FOUND = {"requirement": Requirement, "milestone": Milestone, "task": Task}
TEXT_LIMITS = {"found_in": 200}
OWNER_ROLES = (Membership.Role.MANAGER, Membership.Role.MEMBER)
# The team's moves: (from, to) → the action it needs. Verifying is the raiser's
# (issue_verify), reopening anyone's who may edit, or the raiser's (issue_reopen).
MOVES: dict[tuple[str, str], Action] = {
    (Status.OPEN, Status.IN_PROGRESS): Action.EDIT,
    (Status.IN_PROGRESS, Status.OPEN): Action.EDIT,
    (Status.OPEN, Status.RESOLVED): Action.EDIT,
    (Status.IN_PROGRESS, Status.RESOLVED): Action.EDIT,
    (Status.VERIFIED, Status.CLOSED): Action.EDIT,
}
REOPENABLE = (Status.RESOLVED, Status.VERIFIED, Status.CLOSED)
# What a move's audit row keeps (its times and people are the row's own fields).
SHOWN_MOVE_FIELDS = ("status", "root_cause", "solution")


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


def is_client_of(project: Project, user: User) -> bool:
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


def lock_issue(issue: Issue) -> Issue:
    """The row, locked (only its own row: PostgreSQL refuses FOR UPDATE on the
    nullable side of an outer join)."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    locked.project = issue.project
    return locked


# -- telling people ---------------------------------------------------------------


def url_for(issue: Issue, user: User | None) -> str:
    """The issue's page for this reader: the portal's for a client."""
    if user is not None and is_client_of(issue.project, user):
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


def record_issue(issue: Issue, by: User | None, verb: str, diff: dict | None = None) -> None:
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
    raised_by_client = is_client_of(project, raiser)
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
    record_issue(issue, by, "created")
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
    upload: UploadedFile | None = None,
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
    locked = lock_issue(issue)
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
        record_issue(locked, by, "updated", diff)
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
def issue_attach(*, issue: Issue, by: User, upload: UploadedFile | None) -> Attachment:
    """A file on the issue: the team's, or the client's on an issue they see."""
    project = issue.project
    if access.audience_of(by, project).internal:
        need = Action.EDIT
    else:
        need = Action.COMMENT
        if not issue.client_visible:
            raise InvalidInput(_("That is not part of this project."), code="not_in_project")
    return attachment_add(target=issue, project=project, by=by, upload=upload, need=need)


# -- the lifecycle ------------------------------------------------------------------


def _refuse_move(locked: Issue, status: str) -> InvalidInput:
    target = Status(status).label if status in Status.values else status
    return InvalidInput(
        _("An issue that is %(current)s cannot be moved to %(target)s.")
        % {"current": locked.status_label, "target": target},
        field="status",
        code="bad_transition",
    )


def _resolution(locked: Issue, root_cause: str | None, solution: str | None) -> dict[str, Any]:
    """Resolving needs the root cause and the solution, typed now or already saved."""
    root_cause = (locked.root_cause if root_cause is None else root_cause).strip()[:20_000]
    solution = (locked.solution if solution is None else solution).strip()[:20_000]
    if not root_cause:
        raise InvalidInput(
            _("Say what caused it: an issue is resolved with its root cause."),
            field="root_cause",
            code="root_cause_required",
        )
    if not solution:
        raise InvalidInput(
            _("Say how it was solved: an issue is resolved with its solution."),
            field="solution",
            code="solution_required",
        )
    return {"root_cause": root_cause, "solution": solution}


def _resolve(locked: Issue, by: User) -> None:
    """The raiser is asked to verify it; their earlier notifications are answered."""
    notifications_resolve(target=locked, events=["issue.raised", "issue.assigned"])
    if locked.raised_by is None:
        return
    notify(
        event="issue.resolved",
        recipients=[locked.raised_by],
        actor=by,
        project=locked.project,
        message=_("%(actor)s resolved %(issue)s: please check and verify it"),
        room_message=_("%(actor)s resolved %(issue)s"),
        params={"actor": by, "issue": locked},
        url=url_for(locked, locked.raised_by),
        target=locked,
    )


@transaction.atomic
def issue_transition(
    *,
    issue: Issue,
    by: User,
    status: str,
    version: int | None = None,
    root_cause: str | None = None,
    solution: str | None = None,
    reason: str = "",
) -> Issue:
    """The team's moves (MOVES); verifying goes to issue_verify, reopening to
    issue_reopen, so that each keeps its own rule."""
    if status == Status.VERIFIED:
        return issue_verify(issue=issue, by=by, version=version)
    if status == Status.OPEN and issue.status in REOPENABLE:
        return issue_reopen(issue=issue, by=by, reason=reason, version=version)
    project = issue.project
    access.require(by, Action.EDIT, project)
    locked = lock_issue(issue)
    if version is not None:
        check_version(locked, version)
    action = MOVES.get((locked.status, status))
    if action is None:
        raise _refuse_move(locked, status)
    access.require(by, action, project)
    now = timezone.now()
    fields: dict[str, Any] = {"status": status}
    if status == Status.RESOLVED:
        fields.update(_resolution(locked, root_cause, solution), resolved_at=now, resolved_by=by)
    if status == Status.CLOSED:
        fields["closed_at"] = now
    diff = apply_fields(locked, fields)
    save_changes(locked, diff)
    record_issue(
        locked, by, "updated", {name: diff[name] for name in diff if name in SHOWN_MOVE_FIELDS}
    )
    if status == Status.RESOLVED:
        _resolve(locked, by)
    return locked


@transaction.atomic
def issue_verify(*, issue: Issue, by: User, version: int | None = None) -> Issue:
    """Whoever raised it confirms the resolution works (a client in the portal)."""
    project = issue.project
    access.require(by, Action.VIEW, project)
    locked = lock_issue(issue)
    if version is not None:
        check_version(locked, version)
    if locked.raised_by_id != by.pk:
        raise InvalidInput(
            _("Only whoever raised the issue can verify its resolution."), code="not_raiser"
        )
    if locked.status != Status.RESOLVED:
        raise _refuse_move(locked, Status.VERIFIED)
    diff = apply_fields(
        locked, {"status": Status.VERIFIED, "verified_at": timezone.now(), "verified_by": by}
    )
    save_changes(locked, diff)
    record_issue(locked, by, "verified", {"status": diff["status"]})
    notifications_resolve(target=locked, events=["issue.resolved"])
    notify(
        event="issue.verified",
        recipients=[locked.resolved_by, locked.owner, project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s verified the resolution of %(issue)s"),
        params={"actor": by, "issue": locked},
        url=locked.get_absolute_url(),
        target=locked,
    )
    return locked


@transaction.atomic
def issue_reopen(*, issue: Issue, by: User, reason: str, version: int | None = None) -> Issue:
    """Back to open, with the reason: the team, or the client who raised it.
    The history stays (the audit log and the count of reopenings)."""
    project = issue.project
    locked = lock_issue(issue)
    if locked.raised_by_id != by.pk or not access.can(by, Action.VIEW, project):
        access.require(by, Action.EDIT, project)
    if version is not None:
        check_version(locked, version)
    if locked.status not in REOPENABLE:
        raise _refuse_move(locked, Status.OPEN)
    reason = (reason or "").strip()[:5000]
    if not reason:
        raise InvalidInput(
            _("Say why it is not solved, so the team can act on it."),
            field="reason",
            code="reason_required",
        )
    fields = {
        "status": Status.OPEN,
        "reopen_count": locked.reopen_count + 1,
        "reopen_reason": reason,
        "resolved_at": None,
        "verified_at": None,
        "verified_by": None,
        "closed_at": None,
    }
    diff = apply_fields(locked, fields)
    save_changes(locked, diff)
    record_issue(
        locked, by, "reopened", {k: diff[k] for k in ("status", "reopen_reason") if k in diff}
    )
    notifications_resolve(target=locked, events=["issue.resolved"])
    notify(
        event="issue.reopened",
        recipients=[locked.owner, locked.resolved_by, project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s reopened %(issue)s: %(reason)s"),
        params={"actor": by, "issue": locked, "reason": reason[:200]},
        url=locked.get_absolute_url(),
        target=locked,
    )
    return locked
