"""Project webhooks: the chat rooms and endpoints a project's events are posted to.

- `payload_for` writes the message in the format each service reads: generic
  JSON, WeCom (企业微信), DingTalk (钉钉), Feishu (飞书) and Slack incoming webhooks.
- `check_target` is the SSRF guard of design §6: only http(s), no credentials in
  the address, and no host that resolves to a loopback, private, link-local,
  reserved, multicast or unspecified address, nor an IPv6 address that embeds
  such an IPv4 address (IPv4-mapped, 6to4, NAT64, Teredo), unless the host is in
  settings.WEBHOOK_ALLOWED_HOSTS.
- `send` posts one JSON body with an opener that refuses redirects, uses no
  proxy, and checks the address it actually connected to (DNS may have changed
  since the check: the peer is checked again on the open socket).
- `team_url`: the room is the team's, so every message links the team's page
  of the object (a client's portal link becomes its team twin).
- The services (create, update, delete, send a test) and the selectors of the
  webhook pages, and `delivery_attempt`, one try of the delivery job
  (core.jobs.deliver_webhook), which signs the post when the webhook has a
  secret, reads the chat service's answer (core.webhook_platforms: WeCom,
  DingTalk and Feishu refuse with HTTP 200 and a code) and retries with a
  growing delay.
"""

import http.client
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from liaison.core import webhook_platforms
from liaison.core.activity import activity_record
from liaison.core.jobs import deliver_webhook
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.models import Webhook, WebhookDelivery
from liaison.core.notify import ROOM_KINDS, absolute_url
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action

Format = Webhook.Format
Status = WebhookDelivery.Status
# The wait before each retry: 30 s, 2 min, 10 min, 1 h; then the delivery has failed.
BACKOFF = (30, 120, 600, 3600)
MAX_ATTEMPTS = len(BACKOFF) + 1
DELIVERIES_SHOWN = 50
EDITABLE_FIELDS = ("name", "url", "format", "events", "active", "secret")
SECRET_MAX = 200


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


def _parse_target(url: str) -> tuple[str, int]:
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
    host, port = _parse_target(url)
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
        _check_address(sockaddr[0])


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
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


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


# -- the message formats ------------------------------------------------------------


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Links, images and HTML are what typed text could smuggle into a chat room's
# markdown; look-alike brackets read the same and link nowhere (WeCom and
# DingTalk show backslash escapes as they are, so escaping is no option).
MARKDOWN_NEUTRAL = str.maketrans({"[": "［", "]": "］", "<": "‹", ">": "›"})


def _markdown_escape(text: str) -> str:
    """Plain text in a markdown message: what a client typed (a subject) must
    not turn into links or images in the team's chat room."""
    return text.translate(MARKDOWN_NEUTRAL)


def payload_for(format: str, *, event: str, text: str, url: str, project) -> dict:
    """The JSON body for one event in the webhook's format. Labels ("Open in
    Liaison") are in the active language."""
    heading = f"[{project.code}] {project.name}"
    if format == Format.WECOM:
        content = f"**{heading}**\n{_markdown_escape(text)}\n[{_('Open in Liaison')}]({url})"
        return {"msgtype": "markdown", "markdown": {"content": content}}
    if format == Format.DINGTALK:
        body = f"#### {heading}\n\n{_markdown_escape(text)}\n\n[{_('Open in Liaison')}]({url})"
        return {
            "msgtype": "markdown",
            "markdown": {"title": f"[{project.code}] {_markdown_escape(text)}"[:100], "text": body},
        }
    if format == Format.FEISHU:
        return {"msg_type": "text", "content": {"text": f"{heading}\n{text}\n{url}"}}
    if format == Format.SLACK:
        return {"text": f"*{_slack_escape(heading)}*\n<{url}|{_slack_escape(text)}>"}
    return {
        "event": event,
        "text": text,
        "url": url,
        "project": {"code": project.code, "name": project.name},
        "sent_at": timezone.now().isoformat(),
    }


# -- the team's link -----------------------------------------------------------------

# A chat room is the team's: a link to a client's portal page (which 404s for the
# team) becomes the team's page of the same object. Names only, so the core
# imports no feature; a portal page not listed links the project's overview.
PORTAL_TO_TEAM = {
    "portal:home": "projects:dashboard",
    "portal:project": "projects:overview",
    "portal:requirements": "requirements:list",
    "portal:requirement": "requirements:detail",
    "portal:baseline": "requirements:baseline",
    "portal:baseline-pdf": "requirements:baseline-pdf",
    "portal:milestone": "planning:milestone",
    "portal:milestone-pdf": "planning:milestone-pdf",
    "portal:interactions": "communication:interactions",
    "portal:interaction": "communication:interaction",
    "portal:changes": "changes:list",
    "portal:change": "changes:detail",
    "portal:reports": "reports:list",
    "portal:report": "reports:detail",
    "portal:report-pdf": "reports:pdf",
}


def team_url(url: str) -> str:
    """The team's page on SITE_URL for a link written for a notification, which
    may be the client's portal page of the object. Other links stay as they are."""
    path = url.removeprefix(settings.SITE_URL) if url.startswith(settings.SITE_URL) else url
    if not path.startswith("/"):
        return absolute_url(url)  # another site's address, or not a path at all
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return absolute_url(path)
    if match.namespace != "portal":
        return absolute_url(path)
    name, kwargs = PORTAL_TO_TEAM.get(match.view_name), match.kwargs
    if name is None and "code" in kwargs:
        name, kwargs = "projects:overview", {"code": kwargs["code"]}
    elif name is None:
        name, kwargs = "projects:dashboard", {}
    return absolute_url(reverse(name, kwargs=kwargs))


# -- deliveries ----------------------------------------------------------------------


def deliveries_queue(
    hooks: list[Webhook], *, event: str, text: str, url: str, language: str
) -> list[WebhookDelivery]:
    """Store one pending delivery per webhook and queue the job for each once the
    caller's transaction commits. `url` is made the team's page (`team_url`)."""
    url = team_url(url)
    with translation.override(language):
        rows = [
            WebhookDelivery(
                webhook=hook,
                event=event,
                payload=payload_for(
                    hook.format, event=event, text=text, url=url, project=hook.project
                ),
            )
            for hook in hooks
        ]
    created = WebhookDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: [deliver_webhook(pk) for pk in ids])
    return created


def _network_error(failure: Exception) -> str:
    reason = getattr(failure, "reason", None) or failure
    return (str(reason) or type(failure).__name__)[:500]


def _post_delivery(delivery: WebhookDelivery) -> Answer:
    """Sign (now: the platforms refuse an old timestamp) and post the stored payload."""
    webhook = delivery.webhook
    request = webhook_platforms.signed_request(
        webhook.format,
        url=webhook.url,
        payload=delivery.payload,
        secret=webhook.secret,
        now=time.time(),
    )
    return send(request.url, request.body, request.headers)


def _answer_error(format: str, answer: Answer) -> tuple[str, bool]:
    """What went wrong in an answer ("" when nothing did), and whether to try again."""
    if 300 <= answer.status < 400:
        return f"Redirect ({answer.status}) not followed.", False
    if not 200 <= answer.status < 300:
        return webhook_platforms.http_error(answer.status, answer.body), True
    refused = webhook_platforms.refusal(format, answer.body)
    if refused is not None:
        return refused.message, refused.retry
    return "", False


def delivery_attempt(delivery_id: int) -> int | None:
    """Post a pending delivery once and record what happened. Returns the seconds
    to wait before the next try, or None when the delivery is settled (delivered,
    failed, or not pending any more). No transaction is held while posting."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook")
        .filter(pk=delivery_id, status=Status.PENDING)
        .first()
    )
    if delivery is None:
        return None
    attempts = delivery.attempts + 1
    code, error, retry = None, "", False
    answer = None
    try:
        answer = _post_delivery(delivery)
    except HostNotFound as missing:
        error, retry = str(missing.message), True
    except TargetRefused as refused:
        error = str(refused.message)
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error, retry = _network_error(failure), True
    else:
        code = answer.status
        error, retry = _answer_error(delivery.webhook.format, answer)
    delay = BACKOFF[attempts - 1] if retry and attempts < MAX_ATTEMPTS else None
    if answer is not None and not error:
        status = Status.DELIVERED
    else:
        status = Status.PENDING if delay is not None else Status.FAILED
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        status=status,
        status_code=code,
        error=error,
        finished_at=None if status == Status.PENDING else timezone.now(),
    )
    return delay


# -- the services ------------------------------------------------------------------


def _clean_url(url) -> str:
    url = (url or "").strip()
    if not url:
        raise InvalidInput(_("Paste the webhook address the chat service gave you."), field="url")
    if len(url) > 500:
        raise InvalidInput(_("At most 500 characters."), field="url")
    try:
        _parse_target(url)  # the scheme and credentials first: their messages are clearer
        URLValidator(schemes=["http", "https"])(url)
        check_target(url)
    except TargetRefused as refused:
        raise InvalidInput(str(refused.message), field="url") from None
    except ValidationError:
        raise InvalidInput(
            _("Enter a full web address, such as https://hooks.example.com/…"), field="url"
        ) from None
    return url


def _clean(fields: dict) -> dict:
    fields = dict(fields)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()[:100]
        if not fields["name"]:
            raise InvalidInput(
                _("Give the webhook a name, such as the chat room it posts to."), field="name"
            )
    if "url" in fields:
        fields["url"] = _clean_url(fields["url"])
    if "format" in fields and fields["format"] not in Format.values:
        raise InvalidInput(_("Choose the format the chat service reads."), field="format")
    if "events" in fields:
        events = set(fields["events"] or ())
        unknown = events - set(ROOM_KINDS)
        if unknown:
            raise InvalidInput(
                _("Unknown events: %(names)s") % {"names": ", ".join(sorted(unknown))},
                field="events",
            )
        fields["events"] = [kind for kind in ROOM_KINDS if kind in events]
    if "active" in fields:
        fields["active"] = bool(fields["active"])
    if "secret" in fields:
        fields["secret"] = _clean_secret(fields["secret"])
    return fields


def _clean_secret(secret) -> str:
    secret = (secret or "").strip()
    if len(secret) > SECRET_MAX:
        raise InvalidInput(
            _("At most %(count)d characters.") % {"count": SECRET_MAX}, field="secret"
        )
    if any(char.isspace() for char in secret):
        raise InvalidInput(
            _("A signing secret has no spaces: copy it again from the chat service."),
            field="secret",
        )
    return secret


def _check_secret_fits(format: str, secret: str) -> None:
    if secret and format not in Webhook.SIGNED_FORMATS:
        raise InvalidInput(
            _("%(format)s signs nothing: leave the secret empty.")
            % {"format": Format(format).label},
            field="secret",
        )


def _safe_diff(diff: dict) -> dict:
    """The audit log is read by the whole team; a webhook address carries the
    chat room's key, so only its host is recorded."""
    if "url" in diff:
        diff = {
            **diff,
            "url": [urlsplit(value).hostname if value else value for value in diff["url"]],
        }
    if "secret" in diff:  # that it was set or changed, never the secret
        diff = {**diff, "secret": ["••••" if value else value for value in diff["secret"]]}
    return diff


@transaction.atomic
def webhook_create(
    *, project, by, name: str, url: str, format: str, events, secret: str = ""
) -> Webhook:
    access.require(by, Action.MANAGE, project)
    fields = _clean(
        {"name": name, "url": url, "format": format, "events": events, "secret": secret}
    )
    _check_secret_fits(fields["format"], fields["secret"])
    webhook = Webhook.objects.create(project=project, created_by=by, **fields)
    activity_record(
        actor=by,
        verb="created",
        target=webhook,
        project=project,
        diff=_safe_diff({key: [None, value] for key, value in fields.items()}),
    )
    return webhook


@transaction.atomic
def webhook_update(*, webhook: Webhook, by, version: int, **fields) -> Webhook:
    access.require(by, Action.MANAGE, webhook.project)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %(names)s")
            % {"names": ", ".join(sorted(unknown))}
        )
    locked = Webhook.objects.select_for_update().get(pk=webhook.pk)
    check_version(locked, version)
    if fields.get("url") is not None and fields["url"].strip() == locked.url:
        fields.pop("url")  # unchanged: not checked again (its host may be down right now)
    fields = _clean(fields)
    if not fields.get("secret") and fields.get("format", locked.format) not in (
        Webhook.SIGNED_FORMATS
    ):
        fields["secret"] = ""  # a format that signs nothing would never use it
    _check_secret_fits(fields.get("format", locked.format), fields.get("secret", locked.secret))
    diff = apply_fields(locked, fields)
    if diff:
        save_changes(locked, diff)
        activity_record(
            actor=by, verb="updated", target=locked, project=locked.project, diff=_safe_diff(diff)
        )
    return locked


@transaction.atomic
def webhook_delete(*, webhook: Webhook, by) -> None:
    """Deletes the webhook and its delivery log."""
    access.require(by, Action.MANAGE, webhook.project)
    activity_record(actor=by, verb="deleted", target=webhook, project=webhook.project)
    webhook.delete()


@transaction.atomic
def webhook_test(*, webhook: Webhook, by) -> WebhookDelivery:
    """Queue a test message to the webhook, in the sender's language, whether or not
    the webhook is active; the delivery log shows how it went. The log is the
    record of it: no audit row."""
    project = webhook.project
    access.require(by, Action.MANAGE, project)
    with translation.override(by.language):
        text = _("Test message from Liaison for %(project)s, sent by %(name)s.") % {
            "project": project.name,
            "name": by,
        }
        text = str(text)
    (delivery,) = deliveries_queue(
        [webhook],
        event="test",
        text=text,
        url=absolute_url(reverse("projects:overview", args=[project.code])),
        language=by.language,
    )
    return delivery


# -- the selectors of the pages ---------------------------------------------------


def webhook_list(*, project) -> QuerySet[Webhook]:
    """The project's webhooks, each with its last delivery's status, code and time."""
    last = WebhookDelivery.objects.filter(webhook=OuterRef("pk")).order_by("-created_at", "-id")
    return Webhook.objects.filter(project=project).annotate(
        last_status=Subquery(last.values("status")[:1]),
        last_status_code=Subquery(last.values("status_code")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
    )


def webhook_get(*, project, webhook_id: int | None) -> Webhook:
    webhook = Webhook.objects.filter(project=project, pk=webhook_id).first() if webhook_id else None
    if webhook is None:
        raise Http404
    webhook.project = project
    return webhook


def webhook_delivery_rows(*, webhook: Webhook) -> QuerySet[WebhookDelivery]:
    """The delivery log, newest first, without the bodies posted."""
    return WebhookDelivery.objects.filter(webhook=webhook).defer("payload")


def webhook_deliveries(*, webhook: Webhook, limit: int = DELIVERIES_SHOWN) -> list[WebhookDelivery]:
    return list(webhook_delivery_rows(webhook=webhook)[:limit])
