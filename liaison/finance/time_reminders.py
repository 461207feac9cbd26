"""Time reminders: in an organization that turned them on
(`Organization.time_reminders`, off by default), each person who works on one of
its open projects and logged fewer hours last week than their capacity (their
hours per week less their time off: planning's `person_weeks`) is told once.
Runs with the daily reminders (hourly, acting at settings.REMINDER_HOUR) from
Monday on; the communication app's Reminder table, keyed on last week's Monday,
makes a second run, a later day of the week or a second worker tell nobody twice."""

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liaison.accounts.models import Organization, User
from liaison.collab.notify import notify
from liaison.communication.models import Reminder
from liaison.core.registry import registry
from liaison.finance.models import TimeEntry
from liaison.planning.selectors.workload import WorkloadFilters, person_weeks, plain_hours
from liaison.projects.models import Membership

logger = logging.getLogger(__name__)

TIME_REMINDER = "time.reminder"
WORKING_ROLES = (Membership.Role.MANAGER, Membership.Role.MEMBER)


def _short(
    organization: Organization, person: User, week: dt.date, logged: Decimal, capacity: Decimal
) -> bool:
    """Record the reminder and tell the person: both or neither; a reminder of
    that week already recorded means it went out before."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                kind=TIME_REMINDER, object_id=organization.pk, recipient=person, day=week
            )
            notify(
                event=TIME_REMINDER,
                recipients=[person],
                actor=None,
                message=_(
                    "Reminder: you logged %(logged)s of your %(capacity)s hours in the week "
                    "of %(week)s. Log the rest, or record your time off."
                ),
                params={
                    "logged": plain_hours(logged),
                    "capacity": plain_hours(capacity),
                    "week": week.isoformat(),
                },
                url=reverse("projects:person", args=[person.pk]),
            )
    except IntegrityError:
        return False
    return True


def _remind_organization(organization: Organization, week: dt.date) -> int:
    """Everyone of the organization's open projects' teams whose logged hours
    fell short of their capacity in the week starting `week`."""
    people = list(
        User.objects.filter(
            is_active=True,
            org_memberships__organization=organization,
            memberships__role__in=WORKING_ROLES,
            memberships__project__organization=organization,
            memberships__project__archived_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
    weeks = person_weeks(
        organization_id=organization.pk,
        user_ids=[person.pk for person in people],
        filters=WorkloadFilters(start=week, weeks=1),
    )
    logged = dict(
        TimeEntry.objects.filter(
            project__organization=organization,
            person__in=people,
            day__gte=week,
            day__lte=week + dt.timedelta(days=6),
        )
        .values("person")
        .annotate(hours=Sum("hours"))
        .values_list("person", "hours")
        .order_by()
    )
    told = 0
    for person in people:
        capacity = weeks[person.pk].capacity[0]
        hours = logged.get(person.pk) or Decimal(0)
        if hours < capacity:
            told += _short(organization, person, week, hours, capacity)
    return told


@registry.reminder
def send_time_reminders(now: dt.datetime | None = None) -> int:
    """Remind the people who logged less than their capacity last week, in the
    organizations that ask for it; returns how many were told. Safe to run again."""
    today = timezone.localdate(now or timezone.now())
    last_week = today - dt.timedelta(days=today.weekday() + 7)
    told = sum(
        _remind_organization(organization, last_week)
        for organization in Organization.objects.filter(time_reminders=True).order_by("pk")
    )
    logger.info("time reminders: %s", told)
    return told


@db_periodic_task(crontab(minute="0"))
def time_reminders_hourly() -> int:
    if timezone.localtime().hour != settings.REMINDER_HOUR:
        return 0
    return send_time_reminders()
