"""`{{ amount|money }}`: an amount with two places and thousands separated
(12,345.60), the same in every language, as invoices write it; empty for None."""

from decimal import Decimal

from django import template

from liaison.finance.amounts import rounded

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    if value is None or value == "":
        return ""
    return f"{rounded(Decimal(value)):,.2f}"
