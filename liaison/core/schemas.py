"""API schemas shared by every app, and the glue between them and the services."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from liaison.core.services import InvalidInput


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


# The error answers operations may give: any signed-in operation (401, and 422 when
# it takes parameters), a project's reads, and its writes (400 also for a body
# that is not JSON).
SIGNED_IN = {401: Error, 422: Invalid}
READ = {**SIGNED_IN, 404: Error}
WRITE = {400: Error, **READ, 403: Error}


def one_of(choices) -> Any:
    """A model's choices as an inline enum of the OpenAPI schema. (Choice classes
    share names, Requirement.Status and Task.Status, which would overwrite each
    other as named schemas.)"""
    return Literal[tuple(choices.values)]


class PageInput(Schema):
    limit: int = Field(100, ge=1, le=200, description="How many items, at most 200.")
    offset: int = Field(0, ge=0, description="How many items to skip.")


class Page(LimitOffsetPagination):
    """`limit` (1–200, 100 by default) and `offset`; the answer is {items, count}."""

    Input = PageInput

    def __init__(self, **kwargs):
        super().__init__(max_limit=200, **kwargs)


def not_null(fields: dict, nullable: tuple[str, ...]) -> dict:
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
