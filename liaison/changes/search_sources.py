"""What of change requests the search finds (core/search.py): key, title, what
changes and why."""

from django.utils.translation import gettext_lazy as _

from liaison.changes.models import ChangeRequest
from liaison.core.search import RowReading, row_source

SOURCES = (
    row_source(
        "change",
        40,
        _("Change requests"),
        RowReading(
            ChangeRequest,
            url="changes:detail",
            portal_url="portal:change",
            body=("description", "reason"),
        ),
    ),
)
