"""API schemas of the money part: rates, the budget and its history, expenses
and the invoicing export. Amounts are decimals with two places, in the
project's currency (or the rate's), given as strings in JSON."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from liaison.core.schemas import OneOf, UserRef
from liaison.finance.models import Budget, BudgetChange, BudgetLine, Expense
from liaison.projects.models import CURRENCIES

Pricing = Annotated[str, OneOf(Budget.Pricing)]
LineKind = Annotated[str, OneOf(BudgetLine.Kind)]
ChangeKind = Annotated[str, OneOf(BudgetChange.Kind)]
ExpenseCategory = Annotated[str, OneOf(Expense.Category)]
VERSION = Field(..., description="The version you read; a stale one answers 409.")
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Rate = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]
Hours = Annotated[Decimal, Field(ge=0, max_digits=7, decimal_places=2)]
CURRENCY = Field(..., description="One of " + ", ".join(code for code, _ in CURRENCIES) + ".")


# -- rates


class RateOut(Schema):
    id: int
    person: UserRef | None = Field(..., description="null: the rate of a project role.")
    role: str = Field(..., description="manager or member; empty for a person's rate.")
    currency: str
    cost_rate: Decimal
    bill_rate: Decimal
    effective_from: datetime.date
    state: str = Field(..., description="in_force, future (from its day) or past (replaced).")


class RateIn(Schema):
    organization: str | None = Field(
        None,
        max_length=50,
        description="The organization's slug; needed only when you belong to several.",
    )
    person_id: int | None = Field(None, description="A person of the organization's staff…")
    role: str = Field("", max_length=20, description="…or a project role: manager or member.")
    currency: str = CURRENCY
    cost_rate: Rate
    bill_rate: Rate
    effective_from: datetime.date


# -- the budget


class BudgetLineOut(Schema):
    kind: LineKind
    description: str
    role: str
    hours: Decimal | None
    amount: Decimal
    rate: Decimal | None = Field(
        ..., description="The role's bill rate it was priced at; null: typed."
    )


class BudgetLineIn(Schema):
    kind: LineKind
    description: str = Field(..., max_length=200)
    role: str = Field("", max_length=20, description="Labour: manager or member.")
    hours: Hours | None = None
    amount: Money | None = Field(
        None, description="null: labour priced at its role's bill rate in force today."
    )


class BudgetChangeOut(Schema):
    kind: ChangeKind
    amount: Decimal = Field(..., description="The move of the agreed total (negative: down).")
    total_after: Decimal
    reason: str
    change_request: str | None = Field(..., description="The change request's key (CR-n).")
    by: UserRef | None
    at: datetime.datetime


class BudgetOut(Schema):
    currency: str
    pricing: Pricing
    agreed: bool
    agreed_total: Decimal | None = Field(..., description="null until agreed.")
    lines_total: Decimal
    approved_changes: Decimal
    share_with_client: bool
    version: int
    lines: list[BudgetLineOut] = Field(..., description="Empty for members: they see totals.")
    history: list[BudgetChangeOut]


class BudgetLinesIn(Schema):
    version: int = VERSION
    pricing: Pricing
    lines: list[BudgetLineIn] = Field(..., max_length=200)
    share_with_client: bool | None = None


class BudgetAgreeIn(Schema):
    version: int = VERSION
    total: Money | None = Field(None, description="null: the lines' total.")


class BudgetRebaselineIn(Schema):
    version: int = VERSION
    total: Money
    reason: str = Field(..., max_length=5000)


# -- expenses


class ExpenseOut(Schema):
    key: str = Field(..., description="EXP-1, EXP-2… per project.")
    day: datetime.date
    category: ExpenseCategory
    description: str
    amount: Decimal
    billable: bool
    invoiced_at: datetime.datetime | None = Field(..., description="Set: locked.")
    version: int


class ExpenseIn(Schema):
    day: datetime.date
    category: ExpenseCategory
    description: str = Field(..., max_length=200)
    amount: Money
    billable: bool = False


class ExpensePatch(Schema):
    version: int = VERSION
    day: datetime.date | None = None
    category: ExpenseCategory | None = None
    description: str | None = Field(None, max_length=200)
    amount: Money | None = None
    billable: bool | None = None


# -- invoicing


class InvoiceTimeOut(Schema):
    day: datetime.date
    person: str
    task_key: str
    task_title: str
    note: str
    hours: Decimal
    rate: Decimal | None
    amount: Decimal | None


class InvoiceExpenseOut(Schema):
    key: str
    day: datetime.date
    category: str
    description: str
    amount: Decimal


class InvoiceExportOut(Schema):
    client: str
    project: str
    start: datetime.date
    end: datetime.date
    currency: str
    hours: Decimal
    time_amount: Decimal
    expenses_amount: Decimal
    total: Decimal
    time: list[InvoiceTimeOut]
    expenses: list[InvoiceExpenseOut]
    csv: str | None = Field(
        ..., description="With format=csv: the rows as CSV (Type, Date, Client, Project, …)."
    )


class InvoiceMarkIn(Schema):
    start: datetime.date
    end: datetime.date
    reference: str = Field(..., max_length=60)
    expected_total: Money | None = Field(
        None,
        description="The total you exported: rows approved since then answer 400 export_changed.",
    )


class InvoiceOut(Schema):
    reference: str
    start: datetime.date
    end: datetime.date
    currency: str
    hours: Decimal
    time_amount: Decimal
    expenses_amount: Decimal
    total: Decimal
    at: datetime.datetime
