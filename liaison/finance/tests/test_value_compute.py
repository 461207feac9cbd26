"""Earned value's arithmetic (finance/earned_value.py), without the database."""

import datetime as dt
from decimal import Decimal

from liaison.finance.earned_value import (
    Figures,
    PlannedTask,
    cumulative,
    earned_by_day,
    planned_values,
    spread_budget,
    week_ends,
)
from liaison.finance.selectors.value import value_health
from liaison.finance.value_charts import axis_amount

D = Decimal
MON = dt.date(2026, 11, 2)


def task(pk, start, finish, progress=0, done_on=None, estimate=None):
    return PlannedTask(pk, None, start, finish, estimate, progress, done_on)


def test_the_budget_is_spread_by_estimate_share_to_the_cent():
    shares = spread_budget(D("1000"), [D("1"), D("1"), D("1")])
    assert shares == [D("333.33"), D("333.33"), D("333.34")]
    assert sum(shares) == D("1000")
    assert spread_budget(D("900"), [D("2"), None, D("1")]) == [D("600.00"), D("0"), D("300.00")]


def test_without_estimates_the_budget_is_spread_evenly():
    assert spread_budget(D("100"), [None, None, D("0"), None]) == [D("25.00")] * 4
    assert spread_budget(D("100"), []) == []


def test_planned_value_grows_linearly_over_the_baseline_days():
    four_days = [task(1, MON, MON + dt.timedelta(days=3))]
    days = [MON - dt.timedelta(days=1), MON, MON + dt.timedelta(days=1), MON + dt.timedelta(days=9)]
    assert planned_values(four_days, [D("400")], days) == [
        D("0.00"),
        D("100.00"),
        D("200.00"),
        D("400.00"),
    ]


def test_planned_value_of_thirds_adds_up_to_the_budget():
    three_days = [task(1, MON, MON + dt.timedelta(days=2))]
    assert planned_values(three_days, [D("100")], [MON, MON + dt.timedelta(days=2)]) == [
        D("33.33"),
        D("100.00"),
    ]


def test_earned_value_over_time_counts_the_tasks_done_by_then():
    tasks = [task(1, MON, MON, 100, MON), task(2, MON, MON, 100, MON + dt.timedelta(days=8))]
    costs = [D("10"), D("20")]
    assert earned_by_day(
        tasks, costs, [MON, MON + dt.timedelta(days=7), MON + dt.timedelta(days=8)]
    ) == [
        D("10.00"),
        D("10.00"),
        D("30.00"),
    ]


def test_cumulative_sums_what_is_dated_up_to_each_day():
    dated = [(MON + dt.timedelta(days=2), D("5")), (MON, D("1.5"))]
    assert cumulative(dated, [MON, MON + dt.timedelta(days=1), MON + dt.timedelta(days=3)]) == [
        D("1.50"),
        D("1.50"),
        D("6.50"),
    ]


def test_an_index_without_a_divisor_is_unknown_and_so_is_what_follows():
    nothing_yet = Figures(bac=D("100"), pv=D("0"), ev=D("0"), ac=D("0"))
    assert (
        nothing_yet.spi,
        nothing_yet.cpi,
        nothing_yet.eac,
        nothing_yet.etc,
        nothing_yet.vac,
    ) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert value_health(nothing_yet) == "green"


def test_the_health_rule():
    def health(cpi_ev, pv="100"):
        return value_health(Figures(bac=D("100"), pv=D(pv), ev=D(cpi_ev), ac=D("100")))

    assert health("95") == "green"
    assert health("89") == "amber"  # CPI 0.89
    assert health("79") == "red"
    assert health("100", pv="120") == "amber"  # SPI 0.83


def test_week_ends_put_today_in_its_weeks_place():
    today = MON + dt.timedelta(days=9)  # a Wednesday
    days = week_ends(MON, MON + dt.timedelta(days=27), today, most=60)
    sundays = [MON + dt.timedelta(days=6 + 7 * n) for n in range(4)]
    assert days == [sundays[0], today, sundays[2], sundays[3]]


def test_a_long_plan_is_sampled_more_sparsely():
    days = week_ends(MON, MON + dt.timedelta(weeks=200), MON, most=50)
    assert len(days) <= 52
    assert days[-1] >= MON + dt.timedelta(weeks=200)


def test_ten_thousand_tasks_compute_from_tuples():
    """The size the bench measures: the arithmetic alone, no model in the loop."""
    tasks = [
        task(n, MON + dt.timedelta(days=n % 200), MON + dt.timedelta(days=n % 200 + 9), n % 101)
        for n in range(10_000)
    ]
    costs = spread_budget(D("1000000"), [D(n % 7) for n in range(10_000)])
    assert sum(costs) == D("1000000")
    end = MON + dt.timedelta(days=400)
    assert planned_values(tasks, costs, [end]) == [D("1000000.00")]


def test_axis_amounts_are_short():
    assert [axis_amount(D(n)) for n in ("950", "9999", "350000", "1250000")] == [
        "950",
        "9,999",
        "350k",
        "1.2M",
    ]
