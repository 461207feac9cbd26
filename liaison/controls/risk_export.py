"""The register as a spreadsheet (.xlsx): the rows the reader is looking at
(same filters, same audience), every column the team keeps but the internal
notes. Text cells are typed as text, so a title is never run as a formula."""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from liaison.controls.models import Risk


def _columns() -> list[str]:
    return [
        _("Key"),
        _("Title"),
        _("Category"),
        _("Status"),
        _("Probability"),
        _("Impact"),
        _("Score"),
        _("Band"),
        _("Owner"),
        _("Strategy"),
        _("Next review"),
        _("Residual score"),
        _("Cause"),
        _("Risk event"),
        _("Effect"),
        _("Preventive actions"),
        _("Contingency actions"),
        _("Trigger"),
        _("Visible to the client"),
    ]


def _row(risk: Risk) -> list[object]:
    return [
        risk.key,
        risk.title,
        risk.category_label,
        risk.status_label,
        risk.probability,
        risk.impact,
        risk.score,
        risk.band_label,
        str(risk.owner or ""),
        risk.strategy_label,
        risk.next_review_date,
        risk.residual_score,
        risk.cause,
        risk.event,
        risk.effect,
        risk.preventive_actions,
        risk.contingency_actions,
        risk.trigger,
        _("yes") if risk.client_visible else _("no"),
    ]


def _cell(sheet, value) -> Cell:
    """Text stays text (never a formula); characters a worksheet cannot hold are left out."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def risks_xlsx(risks: Iterable[Risk]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Risks"))
    sheet.append([_cell(sheet, column) for column in _columns()])
    for risk in risks:
        sheet.append([_cell(sheet, value) for value in _row(risk)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
