"""The Gantt chart's time axis: the scales, the range snapped to whole units, the
calendar units of the header bands, and the x position of a day.

x positions are integer arithmetic on day ordinals (plans of thousands of tasks).
"""

import datetime as dt
from dataclasses import dataclass

SCALES = ("day", "week", "month", "quarter")
# Pixels per calendar day for each scale: a day cell, a week of 42 px, a month of
# about 90 px, a quarter of about 91 px.
PX_PER_DAY = {"day": 24, "week": 6, "month": 3, "quarter": 1}
LABEL_W = 260  # the left column of task names: the time axis starts after it

# Two header bands per scale: (upper, lower).
TIERS = {
    "day": ("month", "day"),
    "week": ("month", "week"),
    "month": ("year", "month"),
    "quarter": ("year", "quarter"),
}


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _next_quarter(day: dt.date) -> dt.date:
    return _next_month(_next_month(_next_month(day)))


def _snap(scale: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Widen the range to whole units of the scale (the last day included)."""
    if scale == "week":
        first = start - dt.timedelta(days=start.weekday())
        last = end + dt.timedelta(days=6 - end.weekday())
    elif scale == "month":
        first, last = _month_start(start), _next_month(end) - dt.timedelta(days=1)
    elif scale == "quarter":
        first, last = _quarter_start(start), _next_quarter(_quarter_start(end))
        last -= dt.timedelta(days=1)
    else:
        first, last = start, end
    return first, last


@dataclass(frozen=True, slots=True)
class TimeAxis:
    scale: str
    ppd: int  # pixels per day
    first: dt.date  # the chart's first day
    last: dt.date  # its last day
    o0: int  # the first day's ordinal
    o_end: int  # the ordinal of the day after the chart

    @classmethod
    def of(cls, scale: str, start: dt.date, end: dt.date) -> "TimeAxis":
        """The axis of `scale` (an unknown one draws weeks) over start..end."""
        scale = scale if scale in PX_PER_DAY else "week"
        first, last = _snap(scale, start, end)
        return cls(scale, PX_PER_DAY[scale], first, last, first.toordinal(), last.toordinal() + 1)

    @property
    def width(self) -> int:
        return (self.o_end - self.o0) * self.ppd

    def x_at(self, ordinal: int) -> int:
        """The x of the start of a day given as an ordinal, kept within the chart."""
        return LABEL_W + (min(max(ordinal, self.o0), self.o_end) - self.o0) * self.ppd

    def x_of(self, day: dt.date) -> int:
        return self.x_at(day.toordinal())

    def units(self, unit: str, labels: dict) -> list[tuple[dt.date, str]]:
        """(first day, label) of every unit meeting the chart; the first may start before."""
        return _UNITS[unit](self.first, self.last, labels.get("months"))


def _days(first: dt.date, last: dt.date, _months) -> list[tuple[dt.date, str]]:
    units = []
    day, one = first, dt.timedelta(days=1)
    while day <= last:
        units.append((day, str(day.day)))
        day += one
    return units


def _weeks(first: dt.date, last: dt.date, _months) -> list[tuple[dt.date, str]]:
    units = []
    day = first - dt.timedelta(days=first.weekday())
    seven = dt.timedelta(days=7)
    while day <= last:
        units.append((day, f"W{day.isocalendar()[1]:02d}"))
        day += seven
    return units


def _months(first: dt.date, last: dt.date, months) -> list[tuple[dt.date, str]]:
    units = []
    day = _month_start(first)
    while day <= last:
        label = months[day.month - 1] if months else f"{day.year}-{day.month:02d}"
        units.append((day, label))
        day = _next_month(day)
    return units


def _quarters(first: dt.date, last: dt.date, _months) -> list[tuple[dt.date, str]]:
    units = []
    day = _quarter_start(first)
    while day <= last:
        units.append((day, f"Q{(day.month - 1) // 3 + 1}"))
        day = _next_quarter(day)
    return units


def _years(first: dt.date, last: dt.date, _months) -> list[tuple[dt.date, str]]:
    units = []
    day = dt.date(first.year, 1, 1)
    while day <= last:
        units.append((day, str(day.year)))
        day = dt.date(day.year + 1, 1, 1)
    return units


_UNITS = {"day": _days, "week": _weeks, "month": _months, "quarter": _quarters, "year": _years}
