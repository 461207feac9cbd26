"""What a feature's section of a status report is made with (its entry,
`registry.ReportSection`, says how it plugs in): the values and health level a
section gives for a period, the days of a period as database filters, and the
labels of frozen values.

Every section counts the same way: the days start..end inclusive, in the time
zone the report sets (its manager's), and only the client-visible rows it names.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

# Health levels, as a section suggests them and StatusReport.Health stores them.
GREEN, AMBER, RED = "green", "amber", "red"
_RANK = {GREEN: 0, AMBER: 1, RED: 2}

MAX_LISTED = 20  # rows per list in a report: it is read, not searched


@dataclass(frozen=True)
class SectionFacts:
    """What a section says for a period: its values (plain data, dates as dates;
    the report freezes them as JSON when published) and the health level they
    suggest (GREEN, AMBER or RED; never frozen on its own)."""

    values: dict[str, Any]
    health: str = GREEN


def worst(levels: Iterable[str]) -> str:
    """The worst of health levels (GREEN when none)."""
    return max(levels, key=lambda level: _RANK.get(level, 0), default=GREEN)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight starting `day`, in the active time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def within_days(name: str, start: dt.date, end: dt.date) -> Q:
    """A datetime column within the days start..end (inclusive), in local time."""
    return Q(**{f"{name}__gte": day_start(start), f"{name}__lt": day_start(end + dt.timedelta(1))})


def choice_label(choices: type[models.Choices], value: str) -> str:
    """A stored value's label in the reader's language (a value a later version
    no longer knows shows as it was stored)."""
    return str(choices(value).label) if value in choices.values else value
