"""API schemas shared by every app, and the glue between them and the services."""

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import core_schema

from liaison.core.params import MAX_INT, MIN_INT, fits_int_column, has_real_offset
from liaison.core.services import InvalidInput

Params = ParamSpec("Params")
Result = TypeVar("Result")


class Error(Schema):
    code: str
    message: str
    field: str | None = None


class ValidationProblem(Schema):
    type: str = Field(..., description="What kind of problem, e.g. missing, int_parsing.")
    loc: list[str | int] = Field(..., description="Where: body, query or path, then the field.")
    msg: str


class Invalid(Schema):
    """422: the request does not match the operation's schema."""

    code: str = Field(..., description="Always `invalid`.")
    message: str
    errors: list[ValidationProblem]


# A field's value as the API reads and writes it: lists (acceptance criteria, tags)
# and objects (deliverables) included.
ApiValue = str | int | float | bool | list[Any] | dict[str, Any] | None


class ConflictChange(Schema):
    by: str = Field(..., description="Who changed it, by name.")
    field: str = Field(..., description="The field's name in the API.")
    label: str = Field(..., description="The field's label in the reader's language.")
    value: ApiValue = Field(..., description="Its value now, as the API gives it.")


class Conflict(Schema):
    """A stale edit: what others changed since the version the client sent."""

    code: str
    message: str
    current_version: int
    changes: list[ConflictChange]


class UserRef(Schema):
    id: int
    display_name: str
    email: str


# The error answers operations may give: any signed-in operation that takes
# parameters (401; 422 for a value its schema refuses; 400 for one no column can
# hold, refuse_unstorable below), a project's reads, and its writes (400 also for
# a body that is not JSON).
SIGNED_IN = {400: Error, 401: Error, 422: Invalid}
READ = {**SIGNED_IN, 404: Error}
WRITE = {**READ, 403: Error}


@dataclass(frozen=True)
class OneOf:
    """A model's choices as an inline enum of the OpenAPI schema, validated as a
    Literal of its values would be: `Annotated[str, OneOf(Task.Status)]`, which
    type checkers read as `str`. (Choice classes share names, Requirement.Status
    and Task.Status, which would overwrite each other as named schemas.)"""

    choices: type[models.TextChoices]
    also: tuple[str, ...] = ()  # values beyond the choices, e.g. "all" in a filter

    def __get_pydantic_core_schema__(
        self, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.literal_schema([*self.choices.values, *self.also])


class PageInput(LimitOffsetPagination.Input):
    limit: int = Field(100, ge=1, le=200, description="How many items, at most 200.")
    offset: int = Field(0, ge=0, description="How many items to skip.")


class Page(LimitOffsetPagination):
    """`limit` (1–200, 100 by default) and `offset`; the answer is {items, count}."""

    Input = PageInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=200, **kwargs)


def not_null(fields: dict[str, Any], nullable: tuple[str, ...]) -> dict[str, Any]:
    """A PATCH may clear only the fields that can be empty."""
    for name, value in fields.items():
        if value is None and name not in nullable:
            raise InvalidInput(_("This field cannot be empty."), field=name)
    return fields


@contextmanager
def named_as_sent(**names: str) -> Iterator[None]:
    """Services name some fields after the rows (`owner`), the API after the ids it
    takes (`owner_id`): an error names the field the caller sent."""
    try:
        yield
    except InvalidInput as error:
        if error.field in names:
            error.field = names[error.field]
        raise


# -- what no column can hold -------------------------------------------------------------


def _unstorable(value: object, where: str) -> tuple[str, str] | None:
    """(field, message) for the first value in `value`, however deeply nested,
    that the database would refuse or store wrongly; None when all fit."""
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            found = _unstorable(getattr(value, name), _inside(where, field.alias or name))
            if found:
                return found
        return None
    items: list[tuple[object, object]]
    if isinstance(value, dict):
        items = [(key, key) for key in value] + [(key, item) for key, item in value.items()]
    elif isinstance(value, list | tuple | set | frozenset):
        items = list(enumerate(value))
    else:
        return (where, message) if (message := _problem(value)) else None
    for key, item in items:
        found = _unstorable(item, _inside(where, str(key)))
        if found:
            return found
    return None


def _inside(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _problem(value: object) -> str:
    if isinstance(value, str) and "\x00" in value:
        return _("The text contains a NUL character, which cannot be saved. Remove it.")
    if isinstance(value, int) and not isinstance(value, bool) and not fits_int_column(value):
        return _("Give a whole number between %(min)s and %(max)s.") % {
            "min": MIN_INT,
            "max": MAX_INT,
        }
    if isinstance(value, dt.datetime) and not has_real_offset(value):
        return _("Give a time-zone offset between -14:00 and +14:00, e.g. +08:00 or Z.")
    return ""


def refuse_unstorable(
    view_func: Callable[Concatenate[HttpRequest, Params], Result],
) -> Callable[Concatenate[HttpRequest, Params], Result]:
    """On every API operation, after its parameters are validated: a NUL
    character, a whole number past a 32-bit column or an offset no time zone
    has, anywhere in the body or the query, answers 400 `invalid` naming the
    field (PostgreSQL would fail with a 500, SQLite would store nonsense). An id
    in the path that no row can have answers 404, like any unknown id."""

    @functools.wraps(view_func)
    def checked(request: HttpRequest, /, *args: Params.args, **kwargs: Params.kwargs) -> Result:
        in_path = request.resolver_match.kwargs if request.resolver_match else {}
        for name, value in kwargs.items():
            if name in in_path and isinstance(value, int) and not fits_int_column(value):
                raise Http404
            # A schema's fields are named as sent; a plain parameter by its name.
            found = _unstorable(value, "" if isinstance(value, BaseModel) else name)
            if found:
                raise InvalidInput(found[1], field=found[0])
        return view_func(request, *args, **kwargs)

    return checked
