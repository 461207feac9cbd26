"""Whole numbers from query strings and forms, parsed once and safely.

`str.isdigit()` accepts "²" (which int() refuses) and any length (which the
database refuses): every id, page size or number a request carries goes
through here instead.
"""

MAX_ID = 2**31 - 1  # fits every database's integer column


def positive_int(value: str | None) -> int | None:
    """The number in `value`, or None when it is not a plain decimal in range."""
    if not value or not value.isascii() or not value.isdecimal() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
