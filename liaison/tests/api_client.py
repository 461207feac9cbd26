"""The JSON API as one person's script calls it, for the apps' API tests: their
personal access token in the Authorization header, bodies sent as JSON, paths
under /api/v1.

    api = Api(member)                   # Api(None): no token at all
    api.get("/projects/OWN/risks", {"band": "low"}).json()
    api.post("/projects/OWN/risks", {"title": "Scanners"}).status_code
    api.patch(path, {"version": 2, "title": "x"})
    api("PUT", path, body)              # the method by name

Each call answers Django's test response: `.status_code`, `.json()`.
The token counts as used already, so its once-a-minute last-use write never
lands inside a test's query count."""

from typing import Any

from django.http import HttpResponse
from django.test import Client

from conftest import NOW
from liaison.accounts.models import ApiToken, User
from liaison.accounts.services import api_token_create

PREFIX = "/api/v1"
JSON = "application/json"


class Api:
    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            token, secret = api_token_create(by=user, name="tests")
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=NOW)  # the pinned clock's
            self.headers["Authorization"] = f"Bearer {secret}"

    def __call__(self, method: str, path: str, data: Any = None) -> HttpResponse:
        """`data`: the JSON body, or for a GET the query's parameters."""
        kwargs: dict[str, Any] = {"headers": self.headers}
        if data is not None:
            kwargs.update(data=data, content_type=JSON)
        return getattr(self.client, method.lower())(PREFIX + path, **kwargs)

    def get(self, path: str, query: dict[str, Any] | None = None) -> HttpResponse:
        return self("GET", path, query)

    def post(self, path: str, body: Any = None) -> HttpResponse:
        return self("POST", path, body)

    def put(self, path: str, body: Any = None) -> HttpResponse:
        return self("PUT", path, body)

    def patch(self, path: str, body: Any = None) -> HttpResponse:
        return self("PATCH", path, body)

    def delete(self, path: str, body: Any = None) -> HttpResponse:
        return self("DELETE", path, body)
