"""API schemas shared by every app."""

from ninja import Schema


class Error(Schema):
    code: str
    message: str
    field: str | None = None


class ConflictChange(Schema):
    by: str
    field: str
    value: str | int | float | bool | None


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
