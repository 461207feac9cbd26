"""The JSON API at /api/v1/: same access and services as the pages.

Errors are JSON with a stable `code`: not_found, forbidden, unauthenticated,
invalid (with `field`), stale_edit (409, with the current version), throttled (429),
invalid_json (400, a body that cannot be read), csrf_failed (403, a session's write
without the CSRF token).
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from liaison.accounts import api as accounts_api
from liaison.accounts.services import api_token_authenticate
from liaison.changes import api as changes_api
from liaison.communication import api as communication_api
from liaison.controls.api import contingency as contingency_api
from liaison.controls.api import issues as issues_api
from liaison.controls.api import quality as quality_api
from liaison.controls.api import risks as risks_api
from liaison.core.locking import StaleEdit, version_of
from liaison.core.schemas import refuse_unstorable
from liaison.core.services import InvalidInput
from liaison.documents import api as documents_api
from liaison.finance.api import costs as costs_api
from liaison.finance.api import money as money_api
from liaison.finance.api import time as time_api
from liaison.finance.api import value as value_api
from liaison.glossary import api as glossary_api
from liaison.home import api as search_api
from liaison.planning import api as planning_api
from liaison.projects import api as projects_api
from liaison.reports import api as reports_api
from liaison.requirements import api as requirements_api
from liaison.webhooks import api as webhooks_api

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TokenAuth(HttpBearer):
    """Personal access tokens: `Authorization: Bearer lsn_…`."""

    def authenticate(self, request, token: str):
        user = api_token_authenticate(secret=token)
        if user is not None:
            request.user = user
        return user


class CsrfRefused(Exception):
    pass


class SessionAuth(APIKeyCookie):
    """The browser's session (the docs page), with the pages' CSRF rule for writes.

    Only a signed-in session is checked for CSRF: a request with a token, or with
    no session at all, never is, so a missing or revoked token answers 401 on
    every method. A request that sends a token is judged by the token alone."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)  # checked below, once we know it is a session

    def _get_key(self, request) -> str | None:
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None
        if check_csrf(request):
            raise CsrfRefused
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key: str | None):
        return request.user if key else None


class OfflineSwagger(DocsBase):
    """Swagger UI from our own static files, started by a static script: the docs
    work without the internet and the page asks nothing of another host."""

    def render_page(self, request, api, **kwargs):
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, "core/api_docs.html", context)


class LiaisonAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """`liaison_planning_api_task_list`: the app's API and the function, whether
        the app keeps its operations in one api.py or in an api/ package of them,
        so that splitting a module renames nothing a generated client calls."""
        module = operation.view_func.__module__.split(".")
        if "api" in module:
            module = module[: module.index("api") + 1]
        return "_".join([*module, operation.view_func.__name__])


api = LiaisonAPI(
    title="Liaison API",
    version="1",
    description="Projects, members and, as they land, the rest of the client loop.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    docs=OfflineSwagger(),
)
# Every operation, once its parameters are parsed: no NUL, no number past a column.
api.add_decorator(refuse_unstorable)


def _error(request, status: int, code: str, message: "StrOrPromise", **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, "forbidden", _("Your role in this project does not allow this."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", _("Sign in or send a valid token."))


@api.exception_handler(CsrfRefused)
def csrf_refused(request, exc):
    return _error(
        request,
        403,
        "csrf_failed",
        _("Send the CSRF token with a write made with your session, or use a token."),
    )


# django-ninja's own refusals, mostly a body that is not JSON (its parser's error
# is the cause); the others keep their status with a code of ours.
HTTP_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 429: "throttled"}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        return _error(request, 400, "invalid_json", _("The body is not valid JSON."))
    return _error(request, exc.status_code, HTTP_CODES.get(exc.status_code, "error"), str(exc))


@api.exception_handler(InvalidInput)
def invalid_input(request, exc: InvalidInput):
    return _error(request, 400, exc.code, exc.message, field=exc.field)


@api.exception_handler(StaleEdit)
def stale_edit(request, exc: StaleEdit):
    # Values as the API reads and writes them (codes, lists), the label for people.
    changes = [
        {"by": change.actor, "field": change.name, "label": change.field, "value": change.raw}
        for change in exc.changes
    ]
    return _error(
        request,
        409,
        exc.code,
        exc.message,
        current_version=version_of(exc.current),
        changes=changes,
    )


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return _error(request, 422, "invalid", _("The request is not valid."), errors=exc.errors)


# Each app's API module (or package) exposes one `router` whose operations spell
# their whole path (/projects/{code}/tasks…): every router is mounted at the root,
# so a path is read where its operation is declared.
APP_APIS = (
    accounts_api,
    projects_api,
    requirements_api,
    planning_api,
    communication_api,
    webhooks_api,
    changes_api,
    risks_api,
    issues_api,
    contingency_api,
    quality_api,
    time_api,
    value_api,
    money_api,
    costs_api,
    glossary_api,
    documents_api,
    reports_api,
    search_api,
)
for app_api in APP_APIS:
    api.add_router("", app_api.router)
