"""What a person's calendar feed holds, as plain events.

The feed is assembled from sources: each is a function that reads one kind of
dated thing (milestones, tasks; later meetings and action items) for the feed's
owner and turns it into `FeedEvent`s. Staff and client users have their own list
of sources; to add one, write a function with the `FeedSource` signature and put
it in the lists at the bottom. Each source runs one query and gets what is left
of the event budget, so the whole feed is a fixed number of queries and at most
`MAX_EVENTS` events.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts import access
from liaison.accounts.models import User
from liaison.planning.models import Milestone, Task
from liaison.projects.models import Project

MAX_EVENTS = 2000
HISTORY_DAYS = 60  # events that ended longer ago than this are left out
DESCRIPTION_CHARS = 1000


@dataclass(frozen=True)
class FeedEvent:
    """One all-day event: `start` to `end`, both days included."""

    uid: str  # stable across refreshes, so calendar apps update rather than duplicate
    summary: str
    start: dt.date
    end: dt.date
    url: str
    description: str
    modified: dt.datetime


@dataclass(frozen=True)
class FeedScope:
    """Whose feed, and what it may reach."""

    user: User
    projects: QuerySet[Project]  # the projects the user may see (a subquery, not a list)
    since: dt.date


FeedSource = Callable[[FeedScope, int], list[FeedEvent]]


def _absolute(url: str) -> str:
    return settings.SITE_URL + url


def _clip(text: str) -> str:
    text = (text or "").strip()
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1] + "…"


def _description(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


# -- sources --------------------------------------------------------------------


def _milestone_rows(scope: FeedScope, limit: int) -> list[Milestone]:
    return list(
        Milestone.objects.filter(project__in=scope.projects, due_date__gte=scope.since)
        .select_related("project")
        .order_by("due_date", "id")[:limit]
    )


def _milestone_event(milestone: Milestone, url: str) -> FeedEvent:
    project = milestone.project
    return FeedEvent(
        uid=f"milestone-{milestone.pk}@liaison",
        summary=f"{project.code} {milestone.key} {milestone.name}",
        start=milestone.due_date,
        end=milestone.due_date,
        url=url,
        description=_description(
            f"{project.code} · {project.name}",
            _("Milestone: %(status)s") % {"status": milestone.get_status_display()},
            _clip(milestone.description),
            url,
        ),
        modified=milestone.updated_at,
    )


def milestone_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The team's view: every milestone of the projects the user works on."""
    return [
        _milestone_event(
            milestone,
            _absolute(reverse("planning:milestone", args=[milestone.project.code, milestone.key])),
        )
        for milestone in _milestone_rows(scope, limit)
    ]


def client_milestone_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The client's view: the milestones shown in the portal, linked to the portal."""
    rows = (
        Milestone.objects.for_audience(access.CLIENT)
        .filter(project__in=scope.projects, due_date__gte=scope.since)
        .select_related("project")
        .order_by("due_date", "id")[:limit]
    )
    return [
        _milestone_event(
            milestone,
            _absolute(reverse("portal:milestone", args=[milestone.project.code, milestone.key])),
        )
        for milestone in rows
    ]


def task_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The open tasks assigned to the user that have a due date (the start, when
    missing, is the due date), by due date."""
    rows = (
        Task.objects.filter(
            project__in=scope.projects,
            assignee=scope.user,
            due_date__isnull=False,
            due_date__gte=scope.since,
        )
        .exclude(status=Task.Status.DONE)
        .select_related("project")
        .order_by("due_date", "number", "id")[:limit]
    )
    events = []
    for task in rows:
        project = task.project
        url = _absolute(reverse("planning:task", args=[project.code, task.key]))
        start = task.start_date if task.start_date and task.start_date <= task.due_date else None
        events.append(
            FeedEvent(
                uid=f"task-{task.pk}@liaison",
                summary=f"{project.code} {task.key} {task.title}",
                start=start or task.due_date,
                end=task.due_date,
                url=url,
                description=_description(
                    f"{project.code} · {project.name}",
                    _("Task: %(status)s, %(progress)s%% done")
                    % {"status": task.get_status_display(), "progress": task.progress},
                    _clip(task.description),
                    url,
                ),
                modified=task.updated_at,
            )
        )
    return events


STAFF_SOURCES: tuple[FeedSource, ...] = (milestone_events, task_events)
CLIENT_SOURCES: tuple[FeedSource, ...] = (client_milestone_events,)


def feed_events(*, user: User, today: dt.date | None = None) -> list[FeedEvent]:
    """Every event of the user's feed, source by source, at most MAX_EVENTS."""
    today = today or timezone.localdate()
    if access.is_client_user(user):
        sources = CLIENT_SOURCES
        projects = access.visible_projects(user)
    else:
        sources = STAFF_SOURCES
        projects = access.visible_projects(user).active()
    scope = FeedScope(
        user=user,
        projects=projects.values("pk"),
        since=today - dt.timedelta(days=HISTORY_DAYS),
    )
    events: list[FeedEvent] = []
    for source in sources:
        remaining = MAX_EVENTS - len(events)
        if remaining <= 0:
            break
        events.extend(source(scope, remaining))
    return events
