"""The people view's week cells, written in Python: an owner's page has 200
people × 8 weeks, and the same markup as template tags took ~20 ms of the page
(docs/architecture.md, Pages that stay fast). The cells' values are escaped
text already (planning.selectors.people)."""

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.filter
def people_cells(cells: list[dict[str, Any]]) -> SafeString:
    """A row's week cells: hours against capacity, a badge when over or nearly
    full, the working days off."""
    over, free = escape(gettext("over capacity")), escape(gettext("free"))
    off = escape(gettext("days off"))
    html = []
    for cell in cells:
        hours, capacity = cell["hours"], cell["capacity"]
        shown = hours
        if cell["level"] == "over":
            hidden = f'<span class="visually-hidden"> {over}</span>'
            shown = f'<span class="badge badge--red">{hours}{hidden}</span>'
        elif cell["level"] == "high":
            shown = f'<span class="badge badge--amber">{hours}</span>'
        days_off = (
            f'<br><span class="muted small">{cell["off"]} {off}</span>' if cell["off"] else ""
        )
        html.append(
            f'<td class="num" title="{hours} / {capacity} h · {free} {cell["free"]}">'
            f'{shown}<span class="muted small"> / {capacity}</span>{days_off}</td>'
        )
    return SafeString("".join(html))
