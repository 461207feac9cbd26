"""Writes of contingency plans: the manager writes a risk's plan as ordered
steps (tasks, action items, a message to the client, a change request to
draft), and activates it when the risk occurs. Activation creates everything
through the owning apps' services in one transaction, once; any refusal leaves
nothing behind (docs/architecture.md, controls)."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.changes.services.change_requests import change_create
from liaison.collab.notify import notify
from liaison.communication.models import Kind as InteractionKind
from liaison.communication.services.action_items import action_item_create
from liaison.communication.services.interactions import interaction_create
from liaison.communication.services.sending import interaction_send
from liaison.controls.models import ContingencyPlan, ContingencyStep, Issue, Risk
from liaison.controls.selectors.contingency import (
    activation_problems,
    client_contacts,
    issue_severity,
    step_dates,
    team_owner_ids,
)
from liaison.controls.services.issues import issue_create
from liaison.controls.services.risks import risk_transition
from liaison.core.activity import activity_record
from liaison.core.locking import check_version, save_changes
from liaison.core.rules import only_editable
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone
from liaison.planning.services.tasks import task_create
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

Kind = ContingencyStep.Kind
STEP_FIELDS = (
    "kind",
    "title",
    "body",
    "owner",
    "start_offset",
    "duration_days",
    "due_offset",
    "milestone",
    "client_visible",
    "send_on_activation",
)
# What each kind of step uses; the rest is kept at its default.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.TASK: (
        "title",
        "body",
        "owner",
        "start_offset",
        "duration_days",
        "due_offset",
        "milestone",
    ),
    Kind.ACTION_ITEM: ("title", "owner", "due_offset", "client_visible"),
    Kind.MESSAGE: ("title", "body", "send_on_activation"),
    Kind.CHANGE: ("title", "body"),
}
DEFAULTS: dict[str, Any] = {
    "body": "",
    "owner": None,
    "start_offset": 0,
    "duration_days": None,
    "due_offset": None,
    "milestone": None,
    "client_visible": False,
    "send_on_activation": False,
}
ONE_PER_PLAN = (Kind.MESSAGE, Kind.CHANGE)
MAX_STEPS = 30
MAX_DAYS = 365  # a contingency acts within the year, or it is a new plan
MAX_TEXT = 20_000


# -- cleaning ----------------------------------------------------------------------------


def _days(value: object, field: str, *, low: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_DAYS:
        raise InvalidInput(
            _("Give a whole number of days from %(low)s to %(high)s.")
            % {"low": low, "high": MAX_DAYS},
            field=field,
            code="days_out_of_range",
        )
    return value


def _clean_texts(fields: dict[str, Any], where: str) -> None:
    fields["title"] = " ".join(str(fields.get("title") or "").split())[:300]
    if not fields["title"]:
        raise InvalidInput(_("Say what the step is."), field=where + "title", code="title_required")
    fields["body"] = str(fields.get("body") or "").strip()
    if len(fields["body"]) > MAX_TEXT:
        raise InvalidInput(_("This text is too long."), field=where + "body", code="too_long")
    if fields["kind"] == Kind.MESSAGE and not fields["body"]:
        raise InvalidInput(
            _("Write the message to the client."), field=where + "body", code="body_required"
        )


def _clean_days(fields: dict[str, Any], where: str) -> None:
    fields["start_offset"] = _days(fields["start_offset"], where + "start_offset", low=0) or 0
    fields["duration_days"] = _days(fields["duration_days"], where + "duration_days", low=1)
    fields["due_offset"] = _days(fields["due_offset"], where + "due_offset", low=0)
    if fields["kind"] != Kind.TASK:
        return
    if fields["duration_days"] is not None and fields["due_offset"] is not None:
        raise InvalidInput(
            _("Give either a duration or a due day, not both."),
            field=where + "due_offset",
            code="duration_or_due",
        )
    if fields["due_offset"] is not None and fields["due_offset"] < fields["start_offset"]:
        raise InvalidInput(
            _("The task cannot be due before it starts."),
            field=where + "due_offset",
            code="due_before_start",
        )


def _clean_links(project: Project, fields: dict[str, Any], where: str) -> None:
    owner = fields["owner"]
    if owner is not None and (
        not isinstance(owner, User) or owner.pk not in team_owner_ids(project=project)
    ):
        raise InvalidInput(
            _("The owner must be an active manager or member of the project."),
            field=where + "owner",
            code="owner_not_on_team",
        )
    milestone = fields["milestone"]
    if milestone is not None and (
        not isinstance(milestone, Milestone) or milestone.project_id != project.pk
    ):
        raise InvalidInput(
            _("Choose a milestone of this project."),
            field=where + "milestone",
            code="not_in_project",
        )
    for name in ("client_visible", "send_on_activation"):
        if not isinstance(fields[name], bool):
            raise InvalidInput(_("Choose yes or no."), field=where + name)


def clean_step(*, project: Project, fields: dict[str, Any], where: str = "") -> dict[str, Any]:
    """A step's values checked; what its kind does not use set to the default.
    `where` prefixes the field names of refusals ("steps.2." in the API)."""
    only_editable(fields, STEP_FIELDS)
    kind = fields.get("kind")
    if kind not in Kind.values:
        raise InvalidInput(
            _("Choose one of the listed values."), field=where + "kind", code="bad_kind"
        )
    used = KIND_FIELDS[str(kind)]
    cleaned: dict[str, Any] = {
        "kind": kind,
        **DEFAULTS,
        **{name: value for name, value in fields.items() if name in used},
    }
    _clean_texts(cleaned, where)
    _clean_days(cleaned, where)
    _clean_links(project, cleaned, where)
    return cleaned


def _check_one_per_plan(kinds: Sequence[str], where: str = "") -> None:
    for kind in ONE_PER_PLAN:
        if list(kinds).count(kind) > 1:
            raise InvalidInput(
                _("A plan has at most one %(kind)s.") % {"kind": Kind(kind).label.lower()},
                field=where + "kind",
                code="one_per_plan",
            )
    if len(kinds) > MAX_STEPS:
        raise InvalidInput(
            _("A plan has at most %(count)s steps.") % {"count": MAX_STEPS},
            field=where + "kind",
            code="too_many_steps",
        )


# -- editing -----------------------------------------------------------------------------


def _plan_for_edit(risk: Risk, by: User, version: int) -> ContingencyPlan:
    """The risk's plan, locked, at the version the editor read. A risk without
    a plan reads as an empty plan at version 1; the first edit creates it (the
    risk's row is locked first, so two first edits cannot both create it)."""
    project = risk.project
    access.require(by, Action.MANAGE, project)
    Risk.objects.select_for_update().filter(pk=risk.pk).values_list("pk").get()
    plan = ContingencyPlan.objects.select_for_update().filter(risk=risk).order_by().first()
    if plan is None:
        plan = ContingencyPlan.objects.create(risk=risk, project=project)
    check_version(plan, version)
    if plan.is_activated:
        raise InvalidInput(
            _("The plan was activated: it is kept as it was."), code="plan_activated"
        )
    plan.risk, plan.project = risk, project
    return plan


def _summary(steps: Sequence[ContingencyStep]) -> str:
    return "; ".join(f"{number}. {step.title}" for number, step in enumerate(steps, 1))


def _steps(plan: ContingencyPlan) -> list[ContingencyStep]:
    return list(plan.steps.order_by("position", "id"))


def _saved(plan: ContingencyPlan, by: User, before: str, steps: list[ContingencyStep]) -> None:
    """Number the steps from 0 in their order, move the plan's version on and log it."""
    for position, step in enumerate(steps):
        step.position = position
    ContingencyStep.objects.bulk_update(steps, ["position"])
    save_changes(plan, [])
    activity_record(
        actor=by,
        verb="updated",
        target=plan,
        project=plan.project,
        diff={"steps": [before, _summary(steps)]},
    )


@transaction.atomic
def contingency_step_add(*, risk: Risk, by: User, version: int, **fields: Any) -> ContingencyStep:
    """Add a step at the end of the risk's plan (the manager's)."""
    plan = _plan_for_edit(risk, by, version)
    cleaned = clean_step(project=plan.project, fields=fields)
    steps = _steps(plan)
    _check_one_per_plan([*(step.kind for step in steps), cleaned["kind"]])
    step = ContingencyStep.objects.create(plan=plan, position=len(steps), **cleaned)
    _saved(plan, by, _summary(steps), [*steps, step])
    return step


def _step_of(plan: ContingencyPlan, steps: list[ContingencyStep], step: ContingencyStep) -> int:
    for index, row in enumerate(steps):
        if row.pk == step.pk:
            return index
    raise InvalidInput(
        _("That step is no longer in the plan: reload the page."), code="no_such_step"
    )


@transaction.atomic
def contingency_step_update(
    *, step: ContingencyStep, by: User, version: int, **fields: Any
) -> ContingencyStep:
    """Change a step; its kind stays what it is."""
    plan = _plan_for_edit(step.plan.risk, by, version)
    steps = _steps(plan)
    row = steps[_step_of(plan, steps, step)]
    before = _summary(steps)
    cleaned = clean_step(project=plan.project, fields={**fields, "kind": row.kind})
    for name, value in cleaned.items():
        setattr(row, name, value)
    row.save()
    _saved(plan, by, before, steps)
    return row


@transaction.atomic
def contingency_step_remove(*, step: ContingencyStep, by: User, version: int) -> None:
    plan = _plan_for_edit(step.plan.risk, by, version)
    steps = _steps(plan)
    index = _step_of(plan, steps, step)
    before = _summary(steps)
    steps.pop(index).delete()
    _saved(plan, by, before, steps)


@transaction.atomic
def contingency_step_move(*, step: ContingencyStep, by: User, version: int, direction: str) -> None:
    """Move a step one place up or down."""
    if direction not in ("up", "down"):
        raise InvalidInput(_("Choose one of the listed values."), field="direction")
    plan = _plan_for_edit(step.plan.risk, by, version)
    steps = _steps(plan)
    index = _step_of(plan, steps, step)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(steps):
        return
    before = _summary(steps)
    steps[index], steps[other] = steps[other], steps[index]
    _saved(plan, by, before, steps)


@transaction.atomic
def contingency_plan_replace(
    *, risk: Risk, by: User, version: int, steps: Sequence[dict[str, Any]]
) -> ContingencyPlan:
    """The whole plan at once (the API): these steps, in this order."""
    plan = _plan_for_edit(risk, by, version)
    cleaned = [
        clean_step(project=plan.project, fields=dict(fields), where=f"steps.{index}.")
        for index, fields in enumerate(steps)
    ]
    _check_one_per_plan([fields["kind"] for fields in cleaned], where="steps.")
    old = _steps(plan)
    before = _summary(old)
    plan.steps.all().delete()
    rows = ContingencyStep.objects.bulk_create(
        [ContingencyStep(plan=plan, **fields) for fields in cleaned]
    )
    _saved(plan, by, before, rows)
    return plan


# -- activating --------------------------------------------------------------------------


def _task(step: ContingencyStep, risk: Risk, by: User, day: Any) -> None:
    start, due = step_dates(step=step, day=day)
    task = task_create(
        project=risk.project,
        by=by,
        title=step.title,
        description=step.body
        or str(_("From the contingency plan of %(risk)s.") % {"risk": risk.key}),
        assignee=step.owner,
        start_date=start,
        due_date=due,
        milestone=step.milestone,
        client_visible=False,
    )
    risk.tasks.add(task)
    step.task = task


def _action_item(step: ContingencyStep, risk: Risk, by: User, day: Any) -> None:
    _start, due = step_dates(step=step, day=day)
    step.action_item = action_item_create(
        project=risk.project,
        by=by,
        title=step.title,
        owner=step.owner,
        due_date=due,
        client_visible=step.client_visible,
    )


def _message(step: ContingencyStep, risk: Risk, by: User, day: Any) -> None:
    """An e-mail on record to the client's people: sent now when the plan says
    so, else a draft only the team sees until the manager shares and sends it."""
    interaction = interaction_create(
        project=risk.project,
        by=by,
        kind=InteractionKind.EMAIL,
        subject=step.title,
        occurred_at=timezone.now(),
        minutes=step.body,
        participants=client_contacts(project=risk.project),
        client_visible=step.send_on_activation,
    )
    if step.send_on_activation:
        interaction_send(interaction=interaction, by=by, what="minutes")
    step.interaction = interaction


def _change(step: ContingencyStep, risk: Risk, by: User, day: Any) -> None:
    change = change_create(
        project=risk.project,
        by=by,
        title=step.title,
        description=step.body,
        reason=str(_("%(risk)s occurred: its contingency plan.") % {"risk": risk.key}),
        client_visible=False,
    )
    risk.changes.add(change)
    step.change = change


MAKERS: dict[str, Callable[[ContingencyStep, Risk, User, Any], None]] = {
    Kind.TASK: _task,
    Kind.ACTION_ITEM: _action_item,
    Kind.MESSAGE: _message,
    Kind.CHANGE: _change,
}


def _run(number: int, step: ContingencyStep, risk: Risk, by: User, day: Any) -> None:
    """One step through its app's service; a refusal names the step."""
    try:
        MAKERS[step.kind](step, risk, by, day)
    except InvalidInput as refusal:
        raise InvalidInput(
            _("Step %(number)s (%(title)s): %(reason)s")
            % {"number": number, "title": step.title, "reason": refusal.message},
            field="steps",
            code="step_refused",
        ) from refusal


def _open_issue(risk: Risk, by: User) -> Issue:
    owner = risk.owner if risk.owner_id in team_owner_ids(project=risk.project) else None
    issue = issue_create(
        project=risk.project,
        by=by,
        title=str(_("%(risk)s occurred: %(title)s") % {"risk": risk.key, "title": risk.title})[
            :300
        ],
        description=risk.effect or risk.event,
        kind=Issue.Kind.PROBLEM,
        severity=issue_severity(band=risk.band),
        owner=owner,
        client_visible=False,
    )
    Issue.objects.filter(pk=issue.pk).update(risk=risk)
    issue.risk = risk
    return issue


def _mark_occurred(risk: Risk, by: User) -> None:
    current = Risk.objects.values_list("status", "version").get(pk=risk.pk)
    if current[0] != Risk.Status.OCCURRED:
        risk_transition(risk=risk, by=by, status=Risk.Status.OCCURRED, version=current[1])


@transaction.atomic
def contingency_activate(*, risk: Risk, by: User, version: int) -> ContingencyPlan:
    """The risk occurred: create every step's work (tasks through planning,
    action items and the client message through communication, the change
    request through changes), open an issue linked to the risk, mark the risk
    occurred, and record what each step became. Once per plan; all or nothing."""
    project = risk.project
    access.require(by, Action.MANAGE, project)
    plan = ContingencyPlan.objects.select_for_update().filter(risk=risk).order_by().first()
    if plan is None:
        raise InvalidInput(_("This risk has no contingency plan yet."), code="no_steps")
    check_version(plan, version)
    plan.risk, plan.project = risk, project
    steps = list(plan.steps.select_related("owner", "milestone").order_by("position", "id"))
    problems = activation_problems(risk=risk, plan=plan, steps=steps)
    if problems:
        raise InvalidInput(problems[0].message, field="steps", code=problems[0].code)
    day = timezone.localdate()
    for number, step in enumerate(steps, 1):
        _run(number, step, risk, by, day)
    ContingencyStep.objects.bulk_update(steps, ["task", "action_item", "interaction", "change"])
    plan.issue = _open_issue(risk, by)
    _mark_occurred(risk, by)
    plan.activated_at, plan.activated_by, plan.activated_version = timezone.now(), by, plan.version
    save_changes(plan, ["activated_at", "activated_by", "activated_version", "issue"])
    activity_record(
        actor=by,
        verb="activated",
        target=plan,
        project=project,
        diff={"activated_at": [None, plan.activated_at.isoformat()]},
    )
    _tell(plan, steps, by)
    return plan


def _tell(plan: ContingencyPlan, steps: list[ContingencyStep], by: User) -> None:
    risk = plan.risk
    people = {step.owner for step in steps if step.owner is not None}
    people |= {person for person in (risk.owner, plan.project.manager) if person is not None}
    notify(
        event="risk.plan_activated",
        recipients=sorted(people, key=lambda person: person.pk),
        actor=by,
        project=plan.project,
        message=_("%(actor)s activated the contingency plan of %(risk)s: its work is yours now"),
        room_message=_("%(actor)s activated the contingency plan of %(risk)s"),
        params={"actor": by, "risk": risk},
        url=plan.get_absolute_url(),
        target=plan,
    )
