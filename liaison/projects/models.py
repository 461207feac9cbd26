"""The project: what a team delivers to one client."""

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import AudienceLike, VersionedModel

CURRENCIES = [
    ("CNY", _("Chinese yuan (CNY)")),
    ("USD", _("US dollar (USD)")),
    ("EUR", _("Euro (EUR)")),
    ("GBP", _("Pound sterling (GBP)")),
    ("JPY", _("Japanese yen (JPY)")),
    ("HKD", _("Hong Kong dollar (HKD)")),
    ("SGD", _("Singapore dollar (SGD)")),
]


class ProjectQuerySet(models.QuerySet["Project"]):
    def for_audience(self, audience: AudienceLike) -> Self:
        # The client sees every project it is a member of; internal fields are
        # left out of what the portal renders (see portal.selectors).
        return self if audience.internal else self.filter(archived_at__isnull=True)

    def active(self) -> Self:
        return self.filter(archived_at__isnull=True)


class Project(VersionedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Short and unique, used in links and keys: letters, digits and dashes."),
    )
    name = models.CharField(_("name"), max_length=200)
    client = models.ForeignKey(
        "accounts.Client",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("client"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="managed_projects",
        verbose_name=_("manager"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="CNY")
    description = models.TextField(_("description"), blank=True)
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    # The manager's choice: the portal's overview shows the latest report's
    # health and its reason only when this is on.
    share_health = models.BooleanField(
        _("share health with the client"),
        default=False,
        help_text=_(
            "The portal shows the latest report's health (on track, at risk, off track) and why."
        ),
    )
    # The plan's working calendar: Python weekdays (0 = Monday) that are worked,
    # days off on those weekdays, and make-up working days outside them.
    working_weekdays = models.CharField(_("working weekdays"), max_length=7, default="01234")
    holidays = models.JSONField(_("holidays"), default=list, blank=True)
    extra_workdays = models.JSONField(_("extra working days"), default=list, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.end_date and self.end_date < timezone.localdate())

    @property
    def days_left(self) -> int | None:
        if not self.end_date:
            return None
        return (self.end_date - timezone.localdate()).days


# The statuses of a project still under way (the project list's "overdue" is
# computed from them in SQL, projects.selectors.project_table).
OPEN_STATUSES = (Project.Status.PROPOSED, Project.Status.ACTIVE, Project.Status.ON_HOLD)


class Membership(VersionedModel):
    """A person's role in one project."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")
        CLIENT = "client", _("Client")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        db_table = "accounts_membership"  # moved from accounts; the table stays
        ordering = ["role", "user__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="unique_project_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def role_label(self) -> str:
        """get_role_display() without the dict of every choice, each one
        translated, that Django builds on each call: a list asks it per row."""
        return str(self.Role(self.role).label)


class KeyCounter(models.Model):
    """The last number handed out for one key prefix in one project (REQ, T…)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    prefix = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "core_keycounter"  # moved from core; the table stays
        constraints = [
            models.UniqueConstraint(fields=["project", "prefix"], name="unique_key_counter")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last}"


class Capacity(VersionedModel):
    """A person's working week in the organization, whatever their projects: what
    the workload page and the people view measure their assigned hours against.
    No row: 40 hours over Monday to Friday (`DEFAULT_HOURS`, `DEFAULT_WEEKDAYS`)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="capacities"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="capacities"
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), default=40)
    # Python weekdays (0 = Monday) the person works, as Project.working_weekdays.
    working_weekdays = models.CharField(_("working days"), max_length=7, default="01234")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_capacity")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.hours_per_week} h"


DEFAULT_HOURS = 40
DEFAULT_WEEKDAYS = "01234"


class TimeOff(models.Model):
    """Whole days a person is away (leave, training, illness): no capacity on them."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="time_off"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off"
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="time_off_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.start_date} – {self.end_date}"
