"""One way to paginate every list page."""

from django.conf import settings
from django.core.paginator import Page, Paginator


def paginate(queryset, request, per_page: int | None = None) -> Page:
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
