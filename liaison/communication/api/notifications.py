"""API: the signed-in person's own inbox of notifications, whoever they are
(client contacts too)."""

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from liaison.collab.selectors import notifications_for
from liaison.collab.services import notifications_mark_read
from liaison.communication.schemas import (
    MarkReadIn,
    MarkReadOut,
    NotificationOut,
    NotificationQuery,
)
from liaison.core.schemas import SIGNED_IN, Error, Page
from liaison.core.services import InvalidInput

router = Router()


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **SIGNED_IN},
    summary="Your notifications, newest first",
    description="Your own inbox, whoever you are (client contacts too).",
)
@paginate(Page)
def notification_list(request, filters: Query[NotificationQuery]):
    rows = notifications_for(user=request.user).order_by("-created_at", "-id")
    if filters.unread is not None:
        rows = rows.filter(read_at__isnull=filters.unread)
    return rows


@router.post(
    "/notifications/read",
    response={200: MarkReadOut, 400: Error, **SIGNED_IN},
    summary="Mark your notifications read",
    description='Send {"ids": [...]} for some, or {"all": true} for every one. Ids that '
    "are not yours are ignored.",
)
def notifications_read(request, data: MarkReadIn):
    if data.all:
        ids = None
    elif data.ids is not None:
        ids = list(dict.fromkeys(data.ids))[:1000]
    else:
        raise InvalidInput(_('Send "ids" or "all": true.'), field="ids")
    return {"marked": notifications_mark_read(by=request.user, ids=ids)}
