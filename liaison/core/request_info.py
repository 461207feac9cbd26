"""Facts about the request itself that services record (sign-in failures,
signatures)."""


def client_ip(request) -> str | None:
    """The address the request came from. Behind a proxy this is the proxy's:
    trusting X-Forwarded-For needs a setting that names the proxies."""
    return request.META.get("REMOTE_ADDR")
