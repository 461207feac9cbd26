"""What of the plan the search finds (core/search.py): milestones and tasks by
key, name and description. The client finds a task on the portal's timeline."""

from django.utils.translation import gettext_lazy as _

from liaison.core.search import RowReading, row_source
from liaison.planning.models import Milestone, Task

SOURCES = (
    row_source(
        "milestone",
        20,
        _("Milestones"),
        RowReading(
            Milestone,
            url="planning:milestone",
            portal_url="portal:milestone",
            title="name",
            body=("description",),
        ),
    ),
    row_source(
        "task",
        30,
        _("Tasks"),
        RowReading(
            Task,
            url="planning:task",
            portal_url="portal:timeline",
            portal_arg=None,
            body=("description",),
        ),
    ),
)
