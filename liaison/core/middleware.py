"""Request guards every page and the API share, and the measurement support
for `make bench`."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"

GetResponse = Callable[[HttpRequest], HttpResponse]


class ContentSecurityPolicyMiddleware:
    """settings.CONTENT_SECURITY_POLICY on every HTML page: an injected script
    would not run even if it got past the escaping. A view that sets its own
    policy (a stricter one for an attachment or the Gantt SVG) keeps it."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response


class RefuseNulMiddleware:
    """A NUL character (%00) in the path or the query string answers 400 with a
    message (JSON with a `code` under /api/): PostgreSQL cannot compare text with
    one, so every filter, search and key lookup would fail with a 500. Forms
    refuse it beside the field (Django's CharField does)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        message = _("The address contains a NUL character, which is not allowed.")
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "invalid", "message": message}, status=400)
        # The same page without its filters, unless the page itself is the problem.
        if NUL in request.path:
            back_url, back_label = "/", _("Go to the start page")
        else:
            back_url, back_label = request.path, _("Show the page without filters")
        context = {
            "title": _("This address cannot be read"),
            "message": message,
            "back_url": back_url,
            "back_label": back_label,
        }
        return render(request, "core/problem.html", context, status=400)


class QueryCountMiddleware:
    """The number of SQL queries a request ran, in a response header (installed
    only when QUERY_COUNT_HEADER is on)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
