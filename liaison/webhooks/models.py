"""Outgoing webhooks: where a project's events are posted, and every try."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import VersionedModel


class Webhook(VersionedModel):
    """Where a project's events are posted: a chat room's incoming webhook or any
    JSON endpoint."""

    class Format(models.TextChoices):
        GENERIC = "generic", _("Generic JSON")
        WECOM = "wecom", _("WeCom (企业微信)")
        DINGTALK = "dingtalk", _("DingTalk (钉钉)")
        FEISHU = "feishu", _("Feishu / Lark (飞书)")
        SLACK = "slack", _("Slack")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="webhooks"
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    # Event kinds to send; empty: every event.
    events = models.JSONField(_("events"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The signing secret the chat room gave (DingTalk 加签, Feishu 签名校验) or the
    # receiver chose (generic JSON); empty: messages go unsigned. Kept as typed:
    # every delivery signs with it. Never shown back in full (`secret_hint`).
    secret = models.CharField(_("signing secret"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The formats whose receivers check a signature; WeCom and Slack put their
    # key in the address and sign nothing.
    SIGNED_FORMATS = (Format.GENERIC, Format.DINGTALK, Format.FEISHU)

    class Meta:
        db_table = "core_webhook"  # moved from core; the table stays
        ordering = ["project", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def secret_hint(self) -> str:
        """Enough of the secret to recognise it, never enough to use it: its last
        four characters, and only when it is long enough to keep the rest hidden."""
        if not self.secret:
            return ""
        return "••••" + (self.secret[-4:] if len(self.secret) >= 16 else "")


class WebhookDelivery(models.Model):
    """One event posted (or being posted) to one webhook: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When a pending delivery's next try is due (queued: now; retried: after the
    # delay). One still pending long after it was due lost its job with a killed
    # worker: the sweep (webhooks.delivery.deliveries_sweep) queues it again.
    next_try_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "core_webhookdelivery"  # moved from core; the table stays
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["webhook", "-created_at"]),
            models.Index(fields=["status", "next_try_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
