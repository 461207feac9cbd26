"""Building blocks shared by every app: versioned rows, per-project keys, the
audit log, comments and in-app notifications."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    """An editable row: timestamps plus a version for optimistic locking.

    Every edit carries the version it started from; services refuse an edit
    whose version is no longer current (see core.locking)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class KeyCounter(models.Model):
    """The last number handed out for one key prefix in one project (REQ, T…)."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE)
    prefix = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "prefix"], name="unique_key_counter")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last}"


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
    """An entry in one user's in-app inbox."""

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
    # The message in the recipient's language, written when the event happens.
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
