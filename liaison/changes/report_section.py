"""The changes' section of a status report (core.registry.ReportSection): its
facts come from changes/selectors/report.py; here is what its templates draw from
them in the reader's language, and the entry changes/apps.py registers."""

from typing import Any

from liaison.changes.models import ChangeRequest
from liaison.changes.selectors.report import DEFAULTS, changes_report_facts
from liaison.core.registry import ReportSection
from liaison.core.reporting import choice_label

# A report's badge per status: what the client decided, or is asked to.
COLOURS: dict[str, str] = {
    ChangeRequest.Status.APPROVED: "green",
    ChangeRequest.Status.IMPLEMENTED: "green",
    ChangeRequest.Status.REJECTED: "red",
    ChangeRequest.Status.AWAITING_CLIENT: "amber",
}


def display(values: dict[str, Any]) -> dict[str, Any]:
    """Each change's status label and colour."""
    return {
        "changes": [
            {
                **row,
                "status_label": choice_label(ChangeRequest.Status, row["status"]),
                "colour": COLOURS.get(row["status"], "grey"),
            }
            for row in values["changes"]
        ]
    }


SECTION = ReportSection(
    "changes",
    order=20,
    facts=changes_report_facts,
    defaults=DEFAULTS,
    display=display,
    # Its figure stands after the communication's, its card before.
    stats_order=35,
    stats="changes/_report_stats.html",
    template="changes/_report_section.html",
)
