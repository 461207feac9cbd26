"""Notifications by e-mail, through a real SMTP server: each kind of event
follows the recipient's preference, the daily digest collects instead of
mailing, and a dead SMTP server never fails the user's action."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from conftest import free_port
from liaison.accounts.tests.factories import make_user
from liaison.collab.checks import notification_events_have_kinds
from liaison.collab.models import Notification, NotificationPreference
from liaison.collab.notification_kinds import (
    ACTION,
    COLLAB_EVENTS,
    DEFAULT_CHANNELS,
    INFO,
    KINDS,
    event_kind,
)
from liaison.collab.notify import channels_for, digest_send, notification_channels, notify
from liaison.collab.services import comment_create
from liaison.core.registry import registry
from liaison.projects.tests.factories import make_project
from liaison.webhooks.models import Webhook

COMMENTED = gettext_lazy("%(actor)s commented on %(target)s")
REQUIRED = gettext_lazy("This field is required.")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _comment(project, actor, recipients, event="comment", url="/p/OWN/requirements/REQ-1/"):
    return notify(
        event=event,
        recipients=recipients,
        actor=actor,
        message=COMMENTED,
        params={"actor": actor, "target": "REQ-1"},
        project=project,
        url=url,
    )


def _prefer(user, kind: str, channel: str) -> None:
    NotificationPreference.objects.create(user=user, event=kind, channel=channel)


def _bodies(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


# -- event kinds -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "kind"),
    [
        ("task.assigned", "assigned"),
        ("action_item.assigned", "assigned"),
        ("project.assigned", "assigned"),
        ("assigned", "assigned"),
        ("mentioned", "mentioned"),
        ("comment", "comment"),
        ("comment.created", "comment"),
        ("message", "comment"),
        ("requirement.updated", "status"),
        ("requirement.requested", "request"),
        ("change.requested", "request"),
        ("change.plan_changed", "request"),
        ("baseline.decided", "answer"),
        ("milestone.decided", "answer"),
        ("change.decided", "answer"),
        ("change.declined", "answer"),
        ("change.request_withdrawn", "answer"),
        ("report.acknowledged", "answer"),
        ("action_item.done", "answer"),
        ("change.withdrawn", "status"),
        ("change.implemented", "status"),
        ("task.rescheduled", "status"),
        ("member.added", "status"),
        ("approval.needed", "approval"),
        ("report.published", "approval"),
        ("reminder", "reminder"),
        ("report.drafted", "reminder"),
        ("reminder.action_item_due", "reminder"),
        ("something.new", "status"),
    ],
)
def test_event_kind_maps_every_event_in_use(event, kind):
    assert event_kind(event) == kind


def test_defaults_are_email_except_status():
    assert DEFAULT_CHANNELS == {
        "approval": "email",
        "request": "email",
        "answer": "email",
        "assigned": "email",
        "reminder": "email",
        "mentioned": "email",
        "comment": "email",
        "status": "inbox",
    }
    assert set(KINDS) == set(DEFAULT_CHANNELS)


def test_every_action_kind_is_mailed_by_default():
    """What asks someone to decide or act, or answers their request, is mailed
    unless they say otherwise; only news may stay in the inbox by default."""
    for kind, spec in KINDS.items():
        assert spec.nature in (ACTION, INFO), kind
        if spec.nature == ACTION:
            assert spec.default == "email", kind
    assert {kind for kind, spec in KINDS.items() if spec.nature == ACTION} == {
        "approval",
        "request",
        "answer",
        "assigned",
        "reminder",
    }


def test_every_event_the_services_write_has_a_kind():
    """The apps register every event of the code base (registry.add_events),
    so none falls to a default by accident."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    written = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "bench" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for call in re.finditer(r"notify\(\s*event=\"([^\"]+)\"", source):
            written.add(call[1])
    assert "approval.needed" in written and "change.requested" in written
    assert written - set(registry.notification_events) == set()


def test_each_feature_registers_its_own_events():
    """The features, not collab, name their events: a change's event comes from
    the changes app, a report's from reports."""
    assert "change.requested" not in COLLAB_EVENTS
    assert registry.notification_events["change.requested"] == "request"
    assert registry.notification_events["report.published"] == "approval"
    assert registry.notification_events["comment"] == "comment"


def test_an_event_registered_as_two_kinds_stops_the_start(monkeypatch):
    monkeypatch.setattr(registry, "notification_events", {"comment": "comment"})
    registry.add_events({"comment": "comment"})  # the same again is harmless
    with pytest.raises(ValueError, match="'comment' is both 'comment' and 'status'"):
        registry.add_events({"comment": "status"})


def test_an_event_of_an_unknown_kind_fails_the_system_check(monkeypatch):
    monkeypatch.setattr(
        registry, "notification_events", {"risk.raised": "risks", "comment": "comment"}
    )
    errors = notification_events_have_kinds(None)
    assert [error.id for error in errors] == ["liaison.collab.E001"]
    assert "'risk.raised'" in errors[0].msg and "'risks'" in errors[0].msg
    monkeypatch.setattr(registry, "notification_events", {"comment": "comment"})
    assert notification_events_have_kinds(None) == []


def test_channels_for_reads_choices_and_defaults(member, observer):
    _prefer(member, "comment", "off")
    assert channels_for([member, observer], "comment") == {member.pk: "off", observer.pk: "email"}
    assert notification_channels(member)["comment"] == "off"
    assert notification_channels(observer)["status"] == "inbox"


# -- e-mail through the real SMTP server -------------------------------------------


def test_a_comment_is_mailed_with_text_html_and_link(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = _comment(project, manager, [member])
    assert len(rows) == 1 and not rows[0].in_digest
    (message,) = smtp_inbox.messages
    assert message["X-Envelope-To"] == member.email
    assert message["Subject"] == f"[OWN] {manager} commented on REQ-1"
    text, html = _bodies(message)
    assert f"{manager} commented on REQ-1" in text
    assert "http://127.0.0.1:8000/p/OWN/requirements/REQ-1/" in text
    assert "http://127.0.0.1:8000/accounts/settings/notifications/" in text
    assert "Hello member," in text
    assert 'href="http://127.0.0.1:8000/p/OWN/requirements/REQ-1/"' in html
    assert "OWN · Project OWN" in html


def test_the_mail_is_in_the_recipients_language(
    smtp_inbox, project, manager, member, observer, django_capture_on_commit_callbacks
):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="approval.needed",
            recipients=[member, observer],
            actor=manager,
            message=REQUIRED,
            params={},
            project=project,
        )
    by_address = {m["X-Envelope-To"]: m for m in smtp_inbox.messages}
    assert "这个字段是必填项。" in _bodies(by_address[member.email])[0]
    assert "This field is required." in _bodies(by_address[observer.email])[0]


def test_the_html_mail_escapes_the_text(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="comment",
            recipients=[member],
            actor=manager,
            message=gettext_lazy("%(name)s"),
            params={"name": "<script>alert(1)</script> & co"},
            project=project,
        )
    (message,) = smtp_inbox.messages
    text, html = _bodies(message)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>alert(1)</script> & co" in text  # plain text is not HTML-escaped
    assert message["Subject"] == "[OWN] <script>alert(1)</script> & co"


def test_a_multiline_text_gives_a_one_line_subject(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="comment",
            recipients=[member],
            actor=manager,
            message=gettext_lazy("%(name)s"),
            params={"name": "first line\nsecond line"},
            project=project,
        )
    assert smtp_inbox.messages[0]["Subject"] == "[OWN] first line second line"


def test_status_changes_stay_in_the_inbox_by_default(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = _comment(project, manager, [member], event="requirement.updated")
    assert len(rows) == 1
    assert smtp_inbox.messages == []


def test_preferences_choose_mail_inbox_or_nothing(
    smtp_inbox, project, manager, member, observer, client_user, django_capture_on_commit_callbacks
):
    _prefer(member, "comment", "off")
    _prefer(observer, "comment", "inbox")
    _prefer(client_user, "status", "email")
    with django_capture_on_commit_callbacks(execute=True):
        _comment(project, manager, [member, observer, client_user])
        _comment(project, manager, [member, observer, client_user], event="requirement.updated")
    assert not Notification.objects.filter(recipient=member, event="comment").exists()
    assert Notification.objects.filter(recipient=member, event="requirement.updated").exists()
    assert Notification.objects.filter(recipient=observer).count() == 2
    assert Notification.objects.filter(recipient=client_user).count() == 2
    # the client gets both by mail (comments by default, status by choice)
    assert sorted(m["X-Envelope-To"] for m in smtp_inbox.messages) == [client_user.email] * 2


def test_a_rolled_back_action_sends_no_mail(smtp_inbox, project, manager, member):
    # without capturing on_commit, the test's transaction never commits
    _comment(project, manager, [member])
    assert smtp_inbox.messages == []


def test_a_dead_smtp_server_does_not_fail_the_action(
    settings, project, member, manager, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        comment = comment_create(
            target=project, project=project, by=member, body="Looks good", client_visible=False
        )
    assert callbacks  # the mail job did run, and failed
    assert comment.pk is not None
    assert Notification.objects.filter(recipient=manager, event="comment").count() == 1


# -- the daily digest ----------------------------------------------------------------


def _at_local(hour: int, zone=SHANGHAI) -> dt.datetime:
    return dt.datetime(2027, 3, 4, hour, 0, tzinfo=zone)


def test_digest_users_are_marked_not_mailed(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    member.daily_digest = True
    member.save(update_fields=["daily_digest"])
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _comment(project, manager, [member])
        (status,) = _comment(project, manager, [member], event="requirement.updated")
    assert row.in_digest
    assert not status.in_digest  # inbox-only kinds never go to the digest
    assert smtp_inbox.messages == []


def test_digest_sends_one_mail_grouped_by_project_then_clears(
    smtp_inbox, settings, org, project, manager, member, django_capture_on_commit_callbacks
):
    settings.DIGEST_HOUR = 18
    other = make_project(org, manager, "TWO", name="Second project")
    member.daily_digest = True
    member.save(update_fields=["daily_digest"])
    _comment(project, manager, [member])
    _comment(other, manager, [member], url="/p/TWO/")
    _comment(project, manager, [member], event="mentioned")
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=_at_local(18)) == 1
    (message,) = smtp_inbox.messages
    assert message["X-Envelope-To"] == member.email
    assert message["Subject"] == "Liaison: 3 notifications today"
    text, html = _bodies(message)
    assert text.index("OWN · Project OWN") < text.index("TWO · Second project")
    assert text.count(f"{manager} commented on REQ-1") == 3
    assert "http://127.0.0.1:8000/p/TWO/" in text
    assert "TWO · Second project" in html
    assert not Notification.objects.filter(in_digest=True).exists()
    assert Notification.objects.filter(recipient=member).count() == 3  # still in the inbox
    # idempotent: a second run finds nothing to send
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=_at_local(18)) == 0
    assert len(smtp_inbox.messages) == 1


def test_digest_waits_for_the_users_local_hour(settings, project, manager, member, observer):
    settings.DIGEST_HOUR = 18
    for user, zone in ((member, "Asia/Shanghai"), (observer, "Europe/Berlin")):
        user.daily_digest = True
        user.time_zone = zone
        user.save(update_fields=["daily_digest", "time_zone"])
    _comment(project, manager, [member, observer])
    assert digest_send(now=_at_local(17)) == 0
    assert Notification.objects.filter(in_digest=True).count() == 2
    # 18:00 in Shanghai is 11:00 in Berlin: only the member's digest goes
    assert digest_send(now=_at_local(18)) == 1
    assert list(
        Notification.objects.filter(in_digest=True).values_list("recipient", flat=True)
    ) == [observer.pk]
    berlin_six = dt.datetime(2027, 3, 4, 18, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert digest_send(now=berlin_six) == 1
    assert not Notification.objects.filter(in_digest=True).exists()


def test_digest_in_the_users_language(
    smtp_inbox, settings, project, manager, member, django_capture_on_commit_callbacks
):
    settings.DIGEST_HOUR = 9
    member.daily_digest = True
    member.language = "zh-hans"
    member.save(update_fields=["daily_digest", "language"])
    notify(
        event="comment",
        recipients=[member],
        actor=manager,
        message=REQUIRED,
        params={},
        project=project,
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(now=_at_local(9))
    assert "这个字段是必填项。" in _bodies(smtp_inbox.messages[0])[0]


# -- what notify() costs -------------------------------------------------------------


def _recipients(org, count: int) -> list:
    return [make_user(f"reader{n}@test.example", org=org) for n in range(count)]


def _notify_queries(project, manager, recipients) -> int:
    with CaptureQueriesContext(connection) as context:
        _comment(project, manager, recipients)
    return len(context.captured_queries)


def test_notify_queries_do_not_grow_with_recipients(org, project, manager):
    Webhook.objects.create(project=project, name="Room", url="https://a.example/", format="slack")
    one = _recipients(org, 1)
    ten = [make_user(f"more{n}@test.example", org=org) for n in range(10)]
    _prefer(ten[0], "comment", "off")
    _prefer(ten[1], "comment", "inbox")
    ten[2].daily_digest = True
    small = _notify_queries(project, manager, one)
    large = _notify_queries(project, manager, ten)
    # preferences, inbox rows, mails (the outbox), webhooks, webhook deliveries
    assert small == large == 5
    assert Notification.objects.filter(recipient__in=ten).count() == 9
