"""The contingency step form: a new step's kind and fields, or only the fields
of one kind (a step being edited, or a new one whose kind the page chose). The
rules stay in the service (controls/services/contingency.py), which leaves
aside what the kind does not use."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.controls.models import ContingencyStep
from liaison.controls.selectors.contingency import step_owners
from liaison.controls.services.contingency import KIND_FIELDS, MAX_DAYS
from liaison.core.forms import VersionedForm
from liaison.planning.models import Milestone
from liaison.projects.models import Project

Kind = ContingencyStep.Kind
# The form's words for each kind's title and text.
TITLE_LABELS: dict[str, Any] = {
    Kind.TASK: _("Task"),
    Kind.ACTION_ITEM: _("Action item"),
    Kind.MESSAGE: _("Subject"),
    Kind.CHANGE: _("Change request"),
}
BODY_LABELS: dict[str, Any] = {
    Kind.TASK: _("Description"),
    Kind.MESSAGE: _("Message"),
    Kind.CHANGE: _("What changes and why"),
}


def _days(label: Any, help_text: Any, *, low: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=low, max_value=MAX_DAYS, help_text=help_text
    )


class ContingencyStepForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Text"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    start_offset = _days(_("Starts after (days)"), _("Days after the activation."), low=0)
    duration_days = _days(_("Duration (days)"), _("Or give the due day below."), low=1)
    due_offset = _days(_("Due after (days)"), _("Days after the activation."), low=0)
    milestone = forms.ModelChoiceField(
        label=_("Milestone"), queryset=Milestone.objects.none(), required=False, empty_label="—"
    )
    client_visible = forms.BooleanField(label=_("Visible to the client"), required=False)
    send_on_activation = forms.BooleanField(
        label=_("Send it to the client on activation"),
        required=False,
        help_text=_("Otherwise it waits as a draft for you to review and send."),
    )

    def __init__(self, *args: Any, project: Project, kind: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_kind = kind
        if kind is not None:
            self._only(kind)
        if "owner" in self.fields:
            field = cast("forms.ModelChoiceField[User]", self.fields["owner"])
            field.queryset = step_owners(project=project)
        if "milestone" in self.fields:
            milestones = cast("forms.ModelChoiceField[Milestone]", self.fields["milestone"])
            milestones.queryset = Milestone.objects.filter(project=project).order_by(
                "due_date", "id"
            )

    def _only(self, kind: str) -> None:
        """The fields of one kind of step, named as that kind calls them."""
        used = KIND_FIELDS[kind]
        for name in [name for name in self.fields if name not in (*used, "version")]:
            del self.fields[name]
        self.fields["title"].label = TITLE_LABELS[kind]
        if "body" in self.fields:
            self.fields["body"].label = BODY_LABELS[kind]

    @property
    def service_fields(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        if self.step_kind is not None:
            data["kind"] = self.step_kind
        data["start_offset"] = data.get("start_offset") or 0
        for name in ("client_visible", "send_on_activation"):
            data[name] = bool(data.get(name))
        return data

    @staticmethod
    def initial_of(step: ContingencyStep, version: int) -> dict:
        return {
            "title": step.title,
            "body": step.body,
            "owner": step.owner_id,
            "start_offset": step.start_offset,
            "duration_days": step.duration_days,
            "due_offset": step.due_offset,
            "milestone": step.milestone_id,
            "client_visible": step.client_visible,
            "send_on_activation": step.send_on_activation,
            "version": version,
        }
