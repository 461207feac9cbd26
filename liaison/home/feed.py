"""What a person's calendar feed holds, as plain events.

The feed is assembled from the sources the features register
(core.registry.FeedSource: planning's milestones and tasks, communication's
meetings and action items): each reads one kind of dated thing for the feed's
owner and turns it into `FeedEvent`s (core.calendar), with a view for the team
and one for clients. Each source runs one query and gets what is left of the
event budget, so the whole feed is a fixed number of queries and at most
`MAX_EVENTS` events.
"""

import datetime as dt
from typing import cast

from django.utils import timezone

from liaison.accounts.models import User
from liaison.core.calendar import FeedEvent, FeedScope
from liaison.core.registry import registry
from liaison.projects import access
from liaison.projects.models import ProjectQuerySet

MAX_EVENTS = 2000
HISTORY_DAYS = 60  # events that ended longer ago than this are left out


def feed_events(*, user: User, today: dt.date | None = None) -> list[FeedEvent]:
    """Every event of the user's feed, source by source, at most MAX_EVENTS."""
    today = today or timezone.localdate()
    client = access.is_client_user(user)
    if client:
        projects = access.visible_projects(user)
    else:
        # A ProjectQuerySet, which access.visible_projects() annotates as a plain
        # QuerySet until access.py's rewrite lands (mypy then calls this cast redundant).
        projects = cast(ProjectQuerySet, access.visible_projects(user)).active()
    scope = FeedScope(
        user=user,
        projects=projects.values("pk"),
        since=today - dt.timedelta(days=HISTORY_DAYS),
    )
    events: list[FeedEvent] = []
    for source in registry.feed_sources:
        read = source.client if client else source.team
        if read is None:
            continue
        remaining = MAX_EVENTS - len(events)
        if remaining <= 0:
            break
        events.extend(read(scope, remaining))
    return events
