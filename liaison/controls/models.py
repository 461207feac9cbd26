"""The controls' models: risks (`RISK-n`) and issues (`ISS-n`), each in its section."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.models import ClientVisibleQuerySet, VersionedModel

# -- Issues ---------------------------------------------------------------------------


class EscalationLevel(models.Model):
    """One rung of a project's escalation path: level 1 is asked first (the
    project manager), the last is the sponsor. Each is a person of the firm."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="escalation_levels"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("role"), max_length=100)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )

    class Meta:
        ordering = ["project", "level"]
        constraints = [
            models.UniqueConstraint(fields=["project", "level"], name="unique_escalation_level")
        ]

    def __str__(self) -> str:
        return f"{self.level}. {self.title}"


class Issue(VersionedModel):
    """A problem, defect, question or dispute (`ISS-n`), raised by the team or
    by the client, followed to a verified resolution."""

    class Kind(models.TextChoices):
        PROBLEM = "problem", _("Problem")
        DEFECT = "defect", _("Defect")
        QUESTION = "question", _("Question")
        DISPUTE = "dispute", _("Dispute")

    class Severity(models.TextChoices):
        CRITICAL = "critical", _("Critical")
        MAJOR = "major", _("Major")
        MINOR = "minor", _("Minor")
        COSMETIC = "cosmetic", _("Cosmetic")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status of an issue", "Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        VERIFIED = "verified", _("Verified")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="issues")
    key = models.CharField(_("key"), max_length=20)
    # The key's number, for sorting ISS-9 before ISS-10.
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROBLEM)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MAJOR
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    # Where it was found: the project's own rows.
    requirement = models.ForeignKey(
        "requirements.Requirement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requirement"),
    )
    milestone = models.ForeignKey(
        "planning.Milestone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("milestone"),
    )
    task = models.ForeignKey(
        "planning.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("task"),
    )
    # Where else it was found, in words ("UAT round 2, case 14"): plain text until
    # UAT rounds exist, when a foreign key to the round takes its place.
    found_in = models.CharField(_("found in"), max_length=200, blank=True)
    steps = models.TextField(_("steps to reproduce"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("raised by"),
    )
    # Whether a client raised it, as it was when raised: the client always sees it.
    raised_by_client = models.BooleanField(_("raised by the client"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    blocked = models.BooleanField(_("blocked"), default=False)
    client_visible = models.BooleanField(_("visible to the client"), default=False)
    # The resolution.
    root_cause = models.TextField(_("root cause"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("times reopened"), default=0)
    reopen_reason = models.TextField(_("why it was reopened"), blank=True)
    # The escalation reached (0: none); each step is an IssueEscalation.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # A dispute: both positions, the outcome the manager records, the client's confirmation.
    our_position = models.TextField(_("our position"), blank=True)
    client_position = models.TextField(_("the client's position"), blank=True)
    agreed_outcome = models.TextField(_("agreed outcome"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_name = models.CharField(_("full name"), max_length=200, blank=True)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True)

    objects = ClientVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="unique_issue_key"),
            models.UniqueConstraint(fields=["project", "number"], name="unique_issue_number"),
        ]
        indexes = [
            models.Index(fields=["project", "status", "severity"]),
            models.Index(fields=["project", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    # The labels without get_*_display()'s dict of every choice, each one
    # translated, that Django builds on each call.
    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def kind_label(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def severity_label(self) -> str:
        return str(self.Severity(self.severity).label)

    @property
    def priority_label(self) -> str:
        return str(self.Priority(self.priority).label)

    @property
    def is_open(self) -> bool:
        """Still being worked on: neither resolved nor past it."""
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def is_dispute(self) -> bool:
        return self.kind == self.Kind.DISPUTE

    @property
    def awaits_confirmation(self) -> bool:
        """A dispute whose outcome the manager recorded and the client has not confirmed."""
        return self.is_dispute and bool(self.agreed_outcome) and self.confirmed_at is None

    def get_absolute_url(self) -> str:
        return reverse("controls:issue", args=[self.project.code, self.key])

    def portal_url(self) -> str:
        """Its page in the client portal."""
        return reverse("portal:issue", args=[self.project.code, self.key])


class IssueEscalation(models.Model):
    """One step up an issue's escalation path: who was told, at which level, why."""

    class Reason(models.TextChoices):
        OVERDUE = "overdue", _("Past its due date")
        BLOCKED = "blocked", _("Blocked")
        MANUAL = "manual", _("Escalated by hand")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("role"), max_length=100)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issue", "level"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "level"], name="unique_issue_escalation")
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.level}"

    @property
    def reason_label(self) -> str:
        return str(self.Reason(self.reason).label)
