"""What the dashboard shows a person: their projects and what needs them."""

import datetime
from dataclasses import dataclass
from typing import cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.accounts.models import User
from liaison.collab.models import Notification
from liaison.collab.selectors import INBOX_FIELDS, notification_inbox
from liaison.projects import access
from liaison.projects.models import Membership, Project, ProjectQuerySet

# What the dashboard shows of a project (its lists, home/dashboard.html): fewer
# columns read, converted and, sorted, hashed.
SHOWN = ("code", "name", "status", "start_date", "end_date")


def my_projects(*, user: User) -> QuerySet[Project]:
    """Open projects the user works on, for the dashboard."""
    return (
        _visible_projects(user)
        .active()
        .filter(memberships__user=user)
        .exclude(status__in=[Project.Status.COMPLETED, Project.Status.CANCELLED])
        .select_related("client")
        .only(*SHOWN, "client__name")
        .order_by("end_date", "code")
    )


def _visible_projects(user: User) -> ProjectQuerySet:
    # A ProjectQuerySet, which access.visible_projects() annotates as a plain
    # QuerySet until access.py's rewrite lands (mypy then calls this cast redundant).
    return cast(ProjectQuerySet, access.visible_projects(user))


LISTED = 20  # projects of each kind


@dataclass
class Attention:
    overdue: list[Project]
    ending_soon: list[Project]
    not_started: list[Project]
    notifications: list[Notification]

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.ending_soon or self.not_started or self.notifications)


def needs_attention(*, user: User, soon_days: int = 14) -> Attention:
    """What the user should look at today: projects they manage that are late,
    end soon or should have started (read in one query, sorted into the three
    here), and unread notifications."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=soon_days)
    open_statuses = [Project.Status.ACTIVE, Project.Status.ON_HOLD, Project.Status.PROPOSED]
    managed = list(
        _visible_projects(user)
        .active()
        .filter(memberships__user=user, memberships__role=Membership.Role.MANAGER)
        .filter(
            Q(status__in=open_statuses, end_date__lte=soon)
            | Q(status=Project.Status.PROPOSED, start_date__lt=today)
        )
        .only(*SHOWN)
    )
    overdue: list[Project] = []
    ending_soon: list[Project] = []
    not_started: list[Project] = []
    for project in managed:
        end, start = project.end_date, project.start_date
        if project.status in open_statuses and end is not None and end <= soon:
            (overdue if end < today else ending_soon).append(project)
        if project.status == Project.Status.PROPOSED and start is not None and start < today:
            not_started.append(project)
    return Attention(
        overdue=overdue[:LISTED],
        ending_soon=ending_soon[:LISTED],
        not_started=not_started[:LISTED],
        # With their project, which the card names beside each (one join).
        notifications=list(
            notification_inbox(user=user)
            .filter(read_at__isnull=True)
            .select_related("project")
            .only(*INBOX_FIELDS, "project__code", "project__name")[:5]
        ),
    )
