"""The communication log: every meeting, call, e-mail and chat with the client,
the action items they produce, and the communication plan the team keeps
(docs/architecture.md, The layers)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.models import ClientVisibleQuerySet, VersionedModel


class Kind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    EMAIL = "email", pgettext_lazy("kind of interaction", "E-mail")
    IM = "im", _("Instant message")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class CommunicationPlanItem(VersionedModel):
    """An agreed rhythm: who hears what, how, how often, from whom."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")
        PER_MILESTONE = "per_milestone", _("At each milestone")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="communication_plan"
    )
    audience = models.CharField(_("audience"), max_length=200)
    purpose = models.TextField(_("purpose and content"))
    kind = models.CharField(_("channel"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    frequency = models.CharField(
        _("frequency"), max_length=15, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    active = models.BooleanField(_("active"), default=True)
    # The client reads the plan on the portal's overview; an item for the team
    # only (an internal sync) is unticked by the manager.
    client_visible = models.BooleanField(_("visible to the client"), default=True)

    class Meta:
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return f"{self.audience}: {self.get_frequency_display()}"


class Interaction(VersionedModel):
    """One exchange on record: a meeting with its agenda and minutes, a call,
    an e-mail, a chat, a visit."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="interactions"
    )
    key = models.CharField(_("key"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    subject = models.CharField(_("subject"), max_length=300)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    # Where or how: "Zoom", "WeChat group 'ACME WMS'", "Reno warehouse, room 2".
    channel = models.CharField(_("channel details"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="interactions",
        verbose_name=_("participants"),
    )
    # People without an account: [{"name": "...", "email": "..."}].
    external_participants = models.JSONField(_("other participants"), default=list, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # ["decision", ...]
    decisions = models.JSONField(_("decisions"), default=list, blank=True)
    requirements = models.ManyToManyField(
        "requirements.Requirement",
        blank=True,
        related_name="interactions",
        verbose_name=_("requirements"),
    )
    plan_item = models.ForeignKey(
        CommunicationPlanItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
        verbose_name=_("communication plan item"),
    )
    client_visible = models.BooleanField(_("visible to the client"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agenda_sent_at = models.DateTimeField(null=True, blank=True)
    minutes_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ClientVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="unique_interaction_key")
        ]
        indexes = [models.Index(fields=["project", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.key} {self.subject}"

    @property
    def kind_label(self) -> str:
        """get_kind_display() without the dict of every choice, each one
        translated, that Django builds on each call: a list asks it per row."""
        return str(Kind(self.kind).label)

    def get_absolute_url(self) -> str:
        return reverse("communication:interaction", args=[self.project.code, self.key])

    def portal_url(self) -> str:
        """Its page in the client portal."""
        return reverse("portal:interaction", args=[self.project.code, self.key])


class ActionItem(VersionedModel):
    """Something somebody promised to do, followed up until done."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status of an action item", "Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="action_items"
    )
    key = models.CharField(_("key"), max_length=20)
    interaction = models.ForeignKey(
        Interaction,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("from"),
    )
    title = models.CharField(_("title"), max_length=300)
    # A team member or a client contact (a user with the client role).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    client_visible = models.BooleanField(_("visible to the client"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ClientVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="unique_action_item_key")
        ]
        indexes = [
            models.Index(fields=["project", "status", "due_date"]),
            models.Index(fields=["owner", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def get_absolute_url(self) -> str:
        """An action item has no page of its own: the project's list shows it."""
        return reverse("communication:action-items", args=[self.project.code])

    def portal_url(self) -> str:
        """The client sees their action items on the project's portal page."""
        return reverse("portal:project", args=[self.project.code])

    @property
    def status_label(self) -> str:
        """get_status_display() without the dict of every choice, each one
        translated, that Django builds on each call: a list asks it per row."""
        return str(self.Status(self.status).label)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class Reminder(models.Model):
    """A reminder that went out: the daily job never sends the same one twice a day."""

    kind = models.CharField(max_length=30)  # action_item.due, action_item.overdue, plan.due
    object_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient", "day"], name="unique_reminder_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} → {self.recipient_id} on {self.day}"
