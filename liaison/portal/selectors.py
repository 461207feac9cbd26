"""What the portal's own overview reads besides the features' cards: what
changed since the client's last visit and who is on the team."""

import datetime as dt

from django.db.models import QuerySet

from liaison.core.models import Activity
from liaison.projects.access import INTERNAL_ROLES
from liaison.projects.models import Membership, Project

CHANGES_LISTED = 15
ACTIVITY_ROW = ("verb", "target_type", "target_label", "diff", "created_at", "actor")


def changes_since(*, project: Project, since: dt.datetime | None) -> list[Activity]:
    """The client-visible activity after `since` (never the team's internal
    work), newest first, at most CHANGES_LISTED (one query); none on a first visit."""
    if since is None:
        return []
    rows = (
        Activity.objects.filter(project=project, client_visible=True, created_at__gt=since)
        .select_related("actor")
        .only(*ACTIVITY_ROW, "actor__display_name", "actor__email")
        .order_by("-created_at", "-id")
    )
    return list(rows[:CHANGES_LISTED])


def team_contacts(*, project: Project) -> QuerySet[Membership]:
    """The project's team as the client reaches them: name, role, e-mail; the
    manager first, active people only (one query)."""
    return (
        Membership.objects.filter(project=project, role__in=INTERNAL_ROLES, user__is_active=True)
        .select_related("user")
        .only("role", "user__display_name", "user__email")
        .order_by("role", "user__display_name")
    )
