"""Requirements and the baselines the client signs (docs/architecture.md, The layers)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import ClientVisibleQuerySet, VersionedModel


class Requirement(VersionedModel):
    class Kind(models.TextChoices):
        FUNCTIONAL = "functional", _("Functional")
        NON_FUNCTIONAL = "non_functional", _("Non-functional")
        BUSINESS_PROCESS = "business_process", _("Business process")
        USER_ROLE = "user_role", _("User role")
        CONSTRAINT = "constraint", _("Constraint")

    class Source(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("E-mail")
        CALL = "call", _("Call")
        WORKSHOP = "workshop", _("Workshop")
        SURVEY = "survey", _("Survey")
        INTERVIEW = "interview", _("Interview")
        DOCUMENT = "document", _("Document")
        CLIENT_REQUEST = "client_request", _("Client request")

    class Priority(models.TextChoices):
        MUST = "must", _("Must have")
        SHOULD = "should", _("Should have")
        COULD = "could", _("Could have")
        WONT = "wont", _("Won't have (this time)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CONFIRMED = "confirmed", _("Confirmed")
        IMPLEMENTED = "implemented", _("Implemented")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="requirements"
    )
    key = models.CharField(_("key"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FUNCTIONAL)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("description"), blank=True)
    acceptance_criteria = models.JSONField(_("acceptance criteria"), default=list, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MEETING
    )
    # Which interaction it came from; a plain reference until the communication log lands.
    source_ref = models.CharField(_("source reference"), max_length=200, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.SHOULD
    )
    value = models.PositiveSmallIntegerField(_("value"), default=3)
    feasibility = models.PositiveSmallIntegerField(_("feasibility"), default=3)
    cost = models.PositiveSmallIntegerField(_("cost"), default=3)
    # Kept by the services from priority and the three scores (see scoring.py).
    score = models.IntegerField(_("score"), default=0, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent requirement"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    client_visible = models.BooleanField(_("visible to the client"), default=True)
    # Stored as ",tag,other," so that one tag filters with a plain LIKE on every database.
    tags = models.CharField(_("tags"), max_length=500, blank=True)

    objects = ClientVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="unique_requirement_key")
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    # The labels without get_*_display()'s dict of every choice, each one
    # translated, that Django builds on each call: a list asks them per row.
    @property
    def kind_label(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def priority_label(self) -> str:
        return str(self.Priority(self.priority).label)

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


class RequirementRevision(models.Model):
    """The requirement as it was after each change: revision n is version n."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requirement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "number"], name="unique_requirement_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement.key} r{self.number}"


class Baseline(models.Model):
    """A frozen, numbered snapshot of the confirmed requirements that the client
    signs or rejects. Never edited after it is proposed: a new one supersedes it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting signature")
        SIGNED = "signed", _("Signed")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Superseded")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="baselines"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note to the client"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    signed_name = models.CharField(_("full name"), max_length=200, blank=True)
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    rejection_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_baseline_number")
        ]

    def __str__(self) -> str:
        return f"B{self.number} {self.title}"

    @property
    def requirement_count(self) -> int:
        return len(self.content.get("requirements", []))


class ImportJob(models.Model):
    """An Excel import running in the job queue, with its progress and its report.

    The worker holds a lease on a running job: it renews heartbeat_at with every
    progress step, and a job whose heartbeat is older than settings.JOB_LEASE_SECONDS
    (or that waited in the queue longer than settings.JOB_QUEUE_LIMIT_SECONDS) is
    taken to have died and fails with a reason (requirements.import_jobs). The
    uploaded file is deleted when the job ends, however it ends."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Refused")
        DONE = "done", _("Done")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)  # emptied when it ends
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the worker's last sign of life
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def stopped_reason(self) -> str:
        """Why the job stopped when the file itself was not at fault (the worker
        died, an unexpected error, the uploader lost the right to edit); a report
        about rows and columns gives ""."""
        if self.status == self.Status.FAILED and len(self.errors) == 1:
            (error,) = self.errors
            if not error.get("row") and not error.get("column"):
                return error.get("problem", "")
        return ""

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
