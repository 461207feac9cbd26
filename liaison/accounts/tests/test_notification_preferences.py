"""The notification settings page and its service: per kind of event, e-mail
and inbox / inbox only / off, and one e-mail a day — for every signed-in user,
clients too."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.collab.models import NotificationPreference
from liaison.collab.notification_kinds import KINDS
from liaison.collab.notify import notification_channels
from liaison.collab.services import notification_preferences_update
from liaison.core.models import Activity
from liaison.core.services import InvalidInput

URL = "/accounts/settings/notifications/"


def _text(response) -> str:
    return response.content.decode()


def _checked(page: str) -> dict[str, str]:
    """kind → the channel whose radio is checked."""
    return dict(re.findall(r'name="channel-(\w+)" value="(\w+)" checked', page))


# -- the service ---------------------------------------------------------------------


def test_service_saves_choices_and_the_digest(member):
    diff = notification_preferences_update(
        by=member, channels={"comment": "off", "status": "email"}, daily_digest=True
    )
    assert diff == {
        "notifications.comment": ["email", "off"],
        "notifications.status": ["inbox", "email"],
        "daily_digest": [False, True],
    }
    assert notification_channels(member) == {
        "assigned": "email",
        "mentioned": "email",
        "comment": "off",
        "status": "email",
        "approval": "email",
        "request": "email",
        "answer": "email",
        "reminder": "email",
    }
    member.refresh_from_db()
    assert member.daily_digest
    activity = Activity.objects.get(target_id=member.pk, verb="updated")
    assert activity.actor == member and activity.diff == diff


def test_service_keeps_what_is_left_out_and_records_nothing_unchanged(member):
    notification_preferences_update(by=member, channels={"comment": "off"}, daily_digest=False)
    assert notification_preferences_update(by=member, channels={}, daily_digest=False) == {}
    assert (
        notification_preferences_update(
            by=member, channels={"comment": "off", "status": "inbox"}, daily_digest=False
        )
        == {}
    )
    assert notification_channels(member)["comment"] == "off"
    assert NotificationPreference.objects.filter(user=member).count() == 1
    assert Activity.objects.filter(target_id=member.pk).count() == 1


@pytest.mark.parametrize(
    ("channels", "field"),
    [({"comment": "sms"}, "comment"), ({"gossip": "off"}, None)],
)
def test_service_refuses_unknown_values(member, channels, field):
    with pytest.raises(InvalidInput) as refused:
        notification_preferences_update(by=member, channels=channels, daily_digest=False)
    assert refused.value.field == field
    assert not NotificationPreference.objects.exists()


# -- the page ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "manager", "member", "observer", "outsider", "client"])
def test_every_signed_in_user_has_the_page(login, role_users, role):
    response = login(role_users[role]).get(URL)
    assert response.status_code == 200
    page = _text(response)
    assert _checked(page) == {kind: ("inbox" if kind == "status" else "email") for kind in KINDS}
    assert 'name="daily_digest"' in page and "csrfmiddlewaretoken" in page


def test_a_client_sees_the_portal_layout(login, client_user):
    page = _text(login(client_user).get(URL))
    assert '<body class="portal"' in page and 'class="app app--plain"' in page
    assert 'class="sidebar"' not in page


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_post_saves_and_says_so(login, client_user):
    client = login(client_user)
    response = client.post(
        URL,
        {"channel-comment": "inbox", "channel-reminder": "off", "daily_digest": "on"},
    )
    assert response.status_code == 302 and response["Location"] == URL
    page = _text(client.get(URL))
    assert "Your notification settings are saved." in page
    checked = _checked(page)
    assert checked["comment"] == "inbox" and checked["reminder"] == "off"
    assert checked["assigned"] == "email"
    assert re.search(r'name="daily_digest" id="id_daily_digest" checked', page)
    client_user.refresh_from_db()
    assert client_user.daily_digest


def test_unticking_the_digest_turns_it_off(login, member):
    member.daily_digest = True
    member.save(update_fields=["daily_digest"])
    assert login(member).post(URL, {"channel-comment": "email"}).status_code == 302
    member.refresh_from_db()
    assert not member.daily_digest


def test_a_bad_value_is_shown_beside_its_row(login, member):
    response = login(member).post(URL, {"channel-comment": "pigeon", "channel-status": "email"})
    assert response.status_code == 200
    page = _text(response)
    assert '<div class="field__error">Choose one of the options.</div>' in page
    assert not NotificationPreference.objects.exists()


def test_the_settings_page_links_here(login, member):
    assert f'href="{URL}"' in _text(login(member).get("/accounts/settings/"))


def test_page_queries_are_constant(login, member, django_assert_max_num_queries):
    client = login(member)
    with CaptureQueriesContext(connection) as context:
        client.get(URL)
    small = len(context.captured_queries)
    notification_preferences_update(
        by=member, channels=dict.fromkeys(KINDS, "off"), daily_digest=True
    )
    with django_assert_max_num_queries(small):
        assert _checked(_text(client.get(URL))) == dict.fromkeys(KINDS, "off")
    assert small <= 8


def test_the_page_shows_what_needs_you_apart_from_news(login, member):
    """The classification of collab.notification_kinds, on the page: the kinds
    that ask you to decide or act (or answer your request) under their own
    heading, each with its default marked."""
    page = _text(login(member).get(URL))
    action = page[page.index("notification-preferences__group--action") :]
    action = action[: action.index("</tbody>")]
    info = page[page.index("notification-preferences__group--info") :]
    info = info[: info.index("</tbody>")]
    assert "Needs you" in action and "News" in info
    action_kinds = set(re.findall(r'data-kind="(\w+)" data-nature="action"', action))
    assert action_kinds == {kind for kind, spec in KINDS.items() if spec.nature == "action"}
    assert action_kinds == {"approval", "request", "answer", "assigned", "reminder"}
    assert set(re.findall(r'data-kind="(\w+)" data-nature="info"', info)) == {
        "mentioned",
        "comment",
        "status",
    }
    assert page.count("(default)") == len(KINDS)
