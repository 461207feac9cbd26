"""The error pages Django renders for an uncaught exception (urls.handler500).

A database that refuses connections, has gone away or is locked is a passing
fault, not a bug: the person gets 503 "the database is unavailable, try again
in a moment" (JSON `{"code": "database_unavailable"}` under /api/) with
Retry-After, instead of the 500 page. The error is still logged with its
trace (Django logs every uncaught exception before this runs)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 10


def database_unavailable(error: BaseException | None) -> bool:
    """OperationalError: refused, gone away, locked; InterfaceError: a
    connection closed under the process."""
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request: HttpRequest) -> HttpResponse:
    """503 for a database fault (see the module's doc), Django's 500 otherwise.
    Rendered without the request's context processors: they read the database."""
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request)
    message = _("The database is unavailable. Liaison will answer again as soon as it is back.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "database_unavailable", "message": message}, status=503
        )
    else:
        page = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
