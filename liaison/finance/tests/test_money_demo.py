"""The demo's money: rates in both currencies, ACME-WMS's budget agreed then
raised by an approved change request, expenses with receipts, HN-EMR in Chinese."""

from decimal import Decimal

import pytest

from liaison.collab.models import Attachment
from liaison.demo.load import load_demo
from liaison.finance.models import BudgetChange, Expense, Invoice, Rate


@pytest.mark.django_db
def test_the_demo_has_rates_budgets_raised_by_a_change_and_expenses(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    assert set(Rate.objects.values_list("currency", flat=True)) == {"USD", "CNY"}
    moves = BudgetChange.objects.filter(budget__project__code="ACME-WMS")
    assert list(moves.values_list("kind", flat=True)) == ["agreed", "change_request"]
    agreed, raised = moves
    assert raised.change_request.status == "approved"
    assert raised.amount == raised.change_request.cost > 0
    assert raised.total_after == agreed.total_after + raised.amount
    emr = Expense.objects.filter(project__code="HN-EMR")
    assert emr.filter(description__contains="高铁").exists()
    assert Attachment.objects.filter(target_type__model="expense").count() >= 3
    assert BudgetChange.objects.get(budget__project__code="HN-EMR").total_after > Decimal(0)
    invoice = Invoice.objects.get(project__code="HN-EMR")
    assert list(emr.filter(invoiced_at=invoice.at).values_list("amount", flat=True)) == [
        Decimal("12800.00"),
        Decimal("1864.00"),
    ]
    assert invoice.total == Decimal("14664.00")
