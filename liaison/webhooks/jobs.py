"""Background jobs of webhooks: one delivery try at a time."""

from huey.contrib.djhuey import db_task


@db_task()
def deliver_webhook(delivery_id: int) -> None:
    """One try; on failure the job schedules itself again after a growing delay
    (30 s, 2 min, 10 min, 1 h: webhooks.delivery.BACKOFF), then the delivery has failed."""
    from liaison.webhooks.delivery import delivery_attempt  # it queues this job

    delay = delivery_attempt(delivery_id)
    if delay is not None:
        deliver_webhook.schedule(args=(delivery_id,), delay=delay)
