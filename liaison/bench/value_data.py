"""What the bench project's earned value needs beyond the plan (its 10,000
tasks and the plan baseline that dates 2,000 of them) and the time the time
part's data logs: a budget agreed at 2,000,000 with a contingency reserve, and
a year of expenses, so that the page (`earned_value`) and the API
(`value_api`) draw their curves. A budget the money part's data already made
is kept; expenses are numbered after any there are."""

import datetime
import random
from decimal import Decimal

from django.db.models import Max

from liaison.finance.models import Budget, BudgetChange, BudgetLine, Expense
from liaison.projects.models import KeyCounter, Project

AGREED = Decimal("2000000")
RESERVE = Decimal("150000")
EXPENSES = 200


def _budget(bench: Project) -> None:
    if Budget.objects.filter(project=bench).exists():
        return
    budget = Budget.objects.create(project=bench, agreed_total=AGREED, share_with_client=True)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                budget=budget,
                kind=BudgetLine.Kind.LABOUR,
                description="Delivery team",
                amount=AGREED - RESERVE - Decimal("250000"),
                position=1,
            ),
            BudgetLine(
                budget=budget,
                kind=BudgetLine.Kind.EXPENSES,
                description="Travel and hardware",
                amount=Decimal("250000"),
                position=2,
            ),
            BudgetLine(
                budget=budget,
                kind=BudgetLine.Kind.RESERVE,
                description="Contingency reserve",
                amount=RESERVE,
                position=3,
            ),
        ]
    )
    BudgetChange.objects.create(
        budget=budget, kind=BudgetChange.Kind.AGREED, amount=AGREED, total_after=AGREED
    )


def build_value(bench: Project, count: int, rng: random.Random, today: datetime.date) -> dict:
    _budget(bench)
    first = (Expense.objects.filter(project=bench).aggregate(last=Max("number"))["last"] or 0) + 1
    Expense.objects.bulk_create(
        Expense(
            project=bench,
            number=number,
            day=today - datetime.timedelta(days=rng.randrange(365)),
            category=rng.choice(Expense.Category.values),
            description=f"Expense {number}",
            amount=Decimal(rng.randrange(2_000, 400_000)) / 100,
            billable=number % 3 == 0,
        )
        for number in range(first, first + count)
    )
    KeyCounter.objects.update_or_create(
        project=bench, prefix="EXP", defaults={"last": first + count - 1}
    )
    return {"expenses": Expense.objects.filter(project=bench).count()}
