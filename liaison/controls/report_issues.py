"""Issues' section of a status report, "Problems" (core.registry.ReportSection):
its facts come from controls/selectors/issue_report.py; here is what its
templates draw from them in the reader's language, and the entry
controls/apps.py registers."""

from typing import Any

from liaison.controls.models import Issue
from liaison.controls.selectors.issue_report import DEFAULTS, issues_report_facts
from liaison.core.registry import ReportSection
from liaison.core.reporting import choice_label

SEVERITY_COLOURS = {
    Issue.Severity.CRITICAL: "red",
    Issue.Severity.MAJOR: "amber",
    Issue.Severity.MINOR: "blue",
    Issue.Severity.COSMETIC: "grey",
}


def display(values: dict[str, Any]) -> dict[str, Any]:
    """Each issue's labels and colour; the open counts in the order of severity."""
    return {
        "issues": [
            {
                **row,
                "severity_label": choice_label(Issue.Severity, row["severity"]),
                "status_label": choice_label(Issue.Status, row["status"]),
                "colour": SEVERITY_COLOURS.get(row["severity"], "grey"),
            }
            for row in values["issues"]
        ],
        "issues_open_rows": [
            {"label": label, "count": values["issues_open"].get(value, 0)}
            for value, label in Issue.Severity.choices
        ],
    }


SECTION = ReportSection(
    "issues",
    order=26,  # right after the risks: "risks and problems"
    facts=issues_report_facts,
    defaults=DEFAULTS,
    display=display,
    stats_order=39,
    stats="controls/_issue_report_stats.html",
    template="controls/_issue_report_section.html",
)
