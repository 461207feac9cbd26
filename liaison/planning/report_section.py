"""The plan's section of a status report (core.registry.ReportSection): its
facts come from planning/selectors/report.py; here is what its templates draw
from them in the reader's language, and the entry planning/apps.py registers."""

from typing import Any

from django.utils.safestring import mark_safe

from liaison.core.registry import ReportSection
from liaison.core.reporting import choice_label
from liaison.planning.models import Milestone
from liaison.planning.report_chart import completed_chart_labels, completed_chart_svg
from liaison.planning.selectors.report import DATE_KEYS, DEFAULTS, plan_report_facts


def display(values: dict[str, Any]) -> dict[str, Any]:
    """The chart of the weeks, and each milestone's status label."""
    return {
        # The renderer escapes every text it draws.
        "chart_svg": mark_safe(
            completed_chart_svg(values["weekly_completed"], labels=completed_chart_labels())
        ),
        "milestones": [
            {**row, "status_label": choice_label(Milestone.Status, row["status"])}
            for row in values["milestones"]
        ],
    }


SECTION = ReportSection(
    "plan",
    order=10,
    facts=plan_report_facts,
    defaults=DEFAULTS,
    date_keys=DATE_KEYS,
    display=display,
    stats="planning/_report_stats.html",
    chart="planning/_report_chart.html",
    template="planning/_report_section.html",
)
