"""The risks' section of a status report (core.registry.ReportSection): the open
risks by band and the five highest, for the team (every risk) and for the
client (the client-visible ones only; the portal and the PDF show that
version). Three queries.

The health it suggests: any open critical risk (score 20–25) → red; else any
open high risk (10–16) → amber; else green. Every open risk counts, shared or
not: the suggestion is the manager's to accept or override."""

import datetime as dt
from typing import Any

from django.db.models import Count

from liaison.controls.models import BAND_COLOURS, BANDS, CLOSED_STATUSES, Risk, band_of
from liaison.core.registry import ReportSection
from liaison.core.reporting import AMBER, GREEN, RED, SectionFacts, choice_label
from liaison.projects.models import Project

TOP = 5
ROW = ("key", "title", "score", "status")
DEFAULTS: dict[str, Any] = {
    # open risks per band: {"low": n, "medium": n, "high": n, "critical": n}
    "risks_bands": {},
    "risks_bands_client": {},
    # the highest open risks: key, title, score, status
    "risks_top": [],
    "risks_top_client": [],
}


def risks_health(bands: dict[str, int]) -> str:
    if bands.get("critical"):
        return RED
    if bands.get("high"):
        return AMBER
    return GREEN


def risks_report_facts(
    project: Project, start: dt.date, end: dt.date, moment: dt.datetime
) -> SectionFacts:
    """The register as it stands when the report is made (risks have no period)."""
    open_risks = Risk.objects.filter(project=project).exclude(status__in=CLOSED_STATUSES)
    bands = {name: 0 for name, _low, _high in BANDS}
    client_bands = dict(bands)
    for score, visible, n in (
        open_risks.order_by().values_list("score", "client_visible").annotate(n=Count("pk"))
    ):
        bands[band_of(score)] += n
        if visible:
            client_bands[band_of(score)] += n
    top = list(open_risks.order_by("-score", "-number").values(*ROW)[:TOP])
    top_client = list(
        open_risks.filter(client_visible=True).order_by("-score", "-number").values(*ROW)[:TOP]
    )
    values = {
        "risks_bands": bands,
        "risks_bands_client": client_bands,
        "risks_top": top,
        "risks_top_client": top_client,
    }
    return SectionFacts(values, risks_health(bands))


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "status_label": choice_label(Risk.Status, row["status"]),
            "colour": BAND_COLOURS[band_of(int(row["score"]))],
        }
        for row in rows
    ]


def _bands(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "label": choice_label(Risk.Band, name),
            "colour": BAND_COLOURS[name],
            "count": counts.get(name, 0),
        }
        for name, _low, _high in BANDS
    ]


def display(values: dict[str, Any]) -> dict[str, Any]:
    """Labels and colours in the reader's language."""
    client = values["risks_bands_client"]
    return {
        "risks_top_rows": _rows(values["risks_top"]),
        "risks_top_client_rows": _rows(values["risks_top_client"]),
        "risks_band_rows": _bands(values["risks_bands"]),
        "risks_band_client_rows": _bands(client),
        "risks_open_client": sum(client.values()),
        "risks_severe_client": client.get("high", 0) + client.get("critical", 0),
    }


SECTION = ReportSection(
    "risks",
    order=25,
    facts=risks_report_facts,
    defaults=DEFAULTS,
    display=display,
    stats_order=38,
    stats="controls/_risk_report_stats.html",
    template="controls/_risk_report_section.html",
)
