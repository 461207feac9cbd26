"""Reads of the webhook pages and API."""

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from liaison.projects.models import Project
from liaison.webhooks.models import Webhook, WebhookDelivery

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class LastDelivery(TypedDict):
    """What webhook_list() tells of each webhook's last delivery (None: none yet)."""

    last_status: str | None
    last_status_code: int | None
    last_at: dt.datetime | None


Format = Webhook.Format
Status = WebhookDelivery.Status
# The wait before each retry: 30 s, 2 min, 10 min, 1 h; then the delivery has failed.

# -- the selectors of the pages ---------------------------------------------------

DELIVERIES_SHOWN = 50


def webhook_list(*, project: Project) -> "QuerySet[WithAnnotations[Webhook, LastDelivery]]":
    """The project's webhooks, each with its last delivery's status, code and time."""
    last = WebhookDelivery.objects.filter(webhook=OuterRef("pk")).order_by("-created_at", "-id")
    return Webhook.objects.filter(project=project).annotate(
        last_status=Subquery(last.values("status")[:1]),
        last_status_code=Subquery(last.values("status_code")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
    )


def webhook_get(*, project: Project, webhook_id: int | None) -> Webhook:
    webhook = Webhook.objects.filter(project=project, pk=webhook_id).first() if webhook_id else None
    if webhook is None:
        raise Http404
    webhook.project = project
    return webhook


def webhook_delivery_rows(*, webhook: Webhook) -> QuerySet[WebhookDelivery]:
    """The delivery log, newest first, without the bodies posted."""
    return WebhookDelivery.objects.filter(webhook=webhook).defer("payload")


def webhook_deliveries(*, webhook: Webhook, limit: int = DELIVERIES_SHOWN) -> list[WebhookDelivery]:
    return list(webhook_delivery_rows(webhook=webhook)[:limit])
