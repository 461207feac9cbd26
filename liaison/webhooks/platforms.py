"""What each chat platform expects of a webhook post besides its body, and how
it says no.

- `signed_request`: the request as the receiver checks it when the webhook has a
  secret. DingTalk (加签): `timestamp` (ms) and `sign` query parameters, the sign
  being base64(HMAC-SHA256(key=secret, msg="timestamp\\nsecret")), url-encoded.
  Feishu (签名校验): `timestamp` (s) and `sign` fields in the body, the sign being
  base64(HMAC-SHA256(key="timestamp\\nsecret", msg="")). Generic JSON: the headers
  `X-Liaison-Timestamp` (s) and `X-Liaison-Signature: sha256=<hex>`, the hex being
  HMAC-SHA256(key=secret, msg="<timestamp>." + raw body). Signed at each attempt:
  DingTalk and Feishu refuse a timestamp more than an hour old.
- `refusal`: WeCom, DingTalk and Feishu answer HTTP 200 even when they refuse a
  message; the refusal is in the body (`errcode`/`errmsg`, Feishu `code`/`msg`).
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import quote_plus

from liaison.webhooks.models import Webhook

Format = Webhook.Format
SIGNATURE_HEADER = "X-Liaison-Signature"
TIMESTAMP_HEADER = "X-Liaison-Timestamp"

# The codes that mean "not now" (rate limits, a busy system): worth another try.
# Every other code (a wrong key or signature, a missing keyword, a bad message)
# would be refused again.
RETRYABLE: dict[str, set[int]] = {
    Format.WECOM: {-1, 45009},  # system busy; API frequency limit
    Format.DINGTALK: {-1, 130101},  # system busy; send too fast (20 a minute)
    Format.FEISHU: {11232, 2200},  # frequency limited; internal error
}
READS_ANSWER = tuple(RETRYABLE)
# How the log names the platform and its result field: "DingTalk errcode 310000: …".
ANSWER_NAMES: dict[str, tuple[str, str]] = {
    Format.WECOM: ("WeCom", "errcode"),
    Format.DINGTALK: ("DingTalk", "errcode"),
    Format.FEISHU: ("Feishu", "code"),
}


@dataclass(frozen=True)
class SignedRequest:
    url: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Refusal:
    message: str  # the platform's code and its own words, as it sent them
    retry: bool


def _hmac(key: str, message: bytes) -> bytes:
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).digest()


def _json(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def dingtalk_sign(secret: str, timestamp: str) -> str:
    """DingTalk's sign, before url-encoding."""
    digest = _hmac(secret, f"{timestamp}\n{secret}".encode())
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp: str) -> str:
    """Feishu's sign: the key is the string to sign, the message empty."""
    return base64.b64encode(_hmac(f"{timestamp}\n{secret}", b"")).decode("ascii")


def generic_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Liaison-Signature value: the timestamp is signed with the body, so
    a captured message cannot be replayed later under a fresh timestamp."""
    return (
        "sha256="
        + hmac.new(
            secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256
        ).hexdigest()
    )


def signed_request(
    format: str, *, url: str, payload: dict, secret: str, now: float
) -> SignedRequest:
    """The address, body and extra headers of one post; unsigned without a secret
    or for a format that signs nothing."""
    if not secret or format not in Webhook.SIGNED_FORMATS:
        return SignedRequest(url, _json(payload), {})
    if format == Format.DINGTALK:
        timestamp = str(int(now * 1000))
        query = f"timestamp={timestamp}&sign={quote_plus(dingtalk_sign(secret, timestamp))}"
        return SignedRequest(f"{url}{'&' if '?' in url else '?'}{query}", _json(payload), {})
    timestamp = str(int(now))
    if format == Format.FEISHU:
        signed = {"timestamp": timestamp, "sign": feishu_sign(secret, timestamp), **payload}
        return SignedRequest(url, _json(signed), {})
    body = _json(payload)
    return SignedRequest(
        url,
        body,
        {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: generic_signature(secret, timestamp, body)},
    )


def _code(answer: dict, format: str):
    if format == Format.FEISHU:
        # The current answer has `code`; older bots answer `StatusCode`.
        code = answer.get("code", answer.get("StatusCode"))
        return code, answer.get("msg") or answer.get("StatusMessage") or ""
    return answer.get("errcode"), answer.get("errmsg") or ""


def refusal(format: str, body: bytes) -> Refusal | None:
    """None when a 2xx answer means the platform took the message. Formats that
    answer by HTTP status alone (generic JSON, Slack) are never refused here."""
    if format not in READS_ANSWER:
        return None
    platform, field = ANSWER_NAMES[format]
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        answer = None
    if not isinstance(answer, dict):
        # Not the platform's answer: the address points somewhere else.
        return Refusal(f"Not a {platform} answer: {_snippet(body)}", retry=False)
    code, message = _code(answer, format)
    if code == 0:
        return None
    if not isinstance(code, int):
        return Refusal(f"{platform} answered without {field}: {_snippet(body)}", retry=False)
    return Refusal(f"{platform} {field} {code}: {message}"[:500], retry=code in RETRYABLE[format])


def _snippet(body: bytes) -> str:
    return " ".join(body[:200].decode("utf-8", "replace").split()) or "(empty)"


def http_error(status: int, body: bytes) -> str:
    """`HTTP 400: invalid_payload`: Slack and most endpoints say why in the body."""
    text = " ".join(body[:200].decode("utf-8", "replace").split())
    return f"HTTP {status}: {text}"[:500] if text else f"HTTP {status}"
