"""What every service shares: the refusal of bad input and the checks that raise it."""

from django.utils.translation import gettext_lazy as _

from liaison.core.params import FIRST_YEAR, LAST_YEAR, is_sane_date


class InvalidInput(ValueError):
    """Input a service refuses, with the field it concerns (None: the whole form)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def only_editable(fields: dict, editable: tuple[str, ...]) -> None:
    """Refuse fields a service does not take as plain values (a status, a key):
    they have rules of their own, so an API or form cannot slip them in."""
    unknown = set(fields) - set(editable)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %(names)s")
            % {"names": ", ".join(sorted(unknown))}
        )


def check_date(value, field: str) -> None:
    """Refuse a date no plan uses (year 9999 breaks every date sum after it)."""
    if value is not None and not is_sane_date(value):
        raise InvalidInput(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
        )
