"""Notifications, one module. A service names the event, the people to tell and
a translatable message; each recipient gets it in their own language, where
they asked for it:

- the in-app inbox (unless they turned that kind of event off),
- an e-mail, queued after commit (or, for people who want one mail a day, a
  mark on the inbox row that the daily digest picks up),
- and, once per event, the project's webhooks (chat rooms), posted by a job.

Every event name maps to a *kind* people set a preference for (`event_kind`).
Nothing here does I/O inline: mail and webhook posts are huey jobs queued on
commit, so a dead SMTP server or chat service never fails the user's action.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from liaison.core.mail import mail_queue
from liaison.core.models import Notification, NotificationPreference, Webhook

Channel = NotificationPreference.Channel

# The kinds of event a person sets a preference for, in the order the settings page lists them.
KINDS: dict[str, tuple] = {
    "assigned": (_("Assignments"), _("A task, an action item or a project is given to you.")),
    "mentioned": (_("Mentions"), _("Someone writes @you in a comment or in minutes.")),
    "comment": (_("Comments and messages"), _("New comments, and messages from the client.")),
    "status": (
        _("Status changes"),
        _("Requirements, milestones, baselines and action items move on."),
    ),
    "approval": (_("Approval needed"), _("Something waits for your decision.")),
    "reminder": (_("Reminders"), _("Action items and planned meetings coming due.")),
}
# What a project's chat room hears: news for the whole team. Assignments, mentions
# and reminders are written to one person ("…to you") and stay in their inbox.
ROOM_KINDS = ("comment", "status", "approval")
# No preference row: every kind by e-mail too, except status changes (frequent).
DEFAULT_CHANNELS = dict.fromkeys(KINDS, Channel.EMAIL) | {"status": Channel.INBOX}
DIGEST_LIMIT = 200  # rows listed in one digest mail; the rest are counted


def event_kind(event: str) -> str:
    """The kind of an event name as services write it ("task.assigned" → "assigned").
    Unknown events are status changes."""
    head = event.split(".", 1)[0]
    if event == "assigned" or event.endswith(".assigned"):
        return "assigned"
    if head == "mentioned":
        return "mentioned"
    if head in ("comment", "message"):  # a client's message to the team reads like a comment
        return "comment"
    if event == "approval.needed" or head == "approval":
        return "approval"
    if head == "reminder":
        return "reminder"
    return "status"


def channels_for(users: Iterable, kind: str) -> dict[int, str]:
    """User id → channel for one kind of event, for many users in one query."""
    ids = [user.pk for user in users]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, event=kind).values_list(
            "user_id", "channel"
        )
    )
    default = DEFAULT_CHANNELS.get(kind, Channel.INBOX)
    return {pk: chosen.get(pk, default) for pk in ids}


def notification_channels(user) -> dict[str, str]:
    """Every kind → the user's channel (their choice or the default): the settings page."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user, event__in=list(KINDS)).values_list(
            "event", "channel"
        )
    )
    return {kind: chosen.get(kind, DEFAULT_CHANNELS[kind]) for kind in KINDS}


def absolute_url(url: str) -> str:
    """A link people can open from a mail or a chat room."""
    if url.startswith(("https://", "http://")):
        return url
    return settings.SITE_URL + (url if url.startswith("/") else "/" + url)


def _text(message, params: dict, language: str) -> str:
    with translation.override(language):
        return str(message) % {key: str(value) for key, value in params.items()}


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
    params (role names, statuses) are translated per recipient too.

    Runs inside the caller's transaction: three queries whatever the number of
    recipients (their preferences, the inbox rows, the project's webhooks) plus
    one to store webhook deliveries when a webhook takes the event."""
    kind = event_kind(event)
    people, seen = [], set()
    for recipient in recipients:
        if recipient is None or recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        if actor is not None and recipient.pk == actor.pk:
            continue  # nobody needs to be told what they just did
        people.append(recipient)
    channels = channels_for(people, kind) if people else {}
    rows, mail_to = [], []
    for recipient in people:
        channel = channels[recipient.pk]
        if channel == Channel.OFF:
            continue
        by_mail = channel == Channel.EMAIL and bool(recipient.email)
        row = Notification(
            recipient=recipient,
            actor=actor,
            project=project,
            event=event,
            text=_text(message, params, recipient.language)[:500],
            url=url,
            in_digest=by_mail and recipient.daily_digest,
        )
        rows.append(row)
        if by_mail and not recipient.daily_digest:
            mail_to.append(row)
    created = Notification.objects.bulk_create(rows) if rows else []
    for row in mail_to:
        _mail(row, kind=kind)
    if project is not None and kind in ROOM_KINDS:
        _post_to_webhooks(
            event=event, kind=kind, message=message, params=params, project=project, url=url
        )
    return created


def _mail(row: Notification, *, kind: str) -> None:
    mail_queue(
        to=row.recipient,
        template="core/email/notification",
        context={
            "text": row.text,
            "headline": " ".join(row.text.split()),  # a subject is one line
            "actor": row.actor,
            "project": row.project,
            "kind_label": KINDS[kind][0],
            "link": absolute_url(row.url),
            "preferences_link": absolute_url(reverse("accounts:notification-preferences")),
        },
    )


def _post_to_webhooks(*, event: str, kind: str, message, params: dict, project, url: str) -> None:
    """One delivery per active webhook of the project that takes this kind of event
    (no events chosen: every event). The text is written once, in the language of
    the project's manager: a chat room has no single reader's language."""
    hooks = [
        hook
        for hook in Webhook.objects.filter(project=project, active=True).select_related(
            "project__manager"
        )
        if not hook.events or kind in hook.events
    ]
    if not hooks:
        return
    # Imported here: webhooks imports core.services, which imports this module.
    from liaison.core import webhooks

    manager = hooks[0].project.manager
    language = getattr(manager, "language", "") or settings.LANGUAGE_CODE
    webhooks.deliveries_queue(
        hooks,
        event=event,
        text=_text(message, params, language)[:1000],
        url=absolute_url(url or _project_url(project)),
        language=language,
    )


def _project_url(project) -> str:
    return reverse("projects:overview", args=[project.code])


# -- the daily digest ------------------------------------------------------------


def _local_hour(user, now: dt.datetime) -> int:
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return now.astimezone(zone).hour


def digest_send(*, now: dt.datetime | None = None) -> int:
    """Send each person whose local time is DIGEST_HOUR one mail listing the
    notifications kept for their digest, grouped by project, and clear the marks.
    Returns the number of mails queued. Running it twice sends nothing twice:
    the marks are cleared in the transaction that reads them."""
    from liaison.accounts.models import User

    now = now or timezone.now()
    waiting = User.objects.filter(
        is_active=True, pk__in=Notification.objects.filter(in_digest=True).values("recipient_id")
    )
    sent = 0
    for user in waiting:
        if _local_hour(user, now) != settings.DIGEST_HOUR:
            continue
        if _digest_one(user):
            sent += 1
    return sent


@transaction.atomic
def _digest_one(user) -> bool:
    # Locked and cleared in this transaction: a second run waits, then finds nothing.
    ids = list(
        Notification.objects.select_for_update()
        .filter(recipient=user, in_digest=True)
        .values_list("pk", flat=True)
    )
    if not ids or not Notification.objects.filter(pk__in=ids, in_digest=True).update(
        in_digest=False
    ):
        return False
    rows = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("project", "actor")
        .order_by("project__name", "project_id", "created_at", "id")[:DIGEST_LIMIT]
    )
    groups: list[dict] = []
    for row in rows:
        if not groups or groups[-1]["project"] != row.project:
            groups.append({"project": row.project, "rows": []})
        row.link = absolute_url(row.url or "/")
        groups[-1]["rows"].append(row)
    mail_queue(
        to=user,
        template="core/email/digest",
        context={
            "groups": groups,
            "count": len(ids),
            "more": len(ids) - len(rows),
            "inbox_link": absolute_url(reverse("core:notifications")),
            "preferences_link": absolute_url(reverse("accounts:notification-preferences")),
        },
    )
    return True
