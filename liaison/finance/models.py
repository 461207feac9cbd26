"""Time and money: the hours people log and the weeks they submit, the rates
that price them, a project's budget and what moves it, and its other costs.

Money is `Decimal` in the project's currency (`Project.currency`); hours are
`Decimal` with two places. Approving an entry freezes the rates it was priced
at, so the actual cost of past work does not move when a rate changes."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import VersionedModel


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# -- Time ----------------------------------------------------------------------------------


class Timesheet(VersionedModel):
    """One person's week (Monday to Sunday) in one project: what they submit and
    the project's manager approves. Its version moves with every entry of the
    week, so a stale timesheet form is refused as a whole."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="timesheets"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timesheets"
    )
    week = models.DateField(_("week of"))  # always a Monday
    status = models.CharField(
        _("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person", "week"], name="finance_one_timesheet_a_week"
            )
        ]
        indexes = [models.Index(fields=["project", "status", "week"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.week.isoformat()}"


class TimeEntry(VersionedModel):
    """Hours one person worked on one day, on a task or on the project as a whole."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="entries")
    # The timesheet's project and person, repeated so that sums over a project or
    # a person read one table.
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    task = models.ForeignKey(
        "planning.Task",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    hours = models.DecimalField(
        _("hours"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=7, decimal_places=2
    )
    billable = models.BooleanField(_("billable"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    reject_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Frozen when the entry is approved (the rates in force on its day).
    cost_rate = models.DecimalField(
        _("cost rate"), null=True, blank=True, max_digits=10, decimal_places=2
    )
    bill_rate = models.DecimalField(
        _("bill rate"), null=True, blank=True, max_digits=10, decimal_places=2
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # Set by the invoicing export, so nothing is billed twice.
    invoiced_at = models.DateTimeField(_("invoiced"), null=True, blank=True)
    # When the hours came from a timer: when it ran (the hours are rounded up).
    started_at = models.DateTimeField(_("timer started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("timer stopped"), null=True, blank=True)

    class Meta:
        ordering = ["day", "id"]
        indexes = [
            # Earned value sums a project's approved cost by day and by milestone: with
            # the task, hours and rate in the index it reads no table row (~20 % faster on
            # the bench's 100,000 entries). Its first columns serve the status filters.
            models.Index(fields=["project", "status", "day", "task", "hours", "cost_rate"]),
            # The API's list, newest day first: read in index order, not sorted.
            models.Index(fields=["project", "day", "id"]),
            models.Index(fields=["person", "day"]),
            models.Index(fields=["task", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.hours} h"

    @property
    def cost(self) -> Decimal | None:
        return None if self.cost_rate is None else self.hours * self.cost_rate


class Timer(models.Model):
    """A person's running timer: one at most, across all their projects (the
    row is unique per person). Stopping it makes a draft entry of the day it
    started, and the row goes; discarding it makes none."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timer"
    )
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    # A task deleted meanwhile leaves the timer on the project's work.
    task = models.ForeignKey(
        "planning.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    billable = models.BooleanField(_("billable"), default=True)
    started_at = models.DateTimeField(_("started"))

    def __str__(self) -> str:
        return str(_("timer from %(time)s")) % {
            "time": timezone.localtime(self.started_at).strftime("%Y-%m-%d %H:%M")
        }


class ClosedPeriod(models.Model):
    """A project's time is closed up to and including `through`: no entry dated
    then may be added, changed or removed. Closing again moves the date on."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="closed_period"
    )
    through = models.DateField(_("closed through"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), auto_now=True)

    def __str__(self) -> str:
        return f"{self.project} · {self.through.isoformat()}"


# -- Rates ---------------------------------------------------------------------------------


class Rate(models.Model):
    """What an hour costs the firm and what it bills, from a day on, in one
    currency: for a person, or for a project role when the person has none.
    The rate in force on a day is the latest whose `effective_from` is on or
    before it; set by the organization's owners and admins only."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="rates"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rates",
    )
    # A project role (projects.Membership.Role: manager, member), the fallback.
    role = models.CharField(_("role"), max_length=20, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    cost_rate = models.DecimalField(_("cost rate (per hour)"), max_digits=10, decimal_places=2)
    bill_rate = models.DecimalField(_("bill rate (per hour)"), max_digits=10, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, role="")
                    | models.Q(person__isnull=True) & ~models.Q(role="")
                ),
                name="finance_rate_for_a_person_or_a_role",
            ),
            models.UniqueConstraint(
                fields=["organization", "person", "role", "currency", "effective_from"],
                name="finance_one_rate_a_day",
            ),
        ]
        indexes = [models.Index(fields=["organization", "currency", "effective_from"])]

    def __str__(self) -> str:
        who = self.person or self.role
        return f"{who} · {self.currency} {self.cost_rate}/{self.bill_rate}"


# -- Budget --------------------------------------------------------------------------------


class Budget(VersionedModel):
    """A project's budget: its lines and the total agreed with the client. The
    total moves only through an approved change request or a re-baseline with a
    reason (`BudgetChange`); `alerted` remembers which thresholds (75, 90, 100)
    the manager has been told of, so each is told once."""

    class Pricing(models.TextChoices):
        FIXED_FEE = "fixed_fee", _("Fixed fee")
        TIME_AND_MATERIALS = "time_and_materials", _("Time and materials")

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="budget"
    )
    pricing = models.CharField(
        _("pricing"), max_length=20, choices=Pricing.choices, default=Pricing.FIXED_FEE
    )
    agreed_total = models.DecimalField(
        _("agreed total"), default=Decimal("0"), max_digits=14, decimal_places=2
    )
    share_with_client = models.BooleanField(_("share a summary with the client"), default=False)
    alerted = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.project} · {self.agreed_total}"


class BudgetLine(VersionedModel):
    class Kind(models.TextChoices):
        LABOUR = "labour", _("Labour")
        EXPENSES = "expenses", _("Expenses")
        THIRD_PARTY = "third_party", _("Third party")
        RESERVE = "reserve", _("Contingency reserve")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    # Labour: a role and hours (the amount from the role's rate) or an amount typed.
    role = models.CharField(_("role"), max_length=20, blank=True)
    hours = models.DecimalField(_("hours"), null=True, blank=True, max_digits=7, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # Labour priced from its role's bill rate in force on the day it was saved;
    # None when the amount was typed.
    rate = models.DecimalField(
        _("rate (per hour)"), null=True, blank=True, max_digits=10, decimal_places=2
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class BudgetChange(models.Model):
    """One move of the agreed total, append-only: the first agreement, an
    approved change request, or the manager's re-baseline with a reason."""

    class Kind(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        CHANGE_REQUEST = "change_request", _("Change request")
        REBASELINE = "rebaseline", _("Re-baseline")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("change"), max_digits=14, decimal_places=2)
    total_after = models.DecimalField(_("total after"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("reason"), blank=True)
    change_request = models.ForeignKey(
        "changes.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_changes",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount:+} → {self.total_after}"


# -- Other costs ---------------------------------------------------------------------------


class Expense(VersionedModel):
    """A cost that is not time: travel, licences, a subcontractor's invoice. Its
    receipt is an attachment (collab.Attachment) on the expense."""

    class Category(models.TextChoices):
        TRAVEL = "travel", _("Travel")
        LICENCES = "licences", _("Software and licences")
        HARDWARE = "hardware", _("Hardware")
        THIRD_PARTY = "third_party", _("Third party")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="expenses"
    )
    number = models.PositiveIntegerField()  # EXP-n, from the project's counter
    key = models.CharField(max_length=20, default="")  # "EXP-n", as pages and the API name it
    day = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(
        _("amount"),
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=14,
        decimal_places=2,
    )
    billable = models.BooleanField(_("billable"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invoiced_at = models.DateTimeField(_("invoiced"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="finance_expense_number")
        ]
        indexes = [models.Index(fields=["project", "day"])]

    def __str__(self) -> str:
        return self.key

    @property
    def category_label(self) -> str:
        return str(self.Category(self.category).label)

    def get_absolute_url(self) -> str:
        return reverse("finance:expense-edit", kwargs={"code": self.project.code, "key": self.key})


# -- Invoicing -----------------------------------------------------------------------------


class Invoice(models.Model):
    """What the manager marked as invoiced, once: the period, the reference the
    accounting tool gave it and the totals. Its rows are the approved billable
    time entries and billable expenses of the period whose `invoiced_at` is this
    invoice's `at` (one moment, set in one transaction)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="invoices"
    )
    reference = models.CharField(_("invoice reference"), max_length=60)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    currency = models.CharField(_("currency"), max_length=3)
    hours = models.DecimalField(_("hours"), max_digits=12, decimal_places=2)
    time_amount = models.DecimalField(_("time"), max_digits=14, decimal_places=2)
    expenses_amount = models.DecimalField(_("expenses"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("marked"))

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "reference"], name="finance_one_invoice_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.currency} {self.total}"
