"""One viewer scope per request (projects.viewer)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from liaison.projects.viewer import viewer_scope


class ViewerScopeMiddleware:
    """Each request reads what its people hold (their roles) afresh, once, and
    keeps it no longer than the request. Comes after AuthenticationMiddleware;
    the scope is keyed by person, so a user set later (an API token) shares it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with viewer_scope():
            return self.get_response(request)
