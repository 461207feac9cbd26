"""The plan: milestones the client accepts, tasks, dependencies and plan
baselines (docs/architecture.md, The layers)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import ClientVisibleQuerySet, VersionedModel


class Milestone(VersionedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Awaiting acceptance")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="milestones"
    )
    key = models.CharField(_("key"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    # [{"title": "...", "url": "https://..."}]: a deliverable may point at a document.
    deliverables = models.JSONField(_("deliverables"), default=list, blank=True)
    # ["criterion", ...]: what the client checks, one by one, to accept.
    criteria = models.JSONField(_("acceptance criteria"), default=list, blank=True)
    client_visible = models.BooleanField(_("visible to the client"), default=True)

    objects = ClientVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="unique_milestone_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("planning:milestone", args=[self.project.code, self.key])

    def portal_url(self) -> str:
        """Its page in the client portal."""
        return reverse("portal:milestone", args=[self.project.code, self.key])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())

    def overdue_on(self, today: dt.date) -> bool:
        """is_overdue with today given: a list reads the date once for all its rows."""
        return not self.is_closed and self.due_date < today


class MilestoneReview(models.Model):
    """One round of acceptance: the manager submits, the client decides
    criterion by criterion. Kept for ever, whatever happens next."""

    class Verdict(models.TextChoices):
        PENDING = "pending", _("Awaiting the client")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveIntegerField()
    # What was submitted, frozen: the criteria and deliverables the client judged.
    criteria = models.JSONField(default=list)
    deliverables = models.JSONField(default=list)
    note = models.TextField(_("note to the client"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    # [{"criterion": "...", "met": true, "comment": "..."}] in the order of `criteria`.
    verdicts = models.JSONField(default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["milestone", "-round"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "round"], name="unique_review_round")
        ]

    def __str__(self) -> str:
        return f"{self.milestone.key} round {self.round}"

    @property
    def unmet(self) -> list[dict]:
        return [v for v in self.verdicts if not v.get("met")]


class Task(VersionedModel):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="tasks")
    key = models.CharField(_("key"), max_length=20)
    # The key's number, for sorting T-9 before T-10.
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent task"),
    )
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("milestone"),
    )
    requirements = models.ManyToManyField(
        "requirements.Requirement",
        blank=True,
        related_name="tasks",
        verbose_name=_("requirements"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tasks",
        verbose_name=_("assignee"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    estimate_hours = models.DecimalField(
        _("estimate (hours)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.TODO
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # The card's place in its board column (lower first, then by number): the
    # board's own order, apart from `order`, the task's place among its siblings.
    rank = models.BigIntegerField(_("board position"), default=0)
    client_visible = models.BooleanField(_("visible to the client"), default=False)
    # When the task last became done (cleared when it is reopened): what a status
    # report counts as finished in its period.
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = ClientVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="unique_task_key"),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="task_progress_at_most_100"
            ),
        ]
        indexes = [
            # The board's columns and the status chips: one index range per column.
            models.Index(fields=["project", "status", "rank", "number"]),
            models.Index(fields=["project", "assignee"]),
            models.Index(fields=["project", "start_date"]),
            models.Index(fields=["project", "milestone"]),
            models.Index(fields=["project", "completed_at"]),
            # The list's and the API's default order: the first page of 10,000 tasks
            # read in order (PostgreSQL: 12 → 1 ms) instead of joined and sorted whole.
            models.Index(fields=["project", "number"]),
            # A person's open work across the organization's projects (the people
            # view, the workload, the time reminder): by assignee and due date.
            # (Another index starting with the project would not do: SQLite,
            # without statistics, takes any of them for `project = ?` and may
            # sort afterwards; a covering one for the progress made the task list,
            # the board and the plan sort 10,000 rows.)
            models.Index(fields=["assignee", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("planning:task", args=[self.project.code, self.key])

    @property
    def is_scheduled(self) -> bool:
        return self.start_date is not None and self.due_date is not None

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != self.Status.DONE
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class Dependency(VersionedModel):
    class Kind(models.TextChoices):
        FS = "FS", _("Finish to start")
        SS = "SS", _("Start to start")
        FF = "FF", _("Finish to finish")
        SF = "SF", _("Start to finish")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="dependencies"
    )
    predecessor = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="successor_links", verbose_name=_("before")
    )
    successor = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="predecessor_links", verbose_name=_("after")
    )
    kind = models.CharField(_("type"), max_length=2, choices=Kind.choices, default=Kind.FS)
    lag_days = models.IntegerField(_("lag (working days)"), default=0)

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unique_dependency_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.key} → {self.successor.key} ({self.kind})"


class PlanBaseline(models.Model):
    """The plan's dates frozen at one moment: what schedule variance is measured
    against. Never edited; a newer one becomes the reference."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="plan_baselines"
    )
    number = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=200)
    # {"<task id>": ["2026-01-05", "2026-01-09"]}, {"<milestone id>": "2026-02-01"}
    tasks = models.JSONField(default=dict)
    milestones = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"], name="unique_plan_baseline_number"
            )
        ]

    def __str__(self) -> str:
        return f"P{self.number} {self.name}"

    def milestone_due(self, milestone_id: int) -> dt.date | None:
        due = self.milestones.get(str(milestone_id))
        return dt.date.fromisoformat(due) if due else None


class BoardLimits(VersionedModel):
    """A project's work-in-progress limits per board column, the managers' (none
    by default: a column without one is never "over")."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="board_limits"
    )
    # {"in_progress": 3, "blocked": 2}: a status and its limit (a whole number from 1).
    limits = models.JSONField(_("work-in-progress limits"), default=dict)

    def __str__(self) -> str:
        return f"{self.project_id} board limits"
