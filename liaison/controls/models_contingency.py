"""The controls' contingency plans: a risk's plan (ContingencyPlan) and its
ordered steps (ContingencyStep), and once activated what each step became.
Imported by models.py, which Django reads."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.models import VersionedModel


class ContingencyPlan(VersionedModel):
    """What the team does when a risk occurs, written ahead: ordered steps
    (ContingencyStep). Activating it creates their work in one transaction, once;
    the plan keeps who activated it, when, at which version, and the issue opened."""

    risk = models.OneToOneField(
        "controls.Risk", on_delete=models.CASCADE, related_name="contingency_plan"
    )
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("activated by"),
    )
    activated_version = models.PositiveIntegerField(null=True, blank=True)
    issue = models.ForeignKey(
        "controls.Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return str(_("Contingency plan of %(risk)s") % {"risk": self.risk.key})

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None

    def get_absolute_url(self) -> str:
        return reverse("controls:contingency", args=[self.project.code, self.risk.key])


class ContingencyStep(models.Model):
    """One step of a contingency plan, and once activated what it became."""

    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        ACTION_ITEM = "action_item", _("Action item")
        MESSAGE = "message", _("Message to the client")
        CHANGE = "change", _("Change request")

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The task's or action item's title, the message's subject, the change's title.
    title = models.CharField(_("title"), max_length=300)
    # The message's text, the change's description, the task's description.
    body = models.TextField(_("text"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    # Days after the activation: a task starts on start_offset and lasts
    # duration_days, or is due on due_offset; an action item is due on due_offset.
    start_offset = models.PositiveSmallIntegerField(_("starts after (days)"), default=0)
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), null=True, blank=True)
    due_offset = models.PositiveSmallIntegerField(_("due after (days)"), null=True, blank=True)
    milestone = models.ForeignKey(
        "planning.Milestone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("milestone"),
    )
    client_visible = models.BooleanField(_("visible to the client"), default=False)
    send_on_activation = models.BooleanField(_("send on activation"), default=False)
    # What the activation made of it.
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
    interaction = models.ForeignKey(
        "communication.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    change = models.ForeignKey(
        "changes.ChangeRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def when(self) -> str:
        """When the step's work falls, in days after the activation (day 0)."""
        if self.kind == self.Kind.TASK:
            due = self.due_offset
            if due is None:
                due = self.start_offset + (self.duration_days or 1) - 1
            return gettext("day %(start)s to day %(due)s") % {
                "start": self.start_offset,
                "due": due,
            }
        if self.kind == self.Kind.ACTION_ITEM and self.due_offset is not None:
            return gettext("due on day %(due)s") % {"due": self.due_offset}
        return "—"
