"""Quality's section of a status report (core.registry.ReportSection): the
checks of the period and their results, and the last acceptance-test round's
counts. The team's version lists every check, the client's (the portal, the
PDF) only those the team shares; the rounds are the client's own. Four queries.

The health it suggests: amber when a check of the period failed, or when a
case the client failed in an acceptance test has no resolved defect yet; else
green. Every check counts, shared or not: the suggestion is the manager's to
accept or override."""

import datetime as dt
from typing import Any

from django.db.models import Q

from liaison.controls.models import (
    RESULT_COLOURS,
    Issue,
    QualityCheck,
    UatCase,
    UatRound,
)
from liaison.core.registry import ReportSection
from liaison.core.reporting import AMBER, GREEN, MAX_LISTED, SectionFacts, choice_label
from liaison.projects.models import Project

CHECK_ROW = ("number", "kind", "result", "checked_on", "client_visible")
UNRESOLVED = (Issue.Status.OPEN, Issue.Status.IN_PROGRESS)
DEFAULTS: dict[str, Any] = {
    # the period's checks: number, kind, result, checked_on, client_visible
    "quality_checks": [],
    # the last closed round: {"number", "milestone", "passed", "failed"} or {}
    "quality_uat": {},
    # failed cases whose defect is not resolved yet (every closed round)
    "quality_uat_unresolved": 0,
}


def quality_report_facts(
    project: Project, start: dt.date, end: dt.date, moment: dt.datetime
) -> SectionFacts:
    checks = list(
        QualityCheck.objects.filter(project=project, checked_on__range=(start, end))
        .order_by("-checked_on", "-number")
        .values(*CHECK_ROW)[:MAX_LISTED]
    )
    last = (
        UatRound.objects.filter(
            project=project, status=UatRound.Status.CLOSED, submitted_at__lte=moment
        )
        .order_by("-number")
        .values("number", "milestone__name", "passed_count", "failed_count")
        .first()
    )
    unresolved = (
        UatCase.objects.filter(
            round__project=project,
            round__status=UatRound.Status.CLOSED,
            result=UatCase.Result.FAILED,
        )
        .filter(Q(issue__isnull=True) | Q(issue__status__in=UNRESOLVED))
        .count()
    )
    values = {
        "quality_checks": checks,
        "quality_uat": (
            {
                "number": last["number"],
                "milestone": last["milestone__name"],
                "passed": last["passed_count"],
                "failed": last["failed_count"],
            }
            if last
            else {}
        ),
        "quality_uat_unresolved": unresolved,
    }
    failed = any(row["result"] == QualityCheck.Result.FAIL for row in checks)
    return SectionFacts(values, AMBER if failed or unresolved else GREEN)


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "key": f"QC-{row['number']}",
            "kind_label": choice_label(QualityCheck.Kind, row["kind"]),
            "result_label": choice_label(QualityCheck.Result, row["result"]),
            "colour": RESULT_COLOURS.get(row["result"], "grey"),
        }
        for row in rows
    ]


def display(values: dict[str, Any]) -> dict[str, Any]:
    """Labels and colours in the reader's language; the client's checks apart."""
    rows = _rows(values["quality_checks"])
    return {
        "quality_check_rows": rows,
        "quality_check_client_rows": [row for row in rows if row.get("client_visible")],
    }


SECTION = ReportSection(
    "quality",
    order=27,  # after the risks and problems
    facts=quality_report_facts,
    defaults=DEFAULTS,
    date_keys={"quality_checks": ("checked_on",)},
    display=display,
    stats_order=40,
    stats="controls/_quality_report_stats.html",
    template="controls/_quality_report_section.html",
)
