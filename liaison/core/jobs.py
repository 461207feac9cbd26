"""Background jobs of the core: outgoing e-mail, webhook deliveries, the daily digest.

The work itself lives in core.webhooks and core.notify (imported inside the
jobs: both modules import this one to queue work)."""

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def send_email(*, to: list[str], subject: str, text: str, html: str = "") -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@db_task()
def deliver_webhook(delivery_id: int) -> None:
    """One try; on failure the job schedules itself again after a growing delay
    (30 s, 2 min, 10 min, 1 h: core.webhooks.BACKOFF), then the delivery has failed."""
    from liaison.core.webhooks import delivery_attempt

    delay = delivery_attempt(delivery_id)
    if delay is not None:
        deliver_webhook.schedule(args=(delivery_id,), delay=delay)


@db_periodic_task(crontab(minute="0"))
def send_digests() -> None:
    """Every hour on the hour: the people for whom it is now DIGEST_HOUR get their digest."""
    from liaison.core.notify import digest_send

    digest_send(now=timezone.now())
