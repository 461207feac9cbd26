"""Deliveries: queued per event, tried by the job (webhooks.jobs.deliver_webhook),
signed when the webhook has a secret, the chat service's answer read
(webhooks.platforms: WeCom, DingTalk and Feishu refuse with HTTP 200 and a
code), retried with a growing delay."""

import datetime as dt
import http.client
import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.core.registry import RoomMessage, registry
from liaison.webhooks import platforms as webhook_platforms
from liaison.webhooks.formats import payload_for, team_url
from liaison.webhooks.guard import Answer, HostNotFound, TargetRefused, send
from liaison.webhooks.jobs import deliver_webhook
from liaison.webhooks.models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

Format = Webhook.Format
Status = WebhookDelivery.Status
# The wait before each retry: 30 s, 2 min, 10 min, 1 h; then the delivery has failed.

BACKOFF = (30, 120, 600, 3600)
MAX_ATTEMPTS = len(BACKOFF) + 1
# -- deliveries ----------------------------------------------------------------------


def deliveries_queue(
    hooks: list[Webhook], *, event: str, text: str, url: str, language: str
) -> list[WebhookDelivery]:
    """Store one pending delivery per webhook and queue the job for each once the
    caller's transaction commits. `url` is made the team's page (`team_url`)."""
    url = team_url(url)
    now = timezone.now()
    with translation.override(language):
        rows = [
            WebhookDelivery(
                webhook=hook,
                event=event,
                next_try_at=now,
                payload=payload_for(
                    hook.format, event=event, text=text, url=url, project=hook.project
                ),
            )
            for hook in hooks
        ]
    created = WebhookDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: [deliver_webhook(pk) for pk in ids])
    return created


def _network_error(failure: Exception) -> str:
    reason = getattr(failure, "reason", None) or failure
    if isinstance(reason, TimeoutError):
        # A server that took the connection and never answered (or never took it).
        return str(
            _("No answer within %(seconds)s s (WEBHOOK_TIMEOUT).")
            % {"seconds": settings.WEBHOOK_TIMEOUT}
        )
    return (str(reason) or type(failure).__name__)[:500]


def _post_delivery(delivery: WebhookDelivery) -> Answer:
    """Sign (now: the platforms refuse an old timestamp) and post the stored payload."""
    webhook = delivery.webhook
    request = webhook_platforms.signed_request(
        webhook.format,
        url=webhook.url,
        payload=delivery.payload,
        secret=webhook.secret,
        now=time.time(),
    )
    return send(request.url, request.body, request.headers)


def _answer_error(format: str, answer: Answer) -> tuple[str, bool]:
    """What went wrong in an answer ("" when nothing did), and whether to try again."""
    if 300 <= answer.status < 400:
        return f"Redirect ({answer.status}) not followed.", False
    if not 200 <= answer.status < 300:
        return webhook_platforms.http_error(answer.status, answer.body), True
    refused = webhook_platforms.refusal(format, answer.body)
    if refused is not None:
        return refused.message, refused.retry
    return "", False


def delivery_attempt(delivery_id: int) -> int | None:
    """Post a pending delivery once and record what happened. Returns the seconds
    to wait before the next try, or None when the delivery is settled (delivered,
    failed, or not pending any more). No transaction is held while posting."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook")
        .filter(pk=delivery_id, status=Status.PENDING)
        .first()
    )
    if delivery is None:
        return None
    attempts = delivery.attempts + 1
    code, error, retry = None, "", False
    answer = None
    try:
        answer = _post_delivery(delivery)
    except HostNotFound as missing:
        error, retry = str(missing.message), True
    except TargetRefused as refused:
        error = str(refused.message)
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error, retry = _network_error(failure), True
    else:
        code = answer.status
        error, retry = _answer_error(delivery.webhook.format, answer)
    delay = BACKOFF[attempts - 1] if retry and attempts < MAX_ATTEMPTS else None
    if answer is not None and not error:
        status = Status.DELIVERED
    else:
        status = Status.PENDING if delay is not None else Status.FAILED
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        status=status,
        status_code=code,
        error=error,
        finished_at=None if status == Status.PENDING else now,
        next_try_at=now + dt.timedelta(seconds=delay) if delay is not None else None,
    )
    return delay


def deliveries_sweep(*, now: dt.datetime) -> list[int]:
    """Queue again each pending delivery whose try was due more than
    settings.WEBHOOK_SWEEP_SECONDS ago: its job was lost with a killed worker
    (huey takes a job off the queue when it starts it). Each row is claimed by a
    conditional update, so two sweeps at once queue it once. A delivery the
    killed worker had already posted may so arrive twice (at least once)."""
    cutoff = now - dt.timedelta(seconds=settings.WEBHOOK_SWEEP_SECONDS)
    stuck = WebhookDelivery.objects.filter(status=Status.PENDING, next_try_at__lt=cutoff)
    swept = []
    for pk, due in stuck.values_list("pk", "next_try_at")[:500]:
        claimed = WebhookDelivery.objects.filter(pk=pk, status=Status.PENDING, next_try_at=due)
        if claimed.update(next_try_at=now):
            swept.append(pk)
    if swept:
        logger.warning("Webhook deliveries queued again after a lost job: %s", swept)
        transaction.on_commit(lambda: [deliver_webhook(pk) for pk in swept])
    return swept


@registry.room_sender
def post_to_rooms(message: RoomMessage) -> None:
    """One delivery per active webhook of the project that takes this room topic
    (no events chosen: every event). The text is written once, in the language of
    the project's manager: a chat room has no single reader's language."""
    # By id: the registry's message carries the project as a plain model.
    active = Webhook.objects.filter(project_id=message.project.pk, active=True)
    hooks = [
        hook
        for hook in active.select_related("project__manager")
        if not hook.events or message.room in hook.events
    ]
    if not hooks:
        return
    manager = hooks[0].project.manager
    language = getattr(manager, "language", "") or settings.LANGUAGE_CODE
    deliveries_queue(
        hooks, event=message.event, text=message.text(language), url=message.url, language=language
    )
