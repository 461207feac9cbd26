"""What of the communication log the search finds (core/search.py):
interactions by subject, agenda and minutes; action items by title (on the
project's list for the team, the portal's project page for the client)."""

from django.utils.translation import gettext_lazy as _

from liaison.communication.models import ActionItem, Interaction
from liaison.core.search import RowReading, row_source

SOURCES = (
    row_source(
        "interaction",
        50,
        _("Interactions and minutes"),
        RowReading(
            Interaction,
            url="communication:interaction",
            portal_url="portal:interaction",
            title="subject",
            body=("agenda", "minutes"),
        ),
    ),
    row_source(
        "action_item",
        60,
        _("Action items"),
        RowReading(
            ActionItem,
            url="communication:action-items",
            url_arg=None,
            portal_url="portal:project",
            portal_arg=None,
        ),
    ),
)
