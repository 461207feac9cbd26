"""The controls' models: risks (`RISK-n`) and issues (`ISS-n`), each in its own module."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.models import ClientVisibleQuerySet, VersionedModel

# -- Risks ---------------------------------------------------------------------------------

# A score is probability × impact, each 1–5; its band (and colour) by the score:
# low 1–4 green, medium 5–9 amber, high 10–16 orange, critical 20–25 red. The
# products of two numbers 1–5 skip 17–19, so the bands meet without a gap.
SCORE_SCALE = (1, 2, 3, 4, 5)
BANDS = (("low", 1, 4), ("medium", 5, 9), ("high", 10, 16), ("critical", 17, 25))
BAND_COLOURS = {"low": "green", "medium": "amber", "high": "orange", "critical": "red"}


def band_of(score: int) -> str:
    """The band of a score (see BANDS)."""
    for name, low, high in BANDS:
        if low <= score <= high:
            return name
    return "low"


class Risk(VersionedModel):
    class Category(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        SCHEDULE = "schedule", _("Schedule")
        RESOURCES = "resources", _("Resources")
        CLIENT = "client", _("Client")
        SCOPE = "scope", _("Scope")
        COMMERCIAL = "commercial", _("Commercial")
        EXTERNAL = "external", _("External")
        OTHER = "other", _("Other")

    class Strategy(models.TextChoices):
        AVOID = "avoid", _("Avoid")
        MITIGATE = "mitigate", _("Mitigate")
        TRANSFER = "transfer", _("Transfer")
        ACCEPT = "accept", _("Accept")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        ASSESSED = "assessed", _("Assessed")
        RESPONSE_PLANNED = "response_planned", _("Response planned")
        MONITORING = "monitoring", _("Monitoring")
        OCCURRED = "occurred", _("Occurred")
        CLOSED = "closed", _("Closed")

    class Band(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="risks")
    key = models.CharField(_("key"), max_length=20)
    number = models.PositiveIntegerField()  # the key's number, for sorting RISK-9 before RISK-10
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    cause = models.TextField(_("cause"), blank=True)
    event = models.TextField(_("risk event"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    probability = models.PositiveSmallIntegerField(
        _("probability"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # probability × impact, kept by the services: the list sorts, filters by band
    # and sums exposure in the database.
    score = models.PositiveSmallIntegerField(_("score"), default=9)
    affects_schedule = models.BooleanField(_("affects the schedule"), default=False)
    affects_cost = models.BooleanField(_("affects the cost"), default=False)
    affects_scope = models.BooleanField(_("affects the scope"), default=False)
    affects_quality = models.BooleanField(_("affects the quality"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    strategy = models.CharField(_("strategy"), max_length=10, choices=Strategy.choices, blank=True)
    preventive_actions = models.TextField(_("preventive actions"), blank=True)
    contingency_actions = models.TextField(_("contingency actions"), blank=True)
    trigger = models.TextField(_("trigger"), blank=True)
    next_review_date = models.DateField(_("next review"), null=True, blank=True)
    residual_probability = models.PositiveSmallIntegerField(
        _("residual probability"), null=True, blank=True
    )
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), null=True, blank=True)
    # The client reads the residual scores only when the team shares them.
    share_residual = models.BooleanField(_("show the residual score to the client"), default=False)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED
    )
    client_visible = models.BooleanField(_("visible to the client"), default=False)
    occurred_at = models.DateTimeField(_("occurred"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    requirements = models.ManyToManyField(
        "requirements.Requirement", blank=True, related_name="risks", verbose_name=_("requirements")
    )
    milestones = models.ManyToManyField(
        "planning.Milestone", blank=True, related_name="risks", verbose_name=_("milestones")
    )
    tasks = models.ManyToManyField(
        "planning.Task", blank=True, related_name="risks", verbose_name=_("tasks")
    )
    changes = models.ManyToManyField(
        "changes.ChangeRequest", blank=True, related_name="risks", verbose_name=_("change requests")
    )

    objects = ClientVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="unique_risk_key")]
        indexes = [
            models.Index(fields=["project", "status", "number"]),
            models.Index(fields=["project", "score"]),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def category_label(self) -> str:
        return str(self.Category(self.category).label)

    @property
    def strategy_label(self) -> str:
        return str(self.Strategy(self.strategy).label) if self.strategy else ""

    @property
    def band(self) -> str:
        return band_of(self.score)

    @property
    def band_label(self) -> str:
        return str(self.Band(self.band).label)

    @property
    def band_colour(self) -> str:
        return BAND_COLOURS[self.band]

    @property
    def residual_score(self) -> int | None:
        if self.residual_probability is None or self.residual_impact is None:
            return None
        return self.residual_probability * self.residual_impact

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    def get_absolute_url(self) -> str:
        return reverse("controls:risk", args=[self.project.code, self.key])

    def portal_url(self) -> str:
        return reverse("portal:risk", args=[self.project.code, self.key])


# A risk that occurred is an issue now, one that is closed is gone: neither is exposure.
CLOSED_STATUSES = (Risk.Status.OCCURRED, Risk.Status.CLOSED)


class RiskActionLink(models.Model):
    """A line of a risk's preventive or contingency actions turned into a task
    (planning) or an action item (communication): which line, and what it became."""

    class Source(models.TextChoices):
        PREVENTIVE = "preventive", _("Preventive action")
        CONTINGENCY = "contingency", _("Contingency action")

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="action_links")
    source = models.CharField(max_length=12, choices=Source.choices)
    line = models.CharField(_("action"), max_length=300)
    task = models.ForeignKey(
        "planning.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_item = models.ForeignKey(
        "communication.ActionItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.line


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
    # The risk it came from: a contingency plan's activation opens it.
    risk = models.ForeignKey(
        "controls.Risk",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
        verbose_name=_("risk"),
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


# -- Contingency plans ---------------------------------------------------------------------
# In their own module (this one would pass the 500 lines modules keep to); imported
# here, after Risk and Issue, so that Django finds them as the controls' models.
from liaison.controls.models_contingency import ContingencyPlan as ContingencyPlan  # noqa: E402
from liaison.controls.models_contingency import ContingencyStep as ContingencyStep  # noqa: E402

# -- Quality ---------------------------------------------------------------------------
# The quality plan, checks and UAT rounds are in models_quality.py (this module
# would pass the 500 lines a module may have); imported here, where Django looks.
from liaison.controls.models_quality import (  # noqa: E402, F401
    RESULT_COLOURS,
    UAT_COLOURS,
    QualityCheck,
    QualityFinding,
    QualityStandard,
    UatCase,
    UatRound,
)
