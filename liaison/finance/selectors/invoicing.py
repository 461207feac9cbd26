"""What the invoicing export holds: a project's approved billable time not yet
invoiced (hours × the bill rate frozen at approval) and its billable expenses
not yet invoiced, in a period; and the invoices marked so far."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from liaison.finance.amounts import rounded
from liaison.finance.models import EntryStatus, Expense, Invoice, TimeEntry
from liaison.projects.models import Project

INVOICES_SHOWN = 50


@dataclass(slots=True)
class TimeLine:
    day: dt.date
    person: str
    task_key: str
    task_title: str
    note: str
    hours: Decimal
    rate: Decimal | None
    amount: Decimal | None  # None: no bill rate frozen (a gap the manager must see)


@dataclass(slots=True)
class ExpenseLine:
    key: str
    day: dt.date
    category: str
    description: str
    amount: Decimal


@dataclass
class InvoiceExport:
    """The rows to bill in a period, and their totals (two places)."""

    project: Project
    start: dt.date
    end: dt.date
    time: list[TimeLine] = field(default_factory=list)
    expenses: list[ExpenseLine] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.project.currency

    @property
    def hours(self) -> Decimal:
        return sum((line.hours for line in self.time), Decimal(0))

    @property
    def time_amount(self) -> Decimal:
        return rounded(sum((line.amount or Decimal(0) for line in self.time), Decimal(0)))

    @property
    def expenses_amount(self) -> Decimal:
        return rounded(sum((line.amount for line in self.expenses), Decimal(0)))

    @property
    def total(self) -> Decimal:
        return self.time_amount + self.expenses_amount

    @property
    def unpriced(self) -> int:
        return sum(1 for line in self.time if line.amount is None)

    def __bool__(self) -> bool:
        return bool(self.time or self.expenses)


def billable_time(*, project: Project, start: dt.date, end: dt.date) -> QuerySet[TimeEntry]:
    """Approved billable entries of the period not yet invoiced."""
    return TimeEntry.objects.filter(
        project=project,
        status=EntryStatus.APPROVED,
        billable=True,
        invoiced_at__isnull=True,
        day__gte=start,
        day__lte=end,
    )


def billable_expenses(*, project: Project, start: dt.date, end: dt.date) -> QuerySet[Expense]:
    return Expense.objects.filter(
        project=project, billable=True, invoiced_at__isnull=True, day__gte=start, day__lte=end
    )


def _time_line(row: dict[str, Any]) -> TimeLine:
    rate = row["bill_rate"]
    return TimeLine(
        day=row["day"],
        person=row["person__display_name"] or row["person__email"],
        task_key=row["task__key"] or "",
        task_title=row["task__title"] or "",
        note=row["note"],
        hours=row["hours"],
        rate=rate,
        amount=None if rate is None else rounded(row["hours"] * rate),
    )


def invoice_export(*, project: Project, start: dt.date, end: dt.date) -> InvoiceExport:
    """The period's rows to bill, by day; two queries whatever their number."""
    time = billable_time(project=project, start=start, end=end).order_by(
        "day", "person__display_name", "id"
    )
    columns = ("day", "person__display_name", "person__email", "task__key", "task__title")
    rows = time.values(*columns, "note", "hours", "bill_rate")
    categories = dict(Expense.Category.choices)
    expenses = (
        billable_expenses(project=project, start=start, end=end)
        .order_by("day", "number")
        .values("key", "day", "category", "description", "amount")
    )
    return InvoiceExport(
        project=project,
        start=start,
        end=end,
        time=[_time_line(row) for row in rows.iterator(chunk_size=2000)],
        expenses=[
            ExpenseLine(
                key=row["key"],
                day=row["day"],
                category=str(categories.get(row["category"], row["category"])),
                description=row["description"],
                amount=row["amount"],
            )
            for row in expenses
        ],
    )


def invoice_list(*, project: Project) -> list[Invoice]:
    """The invoices marked so far, newest first (one query)."""
    return list(
        Invoice.objects.filter(project=project)
        .select_related("by")
        .only("reference", "start", "end", "currency", "hours", "total", "at", "by__display_name")
        .order_by("-at", "-id")[:INVOICES_SHOWN]
    )


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The month before today's: the period an invoice usually covers."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end
