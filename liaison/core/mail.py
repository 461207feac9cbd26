"""Compose an e-mail in the recipient's language and queue it after commit,
so a rolled-back change never sends mail and a slow SMTP server never slows a page."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from liaison.core.jobs import send_email


def mail_queue(*, to, template: str, context: dict) -> None:
    """`template` names a pair: <template>_subject.txt and <template>.txt (+ .html if present)."""
    with translation.override(getattr(to, "language", None) or "en"):
        context = {**context, "recipient": to}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    address = to.email
    transaction.on_commit(lambda: send_email(to=[address], subject=subject, text=text, html=html))
