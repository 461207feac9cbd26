"""Every e-mail of the product is composed and built here.

mail_queue() writes a mail in the recipient's language and queues it after
commit, so a rolled-back change never sends mail and a slow SMTP server never
slows a page. message_build() makes the message the job sends, for every mail
(the password-reset form's too): marked as machine-written, its subject one
clean line.

Subjects and plain-text bodies are rendered with autoescaping off (they are
not HTML: a project called `"<>&'` must arrive as such); HTML bodies extend
core/email/base.html, which gives them a language and a head."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.utils import translation
from huey.contrib.djhuey import db_task

logger = logging.getLogger(__name__)

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


def mail_queue(
    *, to: object, template: str, context: dict[str, Any], unsubscribe_url: str = ""
) -> None:
    """`template` names <template>_subject.txt and <template>.txt, and <template>.html
    when the mail has an HTML version. `unsubscribe_url` (a one-click link that
    turns this kind of mail off) goes into the List-Unsubscribe headers and the
    context as `unsubscribe_link`. `to` is anyone with an `email` (and a `language`)."""
    address = getattr(to, "email", "")
    if _suppressed.get() or not address:
        return
    with translation.override(getattr(to, "language", None) or "en"):
        context = {**context, "recipient": to, "unsubscribe_link": unsubscribe_url}
        subject = one_line(_render_plain(f"{template}_subject.txt", context))
        text = _render_plain(f"{template}.txt", context)
        html = _render_if_present(f"{template}.html", {**context, "subject": subject})
    headers = unsubscribe_headers(unsubscribe_url)
    transaction.on_commit(
        lambda: send_email(to=[address], subject=subject, text=text, html=html, headers=headers)
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


# A mail server that is down or refuses is tried again after 1, 2, 4, … 128
# minutes (about 4 h 15 min in all); each failure is logged by huey with its
# reason, and the last one says that the mail is lost and to whom it was.
MAIL_RETRIES = 8
MAIL_RETRY_DELAY = 60


# huey ships no type hints, so its decorator is untyped.
@db_task(  # type: ignore[untyped-decorator]
    retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY, retry_backoff=2, context=True
)
def send_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
    task: Any = None,
) -> None:
    try:
        message_build(to=to, subject=subject, text=text, html=html, headers=headers).send()
    except Exception:
        if task is not None and not task.retries:
            logger.error("Mail lost after %s tries: %r to %s", MAIL_RETRIES + 1, subject, to)
        raise
