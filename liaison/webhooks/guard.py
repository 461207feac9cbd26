"""The outbound guard (docs/architecture.md, Data rules): only http(s), no credentials
in the address, and no host that resolves to a loopback, private, link-local,
reserved, multicast or unspecified address, nor an IPv6 address that embeds such
an IPv4 address (IPv4-mapped, 6to4, NAT64, Teredo), unless the host is in
settings.WEBHOOK_ALLOWED_HOSTS. `send` posts one JSON body with an opener that
refuses redirects, uses no proxy, and checks the address it actually connected
to (DNS may have changed since the check: the peer is checked again on the open
socket)."""

import http.client
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from liaison.webhooks.models import Webhook, WebhookDelivery

Format = Webhook.Format
Status = WebhookDelivery.Status
# The wait before each retry: 30 s, 2 min, 10 min, 1 h; then the delivery has failed.

# -- the SSRF guard ----------------------------------------------------------------


class TargetRefused(ValueError):
    """An address Liaison will not post to, with the reason in the reader's words."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class HostNotFound(TargetRefused):
    """The name did not resolve: maybe a typo, maybe a passing DNS failure, so a
    delivery tries again (a forbidden address never does)."""


def _allowed_host(host: str) -> bool:
    return host.lower().strip("[]") in settings.WEBHOOK_ALLOWED_HOSTS


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are the IPv4


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries and a relay or gateway would
    reach: IPv4-mapped (::ffff:a.b.c.d), 6to4 (2002::/16), NAT64 (64:ff9b::/96)
    and Teredo (2001::/32: its server and, obfuscated, its client)."""
    found = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip in NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.teredo is not None:
        found.extend(ip.teredo)
    return found


def address_forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for an address Liaison never posts to (see the module's doc), and for
    an IPv6 address that embeds such an IPv4 address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if any(address_forbidden(inner) for inner in embedded):
            return True
        if ip.ipv4_mapped is not None or ip in NAT64:
            # Judged by the IPv4 address alone, which is global. (NAT64 is in
            # ::/8, reserved: an IPv6-only host reaches every IPv4 service so.)
            return False
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global  # shared (100.64/10), documentation and benchmark ranges
    )


def _check_address(address: str) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope id is not part of it
    if address_forbidden(ip):
        raise TargetRefused(
            _("This address is private (%(address)s): Liaison does not post to internal networks.")
            % {"address": address}
        )


def parse_target(url: str) -> tuple[str, int]:
    """The host and port of an http(s) address without credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise TargetRefused(_("Use an address that starts with https:// or http://."))
    if parts.username is not None or parts.password is not None:
        raise TargetRefused(
            _(
                "Leave the user name and password out of the address: chat services "
                "put their key in the path or the query instead."
            )
        )
    host = parts.hostname
    if not host:
        raise TargetRefused(_("This address has no host name."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused(_("This address has an invalid port.")) from None
    return host, port


def check_target(url: str) -> None:
    """Raise TargetRefused unless Liaison may post to `url` (see the module's doc)."""
    host, port = parse_target(url)
    if _allowed_host(host):
        return
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise HostNotFound(
            _("Liaison cannot find the host %(host)s. Check the address.") % {"host": host}
        ) from None
    if not found:
        raise HostNotFound(
            _("Liaison cannot find the host %(host)s. Check the address.") % {"host": host}
        )
    for _family, _type, _proto, _name, sockaddr in found:
        _check_address(str(sockaddr[0]))  # the host: typeshed allows an int for AF_UNIX-likes


# -- posting -----------------------------------------------------------------------


def _guarded_connection(host: str):
    """socket.create_connection, then a check of the address actually reached."""

    def create(address, timeout, source_address=None, **kwargs):
        sock = socket.create_connection(address, timeout, source_address, **kwargs)
        if not _allowed_host(host):
            try:
                _check_address(sock.getpeername()[0])
            except TargetRefused:
                sock.close()
                raise
        return sock

    return create


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, *args, **kwargs):
        super().__init__(host, *args, **kwargs)
        self._create_connection = _guarded_connection(self.host)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, *args, **kwargs):
        super().__init__(host, *args, **kwargs)
        self._create_connection = _guarded_connection(self.host)


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        # HTTPSHandler keeps its SSL context as _context, which typeshed leaves out.
        context = self._context  # type: ignore[attr-defined]
        return self.do_open(_GuardedHTTPSConnection, req, context=context)


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could point anywhere (an internal address): never follow one.
    Returning None lets the 3xx surface as an HTTPError with its code."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _opener() -> urllib.request.OpenerDirector:
    """http and https only, no proxy from the environment, no redirects."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        _GuardedHTTPHandler(),
        _GuardedHTTPSHandler(),
        _RefuseRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes  # its first ANSWER_READ bytes: enough for any platform's result


ANSWER_READ = 65536


def send(url: str, body: bytes, headers: dict[str, str] | None = None) -> Answer:
    """POST `body` as JSON and return the answer (a redirect is answered, not
    followed). Raises TargetRefused for a forbidden address and OSError
    (urllib's URLError, a timeout) or http.client.HTTPException when no answer
    came."""
    check_target(url)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Liaison",
            **(headers or {}),
        },
    )
    try:
        with _opener().open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return Answer(response.status, response.read(ANSWER_READ))
    except urllib.error.HTTPError as answered:
        try:
            body = answered.read(ANSWER_READ) if answered.fp is not None else b""
        finally:
            answered.close()
        return Answer(answered.code, body)


def post(url: str, payload: dict) -> int:
    """POST `payload` as JSON, unsigned; the HTTP status code the server answered."""
    return send(url, json.dumps(payload, ensure_ascii=False).encode("utf-8")).status
