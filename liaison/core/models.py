"""Building blocks shared by every app: versioned rows, per-project keys, the
audit log, comments and in-app notifications."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.notification_text import message_text


class VersionedModel(models.Model):
    """An editable row: timestamps plus a version for optimistic locking.

    Every edit carries the version it started from; services refuse an edit
    whose version is no longer current (see core.locking)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class ClientVisibleQuerySet(models.QuerySet):
    """Rows of a project the client sees only when marked so (design §5)."""

    def for_audience(self, audience) -> "ClientVisibleQuerySet":
        return self if audience.internal else self.filter(client_visible=True)


class Activity(models.Model):
    """One append-only line of the audit log: who did what to which object."""

    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=40)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    # The label at the time of the change, so the log reads well even after a rename.
    target_label = models.CharField(max_length=300)
    # The target's version after this change (None for unversioned targets).
    target_version = models.PositiveIntegerField(null=True, blank=True)
    diff = models.JSONField(default=dict, blank=True)
    client_visible = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.verb} {self.target_label}"


class CommentQuerySet(models.QuerySet):
    def for_audience(self, audience) -> "CommentQuerySet":
        visible = self.filter(deleted_at__isnull=True)
        return visible if audience.internal else visible.filter(client_visible=True)


class Comment(VersionedModel):
    """A markdown comment on any project object; internal unless marked for the client."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="comments"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))
    # Rendered once when written (markdown is the slow part of a long thread).
    body_html = models.TextField(editable=False, default="")
    client_visible = models.BooleanField(_("visible to the client"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"


class Notification(models.Model):
    """An entry in one user's in-app inbox: an event and its data, written as a
    sentence in the reader's language when read (core.notification_text), with
    the object it is about, so it clears when what it asks for is done."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(max_length=60)
    # The gettext key (msgid) of the sentence, and its parameters as data.
    message = models.CharField(max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # Rows written before the two above: the sentence in the recipient's
    # language at the time, shown as it is.
    fallback_text = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # What it is about (None: nothing that is ever resolved).
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the recipient's daily digest (they asked for one mail a day).
    in_digest = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(fields=["target_type", "target_id", "event"]),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The sentence in the active language."""
        return message_text(self.message, self.params, self.fallback_text)

    @text.setter
    def text(self, value: str) -> None:
        # A sentence given as is (tests, imports) is kept as the fallback.
        self.fallback_text = value

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How one person wants to hear of one kind of event; no row means the
    kind's default (core.notification_kinds)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("In the inbox and by e-mail")
        INBOX = "inbox", _("In the inbox only")
        OFF = "off", _("Not at all")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=60)  # an event kind of core.notify
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="unique_notification_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event}: {self.channel}"


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

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"


class Attachment(models.Model):
    """A file on a project object, stored outside the web root and served only
    through a permission-checked view."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="attachments"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.name
