"""The world of test_hostile_content.py: the demo, then every text field of
every row of every liaison model overwritten with hostile text
(hostile_payloads.py), found from the models so a new model is covered
without editing the test.

Which fields get a payload (`writable_fields`): a model's CharField, TextField
and JSONField, unless the field is
- a primary key, not editable (derived: re-derived from its source through
  DERIVED, e.g. a comment's rendered HTML), or has choices or is unique;
- an EmailField, URLField, SlugField, FileField or GenericIPAddressField, or
  has validators of its own (a format the forms and the API check);
- short (max_length ≤ 20: a key, a code, a prefix, a weekday mask), or named
  like a machine value (MACHINE_NAMES: digest, hash, password, secret, token,
  url, email, event, verb, message (a msgid), kind, content_type) and not
  listed in PEOPLE_TEXT (a machine-like name that holds what people wrote).
In a JSONField, the prose is replaced, at any depth: the strings with a space
in them (identifiers, dates and event names stay as they are, and so do the
values of a dict's machine-named keys)."""

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models

from liaison.core.markdown import render_markdown
from liaison.tests.hostile_payloads import payload_texts

MACHINE_NAMES = re.compile(
    r"(^|_)(digest|hash|password|secret|token|url|email|event|verb|message|kind|content_type)$"
)
# A document review's message is the client's or the manager's own words.
PEOPLE_TEXT = {("documents.Review", "message")}
SKIPPED_TYPES = (
    models.EmailField,
    models.URLField,
    models.SlugField,
    models.FileField,
    models.FilePathField,
    models.GenericIPAddressField,
)
FORMAT_FREE = (MaxLengthValidator, ProhibitNullCharactersValidator)
SHORT = 20

# Fields derived from another one when written through the services.
DERIVED: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("collab.Comment", "body_html"): lambda row: render_markdown(row.body),
}


def liaison_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("liaison.") and not model._meta.proxy
    ]


def _is_text(field: models.Field) -> bool:
    return isinstance(field, models.CharField | models.TextField | models.JSONField)


def writable_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields of `model` that hold people's text (the rule above)."""
    return [
        field
        for field in model._meta.concrete_fields
        if _is_text(field)
        and not (field.primary_key or not field.editable or field.choices or field.unique)
        and not isinstance(field, SKIPPED_TYPES)
        and all(isinstance(v, FORMAT_FREE) for v in field.validators)
        and not (field.max_length is not None and field.max_length <= SHORT)
        and (not MACHINE_NAMES.search(field.name) or (model._meta.label, field.name) in PEOPLE_TEXT)
    ]


class Cycle:
    """Hands out the payloads in turn, forever; counts what it gave."""

    def __init__(self) -> None:
        self.texts = [text for _name, _marker, text in payload_texts()]
        self._next: Iterator[int] = itertools.cycle(range(len(self.texts)))
        self.given = 0

    def take(self, limit: int | None) -> str:
        self.given += 1
        text = self.texts[next(self._next)]
        return text[:limit] if limit else text


def _is_prose(value: object) -> bool:
    return isinstance(value, str) and " " in value


def _hostile_json(value: Any, cycle: Cycle) -> Any:
    if isinstance(value, list):
        return [_hostile_json(item, cycle) for item in value]
    if isinstance(value, dict):
        return {
            key: item if MACHINE_NAMES.search(key) else _hostile_json(item, cycle)
            for key, item in value.items()
        }
    return cycle.take(None) if _is_prose(value) else value


def overwrite_everything() -> dict[str, list[str]]:
    """Every row of every liaison model gets a payload in each writable field
    (payloads in turn across fields and rows), then its derived fields are
    derived again. Returns model label → the fields written."""
    cycle, written = Cycle(), {}
    for model in liaison_models():
        fields = writable_fields(model)
        written[model._meta.label] = [field.name for field in fields]
        if not fields:
            continue
        rows = list(model.objects.order_by("pk"))
        for row in rows:
            for field in fields:
                old = getattr(row, field.name)
                if isinstance(field, models.JSONField):
                    setattr(row, field.name, _hostile_json(old, cycle))
                else:
                    setattr(row, field.name, cycle.take(field.max_length))
            for (label, name), derive in DERIVED.items():
                if label == model._meta.label:
                    setattr(row, name, derive(row))
        derived = [name for (label, name) in DERIVED if label == model._meta.label]
        names = [field.name for field in fields] + derived
        model.objects.bulk_update(rows, names, batch_size=200)
    return written
