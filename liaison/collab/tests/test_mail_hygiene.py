"""Every e-mail of the product, through a real SMTP server: marked as
machine-written, a clean one-line subject that is not HTML-escaped, HTML with a
language and a head, and a one-click unsubscribe link on notifications and the
digest."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy

from conftest import NOW
from liaison.collab.notify import digest_send, notify
from liaison.communication.services.interactions import interaction_create
from liaison.communication.services.sending import interaction_send
from liaison.core.mail import message_build, one_line
from liaison.projects.member_services import member_invite
from liaison.projects.models import Project

TRICKY = "\"<>&'"
NAME = gettext_lazy("%(name)s")
# (A long header is folded onto its next line: the parsed value keeps a space.)
SITE = "http://127.0.0.1:8000"  # the tests' SITE_URL
UNSUBSCRIBE = re.compile("^<(" + re.escape(SITE) + r"/notifications/unsubscribe/[^/>]+/)>$")


def _bodies(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html_part = message.get_body(("html",))
    return text, html_part.get_content() if html_part is not None else ""


def _assert_html_document(html: str, language: str) -> None:
    assert html.lstrip().startswith("<!doctype html>")
    assert f'<html lang="{language}">' in html
    head = html[html.index("<head>") : html.index("</head>")]
    assert '<meta charset="utf-8">' in head and "<title>" in head
    assert html.index("</head>") < html.index("<body")


def _notify(project, actor, recipient, name):
    return notify(
        event="comment",
        recipients=[recipient],
        actor=actor,
        message=NAME,
        params={"name": name},
        project=project,
        url="/p/OWN/",
    )


# -- notifications ---------------------------------------------------------------------


def test_a_notification_mail_is_auto_submitted_with_one_click_unsubscribe(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(project, manager, member, "Hello")
    (message,) = smtp_inbox.messages
    assert message["Auto-Submitted"] == "auto-generated"
    link = UNSUBSCRIBE.match(message["List-Unsubscribe"].strip())[1]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = _bodies(message)
    assert link in text and f'href="{link}"' in html
    _assert_html_document(html, "en")


def test_the_html_mail_speaks_the_recipients_language(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        _notify(project, manager, member, "Hello")
    _assert_html_document(_bodies(smtp_inbox.messages[0])[1], "zh-hans")


def test_a_subject_is_not_html_escaped(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    Project.objects.filter(pk=project.pk).update(code="O&W")
    project.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(project, manager, member, TRICKY)
    (message,) = smtp_inbox.messages
    assert message["Subject"] == f"[O&W] {TRICKY}"
    text, html = _bodies(message)
    assert TRICKY in text
    assert TRICKY not in html and "&quot;&lt;&gt;&amp;" in html
    assert "<title>[O&amp;W] &quot;&lt;&gt;&amp;&#x27;</title>" in html


def test_a_subject_has_no_leading_space_nor_line_breaks(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="comment",
            recipients=[member],
            actor=manager,
            message=NAME,
            params={"name": "\n   First line\n\n  second   line  "},
        )
    assert smtp_inbox.messages[0]["Subject"] == "First line second line"


def test_message_build_cleans_every_subject_and_marks_every_mail():
    message = message_build(to=["a@test.example"], subject="  Two\r\nlines ", text="x")
    assert message.subject == "Two lines"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert one_line("\t a  b \n") == "a b"


# -- the digest ------------------------------------------------------------------------


def test_the_digest_has_its_own_unsubscribe_link_and_an_html_head(
    smtp_inbox, settings, project, manager, member, django_capture_on_commit_callbacks
):
    settings.DIGEST_HOUR = 18
    member.daily_digest = True
    member.save(update_fields=["daily_digest"])
    _notify(project, manager, member, TRICKY)
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(now=dt.datetime(2027, 3, 4, 18, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
    (message,) = smtp_inbox.messages
    assert message["Auto-Submitted"] == "auto-generated"
    link = UNSUBSCRIBE.match(message["List-Unsubscribe"].strip())[1]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = _bodies(message)
    assert link in text and TRICKY in text
    _assert_html_document(html, "en")


# -- the other mails: invitation, password reset, agenda and minutes --------------------


def test_the_invitation_subject_is_not_escaped_and_its_html_has_a_head(
    smtp_inbox, project, manager, django_capture_on_commit_callbacks
):
    Project.objects.filter(pk=project.pk).update(name=TRICKY)
    project.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        member_invite(
            project=project, by=manager, email="new@test.example", role="member", confirm=True
        )
    invite = next(m for m in smtp_inbox.messages if "invited" in m["Subject"])
    assert invite["Subject"] == f"You are invited to {TRICKY} on Liaison"
    assert invite["Auto-Submitted"] == "auto-generated"
    assert invite["List-Unsubscribe"] is None  # not a notification: nothing to stop
    _assert_html_document(_bodies(invite)[1], "en")


def test_the_password_reset_mail_is_auto_submitted(
    smtp_inbox, client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": member.email})
    (message,) = smtp_inbox.messages
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Subject"] == "Choose a new Liaison password"


@pytest.mark.parametrize("what", ["agenda", "minutes"])
def test_agenda_and_minutes_are_clean(
    smtp_inbox, project, manager, member, what, django_capture_on_commit_callbacks
):
    meeting = interaction_create(
        project=project,
        by=manager,
        subject=TRICKY,
        occurred_at=NOW,
        agenda="1. Scope",
        minutes="We agreed.",
        participants=[member],
    )
    with django_capture_on_commit_callbacks(execute=True):
        interaction_send(interaction=meeting, by=manager, what=what)
    (message,) = [m for m in smtp_inbox.messages if m["X-Envelope-To"] == member.email]
    assert TRICKY in message["Subject"] and "&quot;" not in message["Subject"]
    assert message["Auto-Submitted"] == "auto-generated"
    _assert_html_document(_bodies(message)[1], "en")
