"""Notifications, one module. A service names the event, the people to tell and
a translatable message; each recipient gets it in their own language.

This wave delivers to the in-app inbox. E-mail, digests and webhooks join here
(as queued jobs) with the communication hub.
"""

from collections.abc import Iterable

from django.utils import translation

from liaison.core.models import Notification


def notify(
    *,
    event: str,
    recipients: Iterable,
    actor,
    message: str,
    params: dict,
    project=None,
    url: str = "",
) -> list[Notification]:
    """`message` is a lazy gettext string with %(name)s placeholders; lazy
    params (role names, statuses) are translated per recipient too."""
    rows = []
    seen = set()
    for recipient in recipients:
        if recipient is None or recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        if actor is not None and recipient.pk == actor.pk:
            continue  # nobody needs to be told what they just did
        with translation.override(recipient.language):
            text = str(message) % {key: str(value) for key, value in params.items()}
        rows.append(
            Notification(
                recipient=recipient,
                actor=actor,
                project=project,
                event=event,
                text=text[:500],
                url=url,
            )
        )
    return Notification.objects.bulk_create(rows)
