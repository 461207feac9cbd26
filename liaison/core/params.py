"""Whole numbers and dates from query strings and forms, parsed once and safely.

`str.isdigit()` accepts "²" (which int() refuses) and any length (which the
database refuses): every id, page size or number a request carries goes
through here instead.
"""

import datetime as dt

MAX_ID = 2**31 - 1  # fits every database's integer column
# The years a plan may use: beyond them date arithmetic (a day after 9999-12-31,
# a push by a year's lag) overflows, and no real project lives there.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def positive_int(value: str | None) -> int | None:
    """The number in `value`, or None when it is not a plain decimal in range."""
    if not value or not value.isascii() or not value.isdecimal() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def is_sane_date(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def iso_date(value: str | None) -> dt.date | None:
    """The YYYY-MM-DD date in `value`, or None for junk or a year out of range."""
    try:
        day = dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
    return day if is_sane_date(day) else None
