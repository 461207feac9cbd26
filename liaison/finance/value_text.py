"""Earned value in plain words: each figure with its name and what it means
for this project now ("each unit of money spent earned 0.92 of planned work"),
in the reader's language, and the health rule that the page, the overview's
card and the status report show."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.finance.earned_value import Figures
from liaison.finance.value_charts import money

HEALTH_RULE = gettext_lazy(
    "Health: CPI or SPI below 0.9 makes it amber, below 0.8 red (an index not known yet counts "
    "as on track)."
)
UNKNOWN = gettext_lazy("Not known yet.")


def index(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _variance(amount: Decimal, behind: str, ahead: str, even: str) -> str:
    if amount < 0:
        return behind % {"amount": money(-amount)}
    return ahead % {"amount": money(amount)} if amount > 0 else even


def _row(abbr: str, label: str, shown: str, meaning: str) -> dict[str, str]:
    return {"abbr": abbr, "label": label, "value": shown, "meaning": meaning}


def _unknown_or(value: Decimal | None, meaning: str, **params: str) -> str:
    return str(UNKNOWN) if value is None else meaning % params


def figure_rows(figures: Figures, *, currency: str, agreed: Decimal) -> list[dict[str, Any]]:
    """Every figure, its value and a sentence saying what it means."""
    f = figures
    budget = _(
        "The work's budget: the agreed %(agreed)s %(currency)s less the contingency reserve."
    )
    return [
        _row("BAC", _("Budget at completion"), money(f.bac),
             budget % {"agreed": money(agreed), "currency": currency}),
        _row("PV", _("Planned value"), money(f.pv),
             _("The budget of the work the plan baseline planned to be done by now.")),
        _row("EV", _("Earned value"), money(f.ev),
             _("The budget of the work actually done: each task's budget × its progress.")),
        _row("AC", _("Actual cost"), money(f.ac),
             _("What was spent: approved time at its cost rates, and the expenses.")),
        _row("SV", _("Schedule variance"), money(f.sv), _variance(
            f.sv,
            _("The work done is worth %(amount)s less than planned by now: behind schedule."),
            _("The work done is worth %(amount)s more than planned by now: ahead of schedule."),
            _("The work done is the work planned by now: on schedule."))),
        _row("CV", _("Cost variance"), money(f.cv), _variance(
            f.cv,
            _("The work done cost %(amount)s more than its budget: over budget."),
            _("The work done cost %(amount)s less than its budget: under budget."),
            _("The work done cost its budget exactly."))),
        _row("SPI", _("Schedule performance index"), index(f.spi), _unknown_or(
            f.spi, _("For each unit of work planned by now, %(spi)s has been done."),
            spi=index(f.spi))),
        _row("CPI", _("Cost performance index"), index(f.cpi), _unknown_or(
            f.cpi, _("Each unit of money spent earned %(cpi)s of planned work."),
            cpi=index(f.cpi))),
        _row("EAC", _("Estimate at completion"), money(f.eac), _unknown_or(
            f.eac, _("If the rest costs what the work so far has, %(eac)s in all (BAC ÷ CPI)."),
            eac=money(f.eac))),
        _row("ETC", _("Estimate to complete"), money(f.etc), _unknown_or(
            f.etc, _("Still to spend to finish the work at the same rate (EAC − AC)."))),
        _row("VAC", _("Variance at completion"), money(f.vac), str(UNKNOWN) if f.vac is None
             else _variance(f.vac, _("At the end, %(amount)s over the budget (BAC − EAC)."),
                            _("At the end, %(amount)s under the budget (BAC − EAC)."),
                            _("At the end, on budget exactly."))),
    ]  # fmt: skip
