"""Notifications, one module. A service names the event, the people to tell,
a translatable message and its parameters, and the object it is about; each
recipient hears of it where they asked for it (collab.notification_kinds says
which events need the person and how they hear of them by default):

- the in-app inbox (unless they turned that kind of event off),
- an e-mail, stored in the outbox with the change and sent after commit (or,
  for people who want one mail a day, a mark on the inbox row that the daily
  digest picks up),
- and, once per event, the project's webhooks (chat rooms), posted by a job.

The inbox row stores the message's gettext key and its parameters, not a
sentence: it is written in the reader's language whenever it is read
(collab.notification_text). When what a notification asks for is done, the
service calls notifications_resolve() and it is marked read for everyone.

Nothing here does I/O inline: mail and webhook posts are rows written in the
caller's transaction and sent by huey jobs queued on commit, so a dead SMTP
server or chat service never fails the user's action.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from liaison.collab.models import Notification, NotificationPreference
from liaison.collab.notification_kinds import (
    DEFAULT_CHANNELS,
    DIGEST,
    KINDS,
    event_kind,
)
from liaison.collab.notification_text import CONTEXT, MSGID, gettext_key, params_data
from liaison.core.mail import mail_compose, mail_queue, mails_queue
from liaison.core.models import OutgoingMail
from liaison.core.registry import RoomMessage, registry

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Channel = NotificationPreference.Channel
DIGEST_LIMIT = 200  # rows listed in one digest mail; the rest are counted
UNSUBSCRIBE_SALT = "liaison.notifications.unsubscribe"


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


def _message_key(message) -> str:
    """The msgid a row stores; "" when the message is not a plain lazy gettext
    string (the row then keeps the sentence itself)."""
    key = gettext_key(message)
    return key[MSGID] if key is not None and CONTEXT not in key else ""


def notify(
    *,
    event: str,
    recipients: Iterable,
    actor,
    message: "StrOrPromise",
    params: dict,
    project=None,
    url: str = "",
    target=None,
    room_message=None,
    to_room: bool = True,
) -> list[Notification]:
    """`message` is a lazy gettext string with %(name)s placeholders; lazy
    params (role names, statuses) are stored by their key and translated for
    each reader too. `target` is the object the notification is about: the one
    notifications_resolve() is later called with.

    A chat room is read by the whole team, not by the person told: a message
    that speaks to its reader ("asks you to approve") comes with `room_message`,
    the same news told about them (same params). `to_room=False` keeps the
    room out when another notify() of the same action has told it already.

    Runs inside the caller's transaction: three queries whatever the number of
    recipients (their preferences, the inbox rows, the project's webhooks) plus
    one to store the mails when someone is mailed and one to store webhook
    deliveries when a webhook takes the event."""
    kind = event_kind(event)
    people = _recipients(recipients, actor)
    channels = channels_for(people, kind) if people else {}
    msgid, data = _message_key(message), params_data(params)
    target_fields = {}
    if target is not None:
        target_fields = {
            "target_type": ContentType.objects.get_for_model(target),
            "target_id": target.pk,
        }
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
            message=msgid,
            params=data,
            fallback_text="" if msgid else _text(message, params, recipient.language)[:500],
            url=url,
            in_digest=by_mail and recipient.daily_digest,
            **target_fields,
        )
        rows.append(row)
        if by_mail and not recipient.daily_digest:
            mail_to.append(row)
    created = Notification.objects.bulk_create(rows) if rows else []
    if mail_to:
        mails_queue([_mail(row, kind=kind) for row in mail_to])
    room = KINDS[kind].room if to_room else None
    if project is not None and room is not None:
        _post_to_rooms(
            event=event,
            room=room,
            message=message if room_message is None else room_message,
            params=params,
            project=project,
            url=url,
        )
    return created


def _recipients(recipients: Iterable, actor) -> list:
    """Active people, each once, without the actor: nobody needs to be told
    what they just did."""
    people, seen = [], set()
    for recipient in recipients:
        if recipient is None or recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        if actor is None or recipient.pk != actor.pk:
            people.append(recipient)
    return people


def notifications_resolve(*, target, events: Iterable[str]) -> int:
    """What the notifications of `events` about `target` asked for is done (a
    decision made, an item completed): mark them read for everyone they were
    sent to, and keep them out of a digest not sent yet. Services call it in
    their transaction; returns how many were still unread."""
    return Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        event__in=list(events),
        read_at__isnull=True,
    ).update(read_at=timezone.now(), in_digest=False)


def _mail(row: Notification, *, kind: str) -> OutgoingMail | None:
    unsubscribe = unsubscribe_url(row.recipient, kind)
    return mail_compose(
        to=row.recipient,
        template="collab/email/notification",
        context={
            "notification": row,  # its text is written in the recipient's language
            "actor": row.actor,
            "project": row.project,
            "kind_label": KINDS[kind].label,
            "link": absolute_url(row.url),
            "preferences_link": absolute_url(reverse("collab:notification-preferences")),
        },
        unsubscribe_url=unsubscribe,
    )


def _post_to_rooms(*, event: str, room: str, message, params: dict, project, url: str) -> None:
    """Hand the event to whatever posts to the project's rooms (the webhooks app
    registers itself): they choose the rooms and the language of the text."""
    posted = RoomMessage(
        event=event,
        room=room,
        project=project,
        url=absolute_url(url or _project_url(project)),
        text=lambda language: _text(message, params, language)[:1000],
    )
    for send in registry.room_senders:
        send(posted)


def _project_url(project) -> str:
    return reverse("home:overview", args=[project.code])


# -- one-click unsubscribe (RFC 8058) --------------------------------------------


def unsubscribe_token(user, kind: str) -> str:
    """A signed, non-expiring token naming a person and a kind of e-mail (a
    notification kind or the digest): the link in the e-mail is the credential."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object([user.pk, kind])


def unsubscribe_url(user, kind: str) -> str:
    token = unsubscribe_token(user, kind)
    return absolute_url(reverse("collab:notifications-unsubscribe", args=[token]))


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a valid token, else None."""
    try:
        user_id, kind = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or (kind not in KINDS and kind != DIGEST):
        return None
    return user_id, kind


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
        # For the mail only: the row stores a path, the mail needs the whole address.
        setattr(row, "link", absolute_url(row.url or "/"))  # noqa: B010
        groups[-1]["rows"].append(row)
    mail_queue(
        to=user,
        template="collab/email/digest",
        context={
            "groups": groups,
            "count": len(ids),
            "more": len(ids) - len(rows),
            "inbox_link": absolute_url(reverse("collab:notifications")),
            "preferences_link": absolute_url(reverse("collab:notification-preferences")),
        },
        unsubscribe_url=unsubscribe_url(user, DIGEST),
    )
    return True
