"""A report's period: the week or month a day falls in, its default title, and
last week, which the Monday job drafts."""

import calendar
import datetime as dt

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.services import InvalidInput
from liaison.reports.models import StatusReport

Period = StatusReport.Period


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period `day` falls in: Monday to Sunday of its ISO week, or the
    first to the last day of its month."""
    if period == Period.WEEKLY:
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if period == Period.MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    raise InvalidInput(_("Choose weekly or monthly."), field="period")


def default_title(period: str, start: dt.date, end: dt.date) -> str:
    """ "Week 47, 2026" or "November 2026", in the active language."""
    if period == Period.WEEKLY:
        year, week, _day = start.isocalendar()
        return gettext("Week %(week)s, %(year)s") % {"week": week, "year": year}
    return formats.date_format(start, "YEAR_MONTH_FORMAT")  # "November 2026", "2026年11月"


def last_week_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday() + 7)
