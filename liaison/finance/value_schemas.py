"""API schemas of earned value: money and indices as text (decimals, never
floats); None where a figure is not known yet (an index whose divisor is zero)."""

import datetime

from ninja import Field, Schema

MONEY = "Money in the project's currency, as text with two places."


class EarnedValueFigures(Schema):
    bac: str | None = Field(..., description="Budget at completion: " + MONEY)
    pv: str | None = Field(..., description="Planned value: " + MONEY)
    ev: str | None = Field(..., description="Earned value: " + MONEY)
    ac: str | None = Field(..., description="Actual cost: " + MONEY)
    sv: str | None = Field(..., description="Schedule variance, EV − PV.")
    cv: str | None = Field(..., description="Cost variance, EV − AC.")
    spi: str | None = Field(..., description="Schedule performance index, EV / PV.")
    cpi: str | None = Field(..., description="Cost performance index, EV / AC.")
    eac: str | None = Field(..., description="Estimate at completion, BAC / CPI.")
    etc: str | None = Field(..., description="Estimate to complete, EAC − AC.")
    vac: str | None = Field(..., description="Variance at completion, BAC − EAC.")


class EarnedValueMilestone(Schema):
    key: str
    name: str
    due: datetime.date
    figures: EarnedValueFigures


class EarnedValueOut(Schema):
    code: str
    currency: str
    day: datetime.date = Field(..., description="The figures are as of the end of this day.")
    has_budget: bool
    has_baseline: bool = Field(..., description="Whether a plan baseline dated some tasks.")
    budget: str = Field(..., description="The agreed total. " + MONEY)
    health: str = Field(..., description="green, amber (CPI or SPI < 0.9) or red (< 0.8).")
    figures: EarnedValueFigures
    milestones: list[EarnedValueMilestone]
