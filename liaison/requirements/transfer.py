"""Requirements in and out of spreadsheets.

Import is all or nothing: every row is checked first and a report of row,
column and problem comes back; only a clean file is saved, in one transaction,
with bulk inserts.

The export has the import template's layout (its columns first, with the same
header labels, in the reader's language; key, status and score after them), so a
file goes out, is edited and comes back in. Its .xlsx writes text as text cells,
which no spreadsheet runs as a formula; the CSV, which has no cell types, gets a
quote before a cell a spreadsheet would run (=, +, -, @).
"""

import csv
import functools
import io
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from liaison.core import search
from liaison.core.activity import activity_record
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import KeyCounter
from liaison.requirements.models import Requirement, RequirementRevision
from liaison.requirements.rules import (
    clean_criteria,
    clean_tags,
    requirement_score,
    snapshot_of,
)

# The documented column layout, in order, by the columns' English names. Only
# Title is required. A file's header may name them in any language of the site.
COLUMNS = (
    "Title",
    "Kind",
    "Description",
    "Acceptance criteria",
    "Source",
    "Priority",
    "Value",
    "Feasibility",
    "Cost",
    "Tags",
    "Client visible",
)
# The header's labels, in the reader's language.
LABELS = {
    "Title": gettext_lazy("Title"),
    "Kind": gettext_lazy("Kind"),
    "Description": gettext_lazy("Description"),
    "Acceptance criteria": gettext_lazy("Acceptance criteria"),
    "Source": gettext_lazy("Source"),
    "Priority": gettext_lazy("Priority"),
    "Value": gettext_lazy("Value"),
    "Feasibility": gettext_lazy("Feasibility"),
    "Cost": gettext_lazy("Cost"),
    "Tags": gettext_lazy("Tags"),
    "Client visible": gettext_lazy("Client visible"),
    # Exported after the template's columns; an import leaves them out.
    "Key": gettext_lazy("Key"),
    "Status": gettext_lazy("Status"),
    "Score": gettext_lazy("Score"),
}
EXPORT_COLUMNS = (*COLUMNS, "Key", "Status", "Score")
MAX_ROWS = 10_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    problem: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "problem": self.problem}


class ImportRefused(Exception):
    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def header(columns: Iterable[str] = COLUMNS) -> list[str]:
    """The columns' labels in the active language."""
    return [str(LABELS[column]) for column in columns]


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Requirements"
    sheet.append(header())
    sheet.append(
        [
            "Scan a pallet label at the dock",
            "functional",
            "The receiver scans the SSCC label.",
            "Scan under 1 s\nWorks offline",
            "workshop",
            "must",
            5,
            4,
            2,
            "receiving, scanner",
            "yes",
        ]
    )
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- import ---------------------------------------------------------------------


def read_rows(data: bytes) -> list[tuple]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise ImportRefused([RowProblem(0, "", _("This is not an Excel (.xlsx) file."))]) from error
    # Never more than the limit in memory: a small zip can unpack into millions of rows.
    sheet = workbook.active
    assert sheet is not None  # openpyxl opens a workbook on a sheet
    rows = list(itertools.islice(sheet.iter_rows(values_only=True), MAX_ROWS + 2))
    workbook.close()
    return rows


@functools.cache
def _labels(enum) -> dict[str, str]:
    """Choice labels in every language of the site ("Must have", "必须有") → code:
    a file is accepted whatever the uploader's language."""
    labels = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels.update({str(label).lower(): code for code, label in enum.choices})
    return labels


def _choice(value, enum, column: str, row: int, problems: list, default: str) -> str:
    if value in (None, ""):
        return default
    text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    if text in enum.values:
        return text
    labels = _labels(enum)
    if str(value).strip().lower() in labels:
        return labels[str(value).strip().lower()]
    problems.append(
        RowProblem(
            row,
            column,
            _("“%(value)s” is not one of: %(allowed)s")
            % {"value": value, "allowed": ", ".join(enum.values)},
        )
    )
    return default


def _score(value, column: str, row: int, problems: list) -> int:
    if value in (None, ""):
        return 3
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5 or float(value) != number:
        problems.append(RowProblem(row, column, _("Give a whole number from 1 to 5.")))
        return 3
    return number


def _flag(value, row: int, problems: list) -> bool:
    if value in (None, ""):
        return True
    text = str(value).strip().lower()
    if text in ("yes", "y", "true", "1", "是"):
        return True
    if text in ("no", "n", "false", "0", "否"):
        return False
    problems.append(RowProblem(row, "Client visible", _("Write yes or no.")))
    return True


@functools.cache
def _header_names() -> tuple[frozenset[str], ...]:
    """Each column's names in every language of the site, lower case: a file
    exported in Chinese comes back in whatever language the uploader reads."""
    names = [{column.lower()} for column in COLUMNS]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for known, label in zip(names, header(), strict=True):
                known.add(label.strip().lower())
    return tuple(frozenset(known) for known in names)


def _is_header(row: tuple) -> bool:
    cells = [str(cell or "").strip().lower() for cell in row[: len(COLUMNS)]]
    if len(cells) < len(COLUMNS):
        return False
    return all(cell in known for cell, known in zip(cells, _header_names(), strict=True))


def parse_rows(rows: list[tuple], progress: Callable[[int, int], None]) -> list[dict]:
    """Check every data row; return clean field dicts or raise ImportRefused."""
    if not rows or not _is_header(rows[0]):
        raise ImportRefused(
            [
                RowProblem(
                    1,
                    "",
                    _("The first row must be the header: %(columns)s")
                    % {"columns": ", ".join(header())},
                )
            ]
        )
    # Each row keeps its number in the sheet, so the report points at the right
    # row even when blank rows are skipped.
    data = [
        (number, row)
        for number, row in enumerate(rows[1:], start=2)
        if any(cell not in (None, "") for cell in row)
    ]
    if len(data) > MAX_ROWS:
        raise ImportRefused(
            [RowProblem(0, "", _("At most %(max)d rows per file.") % {"max": MAX_ROWS})]
        )
    problems: list[RowProblem] = []
    parsed = []
    for index, (row, raw) in enumerate(data):
        cells = dict(zip(COLUMNS, (*raw, *([None] * len(COLUMNS))), strict=False))
        title = str(cells["Title"] or "").strip()
        if not title:
            problems.append(RowProblem(row, "Title", _("A title is required.")))
        elif len(title) > 300:
            problems.append(RowProblem(row, "Title", _("At most 300 characters.")))
        parsed.append(
            {
                "title": title,
                "kind": _choice(
                    cells["Kind"],
                    Requirement.Kind,
                    "Kind",
                    row,
                    problems,
                    Requirement.Kind.FUNCTIONAL,
                ),
                "body": str(cells["Description"] or "").strip(),
                "acceptance_criteria": clean_criteria(str(cells["Acceptance criteria"] or "")),
                "source": _choice(
                    cells["Source"],
                    Requirement.Source,
                    "Source",
                    row,
                    problems,
                    Requirement.Source.DOCUMENT,
                ),
                "priority": _choice(
                    cells["Priority"],
                    Requirement.Priority,
                    "Priority",
                    row,
                    problems,
                    Requirement.Priority.SHOULD,
                ),
                "value": _score(cells["Value"], "Value", row, problems),
                "feasibility": _score(cells["Feasibility"], "Feasibility", row, problems),
                "cost": _score(cells["Cost"], "Cost", row, problems),
                "tags": clean_tags(str(cells["Tags"] or "")),
                "client_visible": _flag(cells["Client visible"], row, problems),
            }
        )
        if index % 200 == 0:
            progress(index, len(data))
    if problems:
        raise ImportRefused(problems)
    return parsed


@transaction.atomic
def save_rows(*, project, by, rows: list[dict]) -> int:
    """Insert clean rows in bulk, keys taken in one step from the project's counter.
    The uploader must still be allowed to edit when the job runs."""
    access.require(by, Action.EDIT, project)
    counter, _created = KeyCounter.objects.select_for_update().get_or_create(
        project=project, prefix="REQ"
    )
    first = counter.last + 1
    counter.last += len(rows)
    counter.save(update_fields=["last"])
    requirements = []
    for offset, fields in enumerate(rows):
        requirement = Requirement(project=project, key=f"REQ-{first + offset}", **fields)
        requirement.score = requirement_score(
            priority=requirement.priority,
            value=requirement.value,
            feasibility=requirement.feasibility,
            cost=requirement.cost,
        )
        requirements.append(requirement)
    requirements = Requirement.objects.bulk_create(requirements, batch_size=500)
    search.index_all(requirements)
    RequirementRevision.objects.bulk_create(
        (
            RequirementRevision(requirement=r, number=1, snapshot=snapshot_of(r), author=by)
            for r in requirements
        ),
        batch_size=500,
    )
    activity_record(
        actor=by,
        verb="imported",
        target=project,
        project=project,
        diff={"requirements": [None, len(requirements)]},
    )
    return len(requirements)


# -- export ---------------------------------------------------------------------


def safe_cell(value):
    """CSV text that a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_rows(requirements: Iterable[Requirement]) -> Iterable[list]:
    """The header in the reader's language, then a row per requirement in
    EXPORT_COLUMNS' order: the template's columns, then key, status and score."""
    yield header(EXPORT_COLUMNS)
    for r in requirements:
        yield [
            r.title,
            r.kind,
            r.body,
            "\n".join(r.acceptance_criteria),
            r.source,
            r.priority,
            r.value,
            r.feasibility,
            r.cost,
            ", ".join(r.tag_list),
            "yes" if r.client_visible else "no",
            r.key,
            r.status,
            r.score,
        ]


def _xlsx_cell(sheet, value) -> Cell:
    """Text stays text: a cell typed as a string is never run as a formula, so
    it needs no quote (which an import would otherwise read back into titles).
    Control characters, which a worksheet cannot hold, are left out: typed or
    pasted into a title, they would otherwise fail the whole export."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def export_xlsx(requirements: Iterable[Requirement]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Requirements")
    for row in export_rows(requirements):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    return _save(workbook)


def export_csv(requirements: Iterable[Requirement]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in export_rows(requirements):
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()  # a BOM so Excel reads the Chinese right
