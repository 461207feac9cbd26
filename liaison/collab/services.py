"""Writes of the collaboration layer: comments and the notification inbox."""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import (
    User,
)
from liaison.collab.mentions import mentioned_users
from liaison.collab.models import Comment, Notification, NotificationPreference
from liaison.collab.notification_kinds import DIGEST, KINDS, needs_action
from liaison.collab.notify import notification_channels, notify
from liaison.core import search
from liaison.core.activity import activity_record
from liaison.core.markdown import render_markdown
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Membership, Project


@transaction.atomic
def comment_create(
    *,
    target: models.Model,
    project: Project,
    by: User,
    body: str,
    client_visible: bool,
    url: str = "",
    portal_url: str = "",
) -> Comment:
    """`url` is the target's page for the team, `portal_url` the client's (if any)."""
    access.require(by, Action.COMMENT, project)
    if target != project and getattr(target, "project_id", None) != project.pk:
        raise InvalidInput(_("This is not part of the project."))
    body = body.strip()
    if not body:
        raise InvalidInput(_("Write something before posting."), field="body")
    if access.audience_of(by, project).is_client:
        client_visible = True  # what a client writes is, by nature, seen by the client
    comment = Comment.objects.create(
        project=project,
        target=target,
        author=by,
        body=body,
        body_html=render_markdown(body),
        client_visible=client_visible,
    )
    search.index(comment)
    activity_record(
        actor=by,
        verb="commented",
        target=target,
        project=project,
        client_visible=client_visible,
    )
    notify(
        event="comment",
        recipients=[project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s commented on %(target)s"),
        params={"actor": by, "target": target},
        url=url,
    )
    _tell_mentioned(comment, target, by, url=url, portal_url=portal_url)
    return comment


def _tell_mentioned(
    comment: Comment, target: models.Model, by: User, *, url: str, portal_url: str
) -> None:
    """@mentions notify project members. A client only where they read both the
    comment and what it is on, and with the portal's link (the team's page is
    not theirs); nobody mentioned, nobody told."""
    project = comment.project
    client_reads = comment.client_visible and (
        target == project or getattr(target, "client_visible", False)
    )
    mentioned = mentioned_users(comment.body, project, audience_client_visible=client_reads)
    if not mentioned:
        return
    clients = set(
        Membership.objects.filter(
            project=project, user__in=mentioned, role=Membership.Role.CLIENT
        ).values_list("user_id", flat=True)
    )
    for people, link in (
        ([user for user in mentioned if user.pk not in clients], url),
        ([user for user in mentioned if user.pk in clients], portal_url),
    ):
        if people:
            notify(
                event="mentioned",
                recipients=people,
                actor=by,
                project=project,
                message=_("%(actor)s mentioned you in %(target)s"),
                params={"actor": by, "target": target},
                url=link,
            )


def notifications_mark_read(*, by: User, ids: list[int] | None = None) -> int:
    """Mark the given notifications of `by` read, or all of them when ids is None.
    Other people's ids are ignored: a user can only touch their own inbox."""
    unread = Notification.objects.filter(recipient=by, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_email_stop(*, by: User, kind: str) -> dict[str, list[object]]:
    """The one-click unsubscribe link of an e-mail: a notification kind's link
    turns that kind's e-mail off (it stays in the inbox); the digest's turns
    off the digest and the e-mail of the news kinds, so stopping the digest
    does not start one mail per piece of news, while what needs the person
    (approvals, requests, answers, assignments, reminders) still comes by
    e-mail. Returns the diff; clicking twice changes nothing."""
    if kind != DIGEST and kind not in KINDS:
        raise InvalidInput(_("Unknown events: %(names)s") % {"names": kind})
    Channel = NotificationPreference.Channel
    current = notification_channels(by)
    diff: dict[str, list[object]] = {}
    for name in _kinds_stopped_by(kind):
        if current[name] == Channel.EMAIL:
            NotificationPreference.objects.update_or_create(
                user=by, event=name, defaults={"channel": Channel.INBOX}
            )
            diff[f"notifications.{name}"] = [Channel.EMAIL, Channel.INBOX]
    if kind == DIGEST and by.daily_digest:
        User.objects.filter(pk=by.pk).update(daily_digest=False)
        by.daily_digest = False
        diff["daily_digest"] = [True, False]
    if diff:
        activity_record(actor=by, verb="updated", target=by, diff=diff)
    return diff


def _kinds_stopped_by(kind: str) -> list[str]:
    """The kinds whose e-mail an unsubscribe link turns off: its own kind, or
    for the digest's link every news kind (never the ones that need the person)."""
    if kind == DIGEST:
        return [name for name in KINDS if not needs_action(name)]
    return [kind]


@transaction.atomic
def notification_preferences_update(
    *, by: User, channels: dict[str, str], daily_digest: bool
) -> dict[str, list[object]]:
    """The user's own choice per kind of event (collab.notification_kinds.KINDS): e-mail and
    inbox, inbox only, or off; and one e-mail a day instead of one per event.
    Kinds left out of `channels` keep what they had. Returns the diff."""
    unknown = set(channels) - set(KINDS)
    if unknown:
        raise InvalidInput(_("Unknown events: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for kind, channel in channels.items():
        if channel not in NotificationPreference.Channel.values:
            raise InvalidInput(_("Choose one of the options."), field=kind)
    current = notification_channels(by)
    diff: dict[str, list[object]] = {}
    for kind, channel in channels.items():
        if current[kind] != channel:
            NotificationPreference.objects.update_or_create(
                user=by, event=kind, defaults={"channel": channel}
            )
            diff[f"notifications.{kind}"] = [current[kind], channel]
    daily_digest = bool(daily_digest)
    if by.daily_digest != daily_digest:
        User.objects.filter(pk=by.pk).update(daily_digest=daily_digest)
        diff["daily_digest"] = [by.daily_digest, daily_digest]
        by.daily_digest = daily_digest
    if diff:
        activity_record(actor=by, verb="updated", target=by, diff=diff)
    return diff
