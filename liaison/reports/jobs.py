"""The weekly draft reports: on Monday at settings.REPORT_HOUR, last week's
report is drafted for every team that reports weekly, and its manager is asked
to add the summary and publish it. A huey task runs every hour and acts at that
local hour (huey's crontab counts in UTC). Safe to run twice: a week already
drafted is skipped."""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liaison.core.registry import registry
from liaison.reports.services import weekly_drafts_create

logger = logging.getLogger(__name__)
MONDAY = 0


@registry.reminder
def draft_weekly_reports(now: dt.datetime | None = None) -> int:
    """Draft last week's reports; returns how many."""
    drafted = weekly_drafts_create(today=timezone.localdate(now or timezone.now()))
    logger.info("weekly report drafts: %s", drafted)
    return drafted


def is_drafting_hour(now: dt.datetime) -> bool:
    local = timezone.localtime(now)
    return local.weekday() == MONDAY and local.hour == settings.REPORT_HOUR


@db_periodic_task(crontab(minute="0"))
def weekly_drafts_hourly() -> int:
    now = timezone.now()
    return draft_weekly_reports(now) if is_drafting_hour(now) else 0
