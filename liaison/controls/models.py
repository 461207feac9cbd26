"""The controls' models: risks (`RISK-n`) and issues (`ISS-n`), each in its own module."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
