"""API: exchange a password for a token (throttled)."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Status

from liaison.accounts import services
from liaison.accounts.schemas import TokenOut, TokenRequest
from liaison.core.request_info import client_ip
from liaison.core.schemas import Error, Invalid

router = Router(tags=["accounts"])


@router.post(
    "/auth/token",
    auth=None,
    response={201: TokenOut, 400: Error, 401: Error, 422: Invalid, 429: Error},
    summary="Create a personal access token with e-mail and password",
)
def token_create(request, data: TokenRequest):
    ip = client_ip(request)
    minutes = services.login_lockout_minutes(email=data.email, ip=ip)
    if minutes:
        return Status(
            429,
            {
                "code": "throttled",
                "message": _("Too many failed attempts. Try again in %(minutes)d minutes.")
                % {"minutes": minutes},
            },
        )
    user = authenticate(request, username=data.email.strip().lower(), password=data.password)
    if user is None:
        services.login_failure_record(email=data.email, ip=ip)
        return Status(
            401,
            {
                "code": "bad_credentials",
                "message": _("The e-mail address or the password is not right."),
            },
        )
    services.login_failures_clear(email=data.email, ip=ip)
    token, secret = services.api_token_create(by=user, name=data.name)
    return Status(201, {"token": secret, "name": token.name})
