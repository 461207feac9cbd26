"""Earned value's section of a status report (core.registry.ReportSection):
"Cost and schedule performance", the project's figures at the period's end
(or now, for the current period), frozen as text when the report is published.
Five queries.

The health it suggests, the rule shown with it: CPI or SPI below 0.9 → amber,
below 0.8 → red, else green (no budget or baseline yet: green). The client's
version (the portal, the PDF) shows the section only when the manager shares
the budget's summary with the client; the suggested health counts either way,
as every section's does: it is the manager's to accept."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from liaison.core.registry import ReportSection
from liaison.core.reporting import SectionFacts
from liaison.finance.earned_value import Figures
from liaison.finance.selectors.value import figures_json, value_summary
from liaison.finance.value_charts import money
from liaison.finance.value_text import HEALTH_RULE, figure_rows
from liaison.projects.models import Project

DEFAULTS: dict[str, Any] = {
    "value_has_budget": False,
    "value_shared": False,  # the budget's summary was shared with the client
    "value_currency": "",
    "value_day": None,  # the figures' day, an ISO date once frozen
    "value_agreed": None,  # the agreed total, as text
    # bac, pv, ev, ac, sv, cv, spi, cpi, eac, etc, vac: as text (None: not known)
    "value_figures": {},
    "value_health": "green",
}


def value_report_facts(
    project: Project, start: dt.date, end: dt.date, moment: dt.datetime
) -> SectionFacts:
    day = min(end, timezone.localdate(moment))
    value = value_summary(project=project, today=day)
    values = {
        "value_has_budget": value.has_budget,
        "value_shared": value.shared,
        "value_currency": value.currency,
        "value_day": day.isoformat(),
        "value_agreed": str(value.budget),
        "value_figures": figures_json(value.figures) if value.has_budget else {},
        "value_health": value.health,
    }
    return SectionFacts(values, value.health)


def display(values: dict[str, Any]) -> dict[str, Any]:
    """The frozen figures as the page's rows, in the reader's language."""
    frozen = values["value_figures"]
    if not frozen:
        return {"value_rows": [], "value_health_rule": HEALTH_RULE}
    figures = Figures(*(Decimal(frozen[name]) for name in ("bac", "pv", "ev", "ac")))
    agreed = Decimal(values["value_agreed"] or "0")
    rows = figure_rows(figures, currency=values["value_currency"], agreed=agreed)
    return {
        "value_rows": rows,
        "value_agreed_text": money(agreed),
        "value_health_rule": HEALTH_RULE,
    }


SECTION = ReportSection(
    "value",
    order=15,  # after the plan's progress: the cost and schedule of the same work
    facts=value_report_facts,
    defaults=DEFAULTS,
    display=display,
    template="finance/_value_report_section.html",
)
