"""Weeks as timesheets count them: Monday to Sunday, filed under the Monday."""

import datetime as dt


def week_of(day: dt.date) -> dt.date:
    """The Monday of the day's week: what a timesheet is filed under."""
    return day - dt.timedelta(days=day.weekday())


def week_days(week: dt.date) -> list[dt.date]:
    """The seven days of the week that starts on `week`."""
    return [week + dt.timedelta(days=n) for n in range(7)]
