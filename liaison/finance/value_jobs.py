"""The daily budget alerts (services/value.py says what they tell): hourly,
acting at settings.REMINDER_HOUR like the other reminders; `Budget.alerted`
makes a second run, or a second worker, tell nobody twice."""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liaison.core.registry import registry
from liaison.finance.models import Budget
from liaison.finance.services.value import budget_thresholds_alert
from liaison.projects.models import Project

logger = logging.getLogger(__name__)


@registry.reminder
def alert_budget_thresholds(now: dt.datetime | None = None) -> int:
    """Check every live project's budget; returns how many alerts went out."""
    today = timezone.localdate(now or timezone.now())
    with_budget = Budget.objects.filter(agreed_total__gt=0).values("project")
    projects = Project.objects.filter(pk__in=with_budget, archived_at__isnull=True).order_by("id")
    sent = sum(budget_thresholds_alert(project=project, today=today) for project in projects)
    logger.info("budget alerts: %s", sent)
    return sent


@db_periodic_task(crontab(minute="0"))
def budget_thresholds_hourly() -> int:
    if timezone.localtime().hour != settings.REMINDER_HOUR:
        return 0
    return alert_budget_thresholds()
