"""API: a project's status reports.

The team's, like every internal operation: client users get 404 (they read and
acknowledge reports in the portal). Managers draft, edit and publish; members
and observers read. A report's facts are live while it is a draft and frozen
once published. Writes go through the same services as the pages.
"""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from liaison.core.params import iso_date
from liaison.core.schemas import READ, WRITE, Conflict, Page, not_null
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.reports import selectors, services
from liaison.reports.models import StatusReport
from liaison.reports.schemas import PublishIn, ReportIn, ReportListItem, ReportOut, ReportPatch

router = Router(tags=["reports"])


# -- helpers ----------------------------------------------------------------------------


def _report(request, code: str, number: int, need: Action = Action.VIEW) -> StatusReport:
    project = access.get_project_for(request.user, code, need=need)
    return selectors.report_get(project=project, audience=TEAM, number=number)


# -- operations -------------------------------------------------------------------------


@router.get(
    "/projects/{code}/reports",
    response={200: list[ReportListItem], **READ},
    summary="A project's status reports, newest period first",
    description="Drafts included: these are the team's operations.",
)
@paginate(Page)
def report_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return selectors.report_list(project=project, audience=TEAM)


@router.post(
    "/projects/{code}/reports",
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
    "/projects/{code}/reports/{number}",
    response={200: ReportOut, **READ},
    summary="One status report, with its facts",
    description="The facts are those frozen at publication; a draft's are computed now.",
)
def report_detail(request, code: str, number: int):
    return _report(request, code, number)


@router.patch(
    "/projects/{code}/reports/{number}",
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
    "/projects/{code}/reports/{number}/publish",
    response={200: ReportOut, **WRITE, 409: Conflict},
    summary="Publish a draft report to the client (managers)",
    description="Freezes the period's facts as they are now and asks the client to "
    "acknowledge the report. Needs a summary (400, field `summary`).",
)
def report_publish(request, code: str, number: int, data: PublishIn):
    report = _report(request, code, number, need=Action.MANAGE)
    services.report_publish(report=report, by=request.user, version=data.version)
    return selectors.report_get(project=report.project, audience=TEAM, number=number)
