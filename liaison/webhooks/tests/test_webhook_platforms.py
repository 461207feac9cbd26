"""Each chat platform as a real local HTTP server that answers as the platform
documents it (HTTP 200 with a result code in the body, success or refusal) and
checks the signature exactly as the platform does; the generic receiver checks
X-Liaison-Signature as the README tells integrators to.

The verification below is written from the platforms' documentation, not from
liaison.core.webhook_platforms, so a wrong signature in Liaison fails here."""

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import NOW, free_port
from liaison.webhooks.delivery import BACKOFF, deliveries_queue, delivery_attempt
from liaison.webhooks.models import Webhook, WebhookDelivery

Status = WebhookDelivery.Status
Format = Webhook.Format
DINGTALK_SECRET = "SEC" + "0f1e2d3c4b5a6978" * 4
FEISHU_SECRET = "fEiShUsEcReT0123456789"
GENERIC_SECRET = "whsec_liaison_test_0123456789"
HOUR = 3600


# -- the platforms, as their documentation describes them ------------------------------


def dingtalk_verdict(query: dict, secret: str | None) -> dict:
    """DingTalk 加签: timestamp (ms, within an hour) and sign = urlencode(base64(
    HmacSHA256(key=secret, data=timestamp + "\\n" + secret))) in the query."""
    if secret is None:
        return {"errcode": 0, "errmsg": "ok"}
    timestamp = query.get("timestamp", [""])[0]
    sign = query.get("sign", [""])[0]  # parse_qs has url-decoded it
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    fresh = timestamp.isdigit() and abs(NOW.timestamp() * 1000 - int(timestamp)) < HOUR * 1000
    if not (fresh and hmac.compare_digest(sign, expected)):
        return {
            "errcode": 310000,
            "errmsg": "sign not match, more: [https://docs.chat.example]",
        }
    return {"errcode": 0, "errmsg": "ok"}


def feishu_verdict(body: dict, secret: str | None) -> dict:
    """Feishu 签名校验: timestamp (s, within an hour) and sign = base64(HmacSHA256(
    key=timestamp + "\\n" + secret, data="")) in the body."""
    accepted = {
        "StatusCode": 0,
        "StatusMessage": "success",
        "code": 0,
        "data": {},
        "msg": "success",
    }
    if secret is None:
        return accepted
    timestamp = str(body.get("timestamp", ""))
    expected = base64.b64encode(
        hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    fresh = timestamp.isdigit() and abs(NOW.timestamp() - int(timestamp)) < HOUR
    if not (fresh and hmac.compare_digest(str(body.get("sign", "")), expected)):
        return {
            "code": 19021,
            "data": {},
            "msg": "sign match fail or timestamp is not within one hour from current time",
        }
    return accepted


def generic_verdict(headers, raw: bytes, secret: str | None) -> bool:
    """What the README tells a receiver to do: recompute HMAC-SHA256 over
    "<X-Liaison-Timestamp>." + the raw body, compare in constant time, and refuse
    a timestamp more than five minutes away."""
    if secret is None:
        return True
    timestamp = headers.get("X-Liaison-Timestamp", "")
    signature = headers.get("X-Liaison-Signature", "")
    expected = (
        "sha256="
        + hmac.new(secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    )
    fresh = timestamp.isdigit() and abs(NOW.timestamp() - int(timestamp)) < 300
    return fresh and hmac.compare_digest(signature, expected)


@dataclass
class Platform:
    """The server's state: the secret it checks (None: signing off), an answer
    forced on every request (a refusal, a rate limit), what it received."""

    base: str
    secret: str | None = None
    forced: dict | None = None
    raw_answer: bytes | None = None
    requests: list = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def platform(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    port = free_port()
    state = Platform(base=f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: bytes):
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            state.requests.append(
                {"path": parts.path, "query": query, "headers": dict(self.headers), "raw": raw}
            )
            if state.raw_answer is not None:
                return self._answer(200, state.raw_answer)
            if parts.path.startswith("/generic"):
                ok = generic_verdict(self.headers, raw, state.secret)
                return self._answer(200 if ok else 401, b"" if ok else b"bad signature")
            if state.forced is not None:
                answer = state.forced
            elif parts.path.startswith("/robot/send"):
                answer = dingtalk_verdict(query, state.secret)
            elif parts.path.startswith("/open-apis/bot/v2/hook/"):
                answer = feishu_verdict(json.loads(raw), state.secret)
            else:  # WeCom: the key in the address is all it checks
                ok = query.get("key") == ["wecom-key"]
                answer = (
                    {"errcode": 0, "errmsg": "ok"}
                    if ok
                    else {"errcode": 93000, "errmsg": "invalid webhook url, hint: [1700000000]"}
                )
            return self._answer(200, json.dumps(answer).encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _deliver(
    project, url: str, format: str, secret: str = ""
) -> tuple[WebhookDelivery, int | None]:
    hook = Webhook.objects.create(
        project=project, name=format, url=url, format=format, secret=secret
    )
    (delivery,) = deliveries_queue(
        [hook], event="comment", text="Hello", url="/p/OWN/", language="en"
    )
    delay = delivery_attempt(delivery.pk)
    delivery.refresh_from_db()
    return delivery, delay


DINGTALK_PATH = "/robot/send?access_token=abc123"
FEISHU_PATH = "/open-apis/bot/v2/hook/0f1e2d3c"
WECOM_PATH = "/cgi-bin/webhook/send?key=wecom-key"


# -- DingTalk --------------------------------------------------------------------------


def test_dingtalk_signed_post_passes_the_platforms_check(platform, project):
    platform.secret = DINGTALK_SECRET
    delivery, delay = _deliver(
        project, platform.url(DINGTALK_PATH), Format.DINGTALK, DINGTALK_SECRET
    )
    assert (delivery.status, delivery.status_code, delivery.error, delay) == (
        Status.DELIVERED,
        200,
        "",
        None,
    )
    (request,) = platform.requests
    assert request["query"]["access_token"] == ["abc123"]  # the room's key is kept
    assert set(request["query"]) == {"access_token", "timestamp", "sign"}
    assert json.loads(request["raw"])["msgtype"] == "markdown"  # the body is not touched


def test_dingtalk_refusal_is_a_failure_with_its_errmsg(platform, project):
    platform.secret = DINGTALK_SECRET
    delivery, delay = _deliver(project, platform.url(DINGTALK_PATH), Format.DINGTALK, "SECwrong")
    assert delay is None  # a wrong secret would be refused again
    assert (delivery.status, delivery.status_code, delivery.attempts) == (Status.FAILED, 200, 1)
    assert delivery.error.startswith("DingTalk errcode 310000: sign not match")
    assert delivery.finished_at is not None


def test_dingtalk_unsigned_without_a_secret(platform, project):
    platform.secret = DINGTALK_SECRET  # the room wants a signature Liaison does not have
    delivery, _delay = _deliver(project, platform.url(DINGTALK_PATH), Format.DINGTALK)
    assert set(platform.requests[0]["query"]) == {"access_token"}
    assert delivery.status == Status.FAILED and "310000" in delivery.error


def test_dingtalk_rate_limit_is_retried(platform, project):
    platform.forced = {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
    delivery, delay = _deliver(project, platform.url(DINGTALK_PATH), Format.DINGTALK)
    assert delay == BACKOFF[0]
    assert delivery.status == Status.PENDING and delivery.attempts == 1
    assert delivery.error == "DingTalk errcode 130101: send too fast, exceed 20 times per minute"
    platform.forced = None
    assert delivery_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error, delivery.attempts) == (Status.DELIVERED, "", 2)


# -- Feishu ---------------------------------------------------------------------------


def test_feishu_signed_post_passes_the_platforms_check(platform, project):
    platform.secret = FEISHU_SECRET
    delivery, _delay = _deliver(project, platform.url(FEISHU_PATH), Format.FEISHU, FEISHU_SECRET)
    assert (delivery.status, delivery.error) == (Status.DELIVERED, "")
    body = json.loads(platform.requests[0]["raw"])
    assert set(body) == {"timestamp", "sign", "msg_type", "content"}
    assert body["msg_type"] == "text"
    stored = WebhookDelivery.objects.get(pk=delivery.pk).payload
    assert "sign" not in stored  # signed at each attempt, never stored


def test_feishu_refusal_is_a_failure_with_its_msg(platform, project):
    platform.secret = FEISHU_SECRET
    delivery, delay = _deliver(project, platform.url(FEISHU_PATH), Format.FEISHU, "not-it")
    assert delay is None
    assert (delivery.status, delivery.status_code) == (Status.FAILED, 200)
    assert delivery.error == (
        "Feishu code 19021: sign match fail or timestamp is not within one hour from current time"
    )


def test_feishu_frequency_limit_is_retried(platform, project):
    platform.forced = {"code": 11232, "data": {}, "msg": "frequency limited psm[lark.oapi]"}
    delivery, delay = _deliver(project, platform.url(FEISHU_PATH), Format.FEISHU)
    assert delay == BACKOFF[0] and delivery.status == Status.PENDING
    assert delivery.error.startswith("Feishu code 11232: frequency limited")


# -- WeCom ----------------------------------------------------------------------------


def test_wecom_accepts(platform, project):
    delivery, _delay = _deliver(project, platform.url(WECOM_PATH), Format.WECOM)
    assert (delivery.status, delivery.error) == (Status.DELIVERED, "")


def test_wecom_refusal_is_a_failure_with_its_errmsg(platform, project):
    delivery, delay = _deliver(
        project, platform.url("/cgi-bin/webhook/send?key=stale"), Format.WECOM
    )
    assert delay is None
    assert (delivery.status, delivery.status_code) == (Status.FAILED, 200)
    assert delivery.error == "WeCom errcode 93000: invalid webhook url, hint: [1700000000]"


def test_wecom_frequency_limit_is_retried(platform, project):
    platform.forced = {"errcode": 45009, "errmsg": "api freq out of limit"}
    delivery, delay = _deliver(project, platform.url(WECOM_PATH), Format.WECOM)
    assert delay == BACKOFF[0] and delivery.status == Status.PENDING


def test_an_answer_that_is_not_the_platforms_fails(platform, project):
    platform.raw_answer = b"<html>Welcome to nginx!</html>"
    delivery, delay = _deliver(project, platform.url(WECOM_PATH), Format.WECOM)
    assert delay is None and delivery.status == Status.FAILED
    assert delivery.error == "Not a WeCom answer: <html>Welcome to nginx!</html>"


# -- generic JSON -----------------------------------------------------------------------


def test_generic_signature_passes_the_documented_check(platform, project):
    platform.secret = GENERIC_SECRET
    delivery, _delay = _deliver(project, platform.url("/generic"), Format.GENERIC, GENERIC_SECRET)
    assert delivery.status == Status.DELIVERED
    headers = platform.requests[0]["headers"]
    assert headers["X-Liaison-Signature"].startswith("sha256=")
    assert headers["X-Liaison-Timestamp"].isdigit()


def test_generic_wrong_secret_is_refused_by_the_receiver(platform, project):
    platform.secret = GENERIC_SECRET
    delivery, delay = _deliver(project, platform.url("/generic"), Format.GENERIC, "other-secret")
    assert delay == BACKOFF[0]  # an HTTP error: retried like any
    assert (delivery.status_code, delivery.error) == (401, "HTTP 401: bad signature")


def test_generic_without_a_secret_sends_no_signature(platform, project):
    delivery, _delay = _deliver(project, platform.url("/generic"), Format.GENERIC)
    assert delivery.status == Status.DELIVERED
    assert "X-Liaison-Signature" not in platform.requests[0]["headers"]


def test_generic_and_slack_ignore_the_answers_body(platform, project):
    platform.raw_answer = b'{"errcode": 1, "errmsg": "not a chat service"}'
    for format in (Format.GENERIC, Format.SLACK):
        delivery, _delay = _deliver(project, platform.url("/other"), format)
        assert delivery.status == Status.DELIVERED, format
