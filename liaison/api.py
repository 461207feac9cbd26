"""The JSON API at /api/v1/: same access and services as the pages.

Errors are JSON with a stable `code`: not_found, forbidden, unauthenticated,
invalid (with `field`), stale_edit (409, with the current version), throttled (429).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from liaison.accounts.api import router as accounts_router
from liaison.accounts.services import api_token_authenticate
from liaison.changes.api import router as changes_router
from liaison.communication.api import router as communication_router
from liaison.core.locking import StaleEdit
from liaison.core.schemas import refuse_unstorable
from liaison.core.services import InvalidInput
from liaison.planning.api import router as planning_router
from liaison.projects.api import router as projects_router
from liaison.reports.api import router as reports_router
from liaison.requirements.api import router as requirements_router


class TokenAuth(HttpBearer):
    """Personal access tokens: `Authorization: Bearer lsn_…`."""

    def authenticate(self, request, token: str):
        user = api_token_authenticate(secret=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Liaison API",
    version="1",
    description="Projects, members and, as they land, the rest of the client loop.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
)
# Every operation, once its parameters are parsed: no NUL, no number past a column.
api.add_decorator(refuse_unstorable)


def _error(request, status: int, code: str, message: str, **extra):
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


@api.exception_handler(InvalidInput)
def invalid_input(request, exc: InvalidInput):
    return _error(request, 400, exc.code, exc.message, field=exc.field)


@api.exception_handler(StaleEdit)
def stale_edit(request, exc: StaleEdit):
    changes = [
        {"by": change.actor, "field": change.field, "value": change.value} for change in exc.changes
    ]
    return _error(
        request, 409, exc.code, exc.message, current_version=exc.current.version, changes=changes
    )


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return _error(request, 422, "invalid", _("The request is not valid."), errors=exc.errors)


api.add_router("/", accounts_router)
api.add_router("/projects", projects_router)
api.add_router("/projects", requirements_router)
api.add_router("/projects", planning_router)
api.add_router("/", communication_router)
api.add_router("/projects", changes_router)
api.add_router("/projects", reports_router)
