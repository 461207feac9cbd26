"""API: a project's change requests — raised, assessed and moved along their
lifecycle by the team, with the impact they would have on the plan.

Team only, like every internal operation: client users get 404 (they raise and
decide changes in the portal). Members and managers write; sending to the
client, recalling, declining and withdrawing are the manager's; observers read.
Writes go through the same services as the pages.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.changes import selectors, services
from liaison.changes.models import ChangeRequest
from liaison.core.schemas import (
    READ,
    WRITE,
    Conflict,
    Error,
    Page,
    UserRef,
    named_as_sent,
    not_null,
    one_of,
)
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

router = Router(tags=["changes"])

ChangeStatus = one_of(ChangeRequest.Status)
Origin = one_of(ChangeRequest.Origin)
Priority = one_of(ChangeRequest.Priority)
Risk = one_of(ChangeRequest.Risk)
VERSION = Field(..., description="The version you read; a stale one answers 409.")


# -- schemas ----------------------------------------------------------------------------


class ScheduleChange(Schema):
    task: str = Field(..., description="A task key of this project, e.g. T-12; each once.")
    start: datetime.date
    due: datetime.date = Field(..., description="Not before the start.")


class MilestoneChange(Schema):
    milestone: str = Field(..., description="A milestone key of this project, e.g. M-2.")
    due: datetime.date


class ImpactMoveOut(Schema):
    key: str
    title: str
    old_start: datetime.date | None = Field(..., description="null: the task had no dates.")
    old_due: datetime.date | None
    new_start: datetime.date
    new_due: datetime.date
    direct: bool = Field(..., description="One of the change's own lines (else pushed by them).")
    client_visible: bool


class MilestoneImpactOut(Schema):
    key: str
    name: str
    due: datetime.date
    new_due: datetime.date | None = Field(..., description="null: the change keeps the date.")
    finish_before: datetime.date | None = Field(
        ..., description="The latest finish of its tasks now."
    )
    finish_after: datetime.date | None = Field(..., description="… and after the change.")
    late: bool = Field(..., description="Its tasks would finish after its (new) due date.")
    client_visible: bool
    accepted: bool = Field(
        False, description="The client already accepted it: the change moves accepted work."
    )


class ImpactOut(Schema):
    moves: list[ImpactMoveOut] = Field(
        ..., description="The change's own lines first, then the tasks they push; at most 200."
    )
    moved_count: int = Field(..., description="Every task that moves, listed or not.")
    client_moved_count: int = Field(..., description="Of those, the ones the client sees.")
    milestones: list[MilestoneImpactOut] = Field(
        ..., description="Milestones whose tasks move or whose due date changes."
    )
    finish_before: datetime.date | None = Field(..., description="The plan's last finish now.")
    finish_after: datetime.date | None
    slip_days: int = Field(..., description="Working days the finish moves; positive is later.")
    effort_hours: Decimal | None
    cost: Decimal | None


class ChangeListItem(Schema):
    key: str = Field(..., description="CR-1, CR-2… per project.")
    title: str
    origin: Origin = Field(..., description="Who raised it: the client or the team.")
    priority: Priority
    status: ChangeStatus
    requested_by: UserRef | None
    owner: UserRef | None = Field(None, description="Who assesses it.")
    client_visible: bool
    sent_at: datetime.datetime | None = Field(..., description="When it went to the client.")
    decided_at: datetime.datetime | None
    comment_count: int
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ChangeOut(ChangeListItem):
    description: str = Field(..., description="What changes (markdown).")
    reason: str = Field(..., description="Why (markdown).")
    requirements: list[str] = Field(..., description="Keys of the requirements it touches.")
    milestones: list[str] = Field(..., description="Keys of the milestones it touches.")
    tasks: list[str] = Field(..., description="Keys of the tasks it touches.")
    effort_hours: Decimal | None
    cost: Decimal | None = Field(..., description="In the project's currency.")
    cost_visible: bool = Field(..., description="Whether the client reads the cost.")
    scope_impact: str
    risk_level: Risk | None
    risk_impact: str
    schedule_changes: list[ScheduleChange] = Field(
        ..., description="The new task dates approval applies; the plan pushes the rest."
    )
    milestone_changes: list[MilestoneChange]
    impact: ImpactOut | None = Field(
        ..., description="The impact frozen when the change went to the client, or null."
    )
    decided_by: UserRef | None
    decided_name: str = Field(..., description="The full name the client typed to approve.")
    decision_comment: str
    implemented_at: datetime.datetime | None
    baseline: int | None = Field(
        ..., description="The number of the requirements baseline the approval signed."
    )
    plan_baseline: int | None = Field(
        ..., description="The number of the plan baseline the approval froze."
    )

    @staticmethod
    def resolve_requirements(change: ChangeRequest) -> list[str]:
        return [row.key for row in change.requirements.all()]

    @staticmethod
    def resolve_milestones(change: ChangeRequest) -> list[str]:
        return [row.key for row in change.milestones.all()]

    @staticmethod
    def resolve_tasks(change: ChangeRequest) -> list[str]:
        return [row.key for row in change.tasks.all()]

    @staticmethod
    def resolve_risk_level(change: ChangeRequest) -> str | None:
        return change.risk_level or None

    @staticmethod
    def resolve_impact(change: ChangeRequest) -> dict | None:
        return change.impact or None

    @staticmethod
    def resolve_baseline(change: ChangeRequest) -> int | None:
        return change.baseline.number if change.baseline_id else None

    @staticmethod
    def resolve_plan_baseline(change: ChangeRequest) -> int | None:
        return change.plan_baseline.number if change.plan_baseline_id else None


class ChangeQuery(Schema):
    status: ChangeStatus | None = None
    origin: Origin | None = None
    q: str = Field("", description="Words in the title or description, or an exact key.")
    sort: str = Field("-number", description="One of: " + ", ".join(selectors.SORTS))


class ChangeIn(Schema):
    title: str
    description: str = Field("", description="What changes (markdown).")
    reason: str = Field("", description="Why (markdown).")
    priority: Priority = ChangeRequest.Priority.NORMAL.value
    owner_id: int | None = Field(None, description="Who assesses it: a manager or member.")
    requirements: list[str] = Field([], description="Requirement keys of this project.")
    milestones: list[str] = Field([], description="Milestone keys of this project.")
    tasks: list[str] = Field([], description="Task keys of this project.")
    effort_hours: Decimal | None = Field(None, description="0 to 100,000 hours.")
    cost: Decimal | None = Field(None, description="In the project's currency.")
    cost_visible: bool = True
    scope_impact: str = ""
    risk_level: Risk | None = None
    risk_impact: str = ""
    schedule_changes: list[ScheduleChange] = []
    milestone_changes: list[MilestoneChange] = []
    client_visible: bool = True


class ChangePatch(Schema):
    version: int = VERSION
    title: str | None = None
    description: str | None = None
    reason: str | None = None
    priority: Priority | None = None
    owner_id: int | None = Field(None, description="null removes the owner.")
    requirements: list[str] | None = Field(None, description="Replaces the linked requirements.")
    milestones: list[str] | None = Field(None, description="Replaces the linked milestones.")
    tasks: list[str] | None = Field(None, description="Replaces the linked tasks.")
    effort_hours: Decimal | None = Field(None, description="null clears the effort.")
    cost: Decimal | None = Field(None, description="null clears the cost.")
    cost_visible: bool | None = None
    scope_impact: str | None = None
    risk_level: Risk | None = Field(None, description="null clears the risk.")
    risk_impact: str | None = None
    schedule_changes: list[ScheduleChange] | None = Field(None, description="Replaces the lines.")
    milestone_changes: list[MilestoneChange] | None = Field(None, description="Replaces the lines.")
    client_visible: bool | None = None


class ChangeTransitionIn(Schema):
    status: ChangeStatus = Field(
        ...,
        description="assessing, awaiting_client (send to the client), rejected (decline), "
        "withdrawn or implemented, as the lifecycle allows.",
    )
    version: int = VERSION
    comment: str = Field("", description="Why: required to decline.")


# -- helpers ----------------------------------------------------------------------------

RELATED = {"requirements": Requirement, "milestones": Milestone, "tasks": Task}


def _rows_by_key(project: Project, model, keys: list[str], field: str) -> list:
    keys = list(dict.fromkeys(key.strip().upper() for key in keys))
    found = {row.key: row for row in model.objects.filter(project=project, key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        raise InvalidInput(
            _("Not of this project: %(keys)s") % {"keys": ", ".join(missing)}, field=field
        )
    return [found[key] for key in keys]


def _resolve_refs(project: Project, fields: dict) -> dict:
    """Keys and a user id into rows; the service checks that they fit."""
    if "owner_id" in fields:
        user_id = fields.pop("owner_id")
        fields["owner"] = None if user_id is None else User.objects.filter(pk=user_id).first()
        if user_id is not None and fields["owner"] is None:
            raise InvalidInput(
                _("The change is assessed by a manager or member of the project."),
                field="owner_id",
            )
    for name, model in RELATED.items():
        if fields.get(name) is not None:
            fields[name] = _rows_by_key(project, model, fields[name], name)
    return fields


def _change(request, code: str, key: str, need: Action = Action.VIEW) -> ChangeRequest:
    project = access.get_project_for(request.user, code, need=need)
    return selectors.change_get(
        project=project, audience=access.audience_of(request.user, project), key=key
    )


def _fresh(change: ChangeRequest) -> ChangeRequest:
    return selectors.change_get(project=change.project, audience=TEAM, key=change.key)


# -- operations -------------------------------------------------------------------------


@router.get(
    "/{code}/changes",
    response={200: list[ChangeListItem], **READ},
    summary="A project's change requests, newest first",
    description="Filter by status, by who raised them (origin) and by words or a key.",
)
@paginate(Page)
def change_list(request, code: str, filters: Query[ChangeQuery]):
    project = access.get_project_for(request.user, code)
    query = filters.dict()
    return selectors.change_list(
        project=project,
        audience=access.audience_of(request.user, project),
        # The page's own parser, so the API and the list filter alike.
        filters=selectors.ChangeFilters.from_query(
            {
                "status": query["status"] or "",
                "origin": query["origin"] or "",
                "q": query["q"],
                "sort": query["sort"],
            }
        ),
    )


@router.post(
    "/{code}/changes",
    response={201: ChangeOut, **WRITE},
    summary="Raise a change request (members and managers)",
    description="It gets the next key (CR-n) and waits for assessment. The assessment "
    "(effort, cost, scope, risk, new dates) may come with it. A schedule line for a task "
    "not in the project, given twice or ending before it starts answers 400 with the field "
    "`schedule_changes`.",
)
def change_create(request, code: str, data: ChangeIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = _resolve_refs(project, data.dict(exclude_unset=True))
    with named_as_sent(owner="owner_id"):
        change = services.change_create(project=project, by=request.user, **fields)
    return Status(201, _fresh(change))


@router.get(
    "/{code}/changes/{key}",
    response={200: ChangeOut, **READ},
    summary="One change request",
    description="Everything it touches (by key), its assessment, the impact frozen when it "
    "went to the client, and the decision.",
)
def change_detail(request, code: str, key: str):
    return _change(request, code, key)


@router.patch(
    "/{code}/changes/{key}",
    response={200: ChangeOut, **WRITE, 409: Conflict},
    summary="Change a request or its assessment (send the version you read)",
    description="Send only the fields to change. Possible until the change goes to the "
    "client: after that, 400 with the code `change_locked` (recall it first). Saving an "
    "assessment field (effort, cost, scope, risk, new dates) of a submitted change starts "
    "its assessment: its status becomes `assessing`.",
)
def change_update(request, code: str, key: str, data: ChangePatch):
    change = _change(request, code, key, need=Action.EDIT)
    fields = not_null(
        data.dict(exclude_unset=True, exclude={"version"}),
        nullable=("owner_id", "effort_hours", "cost", "risk_level"),
    )
    fields = _resolve_refs(change.project, fields)
    with named_as_sent(owner="owner_id"):
        saved = services.change_update(
            change=change, by=request.user, version=data.version, **fields
        )
    return _fresh(saved)


@router.post(
    "/{code}/changes/{key}/transition",
    response={200: ChangeOut, **WRITE, 409: Conflict},
    summary="Move a change request on its lifecycle",
    description="submitted → assessing (members); assessing → awaiting_client (send to the "
    "client: needs the effort and an impact, `impact_missing`, and freezes the impact); "
    "awaiting_client → assessing (recall: see `/recall`); rejected (decline, with a comment) "
    "and withdrawn while open (see `/withdraw`); approved → implemented (members). Sending, "
    "recalling, declining and withdrawing are the manager's (403). Any other move: 400 "
    "`bad_transition`. The client's approval is given in the portal.",
)
def change_transition(request, code: str, key: str, data: ChangeTransitionIn):
    change = _change(request, code, key, need=Action.EDIT)
    saved = services.change_transition(
        change=change,
        by=request.user,
        status=data.status,
        version=data.version,
        comment=data.comment,
    )
    return _fresh(saved)


class VersionIn(Schema):
    version: int = VERSION


class WithdrawIn(Schema):
    version: int = VERSION
    comment: str = Field("", description="Why it is withdrawn (optional).")


@router.post(
    "/{code}/changes/{key}/recall",
    response={200: ChangeOut, **WRITE, 409: Conflict},
    summary="Recall a change from the client (managers)",
    description="Takes back a change awaiting the client's decision, to revise it and send "
    "it again: it returns to assessing, its frozen impact is dropped and the portal stops "
    "asking the client to decide. Not the end of the change (that is `/withdraw`). A change "
    "not awaiting the client: 400 `bad_transition`.",
)
def change_recall(request, code: str, key: str, data: VersionIn):
    change = _change(request, code, key, need=Action.EDIT)
    return _fresh(services.change_recall(change=change, by=request.user, version=data.version))


@router.post(
    "/{code}/changes/{key}/withdraw",
    response={200: ChangeOut, **WRITE, 409: Conflict},
    summary="Withdraw a change for good (managers)",
    description="Ends an open change (submitted, assessing or awaiting the client) without a "
    "decision; it cannot come back. To revise a change the client is reading, recall it "
    "instead (`/recall`). Any other status: 400 `bad_transition`.",
)
def change_withdraw(request, code: str, key: str, data: WithdrawIn):
    change = _change(request, code, key, need=Action.EDIT)
    saved = services.change_withdraw(
        change=change, by=request.user, version=data.version, comment=data.comment
    )
    return _fresh(saved)


@router.get(
    "/{code}/changes/{key}/impact",
    response={200: ImpactOut, 400: Error, **READ},
    summary="What the change would do to the plan now",
    description="Computed from the current plan, saving nothing: the tasks its new dates "
    "move (with those they push), the milestones affected and the slip of the finish in "
    "working days. Lines that no longer fit the plan answer 400 with their field "
    "(`schedule_changes`, `milestone_changes`).",
)
def change_impact(request, code: str, key: str):
    change = _change(request, code, key)
    return selectors.change_impact(change=change).as_json()
