"""The invoicing export as files for the accounts: .xlsx (a sheet of time, a
sheet of expenses, a summary) and CSV (one row per billable line, a `Type`
column telling time from expense). Text cells stay text, never a formula;
amounts are numbers with two places, with the currency beside them."""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from liaison.finance.selectors.invoicing import InvoiceExport
from liaison.requirements.transfer import safe_cell

MONEY_FORMAT = "#,##0.00"


def _time_header() -> list[str]:
    return [
        _("Client"),
        _("Project"),
        _("Date"),
        _("Person"),
        _("Task key"),
        _("Task"),
        _("Note"),
        _("Hours"),
        _("Rate"),
        _("Amount"),
        _("Currency"),
    ]


def _expense_header() -> list[str]:
    return [
        _("Client"),
        _("Project"),
        _("Key"),
        _("Date"),
        _("Category"),
        _("Description"),
        _("Amount"),
        _("Currency"),
    ]


def _who(export: InvoiceExport) -> list[object]:
    project = export.project
    return [str(project.client or ""), f"{project.code} {project.name}"]


def time_rows(export: InvoiceExport) -> Iterator[list[object]]:
    for line in export.time:
        yield [
            *_who(export),
            line.day,
            line.person,
            line.task_key,
            line.task_title,
            line.note,
            line.hours,
            line.rate,
            line.amount,
            export.currency,
        ]


def expense_rows(export: InvoiceExport) -> Iterator[list[object]]:
    for line in export.expenses:
        yield [
            *_who(export),
            line.key,
            line.day,
            line.category,
            line.description,
            line.amount,
            export.currency,
        ]


def _cell(sheet, value, money: bool = False) -> Cell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif money:
        cell.number_format = MONEY_FORMAT
    return cell


def _sheet(workbook: Workbook, title: str, header: list[str], rows, money: set[int]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([_cell(sheet, column) for column in header])
    for row in rows:
        sheet.append([_cell(sheet, value, n in money) for n, value in enumerate(row)])


def invoice_xlsx(export: InvoiceExport) -> bytes:
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Summary"))
    for label, value in (
        (_("Client"), str(export.project.client or "")),
        (_("Project"), f"{export.project.code} {export.project.name}"),
        (_("From"), export.start),
        (_("To"), export.end),
        (_("Hours"), export.hours),
        (_("Time"), export.time_amount),
        (_("Expenses"), export.expenses_amount),
        (_("Total"), export.total),
        (_("Currency"), export.currency),
    ):
        summary.append([_cell(summary, label), _cell(summary, value, money=True)])
    _sheet(workbook, _("Time"), _time_header(), time_rows(export), {8, 9})
    _sheet(workbook, _("Expenses"), _expense_header(), expense_rows(export), {6})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def invoice_csv(export: InvoiceExport) -> str:
    """One table: Type, Date, Client, Project, Person, Task key, Task,
    Description, Category, Hours, Rate, Amount, Currency (UTF-8 with a BOM, so
    a spreadsheet reads the Chinese right)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Type"),
            _("Date"),
            _("Client"),
            _("Project"),
            _("Person"),
            _("Task key"),
            _("Task"),
            _("Description"),
            _("Category"),
            _("Hours"),
            _("Rate"),
            _("Amount"),
            _("Currency"),
        ]
    )
    client, project = _who(export)
    kind = _("Time")
    for line in export.time:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    kind,
                    line.day.isoformat(),
                    client,
                    project,
                    line.person,
                    line.task_key,
                    line.task_title,
                    line.note,
                    "",
                    line.hours,
                    _blank(line.rate),
                    _blank(line.amount),
                    export.currency,
                )
            ]
        )
    kind = _("Expense")
    for expense in export.expenses:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    kind,
                    expense.day.isoformat(),
                    client,
                    project,
                    "",
                    expense.key,
                    "",
                    expense.description,
                    expense.category,
                    "",
                    "",
                    expense.amount,
                    export.currency,
                )
            ]
        )
    return buffer.getvalue()


def _blank(value: object) -> object:
    return "" if value is None else value
