"""Project webhooks: the chat rooms and endpoints a project's events are posted to.

- `payload_for` writes the message in the format each service reads: generic
  JSON, WeCom (企业微信), DingTalk (钉钉), Feishu (飞书) and Slack incoming webhooks.
- `check_target` is the SSRF guard of design §6: only http(s), no credentials in
  the address, and no host that resolves to a loopback, private, link-local,
  reserved, multicast or unspecified address (IPv4-mapped IPv6 included), unless
  the host is in settings.WEBHOOK_ALLOWED_HOSTS.
- `post` sends one JSON body with an opener that refuses redirects, uses no
  proxy, and checks the address it actually connected to (DNS may have changed
  since the check: the peer is checked again on the open socket).
- The services (create, update, delete, send a test) and the selectors of the
  webhook pages, and `delivery_attempt`, one try of the delivery job
  (core.jobs.deliver_webhook), which retries with a growing delay.
"""

import http.client
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from liaison.accounts import access
from liaison.accounts.access import Action
from liaison.core.activity import activity_record
from liaison.core.jobs import deliver_webhook
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.models import Webhook, WebhookDelivery
from liaison.core.notify import ROOM_KINDS, absolute_url
from liaison.core.services import InvalidInput

Format = Webhook.Format
Status = WebhookDelivery.Status
# The wait before each retry: 30 s, 2 min, 10 min, 1 h; then the delivery has failed.
BACKOFF = (30, 120, 600, 3600)
MAX_ATTEMPTS = len(BACKOFF) + 1
DELIVERIES_SHOWN = 50
EDITABLE_FIELDS = ("name", "url", "format", "events", "active")


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


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _forbidden(ip.ipv4_mapped)
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
    if _forbidden(ip):
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


def post(url: str, payload: dict) -> int:
    """POST `payload` as JSON; the HTTP status code the server answered (a redirect
    is answered, not followed). Raises TargetRefused for a forbidden address and
    OSError (urllib's URLError, a timeout) or http.client.HTTPException when no
    answer came."""
    check_target(url)
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Liaison"},
    )
    try:
        with _opener().open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            response.read(65536)
            return response.status
    except urllib.error.HTTPError as answered:
        answered.close()
        return answered.code


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


# -- deliveries ----------------------------------------------------------------------


def deliveries_queue(
    hooks: list[Webhook], *, event: str, text: str, url: str, language: str
) -> list[WebhookDelivery]:
    """Store one pending delivery per webhook and queue the job for each once the
    caller's transaction commits."""
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
    try:
        code = post(delivery.webhook.url, delivery.payload)
    except HostNotFound as missing:
        error, retry = str(missing.message), True
    except TargetRefused as refused:
        error = str(refused.message)
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error, retry = _network_error(failure), True
    else:
        if 300 <= code < 400:
            error = f"Redirect ({code}) not followed."
        elif not 200 <= code < 300:
            error, retry = f"HTTP {code}", True
    delay = BACKOFF[attempts - 1] if retry and attempts < MAX_ATTEMPTS else None
    if code is not None and 200 <= code < 300:
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
    return fields


def _safe_diff(diff: dict) -> dict:
    """The audit log is read by the whole team; a webhook address carries the
    chat room's key, so only its host is recorded."""
    if "url" in diff:
        diff = {
            **diff,
            "url": [urlsplit(value).hostname if value else value for value in diff["url"]],
        }
    return diff


@transaction.atomic
def webhook_create(*, project, by, name: str, url: str, format: str, events) -> Webhook:
    access.require(by, Action.MANAGE, project)
    fields = _clean({"name": name, "url": url, "format": format, "events": events})
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
    diff = apply_fields(locked, _clean(fields))
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


def webhook_deliveries(*, webhook: Webhook, limit: int = DELIVERIES_SHOWN) -> list[WebhookDelivery]:
    return list(WebhookDelivery.objects.filter(webhook=webhook).defer("payload")[:limit])
