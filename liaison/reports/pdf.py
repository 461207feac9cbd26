"""A status report as the client reads it: the shared body's context (the page,
the portal and the PDF render the same template) and the PDF itself, made by
WeasyPrint (A4, Chinese fonts embedded, charts inline as SVG)."""

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from liaison.core.registry import ReportSection
from liaison.core.reporting import choice_label
from liaison.reports.models import StatusReport
from liaison.reports.selectors import ReportFacts, report_facts_for

HEALTH_COLOURS: dict[str, str] = {
    StatusReport.Health.GREEN: "green",
    StatusReport.Health.AMBER: "amber",
    StatusReport.Health.RED: "red",
}
STATUS_COLOURS: dict[str, str] = {
    StatusReport.Status.DRAFT: "grey",
    StatusReport.Status.PUBLISHED: "amber",
    StatusReport.Status.ACKNOWLEDGED: "green",
}


def body_context(report: StatusReport, facts: ReportFacts) -> dict[str, Any]:
    """What `reports/_report_body.html` shows: the report, its facts and, as
    `body`, its health's colour and the templates of the sections the report
    holds (core.registry.ReportSection), each with its `facts`: the section's
    values and what its `display` draws from them in the reader's language
    (frozen facts keep plain values)."""
    parts = [(section, _shown(facts, section)) for section in facts.shown_sections()]
    return {
        "report": report,
        "facts": facts,
        "suggested_health_label": choice_label(StatusReport.Health, facts.suggested_health),
        "body": {
            "health_colour": HEALTH_COLOURS.get(report.health, "grey"),
            "stats": [
                {"template": section.stats, "facts": shown}
                for section, shown in sorted(parts, key=_stats_place)
                if section.stats
            ],
            "charts": [
                {"template": section.chart, "facts": shown}
                for section, shown in parts
                if section.chart
            ],
            "sections": [
                {"template": section.template, "facts": shown}
                for section, shown in parts
                if section.template
            ],
        },
    }


def _shown(facts: ReportFacts, section: ReportSection) -> dict[str, Any]:
    values = facts.section_values(section)
    return {**values, **(section.display(values) if section.display else {})}


def _stats_place(part: tuple[ReportSection, dict[str, Any]]) -> int:
    section = part[0]
    return section.order if section.stats_order is None else section.stats_order


def report_pdf_html(report: StatusReport, facts: ReportFacts, *, portal: bool) -> str:
    route = "portal:report" if portal else "reports:detail"
    return render_to_string(
        "reports/report_pdf.html",
        {
            **body_context(report, facts),
            "project": report.project,
            "online_url": settings.SITE_URL
            + reverse(route, args=[report.project.code, report.number]),
        },
    )


def report_pdf(report: StatusReport, *, language: str, portal: bool = False) -> bytes:
    """The report in `language`. Drafts print with their live figures and say so;
    the client only ever reaches published ones."""
    # Imported here: WeasyPrint is slow to import, only PDF makers pay for it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override(language):
        html = report_pdf_html(report, report_facts_for(report), portal=portal)
    # User text can hold markdown images: the PDF must never make the server
    # fetch a URL (SSRF), so only inline data: resources are allowed.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def report_pdf_response(report: StatusReport, *, portal: bool) -> HttpResponse:
    """The PDF in the reader's language (the active one: their setting, else
    their browser's), as a download named like ACME-RPT-4.pdf."""
    content = report_pdf(report, language=translation.get_language(), portal=portal)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{report.project.code}-{report.key}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
