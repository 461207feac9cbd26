"""Earned value's part of the demo data (`manage.py demo_data`), after the
time (41) and money (42) steps: ACME-WMS shares its budget's summary with the
client, and its actual cost is brought to where the issue's demo wants it,
CPI ≈ 0.92 against the plan baseline planning's step froze.

It adds only what those steps leave out: a budget when there is none (the
money step normally agrees it, with its lines and change), and, when the
approved time and expenses so far cost less than EV / 0.92, one expense for
the difference (the scanners' pilot batch). Approved time already costing more
is left as it is: CPI then reads lower. Imported only by the demo app."""

from decimal import Decimal

from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.finance.earned_value import cents
from liaison.finance.models import Budget, BudgetChange, Expense
from liaison.finance.selectors.value import value_summary
from liaison.finance.services.budget import budget_agree, budget_share
from liaison.finance.services.expenses import expense_create

WMS_BUDGET = Decimal("120000")  # USD, when the money step agreed none
CPI = Decimal("0.92")


def _version(world: DemoWorld) -> int:
    """The budget's version (1 for one not made yet: its first write makes it)."""
    budget = Budget.objects.filter(project=world.projects["ACME-WMS"]).first()
    return budget.version if budget else 1


def _share_budget(world: DemoWorld) -> None:
    wms, pm = world.projects["ACME-WMS"], world.people["pm"]
    if not BudgetChange.objects.filter(budget__project=wms).exists():
        budget_agree(project=wms, by=pm, version=_version(world), total=WMS_BUDGET)
    budget_share(project=wms, by=pm, version=_version(world), share=True)


def _bring_cpi_to_target(world: DemoWorld) -> None:
    wms = world.projects["ACME-WMS"]
    figures = value_summary(project=wms, today=world.today).figures
    gap = cents(figures.ev / CPI) - figures.ac
    if figures.ev <= 0 or gap <= 0:
        return
    expense_create(
        project=wms,
        by=world.people["pm"],
        day=world.days(-10),
        category=Expense.Category.HARDWARE,
        description="Handheld scanners, pilot batch",
        amount=gap,
    )


def load(world: DemoWorld) -> None:
    _share_budget(world)
    _bring_cpi_to_target(world)


registry.add(DemoStep("value", order=43, load=load))
