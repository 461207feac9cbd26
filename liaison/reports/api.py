"""API: a project's status reports.

The team's, like every internal operation: client users get 404 (they read and
acknowledge reports in the portal). Managers draft, edit and publish; members
and observers read. A report's facts are live while it is a draft and frozen
once published. Writes go through the same services as the pages.
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from liaison.core.params import iso_date
from liaison.core.schemas import READ, WRITE, Conflict, Page, UserRef, not_null, one_of
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.reports import selectors, services
from liaison.reports.models import StatusReport

router = Router(tags=["reports"])

ReportStatus = one_of(StatusReport.Status)
Health = one_of(StatusReport.Health)
PERIODS = ", ".join(StatusReport.Period.values)


# -- schemas --------------------------------------------------------------------------


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


class InteractionFact(Schema):
    key: str
    kind: str
    title: str
    date: datetime.date


class BaselineFact(Schema):
    number: int
    title: str


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
    changes: list[ChangeFact] = Field(
        ..., description="Client-visible change requests decided or sent to the client."
    )
    changes_awaiting: int = Field(..., description="Change requests awaiting the client.")
    interactions: list[InteractionFact] = Field(
        ..., description="Client-visible interactions of the period (at most 20)."
    )
    action_items_open: int
    action_items_overdue: int
    requirements_confirmed: int
    baselines_signed: list[BaselineFact]
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


# -- helpers ----------------------------------------------------------------------------


def _report(request, code: str, number: int, need: Action = Action.VIEW) -> StatusReport:
    project = access.get_project_for(request.user, code, need=need)
    return selectors.report_get(project=project, audience=TEAM, number=number)


# -- operations -------------------------------------------------------------------------


@router.get(
    "/{code}/reports",
    response={200: list[ReportListItem], **READ},
    summary="A project's status reports, newest period first",
    description="Drafts included: these are the team's operations.",
)
@paginate(Page)
def report_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return selectors.report_list(project=project, audience=TEAM)


@router.post(
    "/{code}/reports",
    response={201: ReportOut, **WRITE},
    summary="Draft a status report (managers)",
    description="One report per period: a second one for the same week or month answers "
    "400 with the code `report_exists`, naming the existing report. A period other than "
    "weekly or monthly, or a day that is not YYYY-MM-DD, answers 400 with its `field`.",
)
def report_create(request, code: str, data: ReportIn):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    fields = data.dict(exclude_unset=True)
    day = iso_date(fields.pop("period_start"))
    if day is None:
        raise InvalidInput(_("Give a day of the period as YYYY-MM-DD."), field="period_start")
    if fields.get("health") is None:
        fields.pop("health", None)
    report = services.report_create(
        project=project,
        by=request.user,
        period=fields.pop("period", StatusReport.Period.WEEKLY),
        period_start=day,
        **fields,
    )
    return Status(201, selectors.report_get(project=project, audience=TEAM, number=report.number))


@router.get(
    "/{code}/reports/{number}",
    response={200: ReportOut, **READ},
    summary="One status report, with its facts",
    description="The facts are those frozen at publication; a draft's are computed now.",
)
def report_detail(request, code: str, number: int):
    return _report(request, code, number)


@router.patch(
    "/{code}/reports/{number}",
    response={200: ReportOut, **WRITE, 409: Conflict},
    summary="Change a draft report (managers; send the version you read)",
    description="Send only the fields to change. A published report stays as the client "
    "read it: 400 with the code `report_published`.",
)
def report_update(request, code: str, number: int, data: ReportPatch):
    report = _report(request, code, number, need=Action.MANAGE)
    fields = not_null(data.dict(exclude_unset=True, exclude={"version"}), nullable=())
    services.report_update(report=report, by=request.user, version=data.version, **fields)
    return selectors.report_get(project=report.project, audience=TEAM, number=number)


@router.post(
    "/{code}/reports/{number}/publish",
    response={200: ReportOut, **WRITE, 409: Conflict},
    summary="Publish a draft report to the client (managers)",
    description="Freezes the period's facts as they are now and asks the client to "
    "acknowledge the report. Needs a summary (400, field `summary`).",
)
def report_publish(request, code: str, number: int, data: PublishIn):
    report = _report(request, code, number, need=Action.MANAGE)
    services.report_publish(report=report, by=request.user, version=data.version)
    return selectors.report_get(project=report.project, audience=TEAM, number=number)
