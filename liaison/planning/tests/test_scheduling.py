"""The scheduler is pure Python: these tests need no database."""

import datetime as dt
import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison.planning.scheduling import (
    DEPENDENCY_KINDS,
    CycleError,
    Item,
    Link,
    Shift,
    Slot,
    WorkCalendar,
    blocking_link,
    find_cycle,
    preview_changes,
    preview_move,
    schedule,
)

WEEKDAYS = WorkCalendar()


def day(month: int, number: int) -> dt.date:
    """A date in 2024, the year every hand-made plan below lives in."""
    return dt.date(2024, month, number)


# June 2024: Monday 3, ..., Friday 7, weekend 8-9, Monday 10, ...
MON, TUE, WED, THU, FRI, SAT, SUN = (day(6, n) for n in range(3, 10))
NEXT_MON = day(6, 10)


def brute_force_count(calendar: WorkCalendar, first: dt.date, after_last: dt.date) -> int:
    """Working days in [first, after_last), one date at a time."""
    days = (first + dt.timedelta(days=n) for n in range((after_last - first).days))
    return sum(calendar.is_working(d) for d in days)


# --- calendar -------------------------------------------------------------------------


def test_calendar_weekends_are_not_working():
    assert [WEEKDAYS.is_working(d) for d in (MON, FRI, SAT, SUN)] == [True, True, False, False]


def test_calendar_holidays_and_extra_workdays():
    # China 2024, Mid-Autumn: Saturday 14 September worked, Monday 16 and Tuesday 17 off.
    china = WorkCalendar(
        holidays=frozenset({day(9, 16), day(9, 17)}), extra_workdays=frozenset({day(9, 14)})
    )
    assert china.is_working(day(9, 14))
    assert not china.is_working(day(9, 16))
    assert china.working_days(day(9, 13), day(9, 18)) == [day(9, 13), day(9, 14), day(9, 18)]
    assert china.add(day(9, 13), 2) == day(9, 18)
    assert china.span(day(9, 13), day(9, 18)) == 3


def test_calendar_saturday_declared_a_workday():
    six_days = WorkCalendar(weekdays=frozenset({0, 1, 2, 3, 4, 5}))
    assert six_days.is_working(SAT)
    assert six_days.add(FRI, 1) == SAT
    assert six_days.add(SAT, 1) == NEXT_MON


def test_calendar_extra_workday_wins_over_holiday():
    calendar = WorkCalendar(holidays=frozenset({TUE, SAT}), extra_workdays=frozenset({TUE, SAT}))
    assert calendar.is_working(TUE) and calendar.is_working(SAT)
    assert calendar.span(MON, SUN) == 6


def test_calendar_index_counts_working_days():
    assert WEEKDAYS.index(FRI) - WEEKDAYS.index(MON) == 4
    assert WEEKDAYS.index(NEXT_MON) - WEEKDAYS.index(FRI) == 1
    # A day off takes the number of the next working day.
    assert WEEKDAYS.index(SAT) == WEEKDAYS.index(SUN) == WEEKDAYS.index(NEXT_MON)


def test_calendar_next_working_and_add():
    assert WEEKDAYS.next_working(SAT) == NEXT_MON
    assert WEEKDAYS.next_working(WED) == WED
    assert WEEKDAYS.add(THU, 2) == NEXT_MON
    assert WEEKDAYS.add(SUN, 0) == NEXT_MON
    assert WEEKDAYS.add(NEXT_MON, -1) == FRI
    assert WEEKDAYS.add(SAT, -5) == MON


def test_calendar_span_is_at_least_one_day():
    assert WEEKDAYS.span(MON, FRI) == 5
    assert WEEKDAYS.span(MON, NEXT_MON) == 6
    assert WEEKDAYS.span(SAT, SUN) == 1
    assert WEEKDAYS.span(SAT, SAT) == 1


def test_calendar_working_days_skip_days_off():
    assert WEEKDAYS.working_days(THU, NEXT_MON) == [THU, FRI, NEXT_MON]
    assert WEEKDAYS.working_days(SAT, SUN) == []


@pytest.mark.parametrize("weekdays", [frozenset(), frozenset({7}), frozenset({-1, 2})])
def test_calendar_without_valid_weekdays_is_refused(weekdays: frozenset[int]):
    with pytest.raises(ValueError):
        WorkCalendar(weekdays=weekdays)


def test_calendar_reaches_far_dates():
    for far in (dt.date(1990, 1, 1), dt.date(2100, 12, 31)):
        assert WEEKDAYS.date_at(WEEKDAYS.index(far)) == WEEKDAYS.next_working(far)


WINDOW_START, WINDOW_END = day(1, 1), day(3, 31)
window_dates = st.dates(min_value=WINDOW_START, max_value=WINDOW_END)
calendars = st.builds(
    WorkCalendar,
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    holidays=st.frozensets(window_dates, max_size=20),
    extra_workdays=st.frozensets(window_dates, max_size=10),
)


@settings(max_examples=100)
@given(calendar=calendars, first=window_dates, last=window_dates)
def test_calendar_index_matches_counting_day_by_day(
    calendar: WorkCalendar, first: dt.date, last: dt.date
):
    first, last = min(first, last), max(first, last)
    assert calendar.index(last) - calendar.index(first) == brute_force_count(calendar, first, last)


@settings(max_examples=100)
@given(calendar=calendars, date=window_dates)
def test_calendar_date_at_inverts_index(calendar: WorkCalendar, date: dt.date):
    found = calendar.date_at(calendar.index(date))
    assert calendar.is_working(found)
    assert found >= date
    assert brute_force_count(calendar, date, found) == 0  # no working day skipped
    assert calendar.index(found) == calendar.index(date)


@settings(max_examples=100)
@given(calendar=calendars, date=window_dates, offset=st.integers(-200, 200))
def test_calendar_numbers_working_days_consecutively(
    calendar: WorkCalendar, date: dt.date, offset: int
):
    number = calendar.index(date) + offset
    found = calendar.date_at(number)
    assert calendar.index(found) == number
    assert calendar.date_at(number + 1) > found
    assert calendar.add(date, offset) == found


# --- dependency kinds -----------------------------------------------------------------


def pair(link: Link) -> dict[int, Slot]:
    """Predecessor 1 runs Wednesday to Friday; successor 2 is entered for Monday-Tuesday."""
    return schedule([Item(1, WED, FRI), Item(2, MON, TUE)], [link], WEEKDAYS)


@pytest.mark.parametrize(
    ("kind", "lag", "start", "finish"),
    [
        ("FS", 0, NEXT_MON, day(6, 11)),
        ("FS", 2, day(6, 12), day(6, 13)),
        ("FS", -2, THU, FRI),
        ("SS", 0, WED, THU),
        ("SS", 2, FRI, NEXT_MON),
        ("SS", -1, TUE, WED),
        ("FF", 0, THU, FRI),
        ("FF", 1, FRI, NEXT_MON),
        ("FF", -2, TUE, WED),
        ("SF", 0, TUE, WED),
        ("SF", 3, FRI, NEXT_MON),
    ],
)
def test_schedule_link_kinds_push_the_successor(
    kind: str, lag: int, start: dt.date, finish: dt.date
):
    slot = pair(Link(1, 2, kind, lag))[2]
    assert (slot.start, slot.finish, slot.moved) == (start, finish, True)


@pytest.mark.parametrize(("kind", "lag"), [("SS", -3), ("FF", -3), ("SF", -1), ("FS", -5)])
def test_schedule_link_already_satisfied_leaves_the_successor(kind: str, lag: int):
    slot = pair(Link(1, 2, kind, lag))[2]
    assert (slot.start, slot.finish, slot.moved) == (MON, TUE, False)


def test_link_kind_must_be_known():
    with pytest.raises(ValueError):
        Link(1, 2, "XX")


# --- pushing --------------------------------------------------------------------------


def test_schedule_unmoved_items_keep_their_dates_even_on_a_weekend():
    slots = schedule([Item(1, SAT, SUN), Item(2, FRI, SAT)], [], WEEKDAYS)
    assert (slots[1].start, slots[1].finish, slots[1].moved) == (SAT, SUN, False)
    assert (slots[2].start, slots[2].finish, slots[2].moved) == (FRI, SAT, False)


def test_schedule_pushed_item_lands_on_working_days_with_its_duration():
    calendar = WorkCalendar(holidays=frozenset({day(6, 11)}))
    # Three working days (Thursday, Friday, Monday) pushed behind a week-long task,
    # over a Tuesday holiday.
    slots = schedule([Item(1, MON, FRI), Item(2, THU, NEXT_MON)], [Link(1, 2)], calendar)
    assert (slots[2].start, slots[2].finish, slots[2].moved) == (NEXT_MON, day(6, 13), True)
    assert calendar.span(slots[2].start, slots[2].finish) == 3


def test_schedule_start_on_a_day_off_before_the_allowed_day_is_not_a_push():
    # Saturday counts as the Monday after it, which the link allows.
    slots = schedule([Item(1, MON, FRI), Item(2, SAT, day(6, 11))], [Link(1, 2)], WEEKDAYS)
    assert (slots[2].start, slots[2].moved) == (SAT, False)


CHAIN_LINKS = [Link(1, 2), Link(2, 3)]


def chain(first_start: dt.date) -> list[Item]:
    """T1 (two days) -> T2 (one day) -> T3 (two days), entered back to back from Monday."""
    first = Item(1, first_start, WEEKDAYS.add(first_start, 1))
    return [first, Item(2, WED, WED), Item(3, THU, FRI)]


def test_schedule_chain_push_propagates():
    slots = schedule(chain(WED), CHAIN_LINKS, WEEKDAYS)
    assert [(s.start, s.finish) for s in slots.values()] == [
        (WED, THU),
        (FRI, FRI),
        (NEXT_MON, day(6, 11)),
    ]
    assert [s.moved for s in slots.values()] == [False, True, True]


def test_schedule_ignores_links_to_undated_items():
    links = [Link(1, 99), Link(99, 2), Link(1, 2, "FS", 1), Link(2, 1, "FS", 0)]
    slots = schedule([Item(1, MON, MON)], links, WEEKDAYS)
    assert slots == {1: Slot(MON, MON, slack=0, critical=True, moved=False)}


# --- slack and critical path ----------------------------------------------------------


def diamond() -> tuple[list[Item], list[Link]]:
    """A (3 days) -> B (2) and C (5) -> D (1): the path through C is the long one."""
    items = [
        Item(1, MON, WED),
        Item(2, THU, FRI),
        Item(3, THU, day(6, 12)),
        Item(4, day(6, 13), day(6, 13)),
    ]
    return items, [Link(1, 2), Link(1, 3), Link(2, 4), Link(3, 4)]


def test_schedule_diamond_slack_and_critical_path():
    items, links = diamond()
    slots = schedule(items, links, WEEKDAYS)
    # B may slip Monday to Wednesday of the second week before it delays D.
    assert {key: slot.slack for key, slot in slots.items()} == {1: 0, 2: 3, 3: 0, 4: 0}
    assert _critical(slots) == {1, 3, 4}


def test_schedule_later_project_finish_adds_slack_everywhere():
    items, links = diamond()
    slots = schedule(items, links, WEEKDAYS, project_finish=day(6, 16))  # a Sunday
    assert {key: slot.slack for key, slot in slots.items()} == {1: 1, 2: 4, 3: 1, 4: 1}
    assert _critical(slots) == set()


@pytest.mark.parametrize(
    ("kind", "lag", "slack"), [("FS", 1, 4), ("SS", 1, 7), ("FF", 1, 6), ("SF", 3, 6)]
)
def test_schedule_predecessor_slack_for_each_link_kind(kind: str, lag: int, slack: int):
    # Item 3 ends the plan on Friday 14, so successor 2 (Monday 10 - Tuesday 11) may run
    # Thursday 13 - Friday 14 at the latest. That bounds predecessor 1 (Monday - Wednesday)
    # through the link, e.g. FS with one day of lag: finish by Tuesday 11.
    items = [Item(1, MON, WED), Item(2, NEXT_MON, day(6, 11)), Item(3, MON, day(6, 14))]
    slots = schedule(items, [Link(1, 2, kind, lag)], WEEKDAYS)
    assert (slots[1].slack, slots[2].slack, slots[3].slack) == (slack, 3, 0)


def test_schedule_start_to_start_predecessor_is_capped_by_the_plan_finish():
    # The long task ends the plan; its short SS successor must not give it slack.
    slots = schedule([Item(1, MON, FRI), Item(2, MON, MON)], [Link(1, 2, "SS")], WEEKDAYS)
    assert (slots[1].slack, slots[2].slack) == (0, 4)


# --- cycles ---------------------------------------------------------------------------


def assert_is_loop(cycle: list[int] | None, links: list[Link], members: set[int]):
    assert cycle is not None
    assert cycle[0] == cycle[-1]
    assert set(cycle) == members
    edges = {(link.predecessor, link.successor) for link in links}
    assert all(step in edges for step in pairwise(cycle))


def test_find_cycle_self_link():
    assert find_cycle([Link(1, 2), Link(3, 3)]) == [3, 3]


def test_find_cycle_two_items():
    links = [Link(4, 7), Link(7, 4, "SS")]
    assert_is_loop(find_cycle(links), links, {4, 7})


def test_find_cycle_three_items_within_a_larger_graph():
    links = [Link(1, 2), Link(2, 3), Link(3, 5), Link(5, 9), Link(9, 3), Link(9, 10), Link(1, 10)]
    assert_is_loop(find_cycle(links), links, {3, 5, 9})


def test_find_cycle_none_in_a_dag():
    assert find_cycle(diamond()[1]) is None
    assert find_cycle([]) is None


def test_find_cycle_long_chain_needs_no_recursion():
    links = [Link(n, n + 1) for n in range(10_000)] + [Link(10_000, 0)]
    cycle = find_cycle(links)
    assert cycle is not None and len(cycle) == 10_002


def test_schedule_refuses_a_loop_and_names_it():
    items = [Item(n, MON, MON) for n in range(1, 11)]
    links = [Link(1, 2), Link(2, 3), Link(3, 5), Link(5, 9), Link(9, 3)]
    with pytest.raises(CycleError) as refused:
        schedule(items, links, WEEKDAYS)
    assert_is_loop(refused.value.cycle, links, {3, 5, 9})
    assert isinstance(refused.value, ValueError)
    assert "3" in str(refused.value)


def test_schedule_refuses_a_self_link():
    with pytest.raises(CycleError) as refused:
        schedule([Item(1, MON, MON)], [Link(1, 1)], WEEKDAYS)
    assert refused.value.cycle == [1, 1]


# --- preview and blocking link --------------------------------------------------------


def test_preview_move_returns_exactly_the_items_that_move():
    items = [*chain(MON), Item(4, MON, MON), Item(5, day(6, 17), day(6, 17))]
    links = [*CHAIN_LINKS, Link(1, 5)]  # 5 has a week of slack behind T1
    changes = preview_move(items, links, WEEKDAYS, item_id=1, start=WED, finish=THU)
    assert set(changes) == {1, 2, 3}
    before, after = changes[3]
    assert (before.start, after.start) == (THU, NEXT_MON)


def test_preview_move_without_effect_is_empty():
    items = chain(MON)
    # Moving T2 earlier is undone by its link to T1: nothing changes.
    assert preview_move(items, CHAIN_LINKS, WEEKDAYS, item_id=2, start=MON, finish=MON) == {}


def test_preview_move_refuses_unknown_item_and_reversed_dates():
    with pytest.raises(KeyError):
        preview_move(chain(MON), CHAIN_LINKS, WEEKDAYS, item_id=42, start=MON, finish=MON)
    with pytest.raises(ValueError):
        preview_move(chain(MON), CHAIN_LINKS, WEEKDAYS, item_id=1, start=TUE, finish=MON)


def test_blocking_link_names_the_dependency():
    items = [Item(4, MON, WED), Item(5, THU, THU), Item(6, MON, MON)]
    links = [Link(6, 5, "SS"), Link(4, 5)]
    assert blocking_link(items, links, WEEKDAYS, item_id=5, start=TUE) == Link(4, 5)
    assert blocking_link(items, links, WEEKDAYS, item_id=5, start=THU) is None


def test_blocking_link_uses_the_predecessors_pushed_dates():
    # T1 now starts Wednesday, which pushes T2 to Friday: T3 may not start Friday.
    items = chain(WED)
    assert blocking_link(items, CHAIN_LINKS, WEEKDAYS, item_id=3, start=FRI) == Link(2, 3)
    assert blocking_link(items, CHAIN_LINKS, WEEKDAYS, item_id=3, start=SAT) is None


# --- properties on random plans -------------------------------------------------------


def link_allows(link: Link, slots: dict[int, Slot], calendar: WorkCalendar) -> bool:
    """The spec's rules, restated on the scheduled dates as working-day numbers."""

    def window(key: int) -> tuple[int, int]:
        start = calendar.index(slots[key].start)
        return start, start + calendar.span(slots[key].start, slots[key].finish) - 1

    (pred_start, pred_finish), (succ_start, succ_finish) = (
        window(link.predecessor),
        window(link.successor),
    )
    return {
        "FS": succ_start >= pred_finish + 1 + link.lag,
        "SS": succ_start >= pred_start + link.lag,
        "FF": succ_finish >= pred_finish + link.lag,
        "SF": succ_finish >= pred_start + link.lag,
    }[link.kind]


def assert_consistent(
    items: list[Item], links: list[Link], calendar: WorkCalendar, slots: dict[int, Slot]
):
    assert set(slots) == {item.id for item in items}
    for link in links:
        assert link_allows(link, slots, calendar), link
    for item in items:
        slot = slots[item.id]
        assert slot.start >= item.start
        assert calendar.span(slot.start, slot.finish) == calendar.span(item.start, item.finish)
        assert slot.moved == ((slot.start, slot.finish) != (item.start, item.finish))
        if slot.moved:
            assert calendar.is_working(slot.start) and calendar.is_working(slot.finish)
        assert slot.slack >= 0
        assert slot.critical == (slot.slack == 0)
    if items:
        assert _critical(slots)


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[Item], list[Link], WorkCalendar]:
    calendar = draw(st.one_of(st.just(WEEKDAYS), calendars))
    size = draw(st.integers(0, 10))
    items: list[Item] = []
    for key in range(size):
        start = draw(window_dates)
        items.append(Item(key, start, start + dt.timedelta(days=draw(st.integers(0, 9)))))
    if size < 2:
        return items, [], calendar
    # Links only from a lower to a higher id: the plan stays acyclic.
    ids = st.integers(0, size - 1)
    pairs = st.tuples(ids, ids).filter(lambda ends: ends[0] < ends[1])
    links = [
        Link(first, second, draw(st.sampled_from(DEPENDENCY_KINDS)), draw(st.integers(-3, 3)))
        for first, second in draw(st.lists(pairs, max_size=15))
    ]
    return items, links, calendar


@settings(max_examples=100)
@given(plan=plans())
def test_schedule_random_plans_are_consistent(plan: tuple[list[Item], list[Link], WorkCalendar]):
    items, links, calendar = plan
    assert_consistent(items, links, calendar, schedule(items, links, calendar))


@settings(max_examples=100)
@given(plan=plans())
def test_schedule_is_idempotent(plan: tuple[list[Item], list[Link], WorkCalendar]):
    items, links, calendar = plan
    first = schedule(items, links, calendar)
    again = schedule([Item(key, s.start, s.finish) for key, s in first.items()], links, calendar)
    assert {key: (s.start, s.finish, s.slack) for key, s in again.items()} == {
        key: (s.start, s.finish, s.slack) for key, s in first.items()
    }
    assert not any(slot.moved for slot in again.values())


def test_schedule_large_plan_is_consistent():
    rng = random.Random(2024)
    holidays = frozenset(day(1, 1) + dt.timedelta(days=rng.randrange(700)) for _ in range(30))
    calendar = WorkCalendar(holidays=holidays)
    items: list[Item] = []
    for key in range(2_000):
        start = day(1, 1) + dt.timedelta(days=rng.randrange(400))
        items.append(Item(key, start, start + dt.timedelta(days=rng.randrange(15))))
    ends: set[tuple[int, int]] = set()
    while len(ends) < 3_000:
        first, second = sorted(rng.sample(range(2_000), 2))
        ends.add((first, second))
    links = [
        Link(first, second, rng.choice(DEPENDENCY_KINDS), rng.randint(-3, 3))
        for first, second in sorted(ends)
    ]
    assert_consistent(items, links, calendar, schedule(items, links, calendar))


def _critical(slots: dict[int, Slot]) -> set[int]:
    return {pk for pk, slot in slots.items() if slot.critical}


# --- preview of several changes at once (change requests) -----------------------------


def _dates(slot: Shift) -> tuple[dt.date, dt.date]:
    return slot.start, slot.finish


def test_preview_changes_applies_every_change_together():
    # T1 a day longer pushes T2 to Thursday; T3's new three days (Thu–Mon) then
    # cannot start before Friday, so it is pushed too, over the weekend.
    changes = preview_changes(
        chain(MON), CHAIN_LINKS, WEEKDAYS, changes={1: (MON, WED), 3: (THU, NEXT_MON)}
    )
    assert {key: (_dates(before), _dates(after)) for key, (before, after) in changes.items()} == {
        1: ((MON, TUE), (MON, WED)),
        2: ((WED, WED), (THU, THU)),
        3: ((THU, FRI), (FRI, day(6, 11))),
    }
    assert changes[3][1].moved and not changes[1][1].moved


def test_preview_changes_of_one_item_is_preview_move():
    items = [*chain(MON), Item(4, MON, TUE)]
    links = [*CHAIN_LINKS, Link(4, 3, "FF")]
    assert preview_changes(items, links, WEEKDAYS, changes={4: (WED, NEXT_MON)}) == preview_move(
        items, links, WEEKDAYS, item_id=4, start=WED, finish=NEXT_MON
    )


def test_preview_changes_adds_an_item_given_dates_for_the_first_time():
    # Item 9 had no dates (so was not planned); now it comes before T3.
    changes = preview_changes(
        chain(MON), [*CHAIN_LINKS, Link(9, 3)], WEEKDAYS, changes={9: (NEXT_MON, NEXT_MON)}
    )
    assert set(changes) == {3, 9}
    assert changes[9][0] == changes[9][1] and _dates(changes[9][1]) == (NEXT_MON, NEXT_MON)
    assert _dates(changes[3][1]) == (day(6, 11), day(6, 12))


def test_preview_changes_without_effect_or_with_reversed_dates():
    assert preview_changes(chain(MON), CHAIN_LINKS, WEEKDAYS, changes={}) == {}
    assert preview_changes(chain(MON), CHAIN_LINKS, WEEKDAYS, changes={2: (WED, WED)}) == {}
    with pytest.raises(ValueError):
        preview_changes(chain(MON), CHAIN_LINKS, WEEKDAYS, changes={1: (TUE, MON)})
    with pytest.raises(CycleError):
        preview_changes(chain(MON), [*CHAIN_LINKS, Link(3, 1)], WEEKDAYS, changes={1: (MON, MON)})
