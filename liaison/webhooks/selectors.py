"""Reads of the webhook pages and API."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from liaison.webhooks.models import Webhook, WebhookDelivery

Format = Webhook.Format
Status = WebhookDelivery.Status
# The wait before each retry: 30 s, 2 min, 10 min, 1 h; then the delivery has failed.

# -- the selectors of the pages ---------------------------------------------------

DELIVERIES_SHOWN = 50


def webhook_list(*, project) -> QuerySet[Webhook]:
    """The project's webhooks, each with its last delivery's status, code and time."""
    last = WebhookDelivery.objects.filter(webhook=OuterRef("pk")).order_by("-created_at", "-id")
    return Webhook.objects.filter(project=project).annotate(
        last_status=Subquery(last.values("status")[:1]),
        last_status_code=Subquery(last.values("status_code")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
    )


def webhook_get(*, project, webhook_id: int | None) -> Webhook:
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
