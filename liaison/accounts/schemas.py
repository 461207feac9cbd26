"""API schemas of accounts: a password exchanged for a token."""

from ninja import Schema


class TokenRequest(Schema):
    email: str
    password: str
    name: str = "API"


class TokenOut(Schema):
    token: str
    name: str
