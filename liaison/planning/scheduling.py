"""Push scheduling of a plan over a working-day calendar.

Pure Python on purpose: the Gantt page, change-request impact and the API all schedule
the same way, and the tests need no database. Dates become working-day numbers
(`WorkCalendar.index`) so that every dependency rule is integer arithmetic; dates come
back only when the slots are built.
"""

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

DEPENDENCY_KINDS = ("FS", "SS", "FF", "SF")

_DAYS_IN_WEEK = 7
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: Python weekdays 0=Mon..6=Sun in `weekdays` (default Mon–Fri),
    minus `holidays`, plus `extra_workdays` (make-up working days, e.g. a working
    Saturday in China). A date in both `holidays` and `extra_workdays` is working."""

    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset[dt.date] = frozenset()
    extra_workdays: frozenset[dt.date] = frozenset()
    # Derived once in __post_init__ so that `index` and `date_at` are a few bisects each:
    # they run tens of thousands of times per schedule.
    _weekday_order: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _weekdays_before: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _holiday_ordinals: list[int] = field(init=False, repr=False, compare=False)
    _extra_ordinals: list[int] = field(init=False, repr=False, compare=False)
    _holiday_indices: list[int] = field(init=False, repr=False, compare=False)
    _extra_indices: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Without a working weekday, "the next working day" would be searched forever.
        if not self.weekdays:
            raise ValueError("a work calendar needs at least one working weekday")
        if not self.weekdays <= set(range(_DAYS_IN_WEEK)):
            raise ValueError(f"weekdays must be 0 (Monday) to 6 (Sunday), not {self.weekdays}")
        order = tuple(sorted(self.weekdays))
        self._set("_weekday_order", order)
        self._set(
            "_weekdays_before", tuple(bisect_left(order, day) for day in range(_DAYS_IN_WEEK))
        )
        # Only the exceptions that change something count: a holiday on a Sunday is
        # already a day off, a "make-up" Tuesday is already a working day.
        holidays = self.holidays - self.extra_workdays
        self._set("_holiday_ordinals", _ordinals(d for d in holidays if d.weekday() in order))
        extras = (d for d in self.extra_workdays if d.weekday() not in order)
        self._set("_extra_ordinals", _ordinals(extras))
        self._set("_holiday_indices", [self._index(o) for o in self._holiday_ordinals])
        self._set("_extra_indices", [self._index(o) for o in self._extra_ordinals])

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)  # the dataclass is frozen

    def is_working(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def index(self, day: dt.date) -> int:
        """Working-day number of `day`; a day off gets the number of the next working day."""
        return self._index(day.toordinal())

    def _index(self, ordinal: int) -> int:
        """How many working days come before `ordinal`, counted from 0001-01-01."""
        # Ordinal 1 (0001-01-01) is a Monday, so whole weeks and the weekday fall out
        # of one divmod.
        weeks, weekday = divmod(ordinal - 1, _DAYS_IN_WEEK)
        regular = weeks * len(self._weekday_order) + self._weekdays_before[weekday]
        holidays = bisect_left(self._holiday_ordinals, ordinal)
        extras = bisect_left(self._extra_ordinals, ordinal)
        return regular - holidays + extras

    def date_at(self, index: int) -> dt.date:
        """The working day numbered `index`."""
        extras = bisect_left(self._extra_indices, index)
        if extras < len(self._extra_indices) and self._extra_indices[extras] == index:
            return dt.date.fromordinal(self._extra_ordinals[extras])
        # Otherwise it is a regular weekday: the holidays before it are those numbered
        # up to `index` (a holiday takes its next working day's number), the extras
        # before it those numbered below. Undo both to get its place among weekdays.
        regular = index + bisect_right(self._holiday_indices, index) - extras
        weeks, position = divmod(regular, len(self._weekday_order))
        return dt.date.fromordinal(1 + weeks * _DAYS_IN_WEEK + self._weekday_order[position])

    def next_working(self, day: dt.date) -> dt.date:
        return self.date_at(self.index(day))

    def add(self, day: dt.date, days: int) -> dt.date:
        """Move `days` working days (negative allowed) from `next_working(day)`."""
        return self.date_at(self.index(day) + days)

    def span(self, start: dt.date, finish: dt.date) -> int:
        """Working days from `start` to `finish` inclusive; a task lasts at least one day."""
        return max(1, self._index(finish.toordinal() + 1) - self.index(start))

    def working_days(self, start: dt.date, finish: dt.date) -> list[dt.date]:
        first, after_last = self.index(start), self._index(finish.toordinal() + 1)
        return [self.date_at(index) for index in range(first, after_last)]


def _ordinals(days: Iterable[dt.date]) -> list[int]:
    return sorted(day.toordinal() for day in days)


# Item, Link and Slot are named tuples: a plan makes thousands of each per
# schedule, and a tuple is built several times faster than a frozen dataclass.


class Item(NamedTuple):
    id: int
    start: dt.date
    finish: dt.date  # inclusive; finish >= start


class _LinkFields(NamedTuple):
    predecessor: int
    successor: int
    kind: str = "FS"  # one of DEPENDENCY_KINDS
    lag: int = 0  # working days; may be negative


class Link(_LinkFields):
    __slots__ = ()

    def __new__(cls, predecessor: int, successor: int, kind: str = "FS", lag: int = 0) -> "Link":
        if kind not in DEPENDENCY_KINDS:
            raise ValueError(f"dependency kind must be one of {DEPENDENCY_KINDS}, not {kind!r}")
        return super().__new__(cls, predecessor, successor, kind, lag)


class Slot(NamedTuple):
    start: dt.date  # a working day, except an unmoved item keeps its dates as given
    finish: dt.date
    slack: int  # total float in working days (>= 0)
    critical: bool  # slack == 0
    moved: bool  # start or finish differs from the Item's


class CycleError(ValueError):
    def __init__(self, cycle: list[int]) -> None:
        super().__init__("dependency loop: " + " -> ".join(map(str, cycle)))
        self.cycle = cycle  # ids along the loop, first == last


class _Window(NamedTuple):
    """An item's start and finish as working-day numbers (both inclusive)."""

    start: int
    finish: int

    @property
    def duration(self) -> int:
        return self.finish - self.start + 1


_Adjacency = dict[int, list[Link]]


def find_cycle(links: Iterable[Link]) -> list[int] | None:
    """A loop in the dependency graph (ids along it, first == last), or None."""
    links = list(links)
    incoming, outgoing = _adjacency(links)
    nodes = list(dict.fromkeys(end for link in links for end in (link.predecessor, link.successor)))
    try:
        _topological_order(nodes, incoming, outgoing)
    except CycleError as error:
        return error.cycle
    return None


def schedule(
    items: Iterable[Item],
    links: Iterable[Link],
    calendar: WorkCalendar,
    *,
    project_finish: dt.date | None = None,
) -> dict[int, Slot]:
    """Push every item no earlier than its own start and its links allow; give its slack."""
    by_id = {item.id: item for item in items}
    incoming, outgoing = _adjacency(_links_among(by_id, links))
    order = _topological_order(list(by_id), incoming, outgoing)
    own = _own_windows(by_id, calendar)
    early = _forward_pass(order, own, incoming)
    plan_finish = _plan_finish(early, calendar, project_finish)
    late = _backward_pass(order, early, outgoing, plan_finish)
    return {
        item_id: _slot(item, own[item_id].start, early[item_id], late[item_id], calendar)
        for item_id, item in by_id.items()
    }


class Shift(NamedTuple):
    """Where a preview puts an item: its dates, and whether the plan pushed it
    away from its own (a preview needs no slack, so it skips the backward pass)."""

    start: dt.date
    finish: dt.date
    moved: bool


def preview_move(
    items: Iterable[Item],
    links: Iterable[Link],
    calendar: WorkCalendar,
    *,
    item_id: int,
    start: dt.date,
    finish: dt.date,
) -> dict[int, tuple[Shift, Shift]]:
    """{id: (before, after)} for every item whose scheduled dates change if `item_id` moves."""
    items = list(items)
    if all(item.id != item_id for item in items):
        raise KeyError(item_id)
    return preview_changes(items, links, calendar, changes={item_id: (start, finish)})


def preview_changes(
    items: Iterable[Item],
    links: Iterable[Link],
    calendar: WorkCalendar,
    *,
    changes: dict[int, tuple[dt.date, dt.date]],
) -> dict[int, tuple[Shift, Shift]]:
    """{id: (before, after)} for every item whose scheduled dates change when the
    items in `changes` get their new (start, finish) all at once: a change request
    moves several tasks, and what one pushes may depend on where another went.

    An id of `changes` that is not among `items` (a task given dates for the first
    time) joins the plan: it is always in the answer, with its after slot as before."""
    items, links = list(items), list(links)
    for start, finish in changes.values():
        if finish < start:
            raise ValueError(f"finish {finish} is before start {start}")
    known = {item.id for item in items}
    moved = [
        item._replace(start=changes[item.id][0], finish=changes[item.id][1])
        if item.id in changes
        else item
        for item in items
    ]
    moved += [
        Item(key, start, finish) for key, (start, finish) in changes.items() if key not in known
    ]
    before, early_before = _pushed(items, links, calendar)
    after, early_after = _pushed(moved, links, calendar)
    answer = {}
    # Only a changed item, or one whose working-day window moved, can have new dates.
    for key, window in early_after.items():
        if key not in changes and early_before.get(key) == window:
            continue
        new = _shift(after[key], window, calendar)
        old = _shift(before[key], early_before[key], calendar) if key in before else new
        if key not in before or (old.start, old.finish) != (new.start, new.finish):
            answer[key] = (old, new)
    return answer


def _pushed(
    items: list[Item], links: list[Link], calendar: WorkCalendar
) -> tuple[dict[int, Item], dict[int, _Window]]:
    """The items by id and where the forward pass puts them (CycleError on a loop)."""
    by_id = {item.id: item for item in items}
    incoming, outgoing = _adjacency(_links_among(by_id, links))
    order = _topological_order(list(by_id), incoming, outgoing)
    return by_id, _forward_pass(order, _own_windows(by_id, calendar), incoming)


def _shift(item: Item, early: _Window, calendar: WorkCalendar) -> Shift:
    if early.start > calendar.index(item.start):
        return Shift(calendar.date_at(early.start), calendar.date_at(early.finish), True)
    return Shift(item.start, item.finish, False)  # dates entered by hand stay as given


def blocking_link(
    items: Iterable[Item],
    links: Iterable[Link],
    calendar: WorkCalendar,
    *,
    item_id: int,
    start: dt.date,
) -> Link | None:
    """The first incoming link that forbids `item_id` to start on `start`, or None."""
    by_id = {item.id: item for item in items}
    if item_id not in by_id:
        raise KeyError(item_id)
    incoming, outgoing = _adjacency(_links_among(by_id, links))
    order = _topological_order(list(by_id), incoming, outgoing)
    # Predecessors count with their scheduled (possibly pushed) dates.
    own = _own_windows(by_id, calendar)
    early = _forward_pass(order, own, incoming)
    duration = own[item_id].duration
    wanted = calendar.index(start)
    for link in incoming[item_id]:
        if _required_start(link, early[link.predecessor], duration) > wanted:
            return link
    return None


def _links_among(by_id: dict[int, Item], links: Iterable[Link]) -> list[Link]:
    # A link to an undated task (not among the items) constrains nothing.
    return [link for link in links if link.predecessor in by_id and link.successor in by_id]


def _adjacency(links: Iterable[Link]) -> tuple[_Adjacency, _Adjacency]:
    incoming: _Adjacency = defaultdict(list)
    outgoing: _Adjacency = defaultdict(list)
    for link in links:
        incoming[link.successor].append(link)
        outgoing[link.predecessor].append(link)
    return incoming, outgoing


def _topological_order(nodes: list[int], incoming: _Adjacency, outgoing: _Adjacency) -> list[int]:
    """Kahn's algorithm (iterative: plans have thousands of tasks); CycleError on a loop."""
    waiting = {node: len(incoming[node]) for node in nodes}
    ready = deque(node for node, count in waiting.items() if count == 0)
    order: list[int] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for link in outgoing[node]:
            waiting[link.successor] -= 1
            if waiting[link.successor] == 0:
                ready.append(link.successor)
    if len(order) < len(nodes):
        stuck = {node for node, count in waiting.items() if count > 0}
        raise CycleError(_loop_among(stuck, incoming))
    return order


def _loop_among(stuck: set[int], incoming: _Adjacency) -> list[int]:
    """A loop through the nodes Kahn's algorithm could not release.

    Each of them still waits on a stuck predecessor, so walking back from one through
    stuck predecessors must come round to a node already seen.
    """
    seen: dict[int, int] = {}  # node -> its position in `walk`
    walk: list[int] = []
    node = min(stuck)  # the smallest id, so the same plan always names the same loop
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = next(link.predecessor for link in incoming[node] if link.predecessor in stuck)
    backwards = [*walk[seen[node] :], node]
    return backwards[::-1]


def _own_windows(by_id: dict[int, Item], calendar: WorkCalendar) -> dict[int, _Window]:
    """Each item's own dates as working-day numbers, counted once: the passes and
    the slots all need them (a plan has thousands of items)."""
    windows: dict[int, _Window] = {}
    for item_id, item in by_id.items():
        start = calendar.index(item.start)
        # calendar.span(), with the start's number already at hand: at least one day.
        after = calendar.index(item.finish + _ONE_DAY)
        windows[item_id] = _Window(start, start + max(1, after - start) - 1)
    return windows


def _forward_pass(
    order: list[int], own: dict[int, _Window], incoming: _Adjacency
) -> dict[int, _Window]:
    early: dict[int, _Window] = {}
    for item_id in order:
        # The item's own start is a "start no earlier than" constraint.
        start, finish = own[item_id]
        duration = finish - start + 1
        for link in incoming[item_id]:
            required = _required_start(link, early[link.predecessor], duration)
            if required > start:
                start = required
        early[item_id] = _Window(start, start + duration - 1)
    return early


def _required_start(link: Link, predecessor: _Window, duration: int) -> int:
    """Earliest start the link allows a successor lasting `duration` working days."""
    if link.kind == "FS":
        return predecessor.finish + 1 + link.lag
    if link.kind == "SS":
        return predecessor.start + link.lag
    finish = (predecessor.finish if link.kind == "FF" else predecessor.start) + link.lag
    return finish - duration + 1


def _plan_finish(
    early: dict[int, _Window], calendar: WorkCalendar, project_finish: dt.date | None
) -> int:
    finishes = [window.finish for window in early.values()]
    if project_finish is not None:
        # The last working day on or before the project's finish.
        finishes.append(calendar.index(project_finish + dt.timedelta(days=1)) - 1)
    return max(finishes, default=0)  # no items: nothing is scheduled against it


def _backward_pass(
    order: list[int], early: dict[int, _Window], outgoing: _Adjacency, plan_finish: int
) -> dict[int, _Window]:
    late: dict[int, _Window] = {}
    for item_id in reversed(order):
        duration = early[item_id].duration
        # The plan finish caps every item, not only the last ones: with SS or SF links a
        # predecessor could otherwise "finish" after the plan and never be critical.
        finish = plan_finish
        for link in outgoing[item_id]:
            allowed = _allowed_finish(link, late[link.successor], duration)
            if allowed < finish:
                finish = allowed
        late[item_id] = _Window(finish - duration + 1, finish)
    return late


def _allowed_finish(link: Link, successor: _Window, duration: int) -> int:
    """Latest finish the link allows a predecessor lasting `duration` (mirror of the above)."""
    if link.kind == "FS":
        return successor.start - 1 - link.lag
    if link.kind == "FF":
        return successor.finish - link.lag
    start = (successor.start if link.kind == "SS" else successor.finish) - link.lag
    return start + duration - 1


def _slot(
    item: Item, own_start: int, early: _Window, late: _Window, calendar: WorkCalendar
) -> Slot:
    pushed = early.start > own_start
    if pushed:
        start, finish = calendar.date_at(early.start), calendar.date_at(early.finish)
    else:
        # Dates entered by hand stay exactly as given, even on a weekend.
        start, finish = item.start, item.finish
    # Never negative: the forward pass satisfied every link and the plan finish is the
    # latest early finish, so each late window is at or after its early one.
    slack = late.start - early.start
    return Slot(start=start, finish=finish, slack=slack, critical=slack == 0, moved=pushed)
