"""A status report as the client reads it: the shared body's context (the page,
the portal and the PDF render the same template) and the PDF itself, made by
WeasyPrint (A4, Chinese fonts embedded, the chart inline as SVG)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from liaison.changes.models import ChangeRequest
from liaison.communication.models import Kind
from liaison.planning.models import Milestone
from liaison.reports.charts import completed_chart_labels, completed_chart_svg
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
CHANGE_COLOURS: dict[str, str] = {
    ChangeRequest.Status.APPROVED: "green",
    ChangeRequest.Status.IMPLEMENTED: "green",
    ChangeRequest.Status.REJECTED: "red",
    ChangeRequest.Status.AWAITING_CLIENT: "amber",
}


def _label(choices, value: str) -> str:
    """A stored value's label in the reader's language (a value a later version
    no longer knows shows as it was stored)."""
    return str(choices(value).label) if value in choices.values else value


def body_context(report: StatusReport, facts: ReportFacts) -> dict:
    """What `reports/_report_body.html` shows: the report, its facts and, as
    `body`, what is drawn from them. The frozen facts keep plain values; their
    labels are put in the reader's language here."""
    return {
        "report": report,
        "facts": facts,
        "suggested_health_label": _label(StatusReport.Health, facts.suggested_health),
        "body": {
            "health_colour": HEALTH_COLOURS.get(report.health, "grey"),
            # The renderer escapes every text it draws.
            "chart_svg": mark_safe(
                completed_chart_svg(facts.weekly_completed, labels=completed_chart_labels())
            ),
            "milestones": [
                {**row, "status_label": _label(Milestone.Status, row["status"])}
                for row in facts.milestones
            ],
            "changes": [
                {
                    **row,
                    "status_label": _label(ChangeRequest.Status, row["status"]),
                    "colour": CHANGE_COLOURS.get(row["status"], "grey"),
                }
                for row in facts.changes
            ],
            "interactions": [
                {**row, "kind_label": _label(Kind, row["kind"])} for row in facts.interactions
            ],
        },
    }


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
