"""API: a risk's contingency plan. The team reads it; the manager writes it,
previews its activation and activates it (members and observers 403; client
users 404, like every internal operation). The same services as the pages."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from liaison.accounts.models import User
from liaison.controls.models import Risk
from liaison.controls.schemas_contingency import (
    ContingencyActivateIn,
    ContingencyPlanIn,
    ContingencyPlanOut,
    ContingencyPreviewOut,
    plan_out,
)
from liaison.controls.selectors import contingency as selectors
from liaison.controls.selectors import risks as risk_selectors
from liaison.controls.services import contingency as services
from liaison.core.schemas import READ, WRITE, Conflict
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone
from liaison.projects import access
from liaison.projects.access import TEAM, Action

router = Router(tags=["contingency plans"])
PLAN = "/projects/{code}/risks/{key}/plan"


def _risk(request, code: str, key: str, need: Action = Action.VIEW) -> Risk:
    project = access.get_project_for(request.user, code, need=need)
    return risk_selectors.risk_get(project=project, audience=TEAM, key=key)


def _plan(risk: Risk) -> dict:
    plan = selectors.contingency_plan_get(risk=risk)
    return plan_out(risk.key, plan, selectors.plan_steps(plan))


def _step_fields(risk: Risk, index: int, fields: dict) -> dict:
    """Ids and keys into the project's rows; the service checks that they fit."""
    where = f"steps.{index}."
    owner_id = fields.pop("owner_id", None)
    fields["owner"] = None
    if owner_id is not None:
        fields["owner"] = User.objects.filter(pk=owner_id).first()
        if fields["owner"] is None:
            raise InvalidInput(
                _("The owner must be an active manager or member of the project."),
                field=where + "owner_id",
                code="owner_not_on_team",
            )
    milestone = fields.pop("milestone", None)
    fields["milestone"] = None
    if milestone:
        found = Milestone.objects.filter(project=risk.project, key=milestone.strip().upper())
        fields["milestone"] = found.order_by().first()
        if fields["milestone"] is None:
            raise InvalidInput(
                _("Choose a milestone of this project."),
                field=where + "milestone",
                code="not_in_project",
            )
    return fields


@router.get(
    PLAN,
    response={200: ContingencyPlanOut, **READ},
    summary="A risk's contingency plan",
    description="Its steps in order and, once activated, who activated it, when, at which "
    "version, what each step created and the issue opened. A risk without a plan answers an "
    "empty plan at version 1.",
)
def contingency_plan_get(request, code: str, key: str):
    return _plan(_risk(request, code, key))


@router.put(
    PLAN,
    response={200: ContingencyPlanOut, **WRITE, 409: Conflict},
    summary="Write a risk's contingency plan (the manager)",
    description="These steps, in this order, replace the plan's. 400 codes: `bad_kind`, "
    "`title_required`, `body_required` (a message needs its text), `days_out_of_range` "
    "(0–365; a duration 1–365), `duration_or_due` (a task has one or the other), "
    "`due_before_start`, `owner_not_on_team`, `not_in_project` (a milestone of another "
    "project), `one_per_plan` (one message, one change request), `too_many_steps`, "
    "`plan_activated` (an activated plan is kept as it was). A stale version answers 409.",
)
def contingency_plan_put(request, code: str, key: str, data: ContingencyPlanIn):
    risk = _risk(request, code, key, need=Action.MANAGE)
    steps = [_step_fields(risk, index, step.dict()) for index, step in enumerate(data.steps)]
    try:
        services.contingency_plan_replace(
            risk=risk, by=request.user, version=data.version, steps=steps
        )
    except InvalidInput as error:
        if error.field and error.field.endswith(".owner"):  # the API takes owner_id
            error.field += "_id"
        raise
    return _plan(risk)


@router.get(
    PLAN + "/preview",
    response={200: ContingencyPreviewOut, **WRITE},
    summary="What activating the plan today would create (the manager)",
    description="Each step's work with its dates counted from today, the issue to open, and "
    "what stops the activation (`problems`; `ready` when there is none).",
)
def contingency_plan_preview(request, code: str, key: str):
    risk = _risk(request, code, key, need=Action.MANAGE)
    plan = selectors.contingency_plan_get(risk=risk)
    preview = selectors.activation_preview(risk=risk, plan=plan, day=timezone.localdate())
    return {
        "day": preview.day,
        "version": plan.version if plan else 1,
        "ready": preview.ready,
        "lines": [
            {
                "number": line.number,
                "kind": line.step.kind,
                "title": line.step.title,
                "owner": line.step.owner,
                "start": line.start,
                "due": line.due,
                "problem": line.problem,
            }
            for line in preview.lines
        ],
        "problems": [
            {"step": problem.step, "code": problem.code, "message": problem.message}
            for problem in preview.problems
        ],
        "issue_title": preview.issue_title,
        "issue_severity": preview.issue_severity,
        "marks_occurred": preview.marks_occurred,
    }


@router.post(
    PLAN + "/activate",
    response={200: ContingencyPlanOut, **WRITE, 409: Conflict},
    summary="Activate the contingency plan: the risk occurred (the manager)",
    description="In one transaction: each step's task, action item, client message (sent, or "
    "drafted) and change request; an issue linked to the risk; the risk marked occurred. Once "
    "per plan. 400 codes: `already_activated`, `risk_closed`, `no_steps`, "
    "`owner_not_on_team`, `no_client_contact`, `step_refused` (a step's service refused it: "
    "the message names the step and why); nothing is created then. A version other than the "
    "plan's answers 409.",
)
def contingency_plan_activate(request, code: str, key: str, data: ContingencyActivateIn):
    risk = _risk(request, code, key, need=Action.MANAGE)
    services.contingency_activate(risk=risk, by=request.user, version=data.version)
    return _plan(risk)
