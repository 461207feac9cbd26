"""People who logged less than their capacity last week get one reminder, in an
organization that turned the reminders on (off by default)."""

import datetime as dt
from decimal import Decimal

from conftest import NOW, TODAY
from liaison.collab.models import Notification
from liaison.collab.notification_kinds import event_kind
from liaison.finance.models import TimeEntry, Timesheet
from liaison.finance.time_reminders import TIME_REMINDER, send_time_reminders
from liaison.projects.models import TimeOff

LAST_MONDAY = TODAY - dt.timedelta(days=TODAY.weekday() + 7)


def _log(project, person, hours, days=5):
    """`hours` a day on the first `days` days of last week."""
    sheet = Timesheet.objects.create(project=project, person=person, week=LAST_MONDAY)
    for n in range(days):
        TimeEntry.objects.create(
            timesheet=sheet,
            project=project,
            person=person,
            day=LAST_MONDAY + dt.timedelta(days=n),
            hours=Decimal(hours),
        )


def _turn_on(org):
    org.time_reminders = True
    org.save(update_fields=["time_reminders"])


def test_off_by_default(org, project, manager, member):
    assert send_time_reminders(NOW) == 0
    assert not Notification.objects.exists()


def test_those_short_of_their_capacity_are_told_once(org, project, manager, member, observer):
    _turn_on(org)
    _log(project, member, 8)  # 40 of 40: nothing to say
    _log(project, manager, 6)  # 30 of 40
    assert send_time_reminders(NOW) == 1
    assert send_time_reminders(NOW) == 0  # the same week: told already
    assert send_time_reminders(NOW + dt.timedelta(days=2)) == 0  # later that week too
    told = Notification.objects.get()
    assert (told.recipient, told.event) == (manager, TIME_REMINDER)
    assert event_kind(TIME_REMINDER) == "reminder"
    assert "30 of your 40 hours" in told.text
    assert send_time_reminders(NOW + dt.timedelta(days=7)) == 2  # a new week: both short


def test_time_off_lowers_what_they_owe(org, project, member, manager):
    _turn_on(org)
    TimeOff.objects.create(
        organization=org, user=member, start_date=LAST_MONDAY, end_date=LAST_MONDAY
    )
    _log(project, member, 8, days=4)  # 32 of 32
    _log(project, manager, 8)
    assert send_time_reminders(NOW) == 0
