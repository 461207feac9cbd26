"""Writes of change requests: raised by the team or the client, assessed, sent
to the client, decided, and — when approved — applied to the plan and the
requirements in the same transaction as the approval (design §7)."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.changes.selectors.impact import ChangeImpact, change_impact
from liaison.changes.selectors.lines import (
    MilestoneLine,
    ScheduleLine,
    milestone_lines,
    schedule_lines,
)
from liaison.collab.notify import notifications_resolve, notify
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import only_editable
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.planning.services.plan import plan_baseline_freeze
from liaison.planning.services.schedule import lock_plan, reschedule
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Membership, Project
from liaison.projects.selectors import client_members
from liaison.requirements.baseline_content import baseline_amended, content_hash
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.services import BASELINE_PREFIX, _record_change, requested_handled

Status = ChangeRequest.Status
EDITABLE_FIELDS = (
    "title",
    "description",
    "reason",
    "priority",
    "owner",
    "requirements",
    "milestones",
    "tasks",
    "effort_hours",
    "cost",
    "cost_visible",
    "scope_impact",
    "risk_level",
    "risk_impact",
    "schedule_changes",
    "milestone_changes",
    "client_visible",
)
RELATIONS = {"requirements": Requirement, "milestones": Milestone, "tasks": Task}
MAX_EFFORT = Decimal("100000")
MAX_COST = Decimal("9999999999.99")
# (from, to) → the action the team needs. The client's decision (awaiting_client →
# approved / rejected) is change_decide's; a client may also withdraw their own
# request while the team has it (see _require_move).
MOVES = {
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
REQUIREMENTS_TO_CONFIRM = (Requirement.Status.DRAFT, Requirement.Status.IN_REVIEW)


# What a decided, declined or withdrawn change no longer asks of anybody.
ANSWERED = ("approval.needed", "change.requested")


# -- cleaning -------------------------------------------------------------------


def _clean_decimal(value, field: str, places: str, maximum: Decimal, message) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(message, field=field) from None
    if not number.is_finite() or not Decimal(0) <= number <= maximum:
        raise InvalidInput(message, field=field)
    return number.quantize(Decimal(places))


def _clean_numbers(fields: dict) -> None:
    if "effort_hours" in fields:
        fields["effort_hours"] = _clean_decimal(
            fields["effort_hours"],
            "effort_hours",
            "0.1",
            MAX_EFFORT,
            _("The effort is a number of hours from 0 to 100,000."),
        )
    if "cost" in fields:
        fields["cost"] = _clean_decimal(
            fields["cost"],
            "cost",
            "0.01",
            MAX_COST,
            _("The cost is an amount from 0 to 9,999,999,999.99."),
        )


def _clean_relations(project: Project, fields: dict) -> None:
    for name, model in RELATIONS.items():
        if name not in fields:
            continue
        rows = list(dict.fromkeys(fields[name] or ()))
        if any(not isinstance(row, model) or row.project_id != project.pk for row in rows):
            raise InvalidInput(
                _("Link %(things)s of this project only.")
                % {"things": model._meta.verbose_name_plural},
                field=name,
            )
        fields[name] = rows


def _clean_owner(project: Project, owner) -> None:
    if owner is None:
        return
    on_team = (
        isinstance(owner, User)
        and Membership.objects.filter(
            project=project,
            user=owner,
            role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
        ).exists()
    )
    if not on_team:
        raise InvalidInput(
            _("The change is assessed by a manager or member of the project."), field="owner"
        )


def _clean(project: Project, fields: dict) -> dict:
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()[:300]
        if not fields["title"]:
            raise InvalidInput(_("A change request needs a title."), field="title")
    for name in ("description", "reason", "scope_impact", "risk_impact"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    if "priority" in fields and fields["priority"] not in ChangeRequest.Priority.values:
        raise InvalidInput(_("Choose one of the listed values."), field="priority")
    if "risk_level" in fields:
        fields["risk_level"] = fields["risk_level"] or ""
        if fields["risk_level"] not in ("", *ChangeRequest.Risk.values):
            raise InvalidInput(_("Choose one of the listed values."), field="risk_level")
    for name in ("cost_visible", "client_visible"):
        if name in fields and not isinstance(fields[name], bool):
            raise InvalidInput(_("Choose yes or no."), field=name)
    _clean_numbers(fields)
    _clean_owner(project, fields.get("owner"))
    _clean_relations(project, fields)
    if "schedule_changes" in fields:
        lines = schedule_lines(project, fields["schedule_changes"] or [])
        fields["schedule_changes"] = [line.as_json() for line in lines]
    if "milestone_changes" in fields:
        lines = milestone_lines(project, fields["milestone_changes"] or [])
        fields["milestone_changes"] = [line.as_json() for line in lines]
    return fields


def _lines_text(entries: list[dict]) -> str:
    """The lines as the assess form takes them, for a readable diff."""
    return "; ".join(" ".join(str(value) for value in entry.values()) for entry in entries)


def _set_relations(change: ChangeRequest, relations: dict) -> dict:
    """Set the many-to-many links; their diff lists the keys before and after."""
    diff = {}
    for name, rows in relations.items():
        manager = getattr(change, name)
        before = sorted(manager.values_list("key", flat=True))
        after = sorted(row.key for row in rows)
        if before != after:
            manager.set(rows)
            diff[name] = [", ".join(before), ", ".join(after)]
    return diff


def _readable(diff: dict) -> dict:
    for name in ("schedule_changes", "milestone_changes"):
        if name in diff:
            diff[name] = [_lines_text(diff[name][0]), _lines_text(diff[name][1])]
    return diff


# -- raising a change -----------------------------------------------------------


@transaction.atomic
def change_create(*, project: Project, by: User, **fields) -> ChangeRequest:
    """The team raises a change; it waits for assessment."""
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    fields = _clean(project, {"title": "", **fields})
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    number = next_number(project=project, prefix="CR")
    change = ChangeRequest.objects.create(
        project=project,
        key=f"CR-{number}",
        number=number,
        origin=ChangeRequest.Origin.TEAM,
        status=Status.SUBMITTED,
        requested_by=by,
        **fields,
    )
    for name, rows in relations.items():
        getattr(change, name).set(rows)
    activity_record(
        actor=by,
        verb="created",
        target=change,
        project=project,
        client_visible=change.client_visible,
    )
    notify(
        event="change.requested",
        recipients=[project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s raised %(change)s"),
        params={"actor": by, "change": change},
        url=change.get_absolute_url(),
        target=change,
    )
    return change


@transaction.atomic
def change_request_from_client(
    *, project: Project, by: User, title: str, description: str, reason: str = ""
) -> ChangeRequest:
    """The client asks for a change: the manager hears of it and assesses it."""
    access.require(by, Action.APPROVE, project)
    fields = _clean(project, {"title": title, "description": description, "reason": reason})
    number = next_number(project=project, prefix="CR")
    change = ChangeRequest.objects.create(
        project=project,
        key=f"CR-{number}",
        number=number,
        origin=ChangeRequest.Origin.CLIENT,
        status=Status.SUBMITTED,
        requested_by=by,
        client_visible=True,
        **fields,
    )
    activity_record(actor=by, verb="requested", target=change, project=project, client_visible=True)
    notify(
        event="change.requested",
        recipients=[project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s asks for a change: %(change)s"),
        params={"actor": by, "change": change},
        url=change.get_absolute_url(),
        target=change,
    )
    return change


# -- editing --------------------------------------------------------------------


def _check_editable(change: ChangeRequest) -> None:
    if change.is_editable:
        return
    if change.status == Status.AWAITING_CLIENT:
        message = _("%(key)s is with the client: recall it to edit.")
    else:
        message = _("%(key)s is %(status)s: it can no longer be edited.")
    raise InvalidInput(
        message % {"key": change.key, "status": change.get_status_display()},
        code="change_locked",
    )


@transaction.atomic
def change_update(*, change: ChangeRequest, by: User, version: int, **fields) -> ChangeRequest:
    """Edit the request or its assessment, until it goes to the client: what the
    client reads never changes under them."""
    project = change.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    locked = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=change.pk)
    )
    check_version(locked, version)
    _check_editable(locked)
    fields = _clean(project, fields)
    if fields.get("client_visible") is False and locked.origin == ChangeRequest.Origin.CLIENT:
        raise InvalidInput(
            _("The client raised this change: it stays visible to them."), field="client_visible"
        )
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    diff = apply_fields(locked, fields)
    diff.update(_set_relations(locked, relations))
    if not diff:
        return locked
    starts = locked.status == Status.SUBMITTED and bool(ASSESSMENT_FIELDS & set(diff))
    moved = _start_assessing(locked, by) if starts else []
    save_changes(locked, [*(name for name in diff if name not in RELATIONS), *moved])
    activity_record(
        actor=by,
        verb="updated",
        target=locked,
        project=project,
        diff=_readable(diff),
        client_visible=locked.client_visible and not _touches_internal(locked, diff),
    )
    if starts:
        activity_record(
            actor=by,
            verb=Status.ASSESSING,
            target=locked,
            project=project,
            diff={"status": [Status.SUBMITTED, Status.ASSESSING]},
            client_visible=locked.client_visible,
        )
    return locked


# Fields of the assessment: saving one of them on a submitted change starts assessing it.
ASSESSMENT_FIELDS = frozenset(
    {
        "effort_hours",
        "cost",
        "cost_visible",
        "scope_impact",
        "risk_level",
        "risk_impact",
        "schedule_changes",
        "milestone_changes",
    }
)


def _start_assessing(change: ChangeRequest, by: User) -> list[str]:
    """Someone saved an assessment of a submitted change, so it is being assessed,
    as if they had pressed "Start assessing" first (the requester sees it move).
    Returns the fields it set."""
    extra = _moved_fields(change, by, Status.ASSESSING, "")
    change.status = Status.ASSESSING
    return ["status", *extra]


# What the team keeps to itself in a change request's history.
INTERNAL_FIELDS = frozenset({"owner", "tasks"})


def _touches_internal(change: ChangeRequest, diff: dict) -> bool:
    internal = INTERNAL_FIELDS | (
        {"cost", "cost_visible"} - ({"cost"} if change.cost_visible else set())
    )
    return bool(internal & set(diff))


# -- the lifecycle --------------------------------------------------------------


def _status_label(status: str) -> str:
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


def _accepted_work(change: ChangeRequest, *, for_client: bool) -> str:
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
        accepted = _accepted_work(change, for_client=True)
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


# -- the client's decision, and applying an approved change ---------------------


def _apply_milestone_dates(project: Project, lines: list[MilestoneLine], by: User) -> None:
    ids = [line.milestone_id for line in lines]
    milestones = Milestone.objects.select_for_update().in_bulk(ids)
    for line in lines:
        milestone = milestones[line.milestone_id]
        diff = apply_fields(milestone, {"due_date": line.due})
        if diff:
            save_changes(milestone, diff)
            activity_record(
                actor=by,
                verb="updated",
                target=milestone,
                project=project,
                diff=diff,
                client_visible=milestone.client_visible,
            )


def _apply_task_dates(project: Project, lines: list[ScheduleLine], by: User) -> None:
    """Write the new dates (the client has no right to edit tasks, so not through
    task_update), then push the rest once. The impact recomputed just before has
    refused any start a predecessor forbids."""
    tasks = (
        Task.objects.select_for_update(of=("self",))
        .select_related("project")
        .in_bulk([line.task_id for line in lines])
    )
    for line in lines:
        task = tasks[line.task_id]
        diff = apply_fields(task, {"start_date": line.start, "due_date": line.due})
        if diff:
            save_changes(task, diff)
            activity_record(
                actor=by,
                verb="updated",
                target=task,
                project=project,
                diff=diff,
                client_visible=task.client_visible,
            )
    reschedule(project=project, by=by)


def _confirm_requirements(change: ChangeRequest, by: User) -> None:
    """What the client approved is agreed: its draft requirements become confirmed."""
    requirements = Requirement.objects.select_for_update().filter(
        pk__in=change.requirements.values("pk"), status__in=REQUIREMENTS_TO_CONFIRM
    )
    for requirement in requirements.select_related("project").order_by("pk"):
        was_draft = requirement.status == Requirement.Status.DRAFT
        diff = apply_fields(requirement, {"status": Requirement.Status.CONFIRMED})
        _record_change(requirement, by, diff)
        if was_draft:
            requested_handled(requirement=requirement)


def _change_record(change: ChangeRequest, requirements: list[Requirement]) -> dict:
    """The change as the client approved it, kept in the baseline's signed content
    (so in its hash): what changes, and its impact in the client's view."""
    impact = ChangeImpact.from_json(change.impact).for_client(cost_visible=change.cost_visible)
    frozen = impact.as_json()
    return {
        "key": change.key,
        "title": change.title,
        "description": change.description,
        "scope_impact": change.scope_impact,
        "requirements": [requirement.key for requirement in requirements],
        **{name: frozen[name] for name in ("effort_hours", "cost", "slip_days")},
        **{name: frozen[name] for name in ("finish_before", "finish_after", "milestones")},
    }


def _cut_baseline(change: ChangeRequest, by: User, full_name: str, ip: str | None) -> Baseline:
    """A requirements baseline signed by this very decision: the last signed one
    with the change's client-visible requirements as they now are, and the change
    itself. Every approval cuts one, even of a change that links no requirement:
    the signed record then always holds every change the client agreed to, and
    its latest baseline is the scope as agreed today. A baseline the team proposed
    meanwhile stays pending."""
    project = change.project
    requirements = list(change.requirements.filter(client_visible=True).order_by("pk"))
    content = {
        **baseline_amended(project, requirements),
        "change": _change_record(change, requirements),
    }
    baseline = Baseline.objects.create(
        project=project,
        number=next_number(project=project, prefix=BASELINE_PREFIX),
        title=f"{change.key}: {change.title}"[:200],
        note=_team_text(project, _("Approved with %(key)s"), key=change.key),
        status=Baseline.Status.SIGNED,
        content=content,
        content_hash=content_hash(content),
        proposed_by=change.owner or project.manager,
        decided_by=by,
        decided_at=timezone.now(),
        signed_name=full_name,
        signed_ip=ip,
    )
    activity_record(actor=by, verb="signed", target=baseline, project=project, client_visible=True)
    return baseline


def _team_text(project: Project, message, **params) -> str:
    """A label the team reads for ever, stored in the manager's language (the
    client who approves may read another)."""
    language = getattr(project.manager, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return str(message % params)


class PlanChanged(InvalidInput):
    """The plan moved since the change went to the client: what they read is no
    longer what approving would do."""


def _check_impact_unchanged(change: ChangeRequest) -> None:
    try:
        fresh = change_impact(change=change).as_json()
    except InvalidInput as refusal:
        raise PlanChanged(str(refusal), code="plan_changed") from refusal
    if fresh != change.impact:
        raise PlanChanged("impact differs from the frozen one", code="plan_changed")


def _tell_team_plan_changed(change: ChangeRequest, by: User) -> None:
    project = change.project
    notify(
        event="change.plan_changed",
        recipients=[project.manager, change.owner],
        actor=by,
        project=project,
        message=_(
            "%(actor)s could not approve %(change)s: the plan changed since it was sent. "
            "Recall it, check its impact and send it again."
        ),
        params={"actor": by, "change": change},
        url=change.get_absolute_url(),
        target=change,
    )


def _apply(change: ChangeRequest, by: User, full_name: str, ip: str | None) -> None:
    """Everything an approval changes, in order; any refusal undoes all of it."""
    project = change.project
    lock_plan(project=project)
    _check_impact_unchanged(change)
    _apply_milestone_dates(project, milestone_lines(project, change.milestone_changes), by)
    lines = schedule_lines(project, change.schedule_changes)
    if lines:
        _apply_task_dates(project, lines, by)
    _confirm_requirements(change, by)
    change.baseline = _cut_baseline(change, by, full_name, ip)
    change.plan_baseline = _freeze_plan(change, by)


def _freeze_plan(change: ChangeRequest, by: User) -> PlanBaseline | None:
    name = _team_text(change.project, _("After %(key)s"), key=change.key)
    return plan_baseline_freeze(project=change.project, by=by, name=name)


def change_decide(
    *,
    change: ChangeRequest,
    by: User,
    version: int,
    approve: bool,
    full_name: str = "",
    comment: str = "",
    ip: str | None,
) -> ChangeRequest:
    """The client approves (typing their name: it signs the new baseline) or
    rejects (saying why). Approving applies the change at once, unless the plan
    moved since the change was sent: then nothing is applied, the client is told
    plainly and the team is asked to send it again."""
    try:
        return _decide(
            change=change,
            by=by,
            version=version,
            approve=approve,
            full_name=full_name,
            comment=comment,
            ip=ip,
        )
    except PlanChanged:
        _tell_team_plan_changed(change, by)
        raise InvalidInput(
            _(
                "The plan changed after the team sent you this change, so the impact you read "
                "is no longer exact. Nothing was applied; the team has been asked to update it."
            ),
            code="plan_changed",
        ) from None


@transaction.atomic
def _decide(
    *,
    change: ChangeRequest,
    by: User,
    version: int,
    approve: bool,
    full_name: str,
    comment: str,
    ip: str | None,
) -> ChangeRequest:
    project = change.project
    access.require(by, Action.APPROVE, project)
    locked = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project", "project__manager", "owner")
        .get(pk=change.pk)
    )
    if locked.status != Status.AWAITING_CLIENT:
        raise InvalidInput(
            _("%(key)s is %(status)s: it is not waiting for your decision.")
            % {"key": locked.key, "status": locked.get_status_display()},
            code="change_decided",
        )
    check_version(locked, version)
    full_name, comment = (full_name or "").strip()[:200], (comment or "").strip()
    if approve and not full_name:
        raise InvalidInput(_("Type your full name to approve."), field="full_name")
    if not approve and not comment:
        raise InvalidInput(
            _("Say why you reject the change, so the team can act on it."), field="comment"
        )
    if approve:
        _apply(locked, by, full_name, ip)
    old, status = locked.status, Status.APPROVED if approve else Status.REJECTED
    locked.status = status
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.decided_name, locked.decided_ip = full_name, ip
    locked.decision_comment = comment
    fields = ["status", "decided_by", "decided_at", "decided_name", "decided_ip"]
    save_changes(locked, [*fields, "decision_comment", "baseline", "plan_baseline"])
    activity_record(
        actor=by,
        verb=status,
        target=locked,
        project=project,
        diff={"status": [old, status]},
        client_visible=True,
    )
    notifications_resolve(target=locked, events=ANSWERED)
    accepted = _accepted_work(locked, for_client=False) if approve else ""
    if accepted:
        message = _(
            "%(actor)s approved %(change)s. It moves work the client had already "
            "accepted: %(accepted)s."
        )
    elif approve:
        message = _("%(actor)s approved %(change)s")
    else:
        message = _("%(actor)s rejected %(change)s")
    notify(
        event="change.decided",
        recipients=[project.manager, locked.owner],
        actor=by,
        project=project,
        message=message,
        params={"actor": by, "change": locked, "accepted": accepted},
        url=locked.get_absolute_url(),
    )
    return locked
