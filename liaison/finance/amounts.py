"""Money as the finance app keeps it: `Decimal` rounded half up to two places,
checked before it is saved (a column holds 12 digits before the point)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from liaison.core.services import InvalidInput

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
MAX_RATE = Decimal("99999999.99")
MAX_HOURS = Decimal("99999.99")


def rounded(value: Decimal) -> Decimal:
    """Two places, half up: what an invoice shows."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def checked_amount(
    value: object, field: str, *, most: Decimal = MAX_AMOUNT, zero: bool = False
) -> Decimal:
    """A positive amount (or zero when `zero`) of at most `most`, two places."""
    try:
        amount = Decimal(str(value)) if value is not None and value != "" else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise InvalidInput(_("Give an amount, e.g. 1250.00."), field=field, code="amount_required")
    amount = rounded(amount)
    if amount < 0 or (amount == 0 and not zero):
        raise InvalidInput(
            _("Give an amount above zero.") if not zero else _("Give zero or more."),
            field=field,
            code="amount_too_small",
        )
    if amount > most:
        raise InvalidInput(
            _("At most %(most)s.") % {"most": most}, field=field, code="amount_too_large"
        )
    return amount
