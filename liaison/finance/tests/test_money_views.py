"""The money pages per role: rates, the budget, costs and the invoicing export
(the export holds exactly the approved billable rows not yet invoiced)."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import NOW, TODAY
from liaison.changes.tests.factories import make_change
from liaison.finance.models import Budget, BudgetChange, Expense, Invoice, Rate, TimeEntry
from liaison.finance.services.budget import budget_update
from liaison.finance.tests.money_factories import (
    LINES,
    agreed_budget,
    approved_entry,
    make_expense,
    make_rate,
)

BUDGET = reverse("finance:budget", args=["OWN"])
COSTS = reverse("finance:costs", args=["OWN"])
INVOICING = reverse("finance:invoicing", args=["OWN"])
EXPORT = reverse("finance:invoicing-export", args=["OWN"])
RATES = reverse("finance:rates")
PERIOD = {"start": (TODAY - dt.timedelta(days=30)).isoformat(), "end": TODAY.isoformat()}

# -- rates


def test_an_owner_adds_a_rate_and_sees_which_is_in_force(login, project, owner, member):
    http = login(owner)
    old = make_rate(project, person=member, cost="100", days_ago=90)
    response = http.post(
        RATES,
        {
            "person": member.pk,
            "currency": "CNY",
            "cost_rate": "120",
            "bill_rate": "240",
            "effective_from": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    page = http.get(RATES).content.decode()
    new = Rate.objects.get(cost_rate=Decimal("120"))
    assert f'data-rate="{new.pk}" data-state="in_force"' in page
    assert f'data-rate="{old.pk}" data-state="past"' in page


def test_a_rate_refused_says_why_beside_the_field(login, project, owner):
    make_rate(project, role="member", days_ago=0)
    response = login(owner).post(
        RATES,
        {
            "role": "member",
            "currency": "CNY",
            "cost_rate": "1",
            "bill_rate": "2",
            "effective_from": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "already starts that day" in response.content.decode()


def test_staff_never_see_the_rates(login, project, manager, member):
    make_rate(project, person=member, cost="777")
    for user in (manager, member):
        response = login(user).get(RATES)
        assert response.status_code == 403
        assert "777" not in response.content.decode()


# -- the budget


def test_members_see_the_budgets_totals_but_not_its_lines_or_rates(login, project, manager, member):
    make_rate(project, role="member", cost="150", bill="300")
    line = {
        "kind": "labour",
        "description": "Build the pick list",
        "role": "member",
        "hours": Decimal(40),
        "amount": None,
    }
    budget_update(project=project, by=manager, version=1, pricing="fixed_fee", lines=[line])
    as_member = login(member).get(BUDGET).content.decode()
    assert "12,000.00" in as_member and "Build the pick list" not in as_member
    assert "300.00" not in as_member
    as_manager = login(manager).get(BUDGET).content.decode()
    assert "Build the pick list" in as_manager and "300.00" in as_manager


def test_the_manager_writes_lines_agrees_and_a_stale_form_is_refused(login, project, manager):
    http = login(manager)
    lines = {
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "version": "1",
        "pricing": "time_and_materials",
        "lines-0-kind": "third_party",
        "lines-0-description": "Scanner vendor",
        "lines-0-amount": "8000.004",
        "lines-1-kind": "reserve",
        "lines-1-description": "",
        "lines-1-amount": "",
    }
    response = http.post(reverse("finance:budget-lines", args=["OWN"]), lines)
    assert response.status_code == 200  # three places: refused beside the amount
    lines["lines-0-amount"] = "8000.00"
    assert http.post(reverse("finance:budget-lines", args=["OWN"]), lines).status_code == 302
    budget = Budget.objects.get(project=project)
    assert budget.lines.count() == 1 and budget.pricing == "time_and_materials"
    stale = http.post(reverse("finance:budget-lines", args=["OWN"]), lines)
    assert stale.status_code == 200 and Budget.objects.get(pk=budget.pk).version == budget.version
    agree = http.post(reverse("finance:budget-agree", args=["OWN"]), {"version": budget.version})
    assert agree.status_code == 302
    assert BudgetChange.objects.get().total_after == Decimal("8000.00")
    page = http.get(BUDGET).content.decode()
    assert 'data-kind="agreed"' in page and "CNY 8,000.00" in page


def test_a_rebaseline_without_a_reason_is_refused_beside_it(login, project, manager):
    budget = agreed_budget(project, manager)
    response = login(manager).post(
        reverse("finance:budget-rebaseline", args=["OWN"]),
        {"version": budget.version, "total": "90000", "reason": ""},
    )
    assert response.status_code == 200
    assert "Say why the agreed total changes" in response.content.decode()
    assert Budget.objects.get(pk=budget.pk).agreed_total == Decimal("70000")


def test_budget_page_queries_do_not_grow(login, project, manager, django_assert_max_num_queries):
    http = login(manager)
    agreed_budget(project, manager)
    with django_assert_max_num_queries(40) as small:
        assert http.get(BUDGET).status_code == 200
    budget = Budget.objects.get(project=project)
    budget_update(
        project=project, by=manager, version=budget.version, pricing="fixed_fee", lines=LINES * 20
    )
    for n in range(10):
        BudgetChange.objects.create(
            budget=budget,
            kind="rebaseline",
            amount=n,
            total_after=n,
            reason="x",
            change_request=make_change(project, manager),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert http.get(BUDGET).status_code == 200


# -- costs


def test_a_member_records_an_expense_with_its_receipt(login, project, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    receipt = SimpleUploadedFile("taxi.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50)
    response = login(member).post(
        COSTS,
        {
            "day": TODAY.isoformat(),
            "category": "travel",
            "description": "Taxi to the site",
            "amount": "35.5",
            "billable": "on",
            "receipt": receipt,
        },
    )
    assert response.status_code == 302
    page = login(member).get(COSTS).content.decode()
    assert 'data-expense="EXP-1"' in page and "taxi.png" in page and "CNY 35.50" in page


def test_an_observer_reads_costs_but_records_none(login, project, member, observer):
    make_expense(project, member)
    http = login(observer)
    assert http.get(COSTS).status_code == 200
    response = http.post(
        COSTS, {"day": TODAY.isoformat(), "category": "travel", "description": "x", "amount": "1"}
    )
    assert response.status_code == 403 and Expense.objects.count() == 1


def test_an_invoiced_expense_is_refused_with_its_reason(login, project, member):
    expense = make_expense(project, member)
    Expense.objects.filter(pk=expense.pk).update(invoiced_at=expense.created_at)
    http = login(member)
    response = http.post(
        reverse("finance:expense-delete", args=["OWN", "EXP-1"]),
        {"version": expense.version},
        follow=True,
    )
    assert "is invoiced" in response.content.decode()
    assert Expense.objects.filter(pk=expense.pk).exists()


def test_costs_totals_add_up_by_category_and_month(login, project, member):
    make_expense(project, member, amount=Decimal("10.10"))
    make_expense(
        project,
        member,
        amount=Decimal("20.20"),
        category="hardware",
        day=TODAY - dt.timedelta(days=40),
    )
    page = login(member).get(COSTS).content.decode()
    assert "CNY 30.30" in page
    assert '<tr data-category="travel">' in page and ">10.10</td>" in page and ">20.20</td>" in page
    assert TODAY.strftime("%Y-%m") in page


def test_costs_queries_do_not_grow(login, project, member, django_assert_max_num_queries):
    http = login(member)
    make_expense(project, member)
    with django_assert_max_num_queries(40) as small:
        assert http.get(COSTS).status_code == 200
    for n in range(30):
        make_expense(project, member, day=TODAY - dt.timedelta(days=n * 7))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert http.get(COSTS).status_code == 200


# -- invoicing


def _rows(project, member, other):
    days = [TODAY - dt.timedelta(days=n) for n in (2, 3)]
    billed = [
        approved_entry(project, member, days[0], hours="7.5", bill_rate="200"),
        approved_entry(project, other, days[1], hours="2", bill_rate="333.33", note="Workshop"),
    ]
    approved_entry(project, member, days[1], billable=False, note="Internal")
    approved_entry(project, member, days[1], status="submitted", note="Not approved")
    approved_entry(project, member, TODAY - dt.timedelta(days=45), note="Too old")
    approved_entry(project, member, days[0], invoiced_at=NOW, note="Billed already")
    make_expense(project, member, amount=Decimal("99.99"), description="Scanner cable")
    make_expense(project, member, billable=False, description="Team lunch")
    return billed


def test_the_export_holds_exactly_the_approved_billable_unbilled_rows(
    login, project, manager, member
):
    _rows(project, member, manager)
    http = login(manager)
    response = http.get(EXPORT, {**PERIOD, "format": "csv"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Type", "Date"]
    assert [(row[0], row[7], row[9], row[10], row[11]) for row in rows[1:]] == [
        ("Time", "Workshop", "2.00", "333.33", "666.66"),
        ("Time", "Pick list screens", "7.50", "200.00", "1500.00"),
        ("Expense", "Scanner cable", "", "", "99.99"),
    ]
    workbook = load_workbook(io.BytesIO(http.get(EXPORT, PERIOD).content))
    assert [row[6] for row in workbook["Time"].iter_rows(min_row=2, values_only=True)] == [
        "Workshop",
        "Pick list screens",
    ]
    summary = dict(workbook["Summary"].iter_rows(values_only=True))
    assert Decimal(str(summary["Total"])) == Decimal("2266.65")


def test_marking_invoiced_empties_the_next_export(login, project, manager, member):
    billed = _rows(project, member, manager)
    http = login(manager)
    page = http.get(INVOICING, PERIOD).content.decode()
    assert "CNY 2,266.65" in page
    response = http.post(
        reverse("finance:invoicing-mark", args=["OWN"]),
        {**PERIOD, "reference": "INV-2026-11", "expected_total": "2266.65"},
    )
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert set(TimeEntry.objects.filter(invoiced_at=invoice.at)) == set(billed)
    rows = list(
        csv.reader(
            io.StringIO(http.get(EXPORT, {**PERIOD, "format": "csv"}).content.decode("utf-8-sig"))
        )
    )
    assert len(rows) == 1  # the header only
    again = http.post(
        reverse("finance:invoicing-mark", args=["OWN"]), {**PERIOD, "reference": "INV-2"}
    )
    assert again.status_code == 200
    assert "Nothing billable is left" in again.content.decode()


def test_invoicing_is_for_managers(login, project, member):
    assert login(member).get(INVOICING).status_code == 403
    assert login(member).get(EXPORT).status_code == 403


def test_invoicing_queries_do_not_grow(
    login, project, manager, member, django_assert_max_num_queries
):
    http = login(manager)
    approved_entry(project, member, TODAY - dt.timedelta(days=1))
    with django_assert_max_num_queries(40) as small:
        assert http.get(INVOICING, PERIOD).status_code == 200
    for n in range(20):
        approved_entry(project, member, TODAY - dt.timedelta(days=n % 25))
        make_expense(project, member)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert http.get(INVOICING, PERIOD).status_code == 200


# -- a change's cost from its effort


def test_the_assessment_offers_the_effort_at_the_teams_rates(login, project, manager):
    make_rate(project, role="manager", cost="300", bill="600")
    change = make_change(project, manager, effort_hours=Decimal("12"))
    page = login(manager).get(reverse("changes:assess", args=["OWN", change.key]))
    text = page.content.decode()
    assert 'data-testid="suggested-cost"' in text and "7200.00" in text
    assert page.context["form"].initial["cost"] == Decimal("7200.00")


def test_a_typed_cost_is_kept_over_the_suggestion(login, project, manager):
    make_rate(project, role="manager", cost="300", bill="600")
    change = make_change(project, manager, effort_hours=Decimal("12"), cost=Decimal("5000"))
    page = login(manager).get(reverse("changes:assess", args=["OWN", change.key]))
    assert page.context["form"].initial["cost"] == Decimal("5000")
