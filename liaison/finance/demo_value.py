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
from liaison.projects.keys import next_number

WMS_BUDGET = Decimal("120000")  # USD, when the money step agreed none
CPI = Decimal("0.92")


def _budget(world: DemoWorld) -> Budget:
    wms, pm = world.projects["ACME-WMS"], world.people["pm"]
    budget = Budget.objects.filter(project=wms).first()
    if budget is None:
        budget = Budget.objects.create(project=wms, agreed_total=WMS_BUDGET)
        BudgetChange.objects.create(
            budget=budget,
            kind=BudgetChange.Kind.AGREED,
            amount=WMS_BUDGET,
            total_after=WMS_BUDGET,
            reason="Agreed at kick-off",
            by=pm,
        )
    Budget.objects.filter(pk=budget.pk).update(share_with_client=True)
    return budget


def _bring_cpi_to_target(world: DemoWorld) -> None:
    wms = world.projects["ACME-WMS"]
    figures = value_summary(project=wms, today=world.today).figures
    gap = cents(figures.ev / CPI) - figures.ac
    if figures.ev <= 0 or gap <= 0:
        return
    Expense.objects.create(
        project=wms,
        number=next_number(project=wms, prefix="EXP"),
        day=world.days(-10),
        category=Expense.Category.HARDWARE,
        description="Handheld scanners, pilot batch",
        amount=gap,
        created_by=world.people["pm"],
    )


def load(world: DemoWorld) -> None:
    _budget(world)
    _bring_cpi_to_target(world)


registry.add(DemoStep("value", order=43, load=load))
