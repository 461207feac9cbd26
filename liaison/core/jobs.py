"""Background jobs of the core: outgoing e-mail, webhook deliveries, the daily digest.

The work itself lives in core.webhooks and core.notify (imported inside the
jobs: both modules import this one to queue work)."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

Reminder = Callable[[dt.datetime | None], int]
# The features' reminder runs (due action items, the weekly report to write…),
# each a function of "now" returning how many people it told. Each feature's
# hourly job calls its own at the hour it acts; `manage.py send_reminders`
# calls them all at once, for a deployment that runs cron instead of huey.
REMINDERS: list[Reminder] = []


def reminder_register(function: Reminder) -> Reminder:
    """Decorator: list a feature's reminder run for `manage.py send_reminders`."""
    if function not in REMINDERS:
        REMINDERS.append(function)
    return function


@db_task(retries=3, retry_delay=60)
def send_email(
    *, to: list[str], subject: str, text: str, html: str = "", headers: dict | None = None
) -> None:
    from liaison.core.mail import message_build

    message_build(to=to, subject=subject, text=text, html=html, headers=headers).send()


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


def reminders_send(now: dt.datetime | None = None) -> dict[str, int]:
    """Every registered reminder run, now: name → how many were told."""
    return {f"{run.__module__}.{run.__name__}": run(now) for run in REMINDERS}
