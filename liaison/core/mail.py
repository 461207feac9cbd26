"""Every e-mail of the product is composed and built here.

mail_queue() writes a mail in the recipient's language into the outbox
(core.models.OutgoingMail) inside the caller's transaction and queues its
sending after commit, so a rolled-back change never sends mail, a committed one
never loses its mail, and a slow SMTP server never slows a page (core.outbox
sends, retries and sweeps). message_build() makes the message the job sends,
for every mail (the password-reset form's too): marked as machine-written, its
subject one clean line.

Subjects and plain-text bodies are rendered with autoescaping off (they are
not HTML: a project called `"<>&'` must arrive as such); HTML bodies extend
core/email/base.html, which gives them a language and a head."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from liaison.core.jobs import deliver_mail
from liaison.core.models import OutgoingMail

# Set while demo data is loaded: the events are real, the people are not.
_suppressed: ContextVar[bool] = ContextVar("liaison_mail_suppressed", default=False)


@contextmanager
def mail_suppressed() -> Iterator[None]:
    """Queue no mail inside this block (also usable as a decorator)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def one_line(subject: str) -> str:
    """A subject is one line without leading or doubled spaces."""
    return " ".join(subject.split())


def mail_compose(
    *, to: object, template: str, context: dict[str, Any], unsubscribe_url: str = ""
) -> OutgoingMail | None:
    """One mail, written and not yet stored (None when mail is suppressed or the
    person has no address). `template` names <template>_subject.txt and
    <template>.txt, and <template>.html when the mail has an HTML version.
    `unsubscribe_url` (a one-click link that turns this kind of mail off) goes
    into the List-Unsubscribe headers and the context as `unsubscribe_link`.
    `to` is anyone with an `email` (and a `language`); the context's `project`,
    when it has one, files the mail under it (the organization's page of
    undelivered mail)."""
    address = getattr(to, "email", "")
    if _suppressed.get() or not address:
        return None
    with translation.override(getattr(to, "language", None) or "en"):
        context = {**context, "recipient": to, "unsubscribe_link": unsubscribe_url}
        subject = one_line(_render_plain(f"{template}_subject.txt", context))
        text = _render_plain(f"{template}.txt", context)
        html = _render_if_present(f"{template}.html", {**context, "subject": subject})
    project = context.get("project")
    return OutgoingMail(
        to=[address],
        recipient=to if isinstance(to, get_user_model()) else None,
        project_id=getattr(project, "pk", None),
        subject=subject,
        text=text,
        html=html,
        headers=unsubscribe_headers(unsubscribe_url),
        next_try_at=timezone.now(),
    )


def mails_queue(mails: Iterable[OutgoingMail | None]) -> list[OutgoingMail]:
    """Store the mails in the outbox in the caller's transaction (one query,
    however many) and queue their sending once it commits: a rolled-back change
    leaves no mail, a committed one always has its mail, even when the job is
    lost (core.outbox sweeps it back)."""
    rows = OutgoingMail.objects.bulk_create([mail for mail in mails if mail is not None])
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: [deliver_mail(pk) for pk in ids])
    return rows


def mail_queue(
    *, to: object, template: str, context: dict[str, Any], unsubscribe_url: str = ""
) -> None:
    """Write one mail (mail_compose) and queue it (mails_queue)."""
    mails_queue(
        [mail_compose(to=to, template=template, context=context, unsubscribe_url=unsubscribe_url)]
    )


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail programs show an unsubscribe button that
    POSTs to the link, without the person signing in."""
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def message_build(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """The message as sent. Auto-Submitted (RFC 3834) keeps out-of-office
    replies and auto-forwarding loops away from a mailbox nobody reads."""
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        to=to,
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """Plain text: nothing is HTML-escaped, whatever the template says."""
    # Django's is the only template engine (settings): its templates wrap the
    # engine's own, which renders a Context.
    template = cast(DjangoTemplate, get_template(name))
    return template.template.render(Context(context, autoescape=False))


def _render_if_present(name: str, context: dict[str, Any]) -> str:
    try:
        return render_to_string(name, context)
    except TemplateDoesNotExist:
        return ""
