"""Change requests: what the client or the team wants changed, its assessed
impact, the client's approval, and the change applied (docs/architecture.md, The layers)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.core.models import ClientVisibleQuerySet, VersionedModel


class ChangeRequest(VersionedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ASSESSING = "assessing", _("Assessing")
        AWAITING_CLIENT = "awaiting_client", _("Awaiting the client")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        IMPLEMENTED = "implemented", _("Implemented")

    class Origin(models.TextChoices):
        CLIENT = "client", _("The client")
        TEAM = "team", _("The team")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Risk(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="change_requests"
    )
    key = models.CharField(_("key"), max_length=20)
    # The key's number, for sorting CR-9 before CR-10.
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("what changes"), blank=True)
    reason = models.TextField(_("why"), blank=True)
    origin = models.CharField(
        _("raised by"), max_length=10, choices=Origin.choices, default=Origin.TEAM
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    # What the change touches.
    requirements = models.ManyToManyField(
        "requirements.Requirement",
        blank=True,
        related_name="change_requests",
        verbose_name=_("requirements"),
    )
    milestones = models.ManyToManyField(
        "planning.Milestone",
        blank=True,
        related_name="change_requests",
        verbose_name=_("milestones"),
    )
    tasks = models.ManyToManyField(
        "planning.Task", blank=True, related_name="change_requests", verbose_name=_("tasks")
    )
    # The assessed impact.
    effort_hours = models.DecimalField(
        _("effort (hours)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    cost_visible = models.BooleanField(_("show the cost to the client"), default=True)
    scope_impact = models.TextField(_("impact on scope"), blank=True)
    risk_level = models.CharField(_("risk"), max_length=10, choices=Risk.choices, blank=True)
    risk_impact = models.TextField(_("risks it brings"), blank=True)
    # The new dates the change needs: [{"task": "T-12", "start": "2026-12-01",
    # "due": "2026-12-09"}]. Approval applies them; the scheduler pushes the rest.
    schedule_changes = models.JSONField(_("new task dates"), default=list, blank=True)
    # [{"milestone": "M-2", "due": "2027-01-15"}]
    milestone_changes = models.JSONField(_("new milestone dates"), default=list, blank=True)
    # The schedule impact computed when the change went to the client, frozen so
    # that the client approves exactly what they read (see change_impact in
    # selectors/impact.py).
    impact = models.JSONField(default=dict, blank=True)
    client_visible = models.BooleanField(_("visible to the client"), default=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The decision: the client's (approved/rejected) or the team's (declined, withdrawn).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_name = models.CharField(_("full name"), max_length=200, blank=True)
    decided_ip = models.GenericIPAddressField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    implemented_at = models.DateTimeField(null=True, blank=True)
    # What the approval cut: the requirements baseline it signed and the plan it froze.
    baseline = models.ForeignKey(
        "requirements.Baseline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan_baseline = models.ForeignKey(
        "planning.PlanBaseline",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ClientVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="unique_change_request_key")
        ]
        indexes = [models.Index(fields=["project", "status", "number"])]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    # The labels without get_*_display()'s dict of every choice, each one
    # translated, that Django builds on each call: a list asks them per row.
    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def origin_label(self) -> str:
        return str(self.Origin(self.origin).label)

    @property
    def priority_label(self) -> str:
        return str(self.Priority(self.priority).label)

    def get_absolute_url(self) -> str:
        return reverse("changes:detail", args=[self.project.code, self.key])

    def portal_url(self) -> str:
        """Its page in the client portal."""
        return reverse("portal:change", args=[self.project.code, self.key])

    @property
    def is_open(self) -> bool:
        return self.status in (
            self.Status.SUBMITTED,
            self.Status.ASSESSING,
            self.Status.AWAITING_CLIENT,
        )

    @property
    def is_editable(self) -> bool:
        """Only before it goes to the client: what the client reads never changes under them."""
        return self.status in (self.Status.SUBMITTED, self.Status.ASSESSING)
