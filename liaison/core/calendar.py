"""What a person's calendar feed is made of, as plain events (the feed itself
is home's; each feature gives its events through a `core.registry.FeedSource`).

Kept in the kernel so the features and the surface share it without importing
each other; it knows no app's models.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet

DESCRIPTION_CHARS = 1000


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
    """Whose feed, and what it may reach. Typed loosely: the kernel knows no
    app's models (the user is accounts', the projects projects')."""

    user: Any
    projects: QuerySet[Any, Any]  # the projects the user may see (a subquery, not a list)
    since: dt.date


def absolute_url(url: str) -> str:
    return settings.SITE_URL + url


def event_uid(kind: str, pk: int) -> str:
    """Globally unique (RFC 5545): the site's host tells apart two Liaison sites
    whose rows share an id, when one calendar subscribes to both."""
    host = urlsplit(settings.SITE_URL).hostname or "liaison.invalid"
    return f"{kind}-{pk}@{host}"


def clip(text: str) -> str:
    text = (text or "").strip()
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1] + "…"


def describe(*lines: str) -> str:
    """An event's description: its lines, the empty ones left out."""
    return "\n".join(line for line in lines if line)
