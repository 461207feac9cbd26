"""Where a user-supplied id or key picks a row, found by walking the code
(the checks and the inventory are in test_foreign_ids.py beside this module).

- Form fields: every field of every `forms.Form` subclass under `liaison` that
  picks a row: a ModelChoiceField / ModelMultipleChoiceField, a choice field
  whose choices are filled at run time (PersonField: a person from a list the
  view reads), and any field with a `clean_<name>` method (the forms turn typed
  keys into rows there: rows_by_keys, task_by_key, parse_schedule…).
- API request bodies and query strings: every property of every request schema
  and every query parameter of the OpenAPI schema, classified by name as a
  reference (it names a row) or a plain value.
- List filters: every field of every `…Filters` dataclass (the list views and
  API lists read their query strings through one).
- Ids in paths: every `…_id` parameter of a URL pattern or an API path.
- What views read themselves: every name read from request.GET or
  request.POST in liaison's source.

Why a new one cannot slip by: the walks read what Django, the OpenAPI schema
and the dataclasses declare, not a list; test_foreign_ids.py fails on anything
found that foreign_cases.py neither covers nor names as plain. What they cannot
see: a form that turns text into rows in `clean()` rather than in
`clean_<field>` (none does today), or a request read through another name
than `request` (`self.request`; a QueryDict handed on is read by a `…Filters`
class, which the filter walk covers).
"""

import dataclasses
import functools
import pkgutil
import re
import sys
from importlib import import_module
from pathlib import Path

from django import forms

import liaison
from liaison.api import api as ninja_api
from liaison.tests.access_matrix import HTTP_METHODS, walk_urls

# -- forms ---------------------------------------------------------------------------


def import_everything() -> None:
    """Import every liaison module that may define a form (tests, migrations and
    the settings aside), so that Form.__subclasses__() sees them all."""
    for info in pkgutil.walk_packages(liaison.__path__, "liaison."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts or parts[-1] in ("settings", "wsgi"):
            continue
        import_module(info.name)


def form_classes() -> list[type[forms.BaseForm]]:
    import_everything()
    found: list[type[forms.BaseForm]] = []
    pending: list[type] = [forms.BaseForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("liaison.") and sub not in found:
                found.append(sub)
    return found


def _declared_in(form: type[forms.BaseForm], name: str) -> type:
    """The class that declares the field (a subclass inherits it unchanged)."""
    for klass in reversed(form.__mro__):
        if name in getattr(klass, "declared_fields", {}):
            return klass
    return form


def _picks_a_row(field: forms.Field) -> bool:
    if isinstance(field, forms.ModelChoiceField):
        return True
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.TypedChoiceField):
        return False
    if isinstance(field, forms.TypedChoiceField):
        # Choices filled at run time: nothing but the empty choice when declared.
        return not [value for value, _label in field.choices if value not in ("", None)]
    return False


def form_references() -> set[tuple[str, str]]:
    """("module.Class", field) of every form field that picks or resolves a row,
    or that a `clean_<field>` method turns into something (see the module's
    docstring); the class is the one that declares the field."""
    found = set()
    for form in form_classes():
        for name, field in form.base_fields.items():
            cleaner = _defined_in(form, f"clean_{name}")
            if _picks_a_row(field):
                owner = _declared_in(form, name)
            elif cleaner is not None:
                owner = cleaner  # where the typed text becomes rows
            else:
                continue
            found.add((f"{owner.__module__}.{owner.__qualname__}", name))
    return found


def _defined_in(form: type, attribute: str) -> type | None:
    for klass in form.__mro__:
        if attribute in vars(klass):
            return klass
    return None


def form_with(response, name: str) -> forms.BaseForm | None:
    for context in response.context or ():
        for values in context.dicts:
            for value in values.values():
                if isinstance(value, forms.BaseForm) and name in value.fields:
                    return value
    return None


def filled(form: forms.BaseForm) -> dict:
    """The form as a person would send it: its initial values, and something
    valid in every required field left empty."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value in (None, "", []) and field.required:
            if isinstance(field, forms.ChoiceField):
                value = next(str(choice) for choice, _label in field.choices if str(choice))
            elif isinstance(field, forms.DateTimeField):
                value = "2026-11-18T09:00"
            elif isinstance(field, forms.DateField):
                value = "2026-11-18"
            elif isinstance(field, forms.IntegerField | forms.DecimalField):
                value = "1"
            else:
                value = "New one"
        if value is not None and not isinstance(value, bool):
            many = isinstance(value, list | tuple)
            data[name] = (
                [getattr(v, "pk", v) for v in value] if many else getattr(value, "pk", value)
            )
        elif value is True:
            data[name] = "on"
    return data


# -- the API ------------------------------------------------------------------------


@functools.cache
def api_schema() -> dict:
    """Built once: the schema does not change while the tests run."""
    return ninja_api.get_openapi_schema()


def request_properties() -> set[tuple[str, str]]:
    """(schema name, property) of every request body of the API."""
    schema = api_schema()
    components = schema["components"]["schemas"]
    found = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            body = (operation.get("requestBody") or {}).get("content", {})
            for media in body.values():
                ref = media["schema"].get("$ref")
                # A multipart form's fields are written inline, named by the operation.
                name = ref.split("/")[-1] if ref else operation["operationId"]
                fields = components[name] if ref else media["schema"]
                found |= {(name, prop) for prop in fields.get("properties", {})}
    return found


def query_parameters() -> set[tuple[str, str]]:
    """("METHOD path", parameter) of every query parameter of the API."""
    found = set()
    for path, operations in api_schema()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    found.add((f"{method.upper()} {path}", parameter["name"]))
    return found


def looks_like_a_reference(name: str) -> bool:
    """A name that must be a reference whatever the tables say."""
    return name == "ids" or name.endswith(("_id", "_ids", "key", "keys"))


# -- list filters -------------------------------------------------------------------


def filter_fields() -> set[tuple[str, str]]:
    """(class, field) of every filter dataclass (a `…Filters` class, which
    reads a list's query string) under liaison."""
    import_everything()
    found = set()
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if not name.startswith("liaison.") or ".tests" in name:
            continue
        for attribute, value in vars(module).items():
            if (
                isinstance(value, type)
                and attribute.endswith("Filters")
                and value.__module__ == name
                and dataclasses.is_dataclass(value)
            ):
                found |= {(attribute, field.name) for field in dataclasses.fields(value)}
    return found


# -- ids in URLs ----------------------------------------------------------------------

ID_PARAMETER = re.compile(r"[<{](?:int:)?(\w+_id)[>}]")


def _as_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def page_routes() -> dict[str, str]:
    """URL name → route of every page (the API's operations aside)."""
    operations = set(api_schema()["paths"])
    return {name: route for route, name in walk_urls() if _as_path(route) not in operations}


def path_ids() -> list[tuple[str, str, str]]:
    """("page", URL name, parameter) and ("api", "METHOD path", parameter) of
    every URL and API operation with an `…_id` in its path."""
    found = [
        ("page", name, match)
        for name, route in page_routes().items()
        for match in ID_PARAMETER.findall(route)
    ]
    found += [
        ("api", f"{method.upper()} {path}", match)
        for path, operations in sorted(api_schema()["paths"].items())
        for method in operations
        if method in HTTP_METHODS
        for match in ID_PARAMETER.findall(path)
    ]
    return found


# -- what views read from the request themselves ------------------------------------

DIRECT_READ = re.compile(r"request\.(?:POST|GET)(?:\.get|\.getlist)?[\[(]f?\"([^\"]+)\"")


def direct_reads() -> set[str]:
    """The names views read from request.GET / request.POST themselves."""
    root = Path(liaison.__path__[0])
    found: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" not in path.relative_to(root).parts:
            found |= set(DIRECT_READ.findall(path.read_text()))
    return found
