"""Background jobs of the collaboration layer: the daily digest."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liaison.collab.notify import digest_send


@db_periodic_task(crontab(minute="0"))
def send_digests() -> None:
    """Every hour on the hour: the people for whom it is now DIGEST_HOUR get their digest."""
    digest_send(now=timezone.now())
