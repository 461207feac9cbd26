"""Issues' section of a status report ("Problems"): opened and resolved in the
period, open ones by severity, overdue critical ones, and the client-visible
issues worth naming (registered in controls/apps.py). Two queries.

The figures count every issue, as the team's health does; the rows the report
names are only those the client sees, since the report is the client's."""

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from liaison.controls.models import Issue
from liaison.core.reporting import AMBER, GREEN, MAX_LISTED, RED, SectionFacts, within_days
from liaison.projects.models import Project

Severity = Issue.Severity
OPEN = (Issue.Status.OPEN, Issue.Status.IN_PROGRESS)
DEFAULTS: dict[str, Any] = {
    "issues_opened": 0,
    "issues_resolved": 0,
    # Open issues per severity: {"critical": 1, "major": 3, …}.
    "issues_open": {},
    "issues_critical_open": 0,
    "issues_critical_overdue": 0,
    # Client-visible issues opened or resolved in the period, and the open critical
    # ones: key, title, severity, status (the values).
    "issues": [],
}


def issues_health(*, critical_overdue: int, critical_open: int) -> str:
    """Red while a critical issue is past its due date, amber while one is open."""
    if critical_overdue:
        return RED
    return AMBER if critical_open else GREEN


def issues_report_facts(
    project: Project, start: dt.date, end: dt.date, moment: dt.datetime
) -> SectionFacts:
    today = timezone.localdate(moment)
    issues = Issue.objects.filter(project=project)
    is_open = Q(status__in=OPEN)
    critical = Q(severity=Severity.CRITICAL) & is_open
    counts = issues.aggregate(
        opened=Count("id", filter=within_days("created_at", start, end)),
        resolved=Count("id", filter=within_days("resolved_at", start, end)),
        critical_overdue=Count("id", filter=critical & Q(due_date__lt=today)),
        **{value: Count("id", filter=is_open & Q(severity=value)) for value in Severity.values},
    )
    named = (
        within_days("created_at", start, end) | within_days("resolved_at", start, end) | critical
    )
    rows = (
        issues.filter(named, client_visible=True)
        .order_by("number")
        .values("key", "title", "severity", "status")[:MAX_LISTED]
    )
    values = {
        "issues_opened": counts["opened"],
        "issues_resolved": counts["resolved"],
        "issues_open": {value: counts[value] for value in Severity.values},
        "issues_critical_open": counts[Severity.CRITICAL],
        "issues_critical_overdue": counts["critical_overdue"],
        "issues": [dict(row) for row in rows],
    }
    health = issues_health(
        critical_overdue=counts["critical_overdue"], critical_open=counts[Severity.CRITICAL]
    )
    return SectionFacts(values, health)
