"""A waiting week's table cells written in Python: the approvals page shows
every submitted week's entries (~800 on the bench's project), and the same
markup as template tags, each hours figure localised on its own, took most of
the page (docs/architecture.md, Pages that stay fast)."""

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString

from liaison.finance.selectors.time import WaitingWeek

register = template.Library()


def _entry(entry: Mapping[str, Any], hours: str) -> str:
    key = f'<span class="key">{escape(entry["task__key"])}</span>' if entry["task__key"] else ""
    note = f'<span class="muted small">{escape(entry["note"])}</span>' if entry["note"] else ""
    return f"<div>\n          {key}\n          {hours} h\n          {note}\n        </div>"


@register.filter
def entry_cells(waiting: WaitingWeek) -> SafeString:
    """The week's days: each entry's task, hours and note, as the template wrote them."""
    shown: dict[Any, str] = {}  # each distinct figure localised once
    cells = []
    for entries in waiting.entries:
        divs = []
        for entry in entries:
            hours = entry["hours"]
            if hours not in shown:
                shown[hours] = escape(localize(hours))
            divs.append(_entry(entry, shown[hours]))
        cells.append(f"<td>\n        {''.join(divs)}\n      </td>")
    return SafeString("".join(cells))


@register.filter
def day_heads(waiting: WaitingWeek) -> SafeString:
    return SafeString("".join(f'<th scope="col">{day.isoformat()}</th>' for day in waiting.days))


@register.filter
def day_totals(waiting: WaitingWeek) -> SafeString:
    """Each day's total hours, a dash for none."""
    return SafeString(
        "".join(f"<td>{escape(total) if total else '—'}</td>" for total in waiting.totals)
    )


@register.filter
def logged_day_options(waiting: WaitingWeek) -> SafeString:
    """The days the manager may send back, as the reject form's choices."""
    return SafeString(
        "".join(
            f'<option value="{day.isoformat()}">{day.isoformat()}</option>'
            for day in waiting.days_logged
        )
    )
