"""One way to paginate every list page."""

from typing import Any, TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from liaison.core.params import positive_int

# What a reader may ask for with ?per_page=; anything else falls back to the default.
PAGE_SIZES = (25, 50, 100, 200)

Item = TypeVar("Item")


def paginate(
    queryset: QuerySet[Any, Item] | list[Item], request: HttpRequest, per_page: int | None = None
) -> "Page[Item]":
    asked = positive_int(request.GET.get("per_page"))
    if asked in PAGE_SIZES:
        per_page = asked
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(_page_number(request.GET.get("page"), paginator))


def _page_number(value: str | None, paginator: "Paginator[Any]") -> int | str:
    """A page past the end shows the last page, however many digits it has
    (Django would show the first when the number is too long for int())."""
    value = (value or "").strip()
    if value.isascii() and value.isdecimal() and len(value.lstrip("0")) > 10:
        return paginator.num_pages
    return value
