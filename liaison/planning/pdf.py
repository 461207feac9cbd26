"""A milestone's acceptance record as a PDF, made by WeasyPrint from an HTML
template (A4, Chinese fonts embedded), as the requirement baselines are.

The team's copy shows the address each decision came from; the client's copy
leaves every internal detail out."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from liaison.planning.models import Milestone
from liaison.planning.selectors.milestones import milestone_reviews
from liaison.projects.access import Audience

STATUS_COLOURS: dict[str, str] = {
    Milestone.Status.PLANNED: "grey",
    Milestone.Status.IN_PROGRESS: "blue",
    Milestone.Status.SUBMITTED: "amber",
    Milestone.Status.ACCEPTED: "green",
    Milestone.Status.REJECTED: "red",
}


def milestone_pdf_html(milestone: Milestone, *, audience: Audience) -> str:
    route = "planning:milestone" if audience.internal else "portal:milestone"
    return render_to_string(
        "planning/milestone_pdf.html",
        {
            "project": milestone.project,
            "milestone": milestone,
            "status_colour": STATUS_COLOURS.get(milestone.status, "grey"),
            "reviews": list(milestone_reviews(milestone=milestone)),
            # The IP address a decision came from is evidence for the team only.
            "show_ip": audience.internal,
            "online_url": settings.SITE_URL
            + reverse(route, args=[milestone.project.code, milestone.key]),
        },
    )


def milestone_pdf_bytes(milestone: Milestone, *, audience: Audience) -> bytes:
    # Imported here: WeasyPrint is slow to import, only PDF makers pay for it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = milestone_pdf_html(milestone, audience=audience)
    # User text can hold markdown images: the PDF must never make the server
    # fetch a URL (SSRF), so only inline data: resources are allowed.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def milestone_pdf_response(milestone: Milestone, *, audience: Audience) -> HttpResponse:
    """The PDF as a download named like ACME-M-2-acceptance.pdf."""
    response = HttpResponse(milestone_pdf_bytes(milestone, audience=audience), "application/pdf")
    filename = f"{milestone.project.code}-{milestone.key}-acceptance.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
