"""API schemas shared by every app."""

from ninja import Schema


class Error(Schema):
    code: str
    message: str
    field: str | None = None


class Conflict(Schema):
    code: str
    message: str
    current_version: int


class UserRef(Schema):
    id: int
    display_name: str
    email: str
