"""The hourly sweep of stored files no document version refers to (a rolled
back upload's), an hour old at least so that no upload in flight is taken."""

import datetime as dt
import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liaison.documents.services.documents import stray_files_remove

logger = logging.getLogger(__name__)
GRACE = dt.timedelta(hours=1)


@db_periodic_task(crontab(minute="17"))
def stray_files_hourly() -> int:
    removed = stray_files_remove(before=timezone.now() - GRACE)
    if removed:
        logger.info("documents: %s stray files removed", removed)
    return removed
