"""The one-click unsubscribe link (RFC 8058): no sign-in, a signed token, no
CSRF token needed on that one endpoint; it turns off one kind's e-mail, or for
the digest's link the digest and the news e-mail (what needs the person still
comes by e-mail), and never touches the inbox."""

import re

import pytest
from django.test import Client as HttpClient
from django.utils.translation import gettext_lazy

from liaison.collab.models import Notification
from liaison.collab.notification_kinds import DIGEST, KINDS, needs_action
from liaison.collab.notify import (
    notification_channels,
    notify,
    unsubscribe_read,
    unsubscribe_token,
    unsubscribe_url,
)
from liaison.core.models import Activity

COMMENTED = gettext_lazy("%(actor)s commented on %(target)s")


def _path(user, kind: str) -> str:
    return "/notifications/unsubscribe/" + unsubscribe_token(user, kind) + "/"


@pytest.fixture
def mail_program():
    """What a mail program is: no session, and CSRF checks as in production."""
    return HttpClient(enforce_csrf_checks=True)


def _comment(project, actor, recipient):
    return notify(
        event="comment",
        recipients=[recipient],
        actor=actor,
        message=COMMENTED,
        params={"actor": actor, "target": "REQ-1"},
        project=project,
    )


def test_the_link_is_on_the_site_and_names_the_person_and_kind(member):
    url = unsubscribe_url(member, "comment")
    assert url.startswith("http://127.0.0.1:8000/notifications/unsubscribe/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert unsubscribe_read(token) == (member.pk, "comment")


@pytest.mark.parametrize(
    "token",
    ["garbage", "WzEsImNvbW1lbnQiXQ:forged", "", "x" * 300],
)
def test_a_bad_token_is_refused(token):
    assert unsubscribe_read(token) is None


def test_a_token_for_another_kind_of_thing_is_refused(member):
    from django.core import signing

    other = signing.Signer(salt="something.else").sign_object([member.pk, "comment"])
    assert unsubscribe_read(other) is None
    unknown_kind = signing.Signer(salt="liaison.notifications.unsubscribe").sign_object(
        [member.pk, "gossip"]
    )
    assert unsubscribe_read(unknown_kind) is None


def test_one_click_post_turns_that_kinds_email_off_without_sign_in_or_csrf(
    smtp_inbox, mail_program, project, manager, member, django_capture_on_commit_callbacks
):
    response = mail_program.post(_path(member, "comment"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    channels = notification_channels(member)
    assert channels["comment"] == "inbox"
    assert channels["mentioned"] == "email"  # only that kind
    activity = Activity.objects.get(target_id=member.pk, verb="updated")
    assert activity.actor == member
    assert activity.diff == {"notifications.comment": ["email", "inbox"]}
    with django_capture_on_commit_callbacks(execute=True):
        _comment(project, manager, member)
    assert smtp_inbox.messages == []  # no more e-mail…
    assert Notification.objects.filter(recipient=member).count() == 1  # …still in the inbox


def test_clicking_twice_changes_nothing_more(mail_program, member):
    mail_program.post(_path(member, "comment"))
    assert mail_program.post(_path(member, "comment")).status_code == 200
    assert Activity.objects.filter(target_id=member.pk).count() == 1


def test_a_kind_turned_off_entirely_stays_off(mail_program, member):
    from liaison.collab.models import NotificationPreference

    NotificationPreference.objects.create(user=member, event="comment", channel="off")
    mail_program.post(_path(member, "comment"))
    assert notification_channels(member)["comment"] == "off"


def test_get_only_asks_so_a_link_scanner_changes_nothing(client, member):
    response = client.get(_path(member, "assigned"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop these e-mails?" in page and member.email in page
    assert re.search(r'<form method="post"', page)
    assert notification_channels(member)["assigned"] == "email"


def test_the_page_speaks_the_language_of_the_person_the_link_is_for(client, member):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    page = client.get(_path(member, "assigned")).content.decode()
    assert '<html lang="zh-hans">' in page


def test_the_digest_link_stops_the_digest_and_news_but_not_what_needs_you(mail_program, member):
    member.daily_digest = True
    member.save(update_fields=["daily_digest"])
    assert mail_program.post(_path(member, DIGEST)).status_code == 200
    member.refresh_from_db()
    assert not member.daily_digest
    channels = notification_channels(member)
    # Not one mail per piece of news instead: the news kinds stay in the inbox only…
    for kind in [kind for kind in KINDS if not needs_action(kind)]:
        assert channels[kind] == (
            "inbox" if KINDS[kind].default == "email" else KINDS[kind].default
        )
    # …while what needs the person still comes by e-mail (issue 11).
    action_kinds = [kind for kind in KINDS if needs_action(kind)]
    assert {"approval", "request", "answer", "assigned", "reminder"} <= set(action_kinds)
    assert {kind: channels[kind] for kind in action_kinds} == dict.fromkeys(action_kinds, "email")
    assert (
        "mentioned" in KINDS and channels["mentioned"] == "inbox"
    )  # a news kind mailed by default


def test_the_digest_link_still_mails_what_needs_you(
    smtp_inbox, mail_program, project, manager, member, django_capture_on_commit_callbacks
):
    member.daily_digest = True
    member.save(update_fields=["daily_digest"])
    mail_program.post(_path(member, DIGEST))
    member.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="approval.needed",
            recipients=[member],
            actor=manager,
            message=COMMENTED,
            params={"actor": manager, "target": "BASELINE-1"},
            project=project,
        )
        _comment(project, manager, member)
    assert [message["X-Envelope-To"] for message in smtp_inbox.messages] == [member.email]
    assert Notification.objects.filter(recipient=member).count() == 2


def test_the_digest_pages_say_exactly_what_stops(mail_program, member):
    said = "the daily digest and e-mail about news; what needs you still comes by e-mail"
    asked = mail_program.get(_path(member, DIGEST)).content.decode()
    assert "will stop receiving " + said in asked
    done = mail_program.post(_path(member, DIGEST)).content.decode()
    assert "no longer receives " + said in done


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_or_foreign_token_is_404(mail_program, method, deactivated):
    assert getattr(mail_program, method)("/notifications/unsubscribe/nope/").status_code == 404
    gone = getattr(mail_program, method)(_path(deactivated, "comment"))
    assert gone.status_code == 404


def test_only_that_endpoint_is_exempt_from_csrf(mail_program, member):
    mail_program.force_login(member)
    assert mail_program.post("/notifications/read/").status_code == 403
