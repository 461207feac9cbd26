"""Building blocks shared by every app: versioned rows and the audit log."""

from typing import Protocol, Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
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


class AudienceLike(Protocol):
    """Whose eyes a query serves (projects.access.Audience): the team or the client."""

    @property
    def internal(self) -> bool: ...


Row = TypeVar("Row", bound=models.Model)


class ClientVisibleQuerySet(models.QuerySet[Row]):
    """Rows of a project the client sees only when marked so
    (docs/architecture.md, The access model)."""

    def for_audience(self, audience: AudienceLike) -> Self:
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
        indexes = [
            models.Index(fields=["project", "-created_at"]),
            # One object's trail (a task's recent activity, client_has_seen): without
            # it the database walks the whole log by date to find the object's rows.
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.verb} {self.target_label}"


class OutgoingMail(models.Model):
    """One e-mail to send: the outbox. mail_queue() writes it in the transaction
    of the change that caused it, so a rolled-back change leaves no mail and a
    committed one always has its mail recorded, whatever happens to the job
    queued after commit (core.outbox sends it, retries it, sweeps it back)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    to = models.JSONField()  # the addresses, as the message lists them
    # Whom it is for and what about, when known: the organization's page of
    # undelivered mail finds its own by them (a person outside Liaison, such
    # as a meeting's outside participant, has no account).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.TextField()
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    tries = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # When the next try is due (queued: at once; failed: after the delay), or
    # when a worker took it. A pending mail long past it lost its job with a
    # killed worker: the sweep queues it again.
    next_try_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_try_at"]),
            models.Index(fields=["status", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"


class SearchEntry(models.Model):
    """One searchable thing of a project (core/search.py): the text the search
    reads, who may find it and where it leads. Written by the services that
    write the thing itself, in their transaction; `manage.py search_rebuild`
    writes them all again from the registered sources. On SQLite an FTS5 table
    (trigram) follows it by triggers, on PostgreSQL trigram indexes
    (migration 0009)."""

    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    client_visible = models.BooleanField(default=False)
    # Paths, kept with the entry so a result links without knowing its app.
    url = models.CharField(max_length=300)
    portal_url = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField()
    # The entry whose page this one leads to (a comment's subject): found only
    # while that one is, and by a client only while they may find that one.
    parent_kind = models.CharField(max_length=30, blank=True)
    parent_id = models.PositiveBigIntegerField(null=True, blank=True)
    # PostgreSQL: the words of the title (weight A) and the body (B), which rank
    # the results (ts_rank). Written by a trigger on every insert and update
    # (migration 0011), never by Django; empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")
        ]
        indexes = [models.Index(fields=["key"]), models.Index(fields=["project", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.title}"
