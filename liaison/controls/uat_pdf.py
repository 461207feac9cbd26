"""A UAT round's results as a PDF, the same document for the team and the
client (WeasyPrint, A4, Chinese fonts embedded; only data: resources fetched)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from liaison.controls.models import UatRound


def uat_pdf_bytes(round_: UatRound, *, portal: bool) -> bytes:
    """`round_` as uat_round_get reads it (its `case_rows`); `portal` decides
    which page the printed link points back to."""
    # Imported here: WeasyPrint is slow to import, only PDF makers pay for it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    route = "portal:uat-round" if portal else "controls:uat-round"
    html = render_to_string(
        "controls/uat_pdf.html",
        {
            "round": round_,
            "project": round_.project,
            "cases": round_.case_rows,
            "online_url": settings.SITE_URL
            + reverse(route, args=[round_.project.code, round_.key]),
        },
    )
    # User text could name an image: the PDF must never make the server fetch a URL.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def uat_pdf_response(round_: UatRound, *, portal: bool) -> HttpResponse:
    """The PDF in the reader's language, named like ACME-WMS-UAT-2.pdf."""
    response = HttpResponse(uat_pdf_bytes(round_, portal=portal), content_type="application/pdf")
    filename = f"{round_.project.code}-{round_.key}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
