"""Reads of a person's running timer: one query, with its project and task."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from liaison.accounts.models import User
from liaison.finance.models import Timer
from liaison.finance.services.timer import timer_hours


@dataclass(frozen=True)
class RunningTimer:
    """A timer as its pages show it, at the moment they are rendered."""

    timer: Timer
    now: dt.datetime

    @property
    def elapsed(self) -> dt.timedelta:
        return max(self.now - self.timer.started_at, dt.timedelta(0))

    @property
    def elapsed_text(self) -> str:
        """h:mm, which the page's script ticks on from."""
        minutes = int(self.elapsed.total_seconds()) // 60
        return f"{minutes // 60}:{minutes % 60:02d}"

    @property
    def started_epoch(self) -> int:
        return int(self.timer.started_at.timestamp())

    @property
    def hours(self) -> Decimal:
        """What stopping it now would log."""
        return timer_hours(elapsed=self.elapsed)

    @property
    def overnight(self) -> bool:
        return timezone.localdate(self.now) != timezone.localdate(self.timer.started_at)


def running_timer(*, person: User) -> RunningTimer | None:
    """The person's running timer, whichever project it is in: one query."""
    if not person.is_authenticated:
        return None
    found = list(
        Timer.objects.filter(person_id=person.pk).select_related("project", "task").order_by()[:1]
    )
    return RunningTimer(found[0], timezone.now()) if found else None
