"""Rules every service applies to its input, whatever the object: the fields it
takes as plain values, and the dates it accepts."""

import datetime as dt
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from liaison.core.params import FIRST_YEAR, LAST_YEAR, is_sane_date
from liaison.core.services import InvalidInput


def only_editable(fields: Mapping[str, object], editable: tuple[str, ...]) -> None:
    """Refuse fields a service does not take as plain values (a status, a key):
    they have rules of their own, so an API or form cannot slip them in."""
    unknown = set(fields) - set(editable)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %(names)s")
            % {"names": ", ".join(sorted(unknown))}
        )


def check_date(value: dt.date | None, field: str) -> None:
    """Refuse a date no plan uses (year 9999 breaks every date sum after it)."""
    if value is not None and not is_sane_date(value):
        raise InvalidInput(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
        )
