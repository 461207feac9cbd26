"""Background jobs of webhooks: one delivery try at a time, and the sweep that
queues again a delivery whose job was lost with a killed worker."""

from django.db import close_old_connections
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task


@db_task()
def deliver_webhook(delivery_id: int) -> None:
    """One try; on failure the job schedules itself again after a growing delay
    (30 s, 2 min, 10 min, 1 h: webhooks.delivery.BACKOFF), then the delivery has failed."""
    from liaison.webhooks.delivery import delivery_attempt  # it queues this job

    delay = delivery_attempt(delivery_id)
    if delay is not None:
        deliver_webhook.schedule(args=(delivery_id,), delay=delay)


@db_periodic_task(crontab(minute="*/5"))
def sweep_deliveries() -> None:
    """Every five minutes: pending deliveries long overdue are queued again."""
    from liaison.webhooks.delivery import deliveries_sweep

    deliveries_sweep(now=timezone.now())


@HUEY.on_startup()
def sweep_at_startup() -> None:
    """A worker that starts (again, after a kill) sweeps at once. Each worker
    thread runs this; the sweep's claim queues a delivery once."""
    from liaison.webhooks.delivery import deliveries_sweep

    try:
        deliveries_sweep(now=timezone.now())
    finally:
        close_old_connections()
