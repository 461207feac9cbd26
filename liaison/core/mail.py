"""Compose an e-mail in the recipient's language and queue it after commit,
so a rolled-back change never sends mail and a slow SMTP server never slows a page."""

from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from liaison.core.jobs import send_email


def mail_queue(*, to, template: str, context: dict) -> None:
    """`template` names <template>_subject.txt and <template>.txt, and <template>.html
    when the mail has an HTML version."""
    with translation.override(getattr(to, "language", None) or "en"):
        context = {**context, "recipient": to}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = _render_if_present(f"{template}.html", context)
    address = to.email
    transaction.on_commit(lambda: send_email(to=[address], subject=subject, text=text, html=html))


def _render_if_present(name: str, context: dict) -> str:
    try:
        return render_to_string(name, context)
    except TemplateDoesNotExist:
        return ""
