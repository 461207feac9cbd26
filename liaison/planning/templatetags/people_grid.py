"""The people view's rows, written in Python: an owner's page has 200 people ×
8 weeks, and the same markup as template tags took ~20 ms of the page, the
rows' loop ~5 ms more (docs/architecture.md, Pages that stay fast). The rows'
values are escaped text already (planning.selectors.people)."""

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.filter
def people_rows(rows: list[dict[str, Any]]) -> SafeString:
    """Each person's row: name, hours per week, the week cells, free next month."""
    words = {
        "over": escape(gettext("over capacity")),
        "free": escape(gettext("free")),
        "off": escape(gettext("days off")),
    }
    html = []
    for row in rows:
        over = ' class="is-over"' if row["over"] else ""
        html.append(
            f'<tr data-person="{row["id"]}"{over}>'
            f'<th scope="row"><a href="{row["url"]}">{row["name"]}</a></th>'
            f'<td class="num">{row["capacity"]}</td>{_cells(row["cells"], words)}'
            f'<td class="num">{row["free_next"]}</td></tr>'
        )
    return SafeString("\n".join(html))


def _cells(cells: list[dict[str, Any]], words: Mapping[str, str]) -> str:
    """A row's week cells: hours against capacity, a badge when over or nearly
    full, the working days off."""
    html = []
    for cell in cells:
        hours, capacity = cell["hours"], cell["capacity"]
        shown = hours
        if cell["level"] == "over":
            hidden = f'<span class="visually-hidden"> {words["over"]}</span>'
            shown = f'<span class="badge badge--red">{hours}{hidden}</span>'
        elif cell["level"] == "high":
            shown = f'<span class="badge badge--amber">{hours}</span>'
        days_off = (
            f'<br><span class="muted small">{cell["off"]} {words["off"]}</span>'
            if cell["off"]
            else ""
        )
        html.append(
            f'<td class="num" title="{hours} / {capacity} h · {words["free"]} {cell["free"]}">'
            f'{shown}<span class="muted small"> / {capacity}</span>{days_off}</td>'
        )
    return "".join(html)
