"""API schemas of contingency plans (names start with Contingency)."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from liaison.controls.models import ContingencyPlan, ContingencyStep
from liaison.controls.services.contingency import MAX_DAYS, MAX_STEPS
from liaison.core.schemas import OneOf, UserRef

ContingencyKind = Annotated[str, OneOf(ContingencyStep.Kind)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Duration = Annotated[int, Field(ge=1, le=MAX_DAYS)]


class ContingencyStepIn(Schema):
    kind: ContingencyKind = Field(
        ...,
        description="task, action_item, message (to the client) or change (a change request "
        "to draft); at most one message and one change per plan.",
    )
    title: str = Field(
        ..., max_length=300, description="The task's or item's title, the message's subject."
    )
    body: str = Field(
        "", max_length=20_000, description="The message's text, the change's or task's description."
    )
    owner_id: int | None = Field(
        None, description="A task's or action item's owner: an active manager or member."
    )
    start_offset: Days = Field(0, description="A task starts this many days after activation.")
    duration_days: Duration | None = Field(None, description="A task's length in days.")
    due_offset: Days | None = Field(
        None,
        description="A task (instead of a duration) or action item is due this many days "
        "after activation.",
    )
    milestone: str | None = Field(None, description="A task's milestone, by key (M-1).")
    client_visible: bool = Field(False, description="Whether the client sees the action item.")
    send_on_activation: bool = Field(
        False, description="Send the message on activation; otherwise it is drafted."
    )


class ContingencyPlanIn(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    steps: list[ContingencyStepIn] = Field(..., max_length=MAX_STEPS)


class ContingencyActivateIn(Schema):
    version: int = Field(..., description="The plan's version you previewed.")


class ContingencyStepOut(Schema):
    kind: ContingencyKind
    title: str
    body: str
    owner: UserRef | None
    start_offset: int
    duration_days: int | None
    due_offset: int | None
    milestone: str | None = Field(..., description="The milestone's key.")
    client_visible: bool
    send_on_activation: bool
    task: str | None = Field(..., description="The task it created (its key), once activated.")
    action_item: str | None = Field(..., description="The action item it created.")
    interaction: str | None = Field(..., description="The message's interaction (COM-n).")
    change: str | None = Field(..., description="The change request it drafted.")

    @staticmethod
    def resolve_milestone(step: ContingencyStep) -> str | None:
        return step.milestone.key if step.milestone else None

    @staticmethod
    def resolve_task(step: ContingencyStep) -> str | None:
        return step.task.key if step.task else None

    @staticmethod
    def resolve_action_item(step: ContingencyStep) -> str | None:
        return step.action_item.key if step.action_item else None

    @staticmethod
    def resolve_interaction(step: ContingencyStep) -> str | None:
        return step.interaction.key if step.interaction else None

    @staticmethod
    def resolve_change(step: ContingencyStep) -> str | None:
        return step.change.key if step.change else None


class ContingencyPlanOut(Schema):
    risk: str = Field(..., description="The risk's key.")
    version: int = Field(..., description="1 for a plan never written.")
    steps: list[ContingencyStepOut]
    activated_at: datetime.datetime | None
    activated_by: UserRef | None
    activated_version: int | None = Field(..., description="The plan's version activated.")
    issue: str | None = Field(..., description="The issue the activation opened (ISS-n).")


def plan_out(risk_key: str, plan: ContingencyPlan | None, steps: list) -> dict:
    """The answer for a plan, or the empty plan of a risk without one."""
    return {
        "risk": risk_key,
        "version": plan.version if plan else 1,
        "steps": steps,
        "activated_at": plan.activated_at if plan else None,
        "activated_by": plan.activated_by if plan else None,
        "activated_version": plan.activated_version if plan else None,
        "issue": plan.issue.key if plan and plan.issue else None,
    }


class ContingencyPreviewLine(Schema):
    number: int
    kind: ContingencyKind
    title: str
    owner: UserRef | None
    start: datetime.date | None
    due: datetime.date | None
    problem: str = Field(..., description="Why this step stops the activation; empty if none.")


class ContingencyProblem(Schema):
    step: int | None = Field(..., description="The step's number (from 1); null: the plan.")
    code: str = Field(
        ...,
        description="already_activated, risk_closed, no_steps, owner_not_on_team, "
        "no_client_contact.",
    )
    message: str


class ContingencyPreviewOut(Schema):
    day: datetime.date = Field(..., description="The activation day the dates count from.")
    version: int = Field(..., description="The plan's version to send to activate.")
    ready: bool
    lines: list[ContingencyPreviewLine]
    problems: list[ContingencyProblem]
    issue_title: str
    issue_severity: str = Field(..., description="The severity's label.")
    marks_occurred: bool
