"""A project's expenses: the list with its receipts, the totals by category and
by month, one expense by its key. A fixed number of queries whatever the size."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from liaison.collab.models import Attachment
from liaison.finance.amounts import rounded
from liaison.finance.models import Expense
from liaison.projects.models import Project

EXPENSE_ROW = (
    "number",
    "key",
    "day",
    "category",
    "description",
    "amount",
    "billable",
    "invoiced_at",
    "version",
    "project_id",
)


def expense_rows(*, project: Project) -> QuerySet[Expense]:
    """The project's expenses, newest first: hand it to the paginator, then
    `with_receipts` for the page's rows."""
    return Expense.objects.filter(project=project).only(*EXPENSE_ROW).order_by("-day", "-number")


def with_receipts(expenses: list[Expense]) -> list[Expense]:
    """The page's expenses with their receipts (`receipts`: attachments), two queries."""
    ids = [expense.pk for expense in expenses]
    kind = ContentType.objects.get_for_model(Expense)
    receipts: dict[int, list[Attachment]] = {pk: [] for pk in ids}
    for attachment in (
        Attachment.objects.filter(target_type=kind, target_id__in=ids)
        .only("name", "target_id", "size")
        .order_by("id")
    ):
        receipts[attachment.target_id].append(attachment)
    for expense in expenses:
        expense.receipts = receipts[expense.pk]  # type: ignore[attr-defined]
    return expenses


def expense_page_rows(expenses: list[Expense]) -> list[Expense]:
    """The page's expenses with their receipts (the paginator read their rows)."""
    return with_receipts(expenses)


@dataclass(slots=True)
class ExpenseTotals:
    total: Decimal
    billable: Decimal
    count: int
    by_category: list[tuple[str, str, Decimal]]
    by_month: list[tuple[str, Decimal]]  # ("2026-11", total)


def expense_totals(*, project: Project) -> ExpenseTotals:
    """Totals of every expense by category and by month (newest month first), two queries."""
    labels = dict(Expense.Category.choices)
    rows = Expense.objects.filter(project=project).order_by()
    by_category: dict[str, Decimal] = {}
    billable, count = Decimal(0), 0
    for row in rows.values("category", "billable").annotate(sum=Sum("amount"), n=Count("id")):
        by_category[row["category"]] = by_category.get(row["category"], Decimal(0)) + row["sum"]
        billable += row["sum"] if row["billable"] else Decimal(0)
        count += row["n"]
    months = (
        rows.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(sum=Sum("amount"))
        .order_by("-month")
    )
    return ExpenseTotals(
        total=rounded(sum(by_category.values(), Decimal(0))),
        billable=rounded(billable),
        count=count,
        by_category=[
            (key, str(labels[key]), rounded(by_category[key]))
            for key in Expense.Category.values
            if key in by_category
        ],
        by_month=[(_month(row["month"]), rounded(row["sum"])) for row in months],
    )


def expense_get(*, project: Project, key: str) -> Expense:
    """One of the project's expenses by its key (EXP-n); 404 for anything else."""
    found = (
        Expense.objects.filter(project=project, key=key.strip().upper()[:20])
        .select_related("project")
        .order_by()[:1]
    )
    if not found:
        raise Http404
    return with_receipts([found[0]])[0]


def _month(value: dt.date | dt.datetime) -> str:
    return f"{value.year:04d}-{value.month:02d}"
