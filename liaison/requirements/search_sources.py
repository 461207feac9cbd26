"""What of requirements the search finds (core/search.py): each requirement by
its key, title and description."""

from django.utils.translation import gettext_lazy as _

from liaison.core.search import RowReading, row_source
from liaison.requirements.models import Requirement

SOURCES = (
    row_source(
        "requirement",
        10,
        _("Requirements"),
        RowReading(
            Requirement, url="requirements:detail", portal_url="portal:requirement", body=("body",)
        ),
    ),
)
