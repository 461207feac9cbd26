"""The daily escalation of issues: at settings.REMINDER_HOUR each open issue
past its due date, or blocked, climbs one level of its project's escalation
path and that level's person is told. A huey task runs every hour and acts at
that hour; safe to run twice (an issue escalated today waits for tomorrow)."""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liaison.controls.services.issue_escalation import issues_escalate_due
from liaison.core.registry import registry

logger = logging.getLogger(__name__)


@registry.reminder
def escalate_issues(now: dt.datetime | None = None) -> int:
    """Escalate what is due today; returns how many people were told."""
    escalated = issues_escalate_due(today=timezone.localdate(now or timezone.now()))
    logger.info("issues escalated: %s", escalated)
    return escalated


@db_periodic_task(crontab(minute="0"))
def issue_escalation_hourly() -> int:
    if timezone.localtime().hour != settings.REMINDER_HOUR:
        return 0
    return escalate_issues()
