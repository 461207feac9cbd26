"""The milestone form: what the team edits; the service cleans and checks it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import DateInput, VersionedForm
from liaison.planning.models import Milestone

# While the client judges a submission (or has accepted it) what was judged
# stays as it was: the service refuses a change, the form does not offer one.
FROZEN_STATUSES = (Milestone.Status.SUBMITTED, Milestone.Status.ACCEPTED)
FROZEN_FIELDS = ("deliverables", "criteria", "client_visible")


def deliverable_lines(deliverables: list[dict]) -> str:
    """The stored deliverables as the textarea shows them: "Title | link"."""
    return "\n".join(
        f"{item['title']} | {item['url']}" if item.get("url") else item["title"]
        for item in deliverables
    )


class MilestoneForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("A milestone needs a name.")},
    )
    due_date = forms.DateField(
        label=_("Due"),
        widget=DateInput(),
        error_messages={
            "required": _("Give the milestone a due date."),
            "invalid": _("Write the date as 2026-10-01."),
        },
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Formatting: **bold**, *italic*, lists, links and tables."),
    )
    deliverables = forms.CharField(
        label=_("Deliverables"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: the title, then optionally | and a link, "
            "e.g. “Pilot report | https://docs.client.example/pilot”."
        ),
    )
    criteria = forms.CharField(
        label=_("Acceptance criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One per line. The client marks each one met or not met to accept the milestone."
        ),
    )
    client_visible = forms.BooleanField(
        label=_("Visible to the client"),
        required=False,
        help_text=_("The client sees it in the portal; only then can they be asked to accept it."),
    )

    def __init__(self, *args, milestone: Milestone | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.frozen = milestone is not None and milestone.status in FROZEN_STATUSES
        if self.frozen:
            for name in FROZEN_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Frozen while the client judges the submission (or once accepted). "
                    "Withdraw the submission to change it."
                )

    @property
    def service_fields(self) -> dict:
        """What the service receives: never the frozen fields, which stay as they are."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if self.frozen:
            for name in FROZEN_FIELDS:
                data.pop(name, None)
        return data

    @staticmethod
    def initial_of(milestone: Milestone) -> dict:
        return {
            "name": milestone.name,
            "due_date": milestone.due_date,
            "description": milestone.description,
            "deliverables": deliverable_lines(milestone.deliverables),
            "criteria": "\n".join(milestone.criteria),
            "client_visible": milestone.client_visible,
            "version": milestone.version,
        }


class MilestoneEditForm(MilestoneForm, VersionedForm):
    pass
