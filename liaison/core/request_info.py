"""Facts about the request itself: where it came from (services record it for
sign-in failures and signatures) and where it may send the user back to."""

from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request) -> str | None:
    """The address the request came from. Behind a proxy this is the proxy's:
    trusting X-Forwarded-For needs a setting that names the proxies."""
    return request.META.get("REMOTE_ADDR")


def local_next(request) -> str:
    """The `next` the request carries when it is a path on this site, else "":
    never a way to send a user to another site (`//evil`, `https://evil`)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
