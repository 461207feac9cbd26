"""The bench project's weekly status reports: a year of published ones, each
with the facts of its week frozen as publication froze them, and last week's
draft, whose page computes its facts live (the report scenarios)."""

import datetime

from django.utils import timezone

from liaison.projects.models import KeyCounter, Project
from liaison.reports.models import StatusReport
from liaison.reports.periods import default_title, period_bounds
from liaison.reports.selectors import report_facts

SUMMARIES = [
    "Receiving and put-away passed the client's acceptance tests; picking is on plan.",
    "The ERP interface slipped two days while the client's IT renewed a certificate.",
    "Peak-season rehearsal done: 4,000 orders an hour with no manual step.",
    "上线准备进展顺利，剩余两个接口将在下周完成联调。",
]
NEXT_STEPS = "- Finish the label printing\n- Run the cycle-count rehearsal with the client"
CONCERNS = "We need the client's test data for the returns flow by Friday."


def build_reports(bench: Project, client_id: int, weeks: int, today) -> dict[str, int]:
    """RPT-1…RPT-n: the last `weeks` weeks up to last week; all but the last
    published (most acknowledged), the last one a draft."""
    if weeks == 0:
        return {}
    last_monday, _sunday = period_bounds(StatusReport.Period.WEEKLY, today - datetime.timedelta(7))
    now = timezone.now()
    rows = []
    for n in range(1, weeks + 1):
        start = last_monday - datetime.timedelta(weeks=weeks - n)
        end = start + datetime.timedelta(days=6)
        facts = report_facts(project=bench, start=start, end=end)
        draft = n == weeks
        published_at = datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time(9), tzinfo=datetime.UTC
        )
        rows.append(
            StatusReport(
                project=bench,
                number=n,
                period=StatusReport.Period.WEEKLY,
                period_start=start,
                period_end=end,
                title=str(default_title(StatusReport.Period.WEEKLY, start, end)),
                status=StatusReport.Status.DRAFT
                if draft
                else StatusReport.Status.ACKNOWLEDGED
                if n < weeks - 2
                else StatusReport.Status.PUBLISHED,
                health=facts.suggested_health,
                summary=SUMMARIES[n % len(SUMMARIES)],
                next_steps=NEXT_STEPS,
                concerns=CONCERNS if n % 3 == 0 else "",
                data={} if draft else facts.as_json(),
                published_by_id=None if draft else bench.manager_id,
                published_at=None if draft else min(published_at, now),
                acknowledged_by_id=client_id if n < weeks - 2 else None,
                acknowledged_at=min(published_at + datetime.timedelta(hours=5), now)
                if n < weeks - 2
                else None,
            )
        )
    StatusReport.objects.bulk_create(rows)
    KeyCounter.objects.create(project=bench, prefix="RPT", last=weeks)
    return {"status reports": weeks}
