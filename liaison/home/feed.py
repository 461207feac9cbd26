"""What a person's calendar feed holds, as plain events.

The feed is assembled from sources: each is a function that reads one kind of
dated thing (milestones, tasks, meetings, action items) for the feed's owner and
turns it into `FeedEvent`s. Staff and client users have their own list
of sources; to add one, write a function with the `FeedSource` signature and put
it in the lists at the bottom. Each source runs one query and gets what is left
of the event budget, so the whole feed is a fixed number of queries and at most
`MAX_EVENTS` events.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.communication.models import ActionItem, Interaction, Kind
from liaison.planning.models import Milestone, Task
from liaison.projects import access
from liaison.projects.models import Project, ProjectQuerySet

MAX_EVENTS = 2000
HISTORY_DAYS = 60  # events that ended longer ago than this are left out
DESCRIPTION_CHARS = 1000
MEETING_MINUTES = 60  # a meeting without a duration takes an hour in the calendar


@dataclass(frozen=True)
class FeedEvent:
    """One all-day event, `start` to `end` both days included; or, when not
    `all_day`, a timed one from the moment `start` to the moment `end`."""

    uid: str  # stable across refreshes, so calendar apps update rather than duplicate
    summary: str
    start: dt.date  # a datetime (aware) when not all_day
    end: dt.date
    url: str
    description: str
    modified: dt.datetime
    all_day: bool = True


@dataclass(frozen=True)
class FeedScope:
    """Whose feed, and what it may reach."""

    user: User
    projects: QuerySet[Project, Any]  # the projects the user may see (a subquery, not a list)
    since: dt.date


FeedSource = Callable[[FeedScope, int], list[FeedEvent]]


def _absolute(url: str) -> str:
    return settings.SITE_URL + url


def _uid(kind: str, pk: int) -> str:
    """Globally unique (RFC 5545): the site's host tells apart two Liaison sites
    whose rows share an id, when one calendar subscribes to both."""
    host = urlsplit(settings.SITE_URL).hostname or "liaison.invalid"
    return f"{kind}-{pk}@{host}"


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
        uid=_uid("milestone", milestone.pk),
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
        project, due = task.project, task.due_date
        assert due is not None  # the query takes dated tasks only
        url = _absolute(reverse("planning:task", args=[project.code, task.key]))
        start = task.start_date if task.start_date and task.start_date <= due else None
        events.append(
            FeedEvent(
                uid=_uid("task", task.pk),
                summary=f"{project.code} {task.key} {task.title}",
                start=start or due,
                end=due,
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


def _meetings(scope: FeedScope, audience: access.Audience, limit: int) -> list[Interaction]:
    """The meetings the user takes part in, oldest first, from `since` on."""
    since = timezone.make_aware(dt.datetime.combine(scope.since, dt.time.min))
    return list(
        Interaction.objects.for_audience(audience)
        .filter(
            project__in=scope.projects,
            kind=Kind.MEETING,
            participants=scope.user,
            occurred_at__gte=since,
        )
        .select_related("project")
        .order_by("occurred_at", "id")[:limit]
    )


def _meeting_event(interaction: Interaction, url: str) -> FeedEvent:
    project = interaction.project
    minutes = interaction.duration_minutes or MEETING_MINUTES
    return FeedEvent(
        uid=_uid("interaction", interaction.pk),
        summary=f"{project.code} {interaction.key} {interaction.subject}",
        start=interaction.occurred_at,
        end=interaction.occurred_at + dt.timedelta(minutes=minutes),
        url=url,
        description=_description(
            f"{project.code} · {project.name}",
            _("Meeting: %(channel)s") % {"channel": interaction.channel}
            if interaction.channel
            else "",
            _clip(interaction.agenda),
            url,
        ),
        modified=interaction.updated_at,
        all_day=False,
    )


def meeting_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The team's view: every meeting the user takes part in, as a timed event."""
    events = []
    for interaction in _meetings(scope, access.TEAM, limit):
        args = [interaction.project.code, interaction.key]
        url = _absolute(reverse("communication:interaction", args=args))
        events.append(_meeting_event(interaction, url))
    return events


def client_meeting_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The client's view: the meetings shared with them that they take part in."""
    events = []
    for interaction in _meetings(scope, access.CLIENT, limit):
        args = [interaction.project.code, interaction.key]
        events.append(
            _meeting_event(interaction, _absolute(reverse("portal:interaction", args=args)))
        )
    return events


def _action_items(scope: FeedScope, audience: access.Audience, limit: int) -> list[ActionItem]:
    """The user's own open action items with a due date, by due date."""
    return list(
        ActionItem.objects.for_audience(audience)
        .filter(
            project__in=scope.projects,
            owner=scope.user,
            status=ActionItem.Status.OPEN,
            due_date__isnull=False,
            due_date__gte=scope.since,
        )
        .select_related("project", "interaction")
        .order_by("due_date", "id")[:limit]
    )


def _action_item_event(item: ActionItem, url: str, source: str) -> FeedEvent:
    project, due = item.project, item.due_date
    assert due is not None  # the feeds take dated action items only
    return FeedEvent(
        uid=_uid("action", item.pk),
        summary=f"{project.code} {item.key} {item.title}",
        start=due,
        end=due,
        url=url,
        description=_description(
            f"{project.code} · {project.name}",
            _("Action item, due on this day"),
            _("From: %(source)s") % {"source": source} if source else "",
            url,
        ),
        modified=item.updated_at,
    )


def action_item_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The team's view: the user's open action items, linked to the project's list."""
    events = []
    for item in _action_items(scope, access.TEAM, limit):
        url = reverse("communication:action-items", args=[item.project.code])
        source = f"{item.interaction.key} {item.interaction.subject}" if item.interaction else ""
        events.append(_action_item_event(item, _absolute(f"{url}?q={item.key}"), source))
    return events


def client_action_item_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The client's view: their own items shown in the portal. An item that came
    from an internal conversation names nothing of it."""
    events = []
    for item in _action_items(scope, access.CLIENT, limit):
        code = item.project.code
        shared = item.interaction if item.interaction and item.interaction.client_visible else None
        if shared is not None:
            url = reverse("portal:interaction", args=[code, shared.key]) + "#action-items"
        else:
            url = reverse("portal:project", args=[code]) + "#action-items"
        source = shared.subject if shared is not None else ""
        events.append(_action_item_event(item, _absolute(url), source))
    return events


STAFF_SOURCES: tuple[FeedSource, ...] = (
    milestone_events,
    task_events,
    meeting_events,
    action_item_events,
)
CLIENT_SOURCES: tuple[FeedSource, ...] = (
    client_milestone_events,
    client_meeting_events,
    client_action_item_events,
)


def feed_events(*, user: User, today: dt.date | None = None) -> list[FeedEvent]:
    """Every event of the user's feed, source by source, at most MAX_EVENTS."""
    today = today or timezone.localdate()
    if access.is_client_user(user):
        sources = CLIENT_SOURCES
        projects = access.visible_projects(user)
    else:
        sources = STAFF_SOURCES
        # A ProjectQuerySet, which access.visible_projects() annotates as a plain
        # QuerySet until access.py's rewrite lands (mypy then calls this cast redundant).
        projects = cast(ProjectQuerySet, access.visible_projects(user)).active()
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
