"""Whole numbers, dates and text from query strings and forms, parsed once and safely.

`str.isdigit()` accepts "²" (which int() refuses) and any length (which the
database refuses): every id, page size or number a request carries goes
through here instead.
"""

import datetime as dt

from django.utils.translation import gettext as _

from liaison.core.services import InvalidInput

MAX_ID = 2**31 - 1  # fits every database's integer column
# Every whole number a request carries fits a 32-bit column (PostgreSQL's
# `integer`): beyond it PostgreSQL refuses the row and SQLite quietly keeps it.
MIN_INT, MAX_INT = -(2**31), MAX_ID
# The farthest any place on Earth is from UTC (Kiribati +14:00, Baker Island
# -12:00); PostgreSQL refuses an offset past ±15:59.
MAX_UTC_OFFSET = dt.timedelta(hours=14)
# The years a plan may use: beyond them date arithmetic (a day after 9999-12-31,
# a push by a year's lag) overflows, and no real project lives there.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def positive_int(value: str | None) -> int | None:
    """The number in `value`, or None when it is not a plain decimal in range."""
    if not value or not value.isascii() or not value.isdecimal() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def fits_int_column(number: int) -> bool:
    return MIN_INT <= number <= MAX_INT


def has_real_offset(moment: dt.datetime) -> bool:
    """False for an aware time whose offset no time zone has (+20:45)."""
    offset = moment.utcoffset()
    return offset is None or abs(offset) <= MAX_UTC_OFFSET


def is_sane_date(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def iso_date(value: str | None) -> dt.date | None:
    """The YYYY-MM-DD date in `value`, or None for junk or a year out of range."""
    try:
        day = dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
    return day if is_sane_date(day) else None


def typed_text(value: str | None, *, field: str, limit: int | None = None) -> str:
    """The text of `field` that a view reads without a form, cut to `limit`
    characters. A NUL, which PostgreSQL cannot store (a form's field refuses
    it), is refused as the form would: InvalidInput naming the field."""
    text = (value or "")[:limit]
    if "\x00" in text:
        raise InvalidInput(
            _("The text contains a NUL character, which cannot be saved. Remove it."),
            field=field,
            code="invalid",
        )
    return text
