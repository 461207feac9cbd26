"""What of issues the search finds (core/search.py): key, title, description
and the steps to reproduce."""

from django.utils.translation import gettext_lazy as _

from liaison.controls.models import Issue
from liaison.core.search import RowReading, row_source

SOURCES = (
    row_source(
        "issue",
        90,
        _("Issues"),
        RowReading(
            Issue, url="controls:issue", portal_url="portal:issue", body=("description", "steps")
        ),
    ),
)
