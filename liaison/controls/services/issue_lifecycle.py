"""The lifecycle of an issue: open → in progress → resolved (with its root
cause and solution) → verified by whoever raised it → closed; reopened from
resolved, verified or closed with a reason, the history kept."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notifications_resolve, notify
from liaison.controls.models import Issue
from liaison.controls.services.issues import lock_issue, record_issue, url_for
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action

Status = Issue.Status
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
        url=url_for(issue=locked, user=locked.raised_by),
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
    locked = lock_issue(issue=issue)
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
        issue=locked,
        by=by,
        verb="updated",
        diff={name: diff[name] for name in diff if name in SHOWN_MOVE_FIELDS},
    )
    if status == Status.RESOLVED:
        _resolve(locked, by)
    return locked


@transaction.atomic
def issue_verify(*, issue: Issue, by: User, version: int | None = None) -> Issue:
    """Whoever raised it confirms the resolution works (a client in the portal)."""
    project = issue.project
    access.require(by, Action.VIEW, project)
    locked = lock_issue(issue=issue)
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
    record_issue(issue=locked, by=by, verb="verified", diff={"status": diff["status"]})
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
    locked = lock_issue(issue=issue)
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
        issue=locked,
        by=by,
        verb="reopened",
        diff={k: diff[k] for k in ("status", "reopen_reason") if k in diff},
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
