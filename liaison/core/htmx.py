"""HTMX helpers: a full page on a normal request, one partial on an HTMX one."""

from django.shortcuts import render


def render_page(request, template: str, context: dict, partial: str | None = None, **kwargs):
    if partial and request.htmx and not request.htmx.boosted:
        template = f"{template}#{partial}"
    return render(request, template, context, **kwargs)
