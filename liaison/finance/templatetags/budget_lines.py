"""The budget's line form written in Python: twenty-odd lines × five controls
through Django's per-widget templates cost more than the rest of the page
(docs/architecture.md, Pages that stay fast). The markup is the widgets' own,
from their contexts; the validation stays in the form (finance.money_forms)."""

from django import forms, template
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString

register = template.Library()


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _control(bound: forms.BoundField) -> str:
    """The field's <input> or <select> (flat choices: the line's have no groups)."""
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    name = escape(context["name"])
    if isinstance(widget, forms.Select):
        options = "".join(
            f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{escape(option['label'])}</option>\n"
            for _group, choices, _index in context["optgroups"]
            for option in choices
        )
        return f'<select name="{name}"{_attrs(context["attrs"])}>{options}\n</select>'
    value = "" if context["value"] is None else f' value="{escape(context["value"])}"'
    return f'<input type="{context["type"]}" name="{name}"{value}{_attrs(context["attrs"])}>'


@register.filter
def line_cells(form: forms.Form) -> SafeString:
    """A line's cells: each field's hidden label, its control, its errors."""
    cells = []
    for bound in form:
        error_id = f"{escape(bound.auto_id)}_error"
        errors = "".join(
            f'<div class="field__error" id="{error_id}">{escape(str(error))}</div>'
            for error in bound.errors
        )
        label = f'<label class="visually-hidden" for="{escape(bound.id_for_label)}">'
        label += f"{escape(bound.label)}</label>"
        indent = "\n" + " " * 14
        cells.append(f"<td>{indent}{label}{_control(bound)}{indent}{errors}\n            </td>")
    return SafeString("".join(cells))
