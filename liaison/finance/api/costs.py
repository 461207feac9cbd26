"""API: a project's expenses (the team's work) and the invoicing export with
marking rows invoiced (the manager's). Writes go through the pages' services."""

import datetime as dt
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liaison.core.schemas import READ, WRITE, Conflict, Page, not_null
from liaison.core.services import InvalidInput
from liaison.finance import invoice_files
from liaison.finance.models import Expense
from liaison.finance.schemas_money import (
    ExpenseIn,
    ExpenseOut,
    ExpensePatch,
    InvoiceExportOut,
    InvoiceMarkIn,
    InvoiceOut,
)
from liaison.finance.selectors import expenses as expense_selectors
from liaison.finance.selectors import invoicing as invoice_selectors
from liaison.finance.services import expenses as expense_services
from liaison.finance.services import invoicing as invoice_services
from liaison.projects import access
from liaison.projects.access import Action

router = Router(tags=["money"])


# -- expenses ----------------------------------------------------------------------------


@router.get(
    "/projects/{code}/expenses",
    response={200: list[ExpenseOut], **READ},
    summary="A project's expenses, newest first",
)
@paginate(Page)
def expense_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return expense_selectors.expense_rows(project=project)


@router.post(
    "/projects/{code}/expenses",
    response={201: ExpenseOut, **WRITE},
    summary="Record an expense (members and managers)",
    description="It gets the next key (EXP-n). Attach its receipt on the costs page.",
)
def expense_create(request, code: str, data: ExpenseIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    expense = expense_services.expense_create(project=project, by=request.user, **data.dict())
    return Status(201, expense)


def _expense(request, code: str, key: str, need: Action = Action.VIEW) -> Expense:
    project = access.get_project_for(request.user, code, need=need)
    return expense_selectors.expense_get(project=project, key=key)


@router.get(
    "/projects/{code}/expenses/{key}",
    response={200: ExpenseOut, **READ},
    summary="One expense",
)
def expense_get(request, code: str, key: str):
    return _expense(request, code, key)


@router.patch(
    "/projects/{code}/expenses/{key}",
    response={200: ExpenseOut, **WRITE, 409: Conflict},
    summary="Edit an expense (members and managers)",
    description="An invoiced expense answers 400 `expense_invoiced`.",
)
def expense_patch(request, code: str, key: str, data: ExpensePatch):
    expense = _expense(request, code, key, need=Action.EDIT)
    fields = not_null(data.dict(exclude_unset=True, exclude={"version"}), ())
    return expense_services.expense_update(
        expense=expense, by=request.user, version=data.version, **fields
    )


@router.delete(
    "/projects/{code}/expenses/{key}",
    response={204: None, **WRITE, 409: Conflict},
    summary="Delete an expense (members and managers)",
    description="An invoiced expense answers 400 `expense_invoiced`.",
)
def expense_delete(
    request,
    code: str,
    key: str,
    version: int | None = Query(None, description="When given, a stale version answers 409."),
):
    expense = _expense(request, code, key, need=Action.EDIT)
    expense_services.expense_delete(expense=expense, by=request.user, version=version)
    return Status(204, None)


# -- invoicing ---------------------------------------------------------------------------


class InvoicePeriodQuery(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    format: Literal["json", "csv"] = Field(
        "json", description="csv: the rows also as CSV text in `csv`, for the accounting tool."
    )


def _export(request, code: str, period: InvoicePeriodQuery):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    start, end = invoice_selectors.last_month(timezone.localdate())
    start, end = period.start or start, period.end or end
    if end < start:
        raise InvalidInput(_("The period ends before it starts."), field="end", code="bad_period")
    return invoice_selectors.invoice_export(project=project, start=start, end=end)


@router.get(
    "/projects/{code}/invoicing",
    response={200: InvoiceExportOut, **WRITE},
    summary="The billable rows not yet invoiced in a period (the manager)",
    description="Approved billable time (hours × the bill rate frozen at approval) and billable "
    "expenses, not yet invoiced, from `start` to `end` (last month by default); with "
    "`format=csv`, also as the CSV the page exports.",
)
def invoicing_get(request, code: str, period: Query[InvoicePeriodQuery]):
    export = _export(request, code, period)
    return {
        "client": str(export.project.client or ""),
        "project": export.project.code,
        "start": export.start,
        "end": export.end,
        "currency": export.currency,
        "hours": export.hours,
        "time_amount": export.time_amount,
        "expenses_amount": export.expenses_amount,
        "total": export.total,
        "time": export.time,
        "expenses": export.expenses,
        "csv": invoice_files.invoice_csv(export) if period.format == "csv" else None,
    }


@router.post(
    "/projects/{code}/invoicing/mark",
    response={201: InvoiceOut, **WRITE},
    summary="Mark the period's billable rows as invoiced (the manager)",
    description="In one transaction, under the invoice's reference (400 `reference_exists` if "
    "used). Nothing left answers 400 `nothing_to_invoice`; with `expected_total`, rows that "
    "changed since the export answer 400 `export_changed`.",
)
def invoicing_mark(request, code: str, data: InvoiceMarkIn):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    invoice = invoice_services.invoice_mark(project=project, by=request.user, **data.dict())
    return Status(201, invoice)
