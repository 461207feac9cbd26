"""Communication's section of a status report (core.registry.ReportSection):
its facts come from communication/selectors/report.py; here is what its
templates draw from them in the reader's language, and the entry
communication/apps.py registers."""

from typing import Any

from liaison.communication.models import Kind
from liaison.communication.selectors.report import (
    DATE_KEYS,
    DEFAULTS,
    communication_report_facts,
)
from liaison.core.registry import ReportSection
from liaison.core.reporting import choice_label


def display(values: dict[str, Any]) -> dict[str, Any]:
    """Each interaction's kind label."""
    return {
        "interactions": [
            {**row, "kind_label": choice_label(Kind, row["kind"])} for row in values["interactions"]
        ]
    }


SECTION = ReportSection(
    "communication",
    order=30,
    facts=communication_report_facts,
    defaults=DEFAULTS,
    date_keys=DATE_KEYS,
    display=display,
    stats="communication/_report_stats.html",
    template="communication/_report_section.html",
)
