"""The bench project's money: rates for its team (by role since long ago, and
each member's own from a day in the last 400; the time part prices its approved
entries from these), a budget of twenty lines agreed and moved by ten re-baselines, and
`Size.bench_expenses` expenses over the last year, one in three billable, a
few invoiced; inserted in bulk (the budget_page, costs_list and
invoice_export_month scenarios). The time entries the export also reads are
the time part's data."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from liaison.finance.models import Budget, BudgetChange, BudgetLine, Expense, Rate
from liaison.projects.models import KeyCounter, Membership, Project

BUDGET_LINES = 20
REBASELINES = 10
# Before any of the time part's weeks (about five years of them at full size).
ROLE_RATES_FROM = datetime.date(2000, 1, 1)


def _rates(bench: Project, team: list[tuple[int, str]], today: datetime.date) -> None:
    start = today - datetime.timedelta(days=400)
    rows = [
        Rate(organization_id=bench.organization_id, role=role, currency=bench.currency,
             cost_rate=Decimal(cost), bill_rate=Decimal(cost) * 2,
             effective_from=ROLE_RATES_FROM)
        for role, cost in (("manager", "500"), ("member", "350"))
    ]  # fmt: skip
    rows += [
        Rate(organization_id=bench.organization_id, person_id=user_id, currency=bench.currency,
             cost_rate=Decimal(300 + 10 * n), bill_rate=Decimal(700 + 20 * n),
             effective_from=start + datetime.timedelta(days=n))
        for n, (user_id, _role) in enumerate(team)
    ]  # fmt: skip
    Rate.objects.bulk_create(rows)


def _budget(bench: Project, manager_id: int | None) -> None:
    kinds = BudgetLine.Kind.values
    budget = Budget.objects.create(project=bench, agreed_total=Decimal("2500000"))
    BudgetLine.objects.bulk_create(
        BudgetLine(budget=budget, kind=kinds[n % len(kinds)], position=n,
                   description=f"Line {n}: {kinds[n % len(kinds)]}",
                   role="member" if n % len(kinds) == 0 else "",
                   hours=Decimal(400) if n % len(kinds) == 0 else None,
                   rate=Decimal(700) if n % len(kinds) == 0 else None,
                   amount=Decimal(125000))
        for n in range(1, BUDGET_LINES + 1)
    )  # fmt: skip
    total = Decimal("2500000")
    changes = [BudgetChange(budget=budget, kind="agreed", amount=total, total_after=total,
                            by_id=manager_id)]  # fmt: skip
    for n in range(1, REBASELINES + 1):
        total += Decimal(10000)
        changes.append(BudgetChange(budget=budget, kind="rebaseline", amount=Decimal(10000),
                                    total_after=total, reason=f"Re-baseline {n}",
                                    by_id=manager_id))  # fmt: skip
    BudgetChange.objects.bulk_create(changes)
    Budget.objects.filter(pk=budget.pk).update(agreed_total=total)


def _expenses(bench: Project, count: int, team: list[int], rng: random.Random, today) -> None:
    categories = Expense.Category.values
    invoiced = timezone.now() - datetime.timedelta(days=200)
    Expense.objects.bulk_create(
        Expense(
            project=bench,
            number=n,
            key=f"EXP-{n}",
            day=today - datetime.timedelta(days=365 * (count - n) // count),
            category=rng.choice(categories),
            description=f"Expense {n}: {rng.choice(['taxi', 'hotel', 'licence', 'cables'])}",
            amount=Decimal(rng.randint(1000, 500000)) / 100,
            billable=n % 3 == 0,
            invoiced_at=invoiced if n % 3 == 0 and n < count // 3 else None,
            created_by_id=team[n % len(team)],
        )
        for n in range(1, count + 1)
    )
    KeyCounter.objects.update_or_create(project=bench, prefix="EXP", defaults={"last": count})


def build_money(bench: Project, count: int, rng: random.Random) -> dict[str, int]:
    today = timezone.localdate()
    team = list(
        Membership.objects.filter(
            project=bench, role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER)
        ).values_list("user_id", "role")
    )
    _rates(bench, team, today)
    _budget(bench, bench.manager_id)
    _expenses(bench, count, [user_id for user_id, _role in team], rng, today)
    return {"rates": Rate.objects.count(), "expenses": count}
