"""The controls' quality models: the quality plan's standards, the checks and
their findings, the client's acceptance-test rounds and their cases. Kept out
of models.py for its size; models.py imports them (Django finds them there)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.core.models import ClientVisibleQuerySet, VersionedModel


class QualityStandard(VersionedModel):
    """One line of a project's quality plan: what "good" means and how it is
    checked ("response time < 2 s", "a load test before each release")."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="quality_standards"
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(_("standard"), max_length=200)
    criterion = models.TextField(_("what good means"), blank=True)
    method = models.TextField(_("how it is checked"), blank=True)

    class Meta:
        ordering = ["project", "position", "id"]

    def __str__(self) -> str:
        return self.title


class QualityCheck(VersionedModel):
    """A review, test run or audit against a standard or a milestone (`QC-n`):
    when, by whom, its result and what it found."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("Review")
        TEST_RUN = "test_run", _("Test run")
        AUDIT = "audit", _("Audit")

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        PARTIAL = "partial", _("Partial")
        FAIL = "fail", _("Fail")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="quality_checks"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REVIEW)
    standard = models.ForeignKey(
        QualityStandard,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checks",
        verbose_name=_("standard"),
    )
    milestone = models.ForeignKey(
        "planning.Milestone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("milestone"),
    )
    checked_on = models.DateField(_("date"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    notes = models.TextField(_("notes"), blank=True)
    # The client's status report counts only the checks the team shares.
    client_visible = models.BooleanField(_("visible to the client"), default=False)

    objects = ClientVisibleQuerySet.as_manager()
    # The findings, when the selectors read them with the check (Prefetch to_attr).
    finding_rows: list["QualityFinding"]

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_quality_check")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        return f"QC-{self.number}"

    @property
    def kind_label(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def result_label(self) -> str:
        return str(self.Result(self.result).label)

    @property
    def result_colour(self) -> str:
        return RESULT_COLOURS[self.result]

    def get_absolute_url(self) -> str:
        return reverse("controls:quality-check", args=[self.project.code, self.number])


RESULT_COLOURS = {"pass": "green", "partial": "amber", "fail": "red"}


class QualityFinding(models.Model):
    """One thing a check found; the team may open an issue from it (`issue`)."""

    quality_check = models.ForeignKey(
        QualityCheck, on_delete=models.CASCADE, related_name="findings"
    )
    position = models.PositiveIntegerField(default=1)
    text = models.CharField(_("finding"), max_length=500)
    issue = models.ForeignKey(
        "controls.Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["quality_check", "position", "id"]

    def __str__(self) -> str:
        return self.text


class UatRoundQuerySet(models.QuerySet["UatRound"]):
    def for_audience(self, audience: Any) -> "UatRoundQuerySet":
        """The client sees a round once it is opened to them, never a draft."""
        if audience.internal:
            return self
        return self.exclude(status=UatRound.Status.DRAFT)


class UatRound(VersionedModel):
    """A round of the client's acceptance tests of a milestone (`UAT-n`): the
    manager prepares its cases, opens it to the client, who marks each case
    passed or failed and submits them together; a failed case becomes a defect."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("With the client")
        CLOSED = "closed", _("Results in")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="uat_rounds"
    )
    key = models.CharField(_("key"), max_length=20)
    # The key's number, for sorting UAT-9 before UAT-10.
    number = models.PositiveIntegerField()
    milestone = models.ForeignKey(
        "planning.Milestone",
        on_delete=models.CASCADE,
        related_name="uat_rounds",
        verbose_name=_("milestone"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    passed_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    objects = UatRoundQuerySet.as_manager()
    # The cases, when the selectors read them with the round (Prefetch to_attr).
    case_rows: list["UatCase"]

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_uat_round"),
            models.UniqueConstraint(fields=["project", "key"], name="unique_uat_round_key"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def status_colour(self) -> str:
        return UAT_COLOURS[self.status]

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def get_absolute_url(self) -> str:
        return reverse("controls:uat-round", args=[self.project.code, self.key])

    def portal_url(self) -> str:
        return reverse("portal:uat-round", args=[self.project.code, self.key])


UAT_COLOURS = {"draft": "grey", "open": "amber", "closed": "green"}


class UatCase(models.Model):
    """One test the client runs in a round: from a criterion of the milestone
    or of one of its requirements (`requirement`), or written by the manager.
    Its result, note and the defect a failure raised come with the submission."""

    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    round = models.ForeignKey(UatRound, on_delete=models.CASCADE, related_name="cases")
    position = models.PositiveIntegerField(default=1)
    title = models.CharField(_("test case"), max_length=300)
    steps = models.TextField(_("steps and expected result"), blank=True)
    requirement = models.ForeignKey(
        "requirements.Requirement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uat_cases",
        verbose_name=_("requirement"),
    )
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    issue = models.ForeignKey(
        "controls.Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["round", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def result_label(self) -> str:
        return str(self.Result(self.result).label) if self.result else ""
