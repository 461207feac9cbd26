"""No English in a Chinese reader's e-mail: every mail the product sends, sent
to people who read 简体中文 through a real SMTP server, and a line of its
subject, text or HTML body that is an English msgid of the catalog with a
translation is interface text the mail forgot to translate (the sibling of
test_untranslated_pages.py).

The mails: the demo's notifications, written by the real services, in each
person's daily digest; one notification mail for every event the apps
register (each kind's label and the mail itself); every reminder run of the
registry; an invitation, a password reset, and a meeting's agenda and minutes.
A msgid with %(placeholders)s matches whatever stands in them; a string the
catalog has no translation for yet is no failure (the lead translates)."""

import datetime as dt
import re
import zoneinfo
from email.message import EmailMessage

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils.translation import gettext_lazy

from conftest import TODAY
from liaison.accounts.models import Organization, User
from liaison.collab.models import Notification, NotificationPreference
from liaison.collab.notification_kinds import KINDS
from liaison.collab.notify import digest_send, notify
from liaison.communication.models import Interaction
from liaison.communication.services.sending import interaction_send
from liaison.core.models import OutgoingMail
from liaison.core.registry import registry
from liaison.demo.load import load_demo
from liaison.projects.member_services import member_invite
from liaison.projects.models import Membership, Project
from liaison.tests.test_untranslated_pages import CATALOG, ENTRY, VisibleText, _unquote

CHINESE = "zh-hans"
SHANGHAI = "Asia/Shanghai"
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[sdif]")
# A line's parts: "Owner: Li · Due: 2026-11-20", "- a digest row", "[CODE] a subject".
SEPARATORS = re.compile(r"\s+·\s+|(?<=\S):\s+|^[-•]\s+|^\[[^\]]+\]\s+")
CHINESE_TEXT = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"  # CJK punctuation, ideographs, full width
# English words standing alone in Chinese text: a translatable word that went
# into a sentence untranslated ("…调整为 USD 1（Change request）").
EMBEDDED = re.compile(
    rf"(?:^|(?<=[{CHINESE_TEXT}]))\s*([A-Za-z][A-Za-z' -]*[A-Za-z])\s*(?=[{CHINESE_TEXT}]|$)"
)
# A message the catalog translates, for the mail of each registered event.
COMMENTED = gettext_lazy("%(actor)s commented on %(target)s")
# Content, not interface: what people wrote and the mails themselves.
NOT_CONTENT = {"collab.Notification", "core.OutgoingMail"}


def english_messages() -> tuple[set[str], re.Pattern]:
    """The catalog's msgids whose translation differs from them, as a mail
    shows them (whitespace collapsed): those without placeholders as strings,
    those with them as one pattern in which a placeholder is any text."""
    plain, patterns = set(), []
    for msgid_block, msgstr_block in ENTRY.findall(CATALOG.read_text(encoding="utf-8")):
        msgid, msgstr = _unquote(msgid_block), _unquote(msgstr_block)
        if not msgid or not msgstr or msgid == msgstr or "<" in msgid:
            continue
        text = " ".join(msgid.split())
        parts = [part.replace("%%", "%") for part in PLACEHOLDER.split(text)]
        if len(parts) == 1:
            plain.add(text)
        elif sum(char.isalpha() for char in "".join(parts)) >= 4:  # more than "%(n)s h"
            patterns.append("(?:.+?)".join(re.escape(part) for part in parts))
    return plain, re.compile("|".join(patterns))


def world_content() -> set[str]:
    """Every line of text the rows hold (names, titles, minutes): content,
    even when it is a word of the catalog (a meeting called "Kick-off")."""
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("liaison.") or model._meta.label in NOT_CONTENT:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for values in model._default_manager.values_list(*fields) if fields else []:
            for value in values:
                found.update(" ".join(line.split()) for line in (value or "").splitlines())
    return found


def candidates(text: str) -> set[str]:
    """The strings of a plain text a msgid may be: each line and its parts, and
    runs of up to three paragraphs (a msgid may span a blank line)."""
    found = set()
    for line in text.splitlines():
        line = " ".join(line.split())
        found.add(line)
        found.update(part.strip() for part in SEPARATORS.split(line))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    for size in (2, 3):
        found.update(" ".join(paragraphs[n : n + size]) for n in range(len(paragraphs) - size + 1))
    return found - {""}


def html_candidates(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return {" ".join(text.split()) for text in parser.strings}


def mail_strings(message: EmailMessage) -> set[str]:
    found = candidates(str(message["Subject"]))
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            found |= candidates(part.get_content())
        elif part.get_content_type() == "text/html":
            found |= html_candidates(part.get_content())
    return found


def untranslated(strings: set[str], plain: set[str], pattern: re.Pattern) -> set[str]:
    """The strings that are English msgids, less those that only hold a
    shorter one (a paragraph around a line already found)."""
    found = {text for text in strings if text in plain or pattern.fullmatch(text)}
    found |= {
        words
        for text in strings
        if re.search(f"[{CHINESE_TEXT}]", text)
        for words in EMBEDDED.findall(text)
        if words in plain
    }
    return {text for text in found if not any(other in text for other in found - {text})}


def test_the_check_finds_english_with_and_without_placeholders():
    plain = {"Owner", "Open it in Liaison:", "Change request", "Wang"}
    pattern = re.compile(r"Hello (?:.+?),|(?:.+?) commented on (?:.+?)")
    strings = candidates(
        "您好 张伟，\n\n[OWN] 王芳 commented on REQ-1\n- T-1 · Owner: 李明\n"
        "打开：\nOpen it in Liaison:\n"
        "预算调整为 USD 1.00（Change request）\n王芳 Wang Fang 将 T-3 分配给了您"
    ) | html_candidates("<p>Hello 张伟,</p><p>负责人</p>")
    assert untranslated(strings, plain, pattern) == {
        "王芳 commented on REQ-1",  # not the subject around it
        "Owner",
        "Open it in Liaison:",
        "Hello 张伟,",
        "Change request",  # a word the sentence took untranslated; not a name's part
    }


# -- sending every mail ---------------------------------------------------------------


def _everyone_reads_chinese_by_mail() -> None:
    """Every person reads 简体中文 in Shanghai and has every kind by e-mail."""
    User.objects.update(language=CHINESE, time_zone=SHANGHAI, daily_digest=False)
    NotificationPreference.objects.all().delete()
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=user, event=kind, channel=NotificationPreference.Channel.EMAIL)
        for user in User.objects.filter(is_active=True)
        for kind in KINDS
    )


def _every_event(project: Project) -> None:
    manager = project.manager
    people = [m.user for m in Membership.objects.filter(project=project).select_related("user")]
    for event in sorted(registry.notification_events):
        notify(
            event=event,
            recipients=people,
            actor=manager,
            message=COMMENTED,
            params={"actor": manager, "target": project.code},
            project=project,
            url=reverse("home:overview", args=[project.code]),
        )


def _the_demos_notifications_in_a_digest() -> None:
    """Each message of the demo's services once, in its recipient's digest."""
    Notification.objects.update(in_digest=False)
    seen, marked = set(), []
    for row in Notification.objects.order_by("pk"):
        if (row.event, row.message, row.fallback_text) not in seen:
            seen.add((row.event, row.message, row.fallback_text))
            marked.append(row.pk)
    Notification.objects.filter(pk__in=marked).update(in_digest=True)
    hour = dt.time(settings.DIGEST_HOUR)
    assert digest_send(now=dt.datetime.combine(TODAY, hour, zoneinfo.ZoneInfo(SHANGHAI)))


def _invitations(project: Project) -> None:
    by = project.manager
    member_invite(project=project, by=by, email="new@demo.test", role="member", confirm=True)
    someone = User.objects.exclude(memberships__project=project).filter(is_active=True).first()
    assert someone is not None
    member_invite(project=project, by=by, email=someone.email, role="observer", confirm=True)


def _password_reset(person: User) -> None:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en")  # the page's language is not the mail's
    http.post(reverse("accounts:password-reset"), {"email": person.email})


def _agenda_and_minutes() -> None:
    interaction = Interaction.objects.exclude(minutes="").exclude(agenda="").first()
    assert interaction is not None
    for what in ("agenda", "minutes"):
        interaction_send(interaction=interaction, by=interaction.project.manager, what=what)


@pytest.mark.django_db
def test_every_mail_is_chinese_for_a_chinese_reader(smtp_inbox, django_capture_on_commit_callbacks):
    load_demo()
    _everyone_reads_chinese_by_mail()
    Organization.objects.update(time_reminders=True)
    project = Project.objects.get(code="ACME-WMS")
    with django_capture_on_commit_callbacks(execute=True):
        _every_event(project)
        for remind in registry.reminders:
            remind(None)
        _the_demos_notifications_in_a_digest()
        _invitations(project)
        _password_reset(project.manager)
        _agenda_and_minutes()
    assert not OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).exists()
    readers = set(User.objects.values_list("email", flat=True))
    mails = [m for m in smtp_inbox.messages if m["X-Envelope-To"] in readers]
    assert len(mails) > len(registry.notification_events), "every event was mailed"

    plain, pattern = english_messages()
    plain -= world_content()
    found: dict[str, set[str]] = {}
    for message in mails:
        if missed := untranslated(mail_strings(message), plain, pattern):
            found.setdefault(str(message["Subject"]), set()).update(missed)
    assert found == {}, "English in a Chinese mail:\n" + "\n".join(
        f"{subject}: {sorted(strings)}" for subject, strings in sorted(found.items())
    )
