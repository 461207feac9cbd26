"""Status reports for tests.

make_report writes one in any state without going through the services (no
audit trail, no mail); published_report goes through them, as the team does.

make_report(project, manager)                                  # last week's draft
make_report(project, manager, status="published", summary="…") # frozen facts
make_report(project, manager, status="acknowledged", acknowledged_by=client_user)
published_report(project)                                      # the client asked to acknowledge
"""

import datetime as dt

from django.utils import timezone

from conftest import TODAY
from liaison.projects.keys import next_number
from liaison.reports.models import StatusReport
from liaison.reports.periods import default_title, period_bounds
from liaison.reports.selectors import report_facts
from liaison.reports.services import report_create, report_publish, report_update

Status = StatusReport.Status


def last_monday() -> dt.date:
    """The Monday of the week before the pinned TODAY."""
    return TODAY - dt.timedelta(days=TODAY.weekday() + 7)


def make_report(project, by, **fields) -> StatusReport:
    """A report of `project` written by `by`. Published and acknowledged reports
    carry their frozen facts (computed now from the project's data)."""
    period = fields.pop("period", StatusReport.Period.WEEKLY)
    start, end = period_bounds(period, fields.pop("period_start", None) or last_monday())
    status = fields.pop("status", Status.DRAFT)
    now = timezone.now()
    report = StatusReport(
        project=project,
        number=next_number(project=project, prefix="RPT"),
        period=period,
        period_start=start,
        period_end=end,
        title=fields.pop("title", "") or str(default_title(period, start, end)),
        status=status,
    )
    if status != Status.DRAFT:
        report.summary = "Everything went to plan."
        report.data = report_facts(project=project, start=start, end=end).as_json()
        report.published_by, report.published_at = by, now
    if status == Status.ACKNOWLEDGED:
        report.acknowledged_at = now
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    return report


def published_report(project, *, by=None, summary: str = "On track.") -> StatusReport:
    """Last week's report written and published by `by` (the manager unless
    given) through the services: the client is asked to acknowledge it."""
    by = by or project.manager
    report = report_create(
        project=project, by=by, period=StatusReport.Period.WEEKLY, period_start=last_monday()
    )
    report = report_update(report=report, by=by, version=report.version, summary=summary)
    return report_publish(report=report, by=by, version=report.version)
