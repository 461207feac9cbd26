"""Communication's part of a person's calendar feed (core.registry.FeedSource):
the meetings they take part in, and their own open action items."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.communication.models import ActionItem, Interaction, Kind
from liaison.core.calendar import FeedEvent, FeedScope, absolute_url, clip, describe, event_uid
from liaison.core.registry import FeedSource
from liaison.projects import access

MEETING_MINUTES = 60  # a meeting without a duration takes an hour in the calendar


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
        uid=event_uid("interaction", interaction.pk),
        summary=f"{project.code} {interaction.key} {interaction.subject}",
        start=interaction.occurred_at,
        end=interaction.occurred_at + dt.timedelta(minutes=minutes),
        url=url,
        description=describe(
            f"{project.code} · {project.name}",
            _("Meeting: %(channel)s") % {"channel": interaction.channel}
            if interaction.channel
            else "",
            clip(interaction.agenda),
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
        url = absolute_url(reverse("communication:interaction", args=args))
        events.append(_meeting_event(interaction, url))
    return events


def client_meeting_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The client's view: the meetings shared with them that they take part in."""
    events = []
    for interaction in _meetings(scope, access.CLIENT, limit):
        args = [interaction.project.code, interaction.key]
        events.append(
            _meeting_event(interaction, absolute_url(reverse("portal:interaction", args=args)))
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
        uid=event_uid("action", item.pk),
        summary=f"{project.code} {item.key} {item.title}",
        start=due,
        end=due,
        url=url,
        description=describe(
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
        events.append(_action_item_event(item, absolute_url(f"{url}?q={item.key}"), source))
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
        events.append(_action_item_event(item, absolute_url(url), source))
    return events


# After planning's milestones and tasks.
SOURCES = (
    FeedSource("meetings", order=30, team=meeting_events, client=client_meeting_events),
    FeedSource("action_items", order=40, team=action_item_events, client=client_action_item_events),
)
