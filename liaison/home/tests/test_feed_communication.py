"""The calendar feed's communication sources: the meetings a person takes part
in, as timed events, and their own open action items with a due date, as
all-day events — each seen through the person's audience."""

import datetime as dt
import itertools

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conftest import TODAY
from liaison.accounts.services import calendar_feed_reset
from liaison.communication.models import ActionItem, Kind
from liaison.communication.services.action_items import action_item_create
from liaison.communication.services.interactions import interaction_create
from liaison.home import feed as feed_selectors

# Seven weeks ahead of the pinned day: inside the feed's window on any day.
WHEN = dt.datetime.combine(TODAY + dt.timedelta(days=48), dt.time(10), tzinfo=dt.UTC)
DUE = WHEN.date() + dt.timedelta(days=7)


def _events(http, user) -> dict:
    response = http.get(reverse("home:calendar-feed", args=[calendar_feed_reset(by=user)]))
    assert response.status_code == 200
    return {
        str(event["uid"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")
    }


def _uid(row) -> str:
    prefix = "interaction" if row.key.startswith("COM-") else "action"
    return f"{prefix}-{row.pk}@127.0.0.1"


@pytest.fixture
def talk(project, manager, member, client_user):
    """COM-1 a shared meeting (manager, client), 45 minutes; COM-2 an internal
    meeting (manager, member, client) without a duration; COM-3 a shared call
    (manager, client); COM-4 a shared meeting without the client.
    ACT-1 the client's, from the internal COM-2; ACT-2 the member's;
    ACT-3 the member's without a date; ACT-4 the member's, done."""

    def meeting(subject, people, **fields):
        return interaction_create(
            project=project,
            by=manager,
            subject=subject,
            occurred_at=WHEN,
            participants=people,
            **{"kind": Kind.MEETING, **fields},
        )

    rows = {
        "shared": meeting(
            "Kick-off",
            [manager, client_user],
            duration_minutes=45,
            channel="Zoom",
            agenda="Scope and dates",
            client_visible=True,
        ),
        "internal": meeting("Margins", [manager, member, client_user]),
        "call": meeting("Labels", [manager, client_user], kind=Kind.CALL, client_visible=True),
        "without_client": meeting("Tech review", [manager, member], client_visible=True),
    }

    def item(title, owner, **fields):
        return action_item_create(project=project, by=manager, title=title, owner=owner, **fields)

    rows["client_item"] = item(
        "Send the floor plans", client_user, due_date=DUE, interaction=rows["internal"]
    )
    rows["member_item"] = item("Draft the test plan", member, due_date=DUE + dt.timedelta(days=1))
    rows["undated"] = item("Someday", member)
    done = item("Old", member, due_date=DUE)
    ActionItem.objects.filter(pk=done.pk).update(status=ActionItem.Status.DONE)
    rows["done"] = done
    return rows


def test_a_meeting_is_a_timed_event_in_its_participants_feed(client, manager, talk):
    events = _events(client, manager)
    shared = events[_uid(talk["shared"])]
    assert str(shared["summary"]) == "OWN COM-1 Kick-off"
    assert shared["dtstart"].dt == WHEN
    assert shared["dtend"].dt == WHEN + dt.timedelta(minutes=45)
    assert str(shared["transp"]) == "OPAQUE"
    assert str(shared["url"]) == settings.SITE_URL + reverse(
        "communication:interaction", args=["OWN", "COM-1"]
    )
    assert "Zoom" in str(shared["description"]) and "Scope and dates" in str(shared["description"])
    internal = events[_uid(talk["internal"])]
    assert internal["dtend"].dt - internal["dtstart"].dt == dt.timedelta(minutes=60)
    assert _uid(talk["call"]) not in events  # a call is not a meeting


def test_the_ics_has_utc_times_for_meetings(client, manager, talk):
    url = reverse("home:calendar-feed", args=[calendar_feed_reset(by=manager)])
    body = client.get(url).content
    day = WHEN.strftime("%Y%m%d").encode()
    assert b"DTSTART:" + day + b"T100000Z" in body
    assert b"DTEND:" + day + b"T104500Z" in body


def test_non_participants_do_not_get_the_meeting(client, member, observer, talk):
    events = _events(client, member)
    assert _uid(talk["internal"]) in events and _uid(talk["without_client"]) in events
    assert _uid(talk["shared"]) not in events
    assert not any(uid.startswith("interaction-") for uid in _events(client, observer))


def test_a_client_sees_only_shared_meetings_they_take_part_in(client, client_user, talk):
    events = _events(client, client_user)
    meetings = {uid for uid in events if uid.startswith("interaction-")}
    assert meetings == {_uid(talk["shared"])}
    assert str(events[_uid(talk["shared"])]["url"]) == settings.SITE_URL + reverse(
        "portal:interaction", args=["OWN", "COM-1"]
    )


def test_action_items_appear_for_their_owner_only(client, member, manager, talk):
    events = _events(client, member)
    actions = {uid for uid in events if uid.startswith("action-")}
    assert actions == {_uid(talk["member_item"])}  # not undated, not done, not others'
    item = events[_uid(talk["member_item"])]
    assert str(item["summary"]) == "OWN ACT-2 Draft the test plan"
    assert item["dtstart"].dt == DUE + dt.timedelta(days=1)
    assert item["dtend"].dt == DUE + dt.timedelta(days=2)  # all day, exclusive end
    assert str(item["transp"]) == "TRANSPARENT"
    assert str(item["url"]).endswith(
        reverse("communication:action-items", args=["OWN"]) + "?q=ACT-2"
    )
    assert not any(uid.startswith("action-") for uid in _events(client, manager))


def test_a_clients_item_links_to_the_portal_and_names_nothing_internal(client, client_user, talk):
    events = _events(client, client_user)
    item = events[_uid(talk["client_item"])]
    assert item["dtstart"].dt == DUE
    assert str(item["url"]) == (
        settings.SITE_URL + reverse("portal:project", args=["OWN"]) + "#action-items"
    )
    assert "Margins" not in str(item["description"])  # from an internal meeting


def test_a_clients_item_from_a_shared_meeting_links_to_it(client, client_user, talk, manager):
    item = action_item_create(
        project=talk["shared"].project,
        by=manager,
        title="Approve the labels",
        owner=client_user,
        due_date=DUE,
        interaction=talk["shared"],
    )
    event = _events(client, client_user)[_uid(item)]
    assert str(event["url"]).endswith(
        reverse("portal:interaction", args=["OWN", "COM-1"]) + "#action-items"
    )
    assert "Kick-off" in str(event["description"])


def test_old_meetings_and_items_are_left_out(client, member, project, manager):
    long_ago = timezone.now() - dt.timedelta(days=feed_selectors.HISTORY_DAYS + 5)
    old = interaction_create(
        project=project, by=manager, subject="Ancient", occurred_at=long_ago, participants=[member]
    )
    old_item = action_item_create(
        project=project, by=manager, title="Ancient", owner=member, due_date=long_ago.date()
    )
    events = _events(client, member)
    assert _uid(old) not in events and _uid(old_item) not in events


def test_the_cap_holds_across_sources(client, manager, member, talk, monkeypatch):
    monkeypatch.setattr(feed_selectors, "MAX_EVENTS", 2)
    assert len(_events(client, member)) == 2


# -- queries ---------------------------------------------------------------------------------

_serial = itertools.count(1)


def _grow(project, manager, member, client_user, n: int) -> None:
    for _ in range(n):
        number = next(_serial)
        interaction_create(
            project=project,
            by=manager,
            subject=f"Weekly {number}",
            occurred_at=WHEN + dt.timedelta(days=number),
            participants=[manager, member, client_user],
            client_visible=True,
        )
        for owner in (member, client_user):
            action_item_create(
                project=project,
                by=manager,
                title=f"Item {number}",
                owner=owner,
                due_date=DUE + dt.timedelta(days=number % 5),
            )


@pytest.mark.parametrize("who", ["member", "client_user"])
def test_feed_queries_stay_fixed(
    who, request, client, project, manager, member, client_user, django_assert_max_num_queries
):
    user = request.getfixturevalue(who)
    url = reverse("home:calendar-feed", args=[calendar_feed_reset(by=user)])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        return len(context.captured_queries)

    _grow(project, manager, member, client_user, 2)
    small = count()
    _grow(project, manager, member, client_user, 12)
    with django_assert_max_num_queries(8):  # the user, each source once
        large = count()
    assert small == large, f"{small} queries with few events, {large} with more"
    assert len(_events(client, user)) > 20
