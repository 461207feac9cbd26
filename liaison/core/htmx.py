"""HTMX helpers: a full page on a normal request, one partial on an HTMX one."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Every request, as django-htmx's middleware (settings) leaves it."""

    htmx: HtmxDetails


def render_page(
    request: HtmxHttpRequest,
    template: str,
    context: dict[str, Any],
    partial: str | None = None,
    **kwargs: Any,
) -> HttpResponse:
    if partial and request.htmx and not request.htmx.boosted:
        template = f"{template}#{partial}"
    return render(request, template, context, **kwargs)
