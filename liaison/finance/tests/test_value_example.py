"""Earned value against a worked example from a standard text.

The source: Rita Mulcahy, *PMP Exam Prep* (RMC Publications), the chapter on
cost management, "Earned value exercise" (p. 210 of the edition the exercise is
usually reproduced from): a fence of four sides, each budgeted at $1,000 and
planned to take one day, built one after the other. At the end of day three,
sides one and two are complete (spent $1,000 and $1,200), side three is 50 %
done (spent $600), side four is not started. The book's answers:

    PV  = 1,000 + 1,000 + 1,000   = 3,000
    EV  = 1,000 + 1,000 + 500     = 2,500
    AC  = 1,000 + 1,200 + 600     = 2,800
    BAC = 4,000
    CV  = 2,500 − 2,800           = −300
    CPI = 2,500 / 2,800           = .893
    SV  = 2,500 − 3,000           = −500
    SPI = 2,500 / 3,000           = .833
    EAC = 4,000 / .893            = 4,479
    ETC = 4,479 − 2,800           = 1,679
    VAC = 4,000 − 4,479           = −479

The book divides by CPI already rounded to .893; unrounded, BAC / CPI is
4,000 × 2,800 / 2,500 = 4,480.00 exactly, so ETC is 1,680.00 and VAC −480.00:
those are the figures to the cent, and the test also shows where the book's
come from."""

import datetime as dt
from decimal import Decimal

from liaison.finance.earned_value import PlannedTask, cents, figures
from liaison.finance.selectors.value import project_value, value_summary
from liaison.finance.tests.factories_value import MONDAY, fence

D = Decimal
DAYS = [MONDAY + dt.timedelta(days=n) for n in range(4)]
SIDES = [
    PlannedTask(n, None, day, day, D("8"), progress, None)
    for n, (day, progress) in enumerate(zip(DAYS, (100, 100, 50, 0), strict=True), start=1)
]
COSTS = [D("1000.00")] * 4
END_OF_DAY_THREE = DAYS[2]


def check_fence(result) -> None:
    assert (result.bac, result.pv, result.ev, result.ac) == (
        D("4000.00"),
        D("3000.00"),
        D("2500.00"),
        D("2800.00"),
    )
    assert result.cv == D("-300.00")
    assert result.sv == D("-500.00")
    assert round(result.cpi, 3) == D("0.893")
    assert round(result.spi, 3) == D("0.833")
    assert result.eac == D("4480.00")
    assert result.etc == D("1680.00")
    assert result.vac == D("-480.00")


def test_the_fence_at_the_end_of_day_three():
    result = figures(
        tasks=SIDES, costs=COSTS, bac=D("4000"), actual=D("2800"), day=END_OF_DAY_THREE
    )
    check_fence(result)


def test_the_books_eac_comes_from_the_rounded_cpi():
    assert cents(D("4000") / D("0.893")) == D("4479.28")  # the book's 4,479
    assert cents(D("4000") * D("2800") / D("2500")) == D("4480.00")


def test_the_fence_read_from_the_database(project, member):
    """The same example through the models: a budget of 4,000, a plan baseline
    of four one-day sides, the approved time at 100 an hour (10, 12 and 6 hours)."""
    fence(project, member)
    check_fence(value_summary(project=project, today=END_OF_DAY_THREE).figures)
    value = project_value(project=project, today=END_OF_DAY_THREE)
    check_fence(value.figures)
    assert [point.pv for point in value.points if point.day == END_OF_DAY_THREE] == [D("3000.00")]
