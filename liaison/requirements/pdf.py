"""A baseline as a PDF: the same document for the team and for the client,
made by WeasyPrint from an HTML template (A4, Chinese fonts embedded)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from liaison.projects.access import Audience
from liaison.requirements.models import Baseline
from liaison.requirements.rules import SIGN_STATEMENT
from liaison.requirements.selectors import frozen_requirements


def baseline_pdf_bytes(baseline: Baseline, *, audience: Audience) -> bytes:
    """The audience only decides which page the printed link points back to:
    the team's page or the client's portal page."""
    # Imported here: WeasyPrint takes about two seconds to import (pango, its
    # stylesheets), which only the processes that make a PDF should pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    route = "requirements:baseline" if audience.internal else "portal:baseline"
    html = render_to_string(
        "requirements/baseline_pdf.html",
        {
            "baseline": baseline,
            "frozen_project": baseline.content["project"],
            "requirements": frozen_requirements(baseline),
            "sign_statement": SIGN_STATEMENT,
            "online_url": settings.SITE_URL
            + reverse(route, args=[baseline.project.code, baseline.number]),
        },
    )
    # User text can hold markdown images: the PDF must never make the server
    # fetch a URL (SSRF), so only inline data: resources are allowed.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def baseline_pdf_response(baseline: Baseline, *, audience: Audience) -> HttpResponse:
    """The PDF as a download named like ACME-WMS-baseline-2.pdf."""
    response = HttpResponse(baseline_pdf_bytes(baseline, audience=audience), "application/pdf")
    filename = f"{baseline.project.code}-baseline-{baseline.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
