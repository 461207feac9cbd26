"""API schemas of changes: a change request, its lines of new dates, and the
impact it would have on the plan."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from liaison.changes.models import ChangeRequest
from liaison.changes.selectors.change_requests import SORTS
from liaison.core.schemas import OneOf, UserRef

ChangeStatus = Annotated[str, OneOf(ChangeRequest.Status)]
Origin = Annotated[str, OneOf(ChangeRequest.Origin)]
Priority = Annotated[str, OneOf(ChangeRequest.Priority)]
Risk = Annotated[str, OneOf(ChangeRequest.Risk)]
VERSION = Field(..., description="The version you read; a stale one answers 409.")


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
        return change.baseline.number if change.baseline else None

    @staticmethod
    def resolve_plan_baseline(change: ChangeRequest) -> int | None:
        return change.plan_baseline.number if change.plan_baseline else None


class ChangeQuery(Schema):
    status: ChangeStatus | None = None
    origin: Origin | None = None
    q: str = Field("", description="Words in the title or description, or an exact key.")
    sort: str = Field("-number", description="One of: " + ", ".join(SORTS))


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


class VersionIn(Schema):
    version: int = VERSION


class WithdrawIn(Schema):
    version: int = VERSION
    comment: str = Field("", description="Why it is withdrawn (optional).")
