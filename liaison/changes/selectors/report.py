"""The changes' section of a status report: the client-visible change requests
decided or sent to the client in the period, and how many await the client
(registered in changes/apps.py). Two queries."""

import datetime as dt
from typing import Any

from django.db.models import Q

from liaison.changes.models import ChangeRequest
from liaison.core.reporting import AMBER, GREEN, MAX_LISTED, SectionFacts, within_days
from liaison.projects.models import Project

DECIDED = (
    ChangeRequest.Status.APPROVED,
    ChangeRequest.Status.REJECTED,
    ChangeRequest.Status.IMPLEMENTED,
)
# What the section freezes, and what a report frozen before a value existed reads.
DEFAULTS: dict[str, Any] = {
    # Client-visible change requests decided or sent to the client in the period:
    # key, title, status (the value).
    "changes": [],
    "changes_awaiting": 0,
}


def changes_health(*, changes_awaiting: int) -> str:
    """Amber while changes wait on the client's decision."""
    return AMBER if changes_awaiting else GREEN


def changes_report_facts(
    project: Project, start: dt.date, end: dt.date, moment: dt.datetime
) -> SectionFacts:
    decided = Q(status__in=DECIDED) & within_days("decided_at", start, end)
    rows = (
        ChangeRequest.objects.filter(project=project, client_visible=True)
        .filter(decided | within_days("sent_at", start, end))
        .order_by("number")
        .values("key", "title", "status")[:MAX_LISTED]
    )
    awaiting = ChangeRequest.objects.filter(
        project=project, client_visible=True, status=ChangeRequest.Status.AWAITING_CLIENT
    ).count()
    values = {"changes": [dict(row) for row in rows], "changes_awaiting": awaiting}
    return SectionFacts(values, changes_health(changes_awaiting=awaiting))
