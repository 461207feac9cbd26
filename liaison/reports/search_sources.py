"""What of status reports the search finds (core/search.py): title, summary,
next steps and concerns; the client finds published ones only."""

from django.utils.translation import gettext_lazy as _

from liaison.core.search import RowReading, row_source
from liaison.reports.models import StatusReport


def _published(report: StatusReport) -> bool:
    return report.status != StatusReport.Status.DRAFT


SOURCES = (
    row_source(
        "report",
        70,
        _("Status reports"),
        RowReading(
            StatusReport,
            url="reports:detail",
            url_arg="number",
            portal_url="portal:report",
            portal_arg="number",
            body=("summary", "next_steps", "concerns"),
            fields=("number", "status"),
            visible=_published,
        ),
    ),
)
