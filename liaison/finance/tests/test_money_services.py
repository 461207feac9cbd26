"""Rates, the budget and what moves it, expenses and invoicing: the services' rules."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from conftest import TODAY
from liaison.changes.models import ChangeRequest
from liaison.changes.services.decision import change_decide
from liaison.changes.tests.factories import sent_change
from liaison.collab.models import Attachment, Notification
from liaison.core.locking import StaleEdit
from liaison.core.services import InvalidInput
from liaison.finance.models import Budget, BudgetChange, Expense, Invoice, Rate, TimeEntry
from liaison.finance.selectors.rates import change_cost_estimate, team_bill_rate
from liaison.finance.services.budget import (
    budget_agree,
    budget_rebaseline,
    budget_share,
    budget_update,
)
from liaison.finance.services.expenses import expense_delete, expense_update
from liaison.finance.services.invoicing import invoice_mark
from liaison.finance.services.rates import rate_create, rate_delete
from liaison.finance.tests.money_factories import (
    LINES,
    agreed_budget,
    approved_entry,
    make_expense,
    make_rate,
)

# -- rates


def test_only_org_admins_set_rates_and_a_future_one_may_go(org, owner, manager, member):
    fields = {"currency": "CNY", "cost_rate": Decimal("300"), "bill_rate": Decimal("600.005")}
    rate = rate_create(
        organization=org,
        by=owner,
        person=member,
        effective_from=TODAY + dt.timedelta(days=5),
        **fields,
    )
    assert rate.bill_rate == Decimal("600.01")  # two places, half up
    with pytest.raises(PermissionDenied):
        rate_create(organization=org, by=manager, role="member", effective_from=TODAY, **fields)
    with pytest.raises(InvalidInput) as twice:
        rate_create(
            organization=org, by=owner, person=member, effective_from=rate.effective_from, **fields
        )
    assert twice.value.code == "rate_exists"
    in_force = rate_create(
        organization=org, by=owner, role="member", effective_from=TODAY, **fields
    )
    with pytest.raises(InvalidInput) as refused:
        rate_delete(rate=in_force, by=owner)
    assert refused.value.code == "rate_in_force"
    rate_delete(rate=rate, by=owner)
    assert list(Rate.objects.all()) == [in_force]


def test_a_rate_is_for_a_person_of_the_organization_or_a_role(org, other_org, owner):
    from liaison.accounts.tests.factories import make_user

    stranger = make_user("stranger@test.example", org=other_org)
    base = {
        "organization": org,
        "by": owner,
        "currency": "CNY",
        "cost_rate": 1,
        "bill_rate": 2,
        "effective_from": TODAY,
    }
    for fields, code in (
        ({}, "who_required"),
        ({"person": stranger}, "not_in_organization"),
        ({"role": "client"}, "bad_role"),
        ({"role": "member", "currency": "XYZ"}, "bad_currency"),
        ({"role": "member", "cost_rate": -1}, "amount_too_small"),
    ):
        with pytest.raises(InvalidInput) as refused:
            rate_create(**{**base, **fields})
        assert refused.value.code == code
    assert not Rate.objects.exists()


def test_a_changes_effort_is_priced_at_the_teams_blended_bill_rate(project, manager, member):
    make_rate(project, role="manager", cost="400", bill="800")
    make_rate(project, role="member", cost="200", bill="400")
    make_rate(project, person=member, cost="300", bill="600")
    assert team_bill_rate(project=project, today=TODAY) == Decimal("700")
    assert change_cost_estimate(project, Decimal("10")) == Decimal("7000.00")


def test_no_rate_no_estimate(project, manager):
    assert change_cost_estimate(project, Decimal("10")) is None


# -- the budget


def test_the_lines_are_versioned_and_labour_is_priced_from_the_roles_rate(project, manager):
    make_rate(project, role="member", cost="150", bill="300")
    lines = [
        {
            "kind": "labour",
            "description": "Build",
            "role": "member",
            "hours": Decimal("40"),
            "amount": None,
        },
        LINES[1],
    ]
    budget = budget_update(project=project, by=manager, version=1, pricing="fixed_fee", lines=lines)
    priced = budget.lines.get(position=1)
    assert (priced.amount, priced.rate) == (Decimal("12000.00"), Decimal("300.00"))
    with pytest.raises(StaleEdit):
        budget_update(project=project, by=manager, version=1, pricing="fixed_fee", lines=[])
    assert budget.lines.count() == 2


def test_a_labour_line_without_a_rate_or_an_amount_is_refused(project, manager):
    line = {"kind": "labour", "description": "Build", "role": "manager", "hours": 8, "amount": None}
    with pytest.raises(InvalidInput) as gap:
        budget_update(project=project, by=manager, version=1, pricing="fixed_fee", lines=[line])
    assert gap.value.code == "rate_gap"
    assert "Line 1" in str(gap.value.message)
    assert not Budget.objects.filter(project=project, lines__isnull=False).exists()


def test_members_may_not_write_the_budget(project, member):
    with pytest.raises(PermissionDenied):
        budget_update(project=project, by=member, version=1, pricing="fixed_fee", lines=[])


def test_agreed_once_then_moved_only_by_a_rebaseline_with_a_reason(project, manager):
    budget = agreed_budget(project, manager, total="70000")
    assert budget.agreed_total == Decimal("70000.00")
    with pytest.raises(InvalidInput) as again:
        budget_agree(project=project, by=manager, version=budget.version)
    assert again.value.code == "already_agreed"
    with pytest.raises(InvalidInput) as no_reason:
        budget_rebaseline(
            project=project, by=manager, version=budget.version, total=Decimal("80000"), reason="  "
        )
    assert no_reason.value.code == "reason_required"
    change = budget_rebaseline(
        project=project,
        by=manager,
        version=budget.version,
        total=Decimal("65000"),
        reason="Scope of phase 2 moved out",
    )
    assert (change.amount, change.total_after) == (Decimal("-5000.00"), Decimal("65000.00"))
    assert list(budget.changes.values_list("kind", flat=True)) == ["agreed", "rebaseline"]


def test_the_first_agreement_takes_the_lines_total_and_a_rebaseline_needs_it(project, manager):
    budget = budget_update(project=project, by=manager, version=1, pricing="fixed_fee", lines=LINES)
    with pytest.raises(InvalidInput) as not_agreed:
        budget_rebaseline(
            project=project, by=manager, version=budget.version, total=Decimal(1), reason="x"
        )
    assert not_agreed.value.code == "not_agreed"
    change = budget_agree(project=project, by=manager, version=budget.version)
    assert change.total_after == Decimal("70000.00")


def test_an_approved_change_with_a_cost_raises_the_agreed_budget(project, manager, client_user):
    budget = agreed_budget(project, manager, total="70000")
    change = sent_change(project, manager, cost=Decimal("8000"))
    change_decide(
        change=change,
        by=client_user,
        version=change.version,
        approve=True,
        full_name="Client Person",
        ip=None,
    )
    budget.refresh_from_db()
    assert budget.agreed_total == Decimal("78000.00")
    moved = budget.changes.get(kind=BudgetChange.Kind.CHANGE_REQUEST)
    assert (moved.amount, moved.change_request_id, moved.by) == (
        Decimal("8000"),
        change.pk,
        client_user,
    )
    told = Notification.objects.get(event="budget.changed", recipient=manager)
    # The kind is kept by its msgid: each reader reads it in their own language.
    assert told.params["kind"] == {"msgid": "Change request"}


def test_an_approved_change_leaves_a_budget_not_agreed_alone(project, manager, client_user):
    budget_update(project=project, by=manager, version=1, pricing="fixed_fee", lines=LINES)
    change = sent_change(project, manager, cost=Decimal("8000"))
    change_decide(
        change=change,
        by=client_user,
        version=change.version,
        approve=True,
        full_name="Client Person",
        ip=None,
    )
    assert ChangeRequest.objects.get(pk=change.pk).status == "approved"
    assert not BudgetChange.objects.exists()


def test_sharing_is_the_managers(project, manager, member):
    budget = budget_share(project=project, by=manager, version=1, share=True)
    assert budget.share_with_client
    with pytest.raises(PermissionDenied):
        budget_share(project=project, by=member, version=budget.version, share=False)


# -- expenses


def test_an_expense_gets_its_key_and_its_receipt(project, member):
    receipt = SimpleUploadedFile("ticket.pdf", b"%PDF-1.4 a ticket", content_type="application/pdf")
    expense = make_expense(project, member, receipt=receipt)
    second = make_expense(project, member)
    assert (expense.key, second.key) == ("EXP-1", "EXP-2")
    assert Attachment.objects.get(target_id=expense.pk).name == "ticket.pdf"


def test_bad_expenses_are_refused_with_nothing_saved(project, member, observer):
    for fields, code in (
        ({"amount": Decimal(0)}, "amount_too_small"),
        ({"amount": None}, "amount_required"),
        ({"description": " "}, "description_required"),
        ({"category": "food"}, "bad_category"),
        ({"day": None}, "day_required"),
    ):
        with pytest.raises(InvalidInput) as refused:
            make_expense(project, member, **fields)
        assert refused.value.code == code
    with pytest.raises(PermissionDenied):
        make_expense(project, observer)
    assert not Expense.objects.exists()


def test_an_invoiced_expense_is_locked(project, manager, member):
    expense = make_expense(project, member)
    expense = expense_update(
        expense=expense, by=member, version=expense.version, amount=Decimal("99")
    )
    assert expense.amount == Decimal("99.00")
    Expense.objects.filter(pk=expense.pk).update(invoiced_at=expense.created_at)
    for attempt in (
        lambda: expense_update(expense=expense, by=member, version=expense.version, amount=1),
        lambda: expense_delete(expense=expense, by=member, version=expense.version),
    ):
        with pytest.raises(InvalidInput) as refused:
            attempt()
        assert refused.value.code == "expense_invoiced"


# -- invoicing


def test_marking_invoiced_takes_exactly_the_periods_billable_rows_once(project, manager, member):
    start, end = TODAY - dt.timedelta(days=30), TODAY
    billed = approved_entry(project, member, TODAY - dt.timedelta(days=3), hours="7.5")
    approved_entry(project, member, TODAY - dt.timedelta(days=3), billable=False)
    approved_entry(project, member, TODAY - dt.timedelta(days=2), status="submitted")
    approved_entry(project, member, TODAY - dt.timedelta(days=40))
    expense = make_expense(project, member, amount=Decimal("100.10"))
    make_expense(project, member, billable=False)
    with pytest.raises(InvalidInput) as changed:
        invoice_mark(
            project=project,
            by=manager,
            start=start,
            end=end,
            reference="INV-1",
            expected_total=Decimal("1"),
        )
    assert changed.value.code == "export_changed"
    invoice = invoice_mark(
        project=project,
        by=manager,
        start=start,
        end=end,
        reference="INV-1",
        expected_total=Decimal("1600.10"),
    )
    assert (invoice.hours, invoice.total) == (Decimal("7.5"), Decimal("1600.10"))
    assert list(TimeEntry.objects.filter(invoiced_at=invoice.at)) == [billed]
    assert list(Expense.objects.filter(invoiced_at=invoice.at)) == [expense]
    with pytest.raises(InvalidInput) as nothing:
        invoice_mark(project=project, by=manager, start=start, end=end, reference="INV-2")
    assert nothing.value.code == "nothing_to_invoice"
    approved_entry(project, member, TODAY)
    with pytest.raises(InvalidInput) as twice:
        invoice_mark(project=project, by=manager, start=start, end=end, reference="INV-1")
    assert twice.value.code == "reference_exists"
    assert Invoice.objects.count() == 1


def test_invoicing_is_the_managers(project, member, foreign_project):
    with pytest.raises(PermissionDenied):
        invoice_mark(project=project, by=member, start=TODAY, end=TODAY, reference="X")
    with pytest.raises(Http404):
        invoice_mark(project=foreign_project, by=member, start=TODAY, end=TODAY, reference="X")


# -- selectors: a fixed number of queries


def test_the_selectors_queries_do_not_grow(
    project, owner, manager, member, django_assert_num_queries
):
    from liaison.finance.selectors.budget import budget_view
    from liaison.finance.selectors.expenses import expense_totals
    from liaison.finance.selectors.invoicing import invoice_export
    from liaison.finance.selectors.rates import rate_rows

    start = TODAY - dt.timedelta(days=30)

    def read() -> None:
        with django_assert_num_queries(2):
            invoice_export(project=project, start=start, end=TODAY)
        with django_assert_num_queries(2):
            expense_totals(project=project)
        with django_assert_num_queries(1):
            rate_rows(organization=project.organization, today=TODAY)
        with django_assert_num_queries(3):
            budget_view(project=project)

    agreed_budget(project, manager)
    make_rate(project, person=member)
    read()
    for n in range(15):
        approved_entry(project, member, TODAY - dt.timedelta(days=n))
        make_expense(project, member, day=TODAY - dt.timedelta(days=n * 5))
        make_rate(project, person=member, days_ago=40 + n)
    read()
