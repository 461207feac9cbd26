"""Status reports: a week's or a month's facts from the project's own data plus
the manager's narrative; published (frozen) to the client, who acknowledges it
(docs/architecture.md, The layers)."""

from typing import Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.core.models import AudienceLike, VersionedModel


class StatusReportQuerySet(models.QuerySet["StatusReport"]):
    def for_audience(self, audience: AudienceLike) -> Self:
        """A client reads a report once it is published, never a draft."""
        return self if audience.internal else self.exclude(status=StatusReport.Status.DRAFT)


class StatusReport(VersionedModel):
    class Period(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    class Health(models.TextChoices):
        GREEN = "green", _("On track")
        AMBER = "amber", _("At risk")
        RED = "red", _("Off track")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="status_reports"
    )
    # RPT-n, from the project's counter.
    number = models.PositiveIntegerField()
    period = models.CharField(
        _("period"), max_length=10, choices=Period.choices, default=Period.WEEKLY
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    health = models.CharField(
        _("health"), max_length=5, choices=Health.choices, default=Health.GREEN
    )
    # The manager's narrative (markdown).
    summary = models.TextField(_("summary"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    concerns = models.TextField(_("concerns and help needed"), blank=True)
    # The period's facts, frozen at publication (see selectors.report_facts);
    # empty while a draft, whose page computes them live.
    data = models.JSONField(default=dict, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.TextField(_("comment"), blank=True)

    objects = StatusReportQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-period_start", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_report_number"),
            models.UniqueConstraint(
                fields=["project", "period", "period_start"], name="unique_report_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.project.code, self.number])

    def portal_url(self) -> str:
        """Its page in the client portal."""
        return reverse("portal:report", args=[self.project.code, self.number])

    @property
    def key(self) -> str:
        return f"RPT-{self.number}"

    # The labels without get_*_display()'s dict of every choice, each one
    # translated, that Django builds on each call: a list asks them per row.
    @property
    def period_label(self) -> str:
        return str(self.Period(self.period).label)

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def health_label(self) -> str:
        return str(self.Health(self.health).label)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def client_visible(self) -> bool:
        """What comments and mentions ask of any project object: may the client see it?"""
        return not self.is_draft
