"""A change request's lifecycle: the moves the team makes (MOVES) — assessing,
sending to the client, recalling, declining, withdrawing, implementing — and
who hears of each."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.changes.selectors.impact import ChangeImpact, change_impact
from liaison.collab.notify import notifications_resolve, notify
from liaison.core.activity import activity_record
from liaison.core.locking import check_version, save_changes
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.selectors import client_members

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Status = ChangeRequest.Status


# (from, to) → the action the team needs. The client's decision (awaiting_client →
# approved / rejected) is change_decide's, in decision.py; a client may also
# withdraw their own request while the team has it (see _require_move).
MOVES: dict[tuple[str, str], Action] = {
    (Status.SUBMITTED, Status.ASSESSING): Action.EDIT,
    (Status.ASSESSING, Status.AWAITING_CLIENT): Action.MANAGE,
    (Status.AWAITING_CLIENT, Status.ASSESSING): Action.MANAGE,
    (Status.SUBMITTED, Status.REJECTED): Action.MANAGE,
    (Status.ASSESSING, Status.REJECTED): Action.MANAGE,
    (Status.SUBMITTED, Status.WITHDRAWN): Action.MANAGE,
    (Status.ASSESSING, Status.WITHDRAWN): Action.MANAGE,
    (Status.AWAITING_CLIENT, Status.WITHDRAWN): Action.MANAGE,
    (Status.APPROVED, Status.IMPLEMENTED): Action.EDIT,
}


# What a decided, declined or withdrawn change no longer asks of anybody.
ANSWERED = ("approval.needed", "change.requested")


def start_assessing(*, change: ChangeRequest, by: User) -> list[str]:
    """Someone saved an assessment of a submitted change, so it is being assessed,
    as if they had pressed "Start assessing" first (the requester sees it move).
    Returns the fields it set."""
    extra = _moved_fields(change, by, Status.ASSESSING, "")
    change.status = Status.ASSESSING
    return ["status", *extra]


def _status_label(status: str) -> "StrOrPromise":
    return Status(status).label if status in Status.values else status


def _require_move(change: ChangeRequest, by: User, status: str) -> None:
    """The action a move needs; the client who asked for the change may take it
    back while the team still has it."""
    need = MOVES.get((change.status, status))
    if need is None:
        raise InvalidInput(
            _("A change request that is %(current)s cannot become %(target)s.")
            % {"current": change.get_status_display(), "target": _status_label(status)},
            field="status",
            code="bad_transition",
        )
    own_request = (
        status == Status.WITHDRAWN
        and change.is_editable  # the team has not sent it to the client yet
        and access.may_take_back_own_request(by, change.project, change.requested_by_id)
    )
    if not own_request:
        access.require(by, need, change.project)


def _check_ready_to_send(change: ChangeRequest) -> None:
    if change.effort_hours is None or not (
        change.scope_impact or change.schedule_changes or change.milestone_changes
    ):
        raise InvalidInput(
            _(
                "Assess the change before sending it: give the effort and its impact on "
                "the scope or the dates."
            ),
            code="impact_missing",
        )
    if not change.client_visible:
        raise InvalidInput(
            _("Make the change visible to the client before sending it."),
            field="client_visible",
            code="not_client_visible",
        )


def _moved_fields(change: ChangeRequest, by: User, status: str, comment: str) -> list[str]:
    """Set what a move sets besides the status; the names of the fields it set."""
    now = timezone.now()
    if status == Status.ASSESSING and change.status == Status.SUBMITTED:
        if change.owner_id is None:
            change.owner = by
            return ["owner"]
        return []
    if status == Status.ASSESSING:  # recalled from the client: what they read is gone
        change.sent_at, change.impact = None, {}
        return ["sent_at", "impact"]
    if status == Status.AWAITING_CLIENT:
        _check_ready_to_send(change)
        change.impact = change_impact(change=change).as_json()
        change.sent_at = now
        return ["impact", "sent_at"]
    if status in (Status.REJECTED, Status.WITHDRAWN):
        if status == Status.REJECTED and not comment:
            raise InvalidInput(
                _("Say why the change is declined: the person who asked for it reads it."),
                field="comment",
            )
        change.decided_by, change.decided_at, change.decision_comment = by, now, comment
        return ["decided_by", "decided_at", "decision_comment"]
    change.implemented_at = now  # implemented
    return ["implemented_at"]


def accepted_work(*, change: ChangeRequest, for_client: bool) -> str:
    """The accepted milestones whose work the frozen impact moves, as "M-1 Pilot,
    M-3 Go-live" ("" when none): a notification must not hide them."""
    impact = ChangeImpact.from_json(change.impact or {})
    if for_client:
        impact = impact.for_client(cost_visible=change.cost_visible)
    return ", ".join(f"{m.key} {m.name}" for m in impact.accepted_milestones)


def _tell_about_move(change: ChangeRequest, by: User, old: str) -> None:
    project = change.project
    status = change.status
    team = [project.manager, change.owner]
    if status in (Status.REJECTED, Status.WITHDRAWN):  # nobody is asked about it any more
        notifications_resolve(target=change, events=ANSWERED)
    elif old == Status.AWAITING_CLIENT:  # recalled: the client is no longer asked
        notifications_resolve(target=change, events=["approval.needed"])
    elif status == Status.AWAITING_CLIENT:  # sent (again): nothing left to redo
        notifications_resolve(target=change, events=["change.plan_changed"])
    if status == Status.AWAITING_CLIENT:
        accepted = accepted_work(change=change, for_client=True)
        notify(
            event="approval.needed",
            recipients=client_members(project=project),
            actor=by,
            project=project,
            message=_(
                "%(actor)s asks you to approve %(change)s. It moves work you already "
                "accepted: %(accepted)s."
            )
            if accepted
            else _("%(actor)s asks you to approve %(change)s"),
            room_message=_(
                "%(actor)s asks the client to approve %(change)s. It moves work the client "
                "already accepted: %(accepted)s."
            )
            if accepted
            else _("%(actor)s asks the client to approve %(change)s"),
            params={"actor": by, "change": change, "accepted": accepted},
            url=change.portal_url(),
            target=change,
        )
    elif status == Status.REJECTED:
        requester = change.requested_by
        portal = requester is not None and access.audience_of(requester, project).is_client
        notify(
            event="change.declined",
            recipients=[requester],
            actor=by,
            project=project,
            message=_("%(actor)s declined %(change)s"),
            params={"actor": by, "change": change},
            url=change.portal_url() if portal else change.get_absolute_url(),
        )
    elif status == Status.WITHDRAWN:
        notify(
            event="change.withdrawn",
            recipients=team,
            actor=by,
            project=project,
            message=_("%(actor)s withdrew %(change)s"),
            params={"actor": by, "change": change},
            url=change.get_absolute_url(),
        )
        if old == Status.AWAITING_CLIENT:  # the decision they were asked for is gone
            notify(
                event="change.withdrawn",
                recipients=client_members(project=project),
                actor=by,
                project=project,
                message=_("%(actor)s withdrew %(change)s: no decision is needed any more"),
                params={"actor": by, "change": change},
                url=change.portal_url(),
                to_room=False,  # the team's notification above has told the room
            )
        elif change.origin == ChangeRequest.Origin.CLIENT:  # the client who asked hears of it
            notify(
                event="change.request_withdrawn",
                recipients=[change.requested_by],
                actor=by,
                project=project,
                message=_("%(actor)s withdrew %(change)s, which you asked for"),
                params={"actor": by, "change": change},
                url=change.portal_url(),
                to_room=False,  # the team's notification above has told the room
            )
    elif status == Status.IMPLEMENTED and change.client_visible:
        notify(
            event="change.implemented",
            recipients=client_members(project=project),
            actor=by,
            project=project,
            message=_("%(actor)s implemented %(change)s"),
            params={"actor": by, "change": change},
            url=change.portal_url(),
        )


@transaction.atomic
def change_transition(
    *, change: ChangeRequest, by: User, status: str, version: int, comment: str = ""
) -> ChangeRequest:
    """Move a change on its lifecycle (the table in MOVES); the client's own
    decision is change_decide."""
    project = change.project
    access.require(by, Action.VIEW, project)
    locked = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project", "project__manager", "owner", "requested_by")
        .get(pk=change.pk)
    )
    check_version(locked, version)
    _require_move(locked, by, status)
    old = locked.status
    extra = _moved_fields(locked, by, status, (comment or "").strip())
    locked.status = status
    save_changes(locked, ["status", *extra])
    activity_record(
        actor=by,
        verb=_move_verb(old, status),
        target=locked,
        project=project,
        diff={"status": [old, status]},
        client_visible=locked.client_visible,
    )
    _tell_about_move(locked, by, old)
    return locked


def _move_verb(old: str, status: str) -> str:
    """The activity verb of a move: the new status, except a recall, which is not
    the start of an assessment (and not a withdrawal: the change goes on)."""
    return RECALLED if (old, status) == RECALL else status


# A recall takes a change back from the client to edit it and send it again; a
# withdrawal ends the change for good. Two names, kept apart everywhere.
RECALL = (Status.AWAITING_CLIENT, Status.ASSESSING)
RECALLED = "recalled"


def change_recall(*, change: ChangeRequest, by: User, version: int) -> ChangeRequest:
    """Take a change back from the client (the manager), to revise it and send it
    again; the portal stops asking the client to decide. Only a change that
    awaits the client can be recalled."""
    if change.status != Status.AWAITING_CLIENT:
        raise InvalidInput(
            _("Only a change awaiting the client can be recalled; %(key)s is %(status)s.")
            % {"key": change.key, "status": change.get_status_display()},
            field="status",
            code="bad_transition",
        )
    return change_transition(change=change, by=by, status=Status.ASSESSING, version=version)


def change_withdraw(
    *, change: ChangeRequest, by: User, version: int, comment: str = ""
) -> ChangeRequest:
    """End a change for good, before the client decides (the manager; the client
    who asked for it, while the team still has it)."""
    return change_transition(
        change=change, by=by, status=Status.WITHDRAWN, version=version, comment=comment
    )
