"""Writes of the core objects: comments and the notification inbox."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts import access
from liaison.accounts.access import Action
from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.markdown import render_markdown
from liaison.core.models import Comment, Notification
from liaison.core.notify import notify


class InvalidInput(ValueError):
    """Input a service refuses, with the field it concerns (None: the whole form)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


@transaction.atomic
def comment_create(
    *, target, project, by: User, body: str, client_visible: bool, url: str = ""
) -> Comment:
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
    return comment


def notifications_mark_read(*, by: User, ids: list[int] | None = None) -> int:
    """Mark the given notifications of `by` read, or all of them when ids is None.
    Other people's ids are ignored: a user can only touch their own inbox."""
    unread = Notification.objects.filter(recipient=by, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
