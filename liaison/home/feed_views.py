"""The iCalendar feed: a secret link a calendar app polls, without signing in.

The secret in the link is the credential (only its SHA-256 is stored); an
unknown secret, or the link of a deactivated user, answers 404 like any
unknown address. The events are read in the feed owner's language.
"""

import datetime as dt

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from liaison.accounts.models import User
from liaison.accounts.services import calendar_feed_user
from liaison.core.calendar import FeedEvent
from liaison.home.feed import feed_events

ONE_DAY = dt.timedelta(days=1)


def _event(item: FeedEvent) -> Event:
    event = Event()
    modified = item.modified.astimezone(dt.UTC)  # DTSTAMP is always in UTC
    event.add("uid", item.uid)
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    if item.all_day:
        event.add("dtstart", item.start)
        event.add("dtend", item.end + ONE_DAY)  # DTEND of an all-day event is exclusive
    else:  # a meeting: from one moment to another, in UTC
        assert isinstance(item.start, dt.datetime) and isinstance(item.end, dt.datetime)
        event.add("dtstart", item.start.astimezone(dt.UTC))
        event.add("dtend", item.end.astimezone(dt.UTC))
    event.add("summary", item.summary)
    event.add("description", item.description)
    event.add("url", item.url)
    # A due date does not make anyone busy; a meeting does.
    event.add("transp", "TRANSPARENT" if item.all_day else "OPAQUE")
    return event


def feed_ics(user: User, events: list[FeedEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Liaison//Plan feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Liaison: %(name)s") % {"name": user})
    calendar.add("x-published-ttl", "PT1H")
    for item in events:
        calendar.add_component(_event(item))
    return calendar.to_ical()


@require_GET
def calendar_feed(request, token: str):
    user = calendar_feed_user(secret=token)
    if user is None:
        raise Http404
    with translation.override(user.language):
        body = feed_ics(user, feed_events(user=user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="liaison.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
