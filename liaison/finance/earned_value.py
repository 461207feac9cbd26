"""Earned value, the arithmetic alone: no query, no model, so that it can be
checked against a worked example and timed on 10,000 tasks
(`selectors/value.py` reads the data and calls these).

The rules:

- **The work's budget (BAC)** is the budget's agreed total less its contingency
  reserve: the reserve pays for what was not planned, so no task earns it.
  Expenses and third-party lines stay in: actual cost counts expenses, so a
  budget without them would make every expense look like an overrun.
- **Each task's budgeted cost** is a share of BAC: by its `estimate_hours`
  among the baseline's tasks that have an estimate (a task without one then gets
  nothing), or evenly when none has one. Only the leaves count (a parent's work is
  its children's), and only the tasks the latest plan baseline dated. Shares
  are in cents; what rounding leaves goes to the last tasks, so they add up to
  BAC exactly.
- **PV at a day**: each task's budgeted cost spread evenly over the calendar
  days of its baseline start to finish, both included (half of a four-day task
  is planned by the end of its second day).
- **EV**: each task's budgeted cost × its progress (a done task 100 %). A past
  week's EV counts the tasks done by then (progress has no history).
- **AC**: approved time at the cost rate frozen on approval, plus expenses,
  up to the day.
- SV = EV − PV, CV = EV − AC, SPI = EV / PV, CPI = EV / AC, EAC = BAC / CPI
  (= BAC × AC / EV, not rounded through the index), ETC = EAC − AC,
  VAC = BAC − EAC. An index whose divisor is zero is None, and so is what
  depends on it.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class PlannedTask(NamedTuple):
    """A leaf task the baseline dated, as earned value sees it."""

    id: int
    milestone_id: int | None
    start: dt.date  # the baseline's
    finish: dt.date
    estimate: Decimal | None
    progress: int  # 0..100; a done task reads 100
    done_on: dt.date | None  # the day it was completed, if it is done


def spread_budget(bac: Decimal, estimates: Sequence[Decimal | None]) -> list[Decimal]:
    """Each task's budgeted cost, in cents, adding up to `bac` (module docstring).
    Counted in whole cents and tenths of an hour, as integers: 10,000 shares in
    a few milliseconds, none lost to rounding."""
    if not estimates:
        return []
    weights = [int(estimate * 10) if estimate and estimate > 0 else 0 for estimate in estimates]
    total = sum(weights)
    if total == 0:
        weights, total = [1] * len(estimates), len(estimates)
    budget = int(cents(bac) * 100)
    shares = [budget * weight // total for weight in weights]
    # Each share lost less than a cent, so the cents left are fewer than the shares.
    left = budget - sum(shares)
    weighted = [index for index, weight in enumerate(weights) if weight > 0]
    for index in weighted[len(weighted) - left :] if left > 0 else ():
        shares[index] += 1
    return [Decimal(share).scaleb(-2) for share in shares]


def planned_values(
    tasks: Sequence[PlannedTask], costs: Sequence[Decimal], days: Sequence[dt.date]
) -> list[Decimal]:
    """PV at the end of each of `days` (ascending), in cents. Each task adds its
    daily share from its start through its finish: one pass over the tasks and
    one over the calendar, whatever the number of days asked."""
    if not days:
        return []
    if not tasks:
        return [ZERO.quantize(CENT)] * len(days)
    origin = min(min(task.start for task in tasks), days[0])
    horizon = (days[-1] - origin).days
    slope = [ZERO] * (horizon + 2)
    for task, cost in zip(tasks, costs, strict=True):
        first = (task.start - origin).days
        if not cost or first > horizon:
            continue
        length = (task.finish - task.start).days + 1
        daily = cost / length
        slope[first] += daily
        slope[min(first + length, horizon + 1)] -= daily
    wanted = {(day - origin).days for day in days}
    at: dict[int, Decimal] = {}
    running = planned = ZERO
    for offset in range(horizon + 1):
        running += slope[offset]
        planned += running
        if offset in wanted:
            at[offset] = cents(planned)
    return [at[(day - origin).days] for day in days]


def planned_now(
    tasks: Sequence[PlannedTask], costs: Sequence[Decimal], day: dt.date
) -> list[Decimal]:
    """Each task's PV at the end of `day`, unrounded (sum, then round)."""
    planned = []
    for task, cost in zip(tasks, costs, strict=True):
        if day < task.start or not cost:
            planned.append(ZERO)
        elif day >= task.finish:
            planned.append(cost)
        else:
            planned.append(
                cost * ((day - task.start).days + 1) / ((task.finish - task.start).days + 1)
            )
    return planned


def earned_now(tasks: Sequence[PlannedTask], costs: Sequence[Decimal]) -> list[Decimal]:
    """Each task's EV: its budgeted cost × its progress, unrounded."""
    return [cost * task.progress / HUNDRED for task, cost in zip(tasks, costs, strict=True)]


def earned_by_day(
    tasks: Sequence[PlannedTask], costs: Sequence[Decimal], days: Sequence[dt.date]
) -> list[Decimal]:
    """EV at the end of each of `days`: the budgeted cost of the tasks done by then."""
    done = sorted(
        (task.done_on, cost)
        for task, cost in zip(tasks, costs, strict=True)
        if task.done_on is not None
    )
    return cumulative(done, days)


def cumulative(dated: Iterable[tuple[dt.date, Decimal]], days: Sequence[dt.date]) -> list[Decimal]:
    """The running total of dated amounts at the end of each of `days` (ascending)."""
    ordered = sorted(dated)
    totals, running, index = [], ZERO, 0
    for day in days:
        while index < len(ordered) and ordered[index][0] <= day:
            running += ordered[index][1]
            index += 1
        totals.append(cents(running))
    return totals


def _ratio(top: Decimal, bottom: Decimal) -> Decimal | None:
    return top / bottom if bottom else None


@dataclass(slots=True)
class Figures:
    """The earned-value figures of some work at one day, money in cents.
    The indices keep their full precision; round them to show them."""

    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal

    @property
    def sv(self) -> Decimal:
        return self.ev - self.pv

    @property
    def cv(self) -> Decimal:
        return self.ev - self.ac

    @property
    def spi(self) -> Decimal | None:
        return _ratio(self.ev, self.pv)

    @property
    def cpi(self) -> Decimal | None:
        return _ratio(self.ev, self.ac)

    @property
    def eac(self) -> Decimal | None:
        """BAC / CPI, as BAC × AC / EV so that no rounded index creeps in."""
        return cents(self.bac * self.ac / self.ev) if self.ev and self.ac else None

    @property
    def etc(self) -> Decimal | None:
        eac = self.eac
        return None if eac is None else eac - self.ac

    @property
    def vac(self) -> Decimal | None:
        eac = self.eac
        return None if eac is None else self.bac - eac


def figures(
    *,
    tasks: Sequence[PlannedTask],
    costs: Sequence[Decimal],
    bac: Decimal,
    actual: Decimal,
    day: dt.date,
) -> Figures:
    """The figures of `tasks` at the end of `day`, given their actual cost."""
    return Figures(
        bac=cents(bac),
        pv=cents(sum(planned_now(tasks, costs, day), ZERO)),
        ev=cents(sum(earned_now(tasks, costs), ZERO)),
        ac=cents(actual),
    )


def by_milestone(
    tasks: Sequence[PlannedTask],
    costs: Sequence[Decimal],
    planned: Sequence[Decimal],
    earned: Sequence[Decimal],
) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Milestone id → the (budget, PV, EV) of its tasks, in cents; the per-task
    values computed once for the project (tasks without a milestone left out)."""
    sums: dict[int, list[Decimal]] = {}
    for task, cost, pv, ev in zip(tasks, costs, planned, earned, strict=True):
        if task.milestone_id is not None:
            total = sums.setdefault(task.milestone_id, [ZERO, ZERO, ZERO])
            total[0] += cost
            total[1] += pv
            total[2] += ev
    return {pk: (cents(bac), cents(pv), cents(ev)) for pk, (bac, pv, ev) in sums.items()}


def week_ends(first: dt.date, last: dt.date, today: dt.date, most: int) -> list[dt.date]:
    """The Sundays from the week of `first` to the week of `last`, with `today`
    in place of its week's Sunday (the latest actuals); at most `most` points,
    every other week (or sparser) when the plan is longer."""
    sunday = first + dt.timedelta(days=6 - first.weekday())
    weeks = (last - sunday).days // 7 + 1 if last >= sunday else 1
    step = -(-weeks // most)  # ceiling
    days = [sunday + dt.timedelta(weeks=n) for n in range(0, weeks, step)]
    if days[-1] < last:
        days.append(days[-1] + dt.timedelta(weeks=step))
    days = [day for day in days if not today <= day < today + dt.timedelta(days=7 * step)]
    days.append(today)
    return sorted(set(days))


def share_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole` (None when the whole is zero)."""
    return part * HUNDRED / whole if whole else None
