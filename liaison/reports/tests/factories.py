"""Status reports for tests, in any state, without going through the pages.

make_report(project, manager)                                  # last week's draft
make_report(project, manager, status="published", summary="…") # frozen facts
make_report(project, manager, status="acknowledged", acknowledged_by=client_user)
"""

import datetime as dt

from django.utils import timezone

from liaison.projects.keys import next_number
from liaison.reports.models import StatusReport
from liaison.reports.periods import default_title, period_bounds
from liaison.reports.selectors import report_facts

Status = StatusReport.Status


def last_monday(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today - dt.timedelta(days=today.weekday() + 7)


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
