"""The access matrix's rows for status reports: the team's pages, the portal's
and the API (liaison/tests/access_matrix.py has the framework)."""

import datetime as dt
from dataclasses import dataclass

from conftest import NOW
from liaison.projects.models import KeyCounter
from liaison.reports.models import StatusReport
from liaison.tests.access_matrix import (
    API_MANAGE,
    API_VIEW,
    CODE,
    PORTAL,
    PROJECTS,
    TEAM_COMMENT,
    TEAM_MANAGE,
    TEAM_VIEW,
    P,
    World,
    endpoint,
    page,
    picks,
)


@dataclass
class Reports:
    """Report 1 published, report 2 a draft."""

    published: StatusReport
    draft: StatusReport


def populate(world: World, side: str) -> Reports:
    """Rows made directly: the matrix tests access."""
    project = world.projects[side]
    week = {"period": StatusReport.Period.WEEKLY}
    published = StatusReport.objects.create(
        project=project,
        number=1,
        period_start=dt.date(2026, 11, 2),
        period_end=dt.date(2026, 11, 8),
        title="Week 45",
        status=StatusReport.Status.PUBLISHED,
        summary="On track.",
        published_by=project.manager,
        published_at=NOW,
        **week,
    )
    draft = StatusReport.objects.create(
        project=project,
        number=2,
        period_start=dt.date(2026, 11, 9),
        period_end=dt.date(2026, 11, 15),
        title="Week 46",
        summary="Picking is late.",
        **week,
    )
    KeyCounter.objects.create(project=project, prefix="RPT", last=2)
    return Reports(published, draft)


reports = picks("reports")
DRAFT_REPORT_VERSION = reports(lambda r: r.draft.version)
PUBLISHED_REPORT_VERSION = reports(lambda r: r.published.version)

PUBLISHED_REPORT = {"code": CODE, "number": 1}
DRAFT_REPORT = {"code": CODE, "number": 2}
REPORTS = PROJECTS + "/{code}/reports"

PAGES = [
    page("reports:list", "GET", TEAM_VIEW, kwargs=P),
    page("reports:create", "GET", TEAM_MANAGE, kwargs=P),
    page("reports:create", "POST", TEAM_MANAGE, kwargs=P, data={}, case="empty form"),
    page("reports:detail", "GET", TEAM_VIEW, kwargs=DRAFT_REPORT),
    page("reports:edit", "GET", TEAM_MANAGE, kwargs=DRAFT_REPORT),
    page(
        "reports:edit",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=DRAFT_REPORT,
        data={
            "title": "Week 46",
            "health": "amber",
            "summary": "Picking is late.",
            "version": DRAFT_REPORT_VERSION,
        },
    ),
    page(
        "reports:publish",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=DRAFT_REPORT,
        data={"version": DRAFT_REPORT_VERSION},
    ),
    page("reports:delete", "POST", TEAM_MANAGE, 302, kwargs=DRAFT_REPORT),
    page("reports:pdf", "GET", TEAM_VIEW, kwargs=PUBLISHED_REPORT),
    page(
        "reports:comment", "POST", TEAM_COMMENT, 302, kwargs=PUBLISHED_REPORT, data={"body": "OK"}
    ),
    # -- the portal ------------------------------------------------------------------
    page("portal:reports", "GET", PORTAL, kwargs=P),
    page("portal:report", "GET", PORTAL, kwargs=PUBLISHED_REPORT),
    page(
        "portal:report-acknowledge",
        "POST",
        PORTAL,
        302,
        kwargs=PUBLISHED_REPORT,
        data={"comment": "Thanks", "version": PUBLISHED_REPORT_VERSION},
    ),
    page("portal:report-pdf", "GET", PORTAL, kwargs=PUBLISHED_REPORT),
    page(
        "portal:report-comment", "POST", PORTAL, 302, kwargs=PUBLISHED_REPORT, data={"body": "Hi"}
    ),
]

ENDPOINTS = [
    endpoint("GET", REPORTS, API_VIEW, params=P),
    endpoint(
        "POST",
        REPORTS,
        API_MANAGE,
        201,
        params=P,
        data={"period": "weekly", "period_start": "2027-01-04"},
    ),
    endpoint("GET", REPORTS + "/{number}", API_VIEW, params=PUBLISHED_REPORT),
    endpoint(
        "PATCH",
        REPORTS + "/{number}",
        API_MANAGE,
        params=DRAFT_REPORT,
        data={"version": DRAFT_REPORT_VERSION, "summary": "Better"},
    ),
    endpoint(
        "POST",
        REPORTS + "/{number}/publish",
        API_MANAGE,
        params=DRAFT_REPORT,
        data={"version": DRAFT_REPORT_VERSION},
    ),
]
