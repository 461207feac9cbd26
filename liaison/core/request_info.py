"""Facts about the request itself: where it came from (services record it for
sign-in failures and signatures) and where it may send the user back to."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. Behind a reverse proxy named in
    TRUSTED_PROXIES it is the nearest address in X-Forwarded-For that is not
    one of those proxies: the one hop no visitor can forge (they choose what
    the header says before it reaches our proxies, never what these append).
    Anyone else's X-Forwarded-For is ignored."""
    remote: str | None = request.META.get("REMOTE_ADDR")
    if remote not in settings.TRUSTED_PROXIES:
        return remote
    hops: list[str] = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([hop.strip() for hop in hops if hop.strip()]):
        if hop not in settings.TRUSTED_PROXIES:
            return hop if _is_address(hop) else remote
    return remote


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def throttle_address(ip: str | None) -> str | None:
    """The address sign-in throttling counts by: an IPv6 address stands for
    its /64, which one person can walk through as they please."""
    if not ip or ":" not in ip:
        return ip
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)


def local_next(request: HttpRequest) -> str:
    """The `next` the request carries when it is a path on this site, else "":
    never a way to send a user to another site (`//evil`, `https://evil`)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
