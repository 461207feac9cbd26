"""Money rows for tests: rates, an agreed budget, expenses, and approved time
entries written straight to the table (the time services are another part's).

make_rate(project, person=member, cost="50", days_ago=30)
agreed_budget(project, manager, total="100000")
make_expense(project, member, amount="120.50", billable=True)
approved_entry(project, member, day, hours="7.5", bill_rate="200")
"""

import datetime as dt
from decimal import Decimal

from conftest import NOW, TODAY
from liaison.finance.models import EntryStatus, Rate, TimeEntry, Timesheet
from liaison.finance.services.budget import budget_agree, budget_update
from liaison.finance.services.expenses import expense_create


def make_rate(project, *, person=None, role="", cost="50", bill=None, days_ago=30, currency=None):
    return Rate.objects.create(
        organization=project.organization,
        person=person,
        role=role,
        currency=currency or project.currency,
        cost_rate=Decimal(cost),
        bill_rate=Decimal(bill) if bill is not None else Decimal(cost) * 2,
        effective_from=TODAY - dt.timedelta(days=days_ago),
    )


LINES = [
    {
        "kind": "labour",
        "description": "Build",
        "role": "",
        "hours": Decimal(100),
        "amount": Decimal("60000"),
    },
    {
        "kind": "expenses",
        "description": "Travel",
        "role": "",
        "hours": None,
        "amount": Decimal("5000"),
    },
    {
        "kind": "reserve",
        "description": "Contingency",
        "role": "",
        "hours": None,
        "amount": Decimal("5000"),
    },
]


def agreed_budget(project, manager, total="70000"):
    budget = budget_update(project=project, by=manager, version=1, pricing="fixed_fee", lines=LINES)
    budget_agree(project=project, by=manager, version=budget.version, total=Decimal(total))
    budget.refresh_from_db()
    return budget


def make_expense(project, by, **fields):
    return expense_create(
        project=project,
        by=by,
        **{
            "day": TODAY,
            "category": "travel",
            "description": "Train to the warehouse",
            "amount": Decimal("120.50"),
            "billable": True,
            **fields,
        },
    )


def approved_entry(project, person, day, *, hours="7.5", bill_rate="200", **fields):
    """An approved entry of `person` on `day`, its rates frozen."""
    week = day - dt.timedelta(days=day.weekday())
    sheet, _ = Timesheet.objects.get_or_create(
        project=project, person=person, week=week, defaults={"status": EntryStatus.APPROVED}
    )
    return TimeEntry.objects.create(
        timesheet=sheet,
        project=project,
        person=person,
        day=day,
        hours=Decimal(hours),
        status=fields.pop("status", EntryStatus.APPROVED),
        cost_rate=Decimal(bill_rate) / 2 if bill_rate else None,
        bill_rate=Decimal(bill_rate) if bill_rate else None,
        approved_at=NOW,
        **{"billable": True, "note": "Pick list screens", **fields},
    )
