"""Writes of risks (`RISK-n`): raised, assessed and edited by the team, moved
along their lifecycle (MOVES), and a line of their preventive or contingency
actions turned into a task or an action item."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.collab.notify import notifications_resolve, notify
from liaison.communication.services.action_items import action_item_create
from liaison.controls.models import Risk, RiskActionLink
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.planning.services.tasks import task_create
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Membership, Project
from liaison.requirements.models import Requirement

Status = Risk.Status
EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "cause",
    "event",
    "effect",
    "probability",
    "impact",
    "affects_schedule",
    "affects_cost",
    "affects_scope",
    "affects_quality",
    "owner",
    "strategy",
    "preventive_actions",
    "contingency_actions",
    "trigger",
    "next_review_date",
    "residual_probability",
    "residual_impact",
    "share_residual",
    "internal_notes",
    "client_visible",
    "requirements",
    "milestones",
    "tasks",
    "changes",
)
RELATIONS: dict[str, type[Requirement | Milestone | Task | ChangeRequest]] = {
    "requirements": Requirement,
    "milestones": Milestone,
    "tasks": Task,
    "changes": ChangeRequest,
}
TEXTS = (
    "description",
    "cause",
    "event",
    "effect",
    "preventive_actions",
    "contingency_actions",
    "trigger",
    "internal_notes",
)
FLAGS = (
    "affects_schedule",
    "affects_cost",
    "affects_scope",
    "affects_quality",
    "share_residual",
    "client_visible",
)
MAX_TEXT = 20_000

# (from, to): the lifecycle. Every move is the team's work (EDIT). A risk may
# occur at any stage before it is closed; an occurred risk can only be closed.
MOVES: tuple[tuple[str, str], ...] = (
    (Status.IDENTIFIED, Status.ASSESSED),
    (Status.IDENTIFIED, Status.OCCURRED),
    (Status.IDENTIFIED, Status.CLOSED),
    (Status.ASSESSED, Status.RESPONSE_PLANNED),
    (Status.ASSESSED, Status.MONITORING),
    (Status.ASSESSED, Status.OCCURRED),
    (Status.ASSESSED, Status.CLOSED),
    (Status.RESPONSE_PLANNED, Status.MONITORING),
    (Status.RESPONSE_PLANNED, Status.OCCURRED),
    (Status.RESPONSE_PLANNED, Status.CLOSED),
    (Status.MONITORING, Status.RESPONSE_PLANNED),
    (Status.MONITORING, Status.OCCURRED),
    (Status.MONITORING, Status.CLOSED),
    (Status.OCCURRED, Status.CLOSED),
)

# What the team keeps to itself in a risk's history; the residual scores are the
# client's only when shared.
INTERNAL_FIELDS = frozenset({"internal_notes", "owner", "tasks", "share_residual"})
RESIDUAL_FIELDS = frozenset({"residual_probability", "residual_impact"})


# -- cleaning ---------------------------------------------------------------------------


def _scale(value: object, field: str, *, optional: bool = False) -> int | None:
    if optional and value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(_("Give a whole number from 1 to 5."), field=field, code="out_of_scale")
    return value


def _clean_owner(project: Project, owner: object) -> None:
    if owner is None:
        return
    on_team = (
        isinstance(owner, User)
        and owner.is_active
        and Membership.objects.filter(
            project=project,
            user=owner,
            role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
        ).exists()
    )
    if not on_team:
        raise InvalidInput(
            _("A risk is owned by a manager or member of the project."),
            field="owner",
            code="owner_not_on_team",
        )


def _clean_relations(project: Project, fields: dict[str, Any]) -> None:
    for name, model in RELATIONS.items():
        if name not in fields:
            continue
        rows = list(dict.fromkeys(fields[name] or ()))
        if any(not isinstance(row, model) or row.project_id != project.pk for row in rows):
            raise InvalidInput(
                _("Link %(things)s of this project only.")
                % {"things": model._meta.verbose_name_plural},
                field=name,
                code="not_in_project",
            )
        fields[name] = rows


def _clean_choices(fields: dict[str, Any]) -> None:
    if "category" in fields and fields["category"] not in Risk.Category.values:
        raise InvalidInput(_("Choose one of the listed values."), field="category")
    if "strategy" in fields:
        fields["strategy"] = fields["strategy"] or ""
        if fields["strategy"] not in ("", *Risk.Strategy.values):
            raise InvalidInput(_("Choose one of the listed values."), field="strategy")


def _clean(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()[:300]
        if not fields["title"]:
            raise InvalidInput(_("A risk needs a title."), field="title", code="title_required")
    for name in TEXTS:
        if name in fields:
            fields[name] = (fields[name] or "").strip()[:MAX_TEXT]
    for name in FLAGS:
        if name in fields and not isinstance(fields[name], bool):
            raise InvalidInput(_("Choose yes or no."), field=name)
    _clean_choices(fields)
    for name in ("probability", "impact"):
        if name in fields:
            fields[name] = _scale(fields[name], name)
    for name in ("residual_probability", "residual_impact"):
        if name in fields:
            fields[name] = _scale(fields[name], name, optional=True)
    if "next_review_date" in fields:
        check_date(fields["next_review_date"], "next_review_date")
    _clean_owner(project, fields.get("owner"))
    _clean_relations(project, fields)
    return fields


def _set_relations(risk: Risk, relations: Mapping[str, list[Any]]) -> dict[str, list[object]]:
    """Set the many-to-many links; their diff lists the keys before and after."""
    diff: dict[str, list[object]] = {}
    for name, rows in relations.items():
        manager = getattr(risk, name)
        before = sorted(manager.values_list("key", flat=True))
        after = sorted(row.key for row in rows)
        if before != after:
            manager.set(rows)
            diff[name] = [", ".join(before), ", ".join(after)]
    return diff


def _client_sees(risk: Risk, diff: Mapping[str, object]) -> bool:
    """Whether the client may read this change in the risk's history."""
    internal = INTERNAL_FIELDS | (set() if risk.share_residual else RESIDUAL_FIELDS)
    return risk.client_visible and not internal & set(diff)


def _tell_owner(risk: Risk, by: User) -> None:
    if risk.owner_id is None or risk.owner_id == by.pk:
        return
    notify(
        event="risk.assigned",
        recipients=[risk.owner],
        actor=by,
        project=risk.project,
        message=_("%(actor)s made you the owner of %(risk)s"),
        params={"actor": by, "risk": risk},
        url=risk.get_absolute_url(),
        target=risk,
    )


# -- raising and editing ----------------------------------------------------------------


@transaction.atomic
def risk_create(*, project: Project, by: User, **fields: Any) -> Risk:
    """The team records a risk; it starts as identified, its score from its
    probability and impact."""
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    fields = _clean(project, {"title": "", **fields})
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    number = next_number(project=project, prefix="RISK")
    risk = Risk(project=project, key=f"RISK-{number}", number=number, **fields)
    risk.score = risk.probability * risk.impact
    risk.save()
    for name, rows in relations.items():
        getattr(risk, name).set(rows)
    activity_record(
        actor=by, verb="created", target=risk, project=project, client_visible=risk.client_visible
    )
    _tell_owner(risk, by)
    return risk


def _locked(risk: Risk) -> Risk:
    return (
        Risk.objects.select_for_update(of=("self",))
        .select_related("project", "project__manager", "owner")
        .get(pk=risk.pk)
    )


@transaction.atomic
def risk_update(*, risk: Risk, by: User, version: int, **fields: Any) -> Risk:
    """Edit a risk (any status: a closed one's record may still be corrected).
    A new probability or impact moves the score; a new review date clears the
    reminder of the old one."""
    project = risk.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    locked = _locked(risk)
    check_version(locked, version)
    fields = _clean(project, fields)
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    old_owner = locked.owner_id
    diff = apply_fields(locked, fields)
    score = locked.probability * locked.impact
    if score != locked.score:
        diff["score"] = [locked.score, score]
        locked.score = score
    diff.update(_set_relations(locked, relations))
    if not diff:
        return locked
    save_changes(locked, [name for name in diff if name not in RELATIONS])
    activity_record(
        actor=by,
        verb="updated",
        target=locked,
        project=project,
        diff=diff,
        client_visible=_client_sees(locked, diff),
    )
    if "next_review_date" in diff or "owner" in diff:
        notifications_resolve(target=locked, events=["risk.review_due"])
    if locked.owner_id != old_owner:
        _tell_owner(locked, by)
    return locked


# -- the lifecycle -----------------------------------------------------------------------


def moves_from(*, status: str) -> list[str]:
    """The statuses a risk in `status` may move to, in MOVES' order."""
    return [target for source, target in MOVES if source == status]


def _check_move(risk: Risk, status: str) -> None:
    if (risk.status, status) not in MOVES:
        label = Status(status).label if status in Status.values else status
        raise InvalidInput(
            _("A risk that is %(current)s cannot become %(target)s.")
            % {"current": risk.status_label, "target": label},
            field="status",
            code="bad_transition",
        )
    if status == Status.RESPONSE_PLANNED and not risk.strategy:
        raise InvalidInput(
            _(
                "Choose a strategy (avoid, mitigate, transfer or accept) before planning "
                "the response."
            ),
            field="strategy",
            code="strategy_missing",
        )
    if status == Status.RESPONSE_PLANNED and risk.owner_id is None:
        raise InvalidInput(
            _("Give the risk an owner before planning the response."),
            field="owner",
            code="owner_missing",
        )


@transaction.atomic
def risk_transition(*, risk: Risk, by: User, status: str, version: int) -> Risk:
    """Move a risk on its lifecycle (MOVES); occurring and closing record when."""
    project = risk.project
    access.require(by, Action.EDIT, project)
    locked = _locked(risk)
    check_version(locked, version)
    _check_move(locked, status)
    old = locked.status
    locked.status = status
    changed = ["status"]
    if status == Status.OCCURRED:
        locked.occurred_at = timezone.now()
        changed.append("occurred_at")
    if status == Status.CLOSED:
        locked.closed_at = timezone.now()
        changed.append("closed_at")
    save_changes(locked, changed)
    activity_record(
        actor=by,
        verb="updated",
        target=locked,
        project=project,
        diff={"status": [old, status]},
        client_visible=locked.client_visible,
    )
    if status in (Status.OCCURRED, Status.CLOSED):
        notifications_resolve(target=locked, events=["risk.review_due"])
    if status == Status.OCCURRED:
        notify(
            event="risk.occurred",
            recipients=[project.manager, locked.owner],
            actor=by,
            project=project,
            message=_("%(actor)s reports that %(risk)s has occurred: act on its contingency plan"),
            room_message=_("%(actor)s reports that %(risk)s has occurred"),
            params={"actor": by, "risk": locked},
            url=locked.get_absolute_url(),
            target=locked,
        )
    return locked


# -- an action line becomes work ---------------------------------------------------------

TASK, ACTION_ITEM = "task", "action_item"


def action_lines(*, text: str) -> list[str]:
    """The lines of a risk's preventive or contingency actions, each one action
    (a leading "- " or "* " of a markdown list left out)."""
    lines = (
        line.strip().removeprefix("- ").removeprefix("* ").strip() for line in text.splitlines()
    )
    return [line[:300] for line in lines if line]


def _line_of(risk: Risk, source: str, index: int) -> str:
    if source not in RiskActionLink.Source.values:
        raise InvalidInput(_("Choose one of the listed values."), field="source")
    text = risk.preventive_actions if source == "preventive" else risk.contingency_actions
    lines = action_lines(text=text)
    if not 0 <= index < len(lines):
        raise InvalidInput(
            _("That action is no longer in the list: reload the page."),
            field="line",
            code="no_such_line",
        )
    return lines[index]


@transaction.atomic
def risk_action_create(
    *, risk: Risk, by: User, version: int, source: str, line: int, kind: str
) -> RiskActionLink:
    """Turn line `line` (from 0) of the risk's preventive or contingency actions
    into a task (planning, owned by the risk's owner, internal) or an action item
    (communication); the risk records the link, and a task becomes one of its tasks."""
    project = risk.project
    access.require(by, Action.EDIT, project)
    locked = _locked(risk)
    check_version(locked, version)  # the lines may have changed under the button
    title = _line_of(locked, source, line)
    if RiskActionLink.objects.filter(risk=locked, source=source, line=title).exists():
        raise InvalidInput(
            _("This action already has its task or action item."),
            field="line",
            code="already_linked",
        )
    if kind == TASK:
        task = task_create(
            project=project,
            by=by,
            title=title,
            description=_("From %(risk)s.") % {"risk": locked.key},
            assignee=locked.owner,
            client_visible=False,
        )
        link = RiskActionLink.objects.create(
            risk=locked, source=source, line=title, task=task, created_by=by
        )
        locked.tasks.add(task)
        made = task.key
    elif kind == ACTION_ITEM:
        item = action_item_create(
            project=project, by=by, title=title, owner=locked.owner, client_visible=False
        )
        link = RiskActionLink.objects.create(
            risk=locked, source=source, line=title, action_item=item, created_by=by
        )
        made = item.key
    else:
        raise InvalidInput(_("Choose one of the listed values."), field="kind")
    save_changes(locked, [])
    activity_record(
        actor=by,
        verb="linked",
        target=locked,
        project=project,
        diff={"action_links": ["", f"{made} {title}"]},
    )
    return link
