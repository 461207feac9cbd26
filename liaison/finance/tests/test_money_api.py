"""The money API: the budget's lines for the manager only, a stale write 409,
rates for org admins, expenses locked once invoiced, the invoicing export and
marking it (JSON, and the CSV inside it)."""

import datetime as dt
from decimal import Decimal

from conftest import TODAY
from liaison.finance.models import Expense
from liaison.finance.tests.money_factories import (
    agreed_budget,
    approved_entry,
    make_expense,
    make_rate,
)
from liaison.tests.api_client import Api

API = "/projects/OWN"
PERIOD = {"start": (TODAY - dt.timedelta(days=30)).isoformat(), "end": TODAY.isoformat()}


def test_members_read_the_budgets_totals_without_its_lines(project, manager, member):
    agreed_budget(project, manager)
    as_member = Api(member).get(f"{API}/budget").json()
    assert as_member["agreed_total"] == "70000.00" and as_member["lines"] == []
    as_manager = Api(manager).get(f"{API}/budget").json()
    assert len(as_manager["lines"]) == 3 and as_manager["history"][0]["kind"] == "agreed"


def test_a_stale_budget_write_is_409_and_a_rebaseline_needs_a_reason(project, manager):
    budget = agreed_budget(project, manager)
    http = Api(manager)
    stale = http.put(f"{API}/budget", {"version": 1, "pricing": "fixed_fee", "lines": []})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    body = {"version": budget.version, "total": "80000", "reason": ""}
    refused = http.post(f"{API}/budget/rebaseline", body)
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"


def test_rates_are_the_org_admins(project, owner, manager, member):
    make_rate(project, person=member, cost="100")
    assert Api(manager).get("/rates").status_code == 403
    rows = Api(owner).get("/rates").json()["items"]
    assert [(row["person"]["id"], row["state"]) for row in rows] == [(member.pk, "in_force")]


def test_an_invoiced_expense_is_locked_in_the_api(project, member):
    expense = make_expense(project, member)
    Expense.objects.filter(pk=expense.pk).update(invoiced_at=expense.created_at)
    http = Api(member)
    body = {"version": expense.version, "amount": "1.00"}
    refused = http.patch(f"{API}/expenses/EXP-1", body)
    assert refused.status_code == 400 and refused.json()["code"] == "expense_invoiced"


def test_the_invoicing_export_and_marking_it(project, manager, member):
    approved_entry(project, member, TODAY - dt.timedelta(days=1), hours="3", bill_rate="150")
    approved_entry(project, member, TODAY - dt.timedelta(days=1), billable=False)
    make_expense(project, member, amount=Decimal("50"))
    http = Api(manager)
    export = http.get(f"{API}/invoicing", {**PERIOD, "format": "csv"}).json()
    assert (export["total"], len(export["time"]), len(export["expenses"])) == ("500.00", 1, 1)
    assert export["csv"].count("\n") == 3  # the header and two rows
    body = {**PERIOD, "reference": "INV-9", "expected_total": "500.00"}
    marked = http.post(f"{API}/invoicing/mark", body)
    assert marked.status_code == 201 and marked.json()["total"] == "500.00"
    assert http.get(f"{API}/invoicing", PERIOD).json()["time"] == []
    assert Api(member).get(f"{API}/invoicing", PERIOD).status_code == 403
