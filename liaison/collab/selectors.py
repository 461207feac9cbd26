"""Reads of the collaboration layer (and the audit log) for pages and endpoints."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from liaison.collab.models import Attachment, Comment, Notification
from liaison.collab.notify import unsubscribe_read
from liaison.core.models import Activity
from liaison.projects.access import Audience
from liaison.projects.models import Project

if TYPE_CHECKING:
    from liaison.accounts.models import User


# What the inbox shows of a notification (Notification.text needs the three first).
INBOX_FIELDS = ("message", "params", "fallback_text", "url", "read_at", "created_at")


# What a row of the audit log shows (core/_activity_list.html): the kind of its
# target comes from the content types' cache (the `diff_rows` filter), not a join.
ACTIVITY_ROW = ("verb", "target_type", "target_label", "diff", "created_at", "actor")
ACTOR = ("actor__display_name", "actor__email")  # str(user)


def activity_for_project(*, project: Project, audience: Audience) -> QuerySet[Activity]:
    rows = Activity.objects.filter(project=project)
    rows = rows if audience.internal else rows.filter(client_visible=True)
    return rows.select_related("actor").only(*ACTIVITY_ROW, *ACTOR)


def activity_for(*, target: models.Model, audience: Audience) -> QuerySet[Activity]:
    """The audit trail of one object, newest first."""
    rows = Activity.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    )
    rows = rows if audience.internal else rows.filter(client_visible=True)
    return rows.select_related("actor").only(*ACTIVITY_ROW, *ACTOR)


def comments_for(*, target: models.Model, audience: Audience) -> QuerySet[Comment]:
    return (
        Comment.objects.for_audience(audience)
        .filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
        .select_related("author")
    )


@dataclass
class CommentThread:
    """The comments a page shows: the latest ones unless all were asked for."""

    comments: list[Comment]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.comments)


# What a comment shows in a thread (collab/_comments.html).
COMMENT_ROW = ("body_html", "client_visible", "created_at", "author")
AUTHOR = ("author__display_name", "author__email")  # str(user)


def comment_thread(
    *, target: models.Model, audience: Audience, latest: int | None = 30
) -> CommentThread:
    comments = comments_for(target=target, audience=audience).only(*COMMENT_ROW, *AUTHOR)
    if latest is None:
        rows = list(comments)
        return CommentThread(comments=rows, total=len(rows))
    rows = list(comments.order_by("-created_at", "-id")[:latest])
    rows.reverse()
    total = len(rows) if len(rows) < latest else comments.count()
    return CommentThread(comments=rows, total=total)


def notifications_for(*, user: "User") -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor", "project")


def notification_inbox(*, user: "User") -> QuerySet[Notification]:
    """The inbox page's rows, newest first: what a row shows (its sentence,
    link, time and whether it is read) and no more."""
    return Notification.objects.filter(recipient=user).only(*INBOX_FIELDS)


def unread_notification_count(*, user: "User") -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unsubscribe_user(*, token: str) -> "tuple[User, str] | None":
    """(user, kind) of an unsubscribe link, or None: a bad signature, or a
    person who is gone or deactivated."""
    from liaison.accounts.models import User

    found = unsubscribe_read(token)
    if found is None:
        return None
    user = User.objects.filter(pk=found[0], is_active=True).first()
    return (user, found[1]) if user is not None else None


ATTACHMENT_ROW = ("name", "size", "content_type", "created_at", "uploaded_by")


def attachments_of(*, target: models.Model) -> list[Attachment]:
    """The files on one row, oldest first, with who sent them (one query). The
    caller has already decided the reader may see `target`."""
    return list(
        Attachment.objects.filter(
            project_id=getattr(target, "project_id", 0),
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
        )
        .select_related("uploaded_by")
        .only(*ATTACHMENT_ROW, "uploaded_by__display_name", "uploaded_by__email")
        .order_by("created_at", "id")
    )
