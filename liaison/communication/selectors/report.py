"""Communication's section of a status report: the client-visible interactions
of the period and the open action items (registered in communication/apps.py).
Two queries."""

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from liaison.communication.models import ActionItem, Interaction
from liaison.core.reporting import MAX_LISTED, SectionFacts, within_days
from liaison.projects.models import Project

# What the section freezes, and what a report frozen before a value existed reads.
DEFAULTS: dict[str, Any] = {
    # Client-visible interactions of the period: key, kind (the value), title, date.
    "interactions": [],
    "action_items_open": 0,
    "action_items_overdue": 0,
}
DATE_KEYS = {"interactions": ("date",)}


def communication_report_facts(
    project: Project, start: dt.date, end: dt.date, moment: dt.datetime
) -> SectionFacts:
    """Overdue as of `moment`; the section suggests no health of its own."""
    rows = (
        Interaction.objects.filter(project=project, client_visible=True)
        .filter(within_days("occurred_at", start, end))
        .order_by("occurred_at", "id")
        .values_list("key", "kind", "subject", "occurred_at")[:MAX_LISTED]
    )
    open_items = Q(status=ActionItem.Status.OPEN)
    items = ActionItem.objects.filter(project=project, client_visible=True).aggregate(
        open=Count("pk", filter=open_items),
        overdue=Count("pk", filter=open_items & Q(due_date__lt=timezone.localdate(moment))),
    )
    values = {
        "interactions": [
            {"key": key, "kind": kind, "title": subject, "date": timezone.localdate(when)}
            for key, kind, subject, when in rows
        ],
        "action_items_open": items["open"],
        "action_items_overdue": items["overdue"],
    }
    return SectionFacts(values)
