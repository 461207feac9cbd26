"""Time for tests: rates that price it, entries logged through the services."""

import datetime as dt
from decimal import Decimal

from conftest import TODAY
from liaison.finance.models import Rate, TimeEntry, Timesheet
from liaison.finance.services.time import time_entry_create
from liaison.finance.services.timesheets import timesheet_submit
from liaison.finance.weeks import week_of

THIS_WEEK = week_of(TODAY)
LAST_WEEK = THIS_WEEK - dt.timedelta(days=7)


def role_rates(project, *, since=LAST_WEEK - dt.timedelta(days=70)) -> None:
    """Cost and bill rates for the project's managers and members."""
    for role, cost in (("manager", "90"), ("member", "60")):
        Rate.objects.create(
            organization=project.organization,
            role=role,
            currency=project.currency,
            cost_rate=Decimal(cost),
            bill_rate=Decimal(cost) * 2,
            effective_from=since,
        )


def log(project, person, day, hours="8", **fields):
    return time_entry_create(project=project, by=person, day=day, hours=Decimal(hours), **fields)


def submitted_week(project, person, week=LAST_WEEK, days=3, hours="8") -> Timesheet:
    """`days` days of the week logged and submitted."""
    for n in range(days):
        log(project, person, week + dt.timedelta(days=n), hours)
    sheet = Timesheet.objects.get(project=project, person=person, week=week)
    return timesheet_submit(timesheet=sheet, by=person, version=sheet.version)


def time_row(project, person, *, week=LAST_WEEK, status="submitted", note="") -> TimeEntry:
    """A week of `status` with one 8-hour entry on its Monday, written directly
    (for tests that need the rows of a person outside the project's team)."""
    sheet = Timesheet.objects.create(project=project, person=person, week=week, status=status)
    return TimeEntry.objects.create(
        timesheet=sheet,
        project=project,
        person=person,
        day=week,
        hours=Decimal("8"),
        status=status,
        note=note,
    )
