"""What people say and are told about the work: comments, notifications and
the preferences that route them, and files attached to anything."""

from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.collab.notification_text import message_text
from liaison.core.models import AudienceLike, VersionedModel


class CommentQuerySet(models.QuerySet["Comment"]):
    def for_audience(self, audience: AudienceLike) -> Self:
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
        db_table = "core_comment"  # moved from core; the table stays
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"


class Notification(models.Model):
    """An entry in one user's in-app inbox: an event and its data, written as a
    sentence in the reader's language when read (collab.notification_text), with
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
        db_table = "core_notification"  # moved from core; the table stays
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
    kind's default (collab.notification_kinds)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("In the inbox and by e-mail")
        INBOX = "inbox", _("In the inbox only")
        OFF = "off", _("Not at all")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=60)  # an event kind of collab.notification_kinds
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)

    class Meta:
        db_table = "core_notificationpreference"  # moved from core; the table stays
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="unique_notification_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event}: {self.channel}"


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
        db_table = "core_attachment"  # moved from core; the table stays
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.name
