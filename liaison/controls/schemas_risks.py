"""API schemas of risks (names start with Risk: the controls' issues have their own)."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from liaison.controls.models import Risk
from liaison.controls.selectors.risks import OPEN, SORTS
from liaison.core.schemas import OneOf, UserRef

RiskStatus = Annotated[str, OneOf(Risk.Status)]
RiskStatusFilter = Annotated[str, OneOf(Risk.Status, also=(OPEN,))]
RiskCategory = Annotated[str, OneOf(Risk.Category)]
RiskStrategy = Annotated[str, OneOf(Risk.Strategy)]
RiskBand = Annotated[str, OneOf(Risk.Band)]
Scale = Annotated[int, Field(ge=1, le=5)]
VERSION = Field(..., description="The version you read; a stale one answers 409.")


class RiskListItem(Schema):
    key: str = Field(..., description="RISK-1, RISK-2… per project.")
    title: str
    category: RiskCategory
    probability: int = Field(..., description="1 rare … 5 almost certain.")
    impact: int = Field(..., description="1 negligible … 5 severe.")
    score: int = Field(..., description="probability × impact.")
    band: RiskBand = Field(
        ..., description="low 1–4, medium 5–9, high 10–16, critical 20–25 (by the score)."
    )
    status: RiskStatus
    strategy: RiskStrategy | None
    owner: UserRef | None
    next_review_date: datetime.date | None
    client_visible: bool
    version: int

    @staticmethod
    def resolve_strategy(risk: Risk) -> str | None:
        return risk.strategy or None


class RiskOut(RiskListItem):
    description: str = Field(..., description="Markdown.")
    cause: str
    event: str
    effect: str
    affects_schedule: bool
    affects_cost: bool
    affects_scope: bool
    affects_quality: bool
    preventive_actions: str = Field(..., description="One action per line.")
    contingency_actions: str = Field(..., description="One action per line.")
    trigger: str
    residual_probability: int | None
    residual_impact: int | None
    share_residual: bool = Field(..., description="Whether the client reads the residual score.")
    internal_notes: str = Field(..., description="The team's only.")
    requirements: list[str] = Field(..., description="Keys of the linked requirements.")
    milestones: list[str] = Field(..., description="Keys of the linked milestones.")
    tasks: list[str] = Field(..., description="Keys of the linked tasks.")
    changes: list[str] = Field(..., description="Keys of the linked change requests.")
    occurred_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_requirements(risk: Risk) -> list[str]:
        return [row.key for row in risk.requirements.all()]

    @staticmethod
    def resolve_milestones(risk: Risk) -> list[str]:
        return [row.key for row in risk.milestones.all()]

    @staticmethod
    def resolve_tasks(risk: Risk) -> list[str]:
        return [row.key for row in risk.tasks.all()]

    @staticmethod
    def resolve_changes(risk: Risk) -> list[str]:
        return [row.key for row in risk.changes.all()]


class RiskQuery(Schema):
    status: RiskStatusFilter | None = Field(None, description="A status, or `open`.")
    category: RiskCategory | None = None
    owner: int | None = Field(None, description="The owner's user id.")
    band: RiskBand | None = None
    review: bool = Field(False, description="Only open risks whose review date has passed.")
    q: str = Field("", description="Words in the title or description, or an exact key.")
    sort: str = Field("-score", description="One of: " + ", ".join(SORTS))


class RiskIn(Schema):
    title: str
    description: str = ""
    category: RiskCategory = Risk.Category.OTHER.value
    cause: str = ""
    event: str = ""
    effect: str = ""
    probability: Scale = 3
    impact: Scale = 3
    affects_schedule: bool = False
    affects_cost: bool = False
    affects_scope: bool = False
    affects_quality: bool = False
    owner_id: int | None = Field(None, description="A manager or member of the project.")
    strategy: RiskStrategy | None = None
    preventive_actions: str = ""
    contingency_actions: str = ""
    trigger: str = ""
    next_review_date: datetime.date | None = None
    residual_probability: Scale | None = None
    residual_impact: Scale | None = None
    share_residual: bool = False
    internal_notes: str = ""
    client_visible: bool = False
    requirements: list[str] = Field([], description="Requirement keys of this project.")
    milestones: list[str] = Field([], description="Milestone keys of this project.")
    tasks: list[str] = Field([], description="Task keys of this project.")
    changes: list[str] = Field([], description="Change request keys of this project.")


class RiskPatch(Schema):
    version: int = VERSION
    title: str | None = None
    description: str | None = None
    category: RiskCategory | None = None
    cause: str | None = None
    event: str | None = None
    effect: str | None = None
    probability: Scale | None = None
    impact: Scale | None = None
    affects_schedule: bool | None = None
    affects_cost: bool | None = None
    affects_scope: bool | None = None
    affects_quality: bool | None = None
    owner_id: int | None = Field(None, description="null removes the owner.")
    strategy: RiskStrategy | None = Field(None, description="null clears the strategy.")
    preventive_actions: str | None = None
    contingency_actions: str | None = None
    trigger: str | None = None
    next_review_date: datetime.date | None = Field(None, description="null clears it.")
    residual_probability: Scale | None = Field(None, description="null clears it.")
    residual_impact: Scale | None = Field(None, description="null clears it.")
    share_residual: bool | None = None
    internal_notes: str | None = None
    client_visible: bool | None = None
    requirements: list[str] | None = Field(None, description="Replaces the linked requirements.")
    milestones: list[str] | None = Field(None, description="Replaces the linked milestones.")
    tasks: list[str] | None = Field(None, description="Replaces the linked tasks.")
    changes: list[str] | None = Field(None, description="Replaces the linked change requests.")


class RiskTransitionIn(Schema):
    status: RiskStatus = Field(
        ..., description="The next status, as the lifecycle allows (see the operation)."
    )
    version: int = VERSION
