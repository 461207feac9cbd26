"""API schemas of reports: a status report and the facts it states."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from liaison.core.schemas import OneOf, UserRef
from liaison.reports import selectors
from liaison.reports.models import StatusReport

ReportStatus = Annotated[str, OneOf(StatusReport.Status)]
Health = Annotated[str, OneOf(StatusReport.Health)]
PERIODS = ", ".join(StatusReport.Period.values)


class CompletedTask(Schema):
    key: str
    title: str
    completed: datetime.date


class WeekCount(Schema):
    week_start: datetime.date = Field(..., description="The week's Monday.")
    count: int


class MilestoneFact(Schema):
    key: str
    name: str
    due: datetime.date
    status: str = Field(..., description="The milestone's status value.")


class ChangeFact(Schema):
    key: str
    title: str
    status: str = Field(..., description="The change request's status value.")


class RiskFact(Schema):
    key: str
    title: str
    score: int = Field(..., description="Probability × impact, 1–25.")
    status: str = Field(..., description="The risk's status value.")


class InteractionFact(Schema):
    key: str
    kind: str
    title: str
    date: datetime.date


class BaselineFact(Schema):
    number: int
    title: str


class IssueFact(Schema):
    key: str
    title: str
    severity: str = Field(..., description="critical, major, minor or cosmetic.")
    status: str


class QualityCheckFact(Schema):
    number: int = Field(..., description="QC-n's number.")
    kind: str = Field(..., description="review, test_run or audit.")
    result: str = Field(..., description="pass, partial or fail.")
    checked_on: datetime.date
    client_visible: bool


class FactsOut(Schema):
    period_start: datetime.date
    period_end: datetime.date
    progress_percent: int = Field(..., description="Of all tasks, weighted by their estimates.")
    tasks_total: int
    tasks_done: int
    tasks_completed_in_period: int
    tasks_overdue: int = Field(..., description="Not done and past their due date today.")
    completed: list[CompletedTask] = Field(
        ..., description="Client-visible tasks completed in the period (at most 20)."
    )
    weekly_completed: list[WeekCount] = Field(
        ..., description="Tasks completed in each of the 8 weeks ending with the period."
    )
    milestones: list[MilestoneFact] = Field(
        ...,
        description="Client-visible milestones due in the period or the 30 days after it, "
        "or accepted in the period.",
    )
    slip_days: int | None = Field(
        ...,
        description="Working days the plan's finish moved since the latest plan baseline "
        "(positive: later); null without a baseline.",
    )
    value_has_budget: bool = Field(..., description="Whether the project had a budget.")
    value_shared: bool = Field(
        ..., description="Whether the budget's summary was shared with the client."
    )
    value_currency: str = Field(..., description="The budget's currency; empty without one.")
    value_day: datetime.date | None = Field(..., description="The day the figures are of.")
    value_agreed: str | None = Field(..., description="The agreed total, as a decimal.")
    value_figures: dict[str, str | None] = Field(
        ...,
        description="Earned value as decimals: bac, pv, ev, ac, sv, cv, spi, cpi, eac, etc, "
        "vac (null: not known); {} without a budget.",
    )
    value_health: str = Field(
        ..., description="What CPI and SPI suggest: green, amber (below 0.9), red (below 0.8)."
    )
    changes: list[ChangeFact] = Field(
        ..., description="Client-visible change requests decided or sent to the client."
    )
    changes_awaiting: int = Field(..., description="Change requests awaiting the client.")
    risks_bands: dict[str, int] = Field(
        ..., description="Open risks per band (low, medium, high, critical); {} before risks."
    )
    risks_bands_client: dict[str, int] = Field(
        ..., description="… of those shared with the client."
    )
    risks_top: list[RiskFact] = Field(..., description="The five highest open risks.")
    risks_top_client: list[RiskFact] = Field(
        ..., description="The five highest open risks shared with the client."
    )
    interactions: list[InteractionFact] = Field(
        ..., description="Client-visible interactions of the period (at most 20)."
    )
    action_items_open: int
    action_items_overdue: int
    requirements_confirmed: int
    baselines_signed: list[BaselineFact]
    issues_opened: int = Field(..., description="Issues raised in the period.")
    issues_resolved: int = Field(..., description="Issues resolved in the period.")
    issues_open: dict[str, int] = Field(
        ..., description="Open issues per severity (critical, major, minor, cosmetic)."
    )
    issues_critical_open: int
    issues_critical_overdue: int = Field(
        ..., description="Open critical issues past their due date."
    )
    issues: list[IssueFact] = Field(
        ...,
        description="Client-visible issues raised or resolved in the period, and the open "
        "critical ones (at most 20).",
    )
    quality_checks: list[QualityCheckFact] = Field(
        ..., description="The quality checks of the period (at most 20)."
    )
    quality_uat: dict[str, int | str] = Field(
        ...,
        description="The last acceptance-test round with results: number, milestone, passed, "
        "failed; {} when there is none.",
    )
    quality_uat_unresolved: int = Field(
        ..., description="Failed acceptance-test cases whose defect is not resolved yet."
    )
    suggested_health: Health


class ReportListItem(Schema):
    number: int
    key: str = Field(..., description="RPT-1, RPT-2… per project.")
    title: str
    period: str = Field(..., description=PERIODS)
    period_start: datetime.date
    period_end: datetime.date
    status: ReportStatus
    health: Health
    published_by: UserRef | None
    published_at: datetime.datetime | None
    acknowledged_by: UserRef | None
    acknowledged_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ReportOut(ReportListItem):
    summary: str = Field(..., description="Markdown.")
    next_steps: str = Field(..., description="Markdown.")
    concerns: str = Field(..., description="Markdown.")
    acknowledgement: str = Field(..., description="The client's comment when acknowledging.")
    facts: FactsOut = Field(..., description="Frozen when published, live while a draft.")

    @staticmethod
    def resolve_facts(report: StatusReport) -> dict:
        return selectors.report_facts_for(report).as_json()


class ReportIn(Schema):
    period: str = Field("weekly", description=PERIODS)
    period_start: str = Field(
        ...,
        description="Any day of the period, YYYY-MM-DD: the report covers its week "
        "(Monday to Sunday) or its month.",
    )
    title: str = Field("", description="“Week 47, 2026” or “November 2026” when empty.")
    health: Health | None = Field(None, description="What the facts suggest when left out.")
    summary: str = Field("", description="Markdown.")
    next_steps: str = Field("", description="Markdown.")
    concerns: str = Field("", description="Markdown.")


class ReportPatch(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    health: Health | None = None
    summary: str | None = Field(None, description="Markdown.")
    next_steps: str | None = Field(None, description="Markdown.")
    concerns: str | None = Field(None, description="Markdown.")


class PublishIn(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
