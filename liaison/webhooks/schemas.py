"""API schemas of webhooks: a webhook (its secret write-only) and its deliveries."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from liaison.collab.notification_kinds import ROOM_KINDS
from liaison.core.schemas import OneOf
from liaison.webhooks.models import Webhook, WebhookDelivery

WebhookFormat = Annotated[str, OneOf(Webhook.Format)]
DeliveryStatus = Annotated[str, OneOf(WebhookDelivery.Status)]
EVENTS_HELP = (
    "Kinds of event to post: "
    + ", ".join(ROOM_KINDS)
    + ". Empty: every event. Unknown kinds answer 400 (field `events`)."
)
SECRET_HELP = (
    "Optional, write-only. DingTalk: the SEC… secret of 加签 (sent as `timestamp` and "
    "`sign` query parameters). Feishu: the secret of 签名校验 (`timestamp` and `sign` in "
    "the body). Generic JSON: signs each post with `X-Liaison-Timestamp` and "
    "`X-Liaison-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + '.' + body)>`. "
    "WeCom and Slack sign nothing (400, field `secret`)."
)


class WebhookOut(Schema):
    id: int
    name: str
    url: str = Field(..., description="The address posted to (it often holds the room's key).")
    format: WebhookFormat
    events: list[str] = Field(..., description="Kinds of event posted; empty: every event.")
    active: bool = Field(..., description="A paused webhook receives only test messages.")
    has_secret: bool = Field(..., description="Whether posts are signed.")
    secret_hint: str = Field(..., description="The secret's last characters, or empty.")
    last_status: DeliveryStatus | None = Field(None, description="The last delivery's status.")
    last_status_code: int | None = Field(None, description="The HTTP code it got.")
    last_at: datetime.datetime | None = Field(None, description="When it was queued.")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_has_secret(webhook: Webhook) -> bool:
        return bool(webhook.secret)


class WebhookIn(Schema):
    name: str = Field(..., description="Such as the chat room it posts to.")
    url: str = Field(
        ...,
        description="http(s), no user name or password; internal addresses answer 400 "
        "(field `url`).",
    )
    format: WebhookFormat = Webhook.Format.GENERIC.value
    events: list[str] = Field([], description=EVENTS_HELP)
    secret: str = Field("", description=SECRET_HELP)


class WebhookPatch(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    name: str | None = None
    url: str | None = None
    format: WebhookFormat | None = Field(
        None, description="A format that signs nothing drops the secret."
    )
    events: list[str] | None = Field(None, description="Replaces the events. " + EVENTS_HELP)
    active: bool | None = None
    secret: str | None = Field(None, description="A new secret; empty or null removes it.")


class WebhookDeliveryOut(Schema):
    id: int
    event: str = Field(..., description="The event posted, or `test`.")
    status: DeliveryStatus
    status_code: int | None = Field(None, description="The HTTP code of the last answer.")
    error: str = Field(
        ...,
        description="Why it failed or is retried: a network error, `HTTP 500: …`, or the "
        "chat service's refusal (`DingTalk errcode 310000: …`).",
    )
    attempts: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
