"""The forms of action items and of the communication plan: what the team
types; the services clean and check it."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction, Kind
from liaison.core.forms import DateInput, VersionedForm
from liaison.projects.models import Project


class PersonField(forms.TypedChoiceField):
    """A person picked from a short list (the list is read once, by the view)."""

    def __init__(self, *, people: list[User] | None = None, **kwargs):
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)
        self.set_people(people or [])

    def set_people(self, people: list[User]) -> None:
        self.people = {person.pk: person for person in people}
        self.choices = [("", _("Nobody yet")), *((p.pk, str(p)) for p in people)]

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None else self.people[pk]


# -- action items ---------------------------------------------------------------------


class ActionItemForm(forms.Form):
    title = forms.CharField(
        label=_("What needs doing"),
        max_length=300,
        error_messages={"required": _("Say what needs doing.")},
    )
    owner = PersonField(
        label=_("Owner"),
        help_text=_("A member of the team or one of the client's contacts."),
    )
    due_date = forms.DateField(
        label=_("Due"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Write the date as 2026-10-01.")},
    )
    interaction = forms.CharField(
        label=_("From interaction"),
        required=False,
        max_length=20,
        help_text=_("The key of the meeting, call or e-mail it came from, e.g. COM-3."),
    )
    client_visible = forms.BooleanField(
        label=_("Visible to the client"),
        required=False,
        help_text=_("Always on when a client contact owns it: they see it in the portal."),
    )

    def __init__(self, *args, project: Project, people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        cast(PersonField, self.fields["owner"]).set_people(people)

    def clean_interaction(self) -> Interaction | None:
        key = self.cleaned_data["interaction"].strip().upper()
        if not key:
            return None
        interaction = Interaction.objects.filter(project=self.project, key=key).first()
        if interaction is None:
            raise forms.ValidationError(
                _("There is no interaction %(key)s in this project.") % {"key": key}
            )
        return interaction

    @classmethod
    def initial_of(cls, item: ActionItem) -> dict:
        return {
            "title": item.title,
            "owner": item.owner_id,
            "due_date": item.due_date,
            "interaction": item.interaction.key if item.interaction else "",
            "client_visible": item.client_visible,
            "version": item.version,
        }

    @property
    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class ActionItemEditForm(VersionedForm, ActionItemForm):
    pass


# -- the communication plan -----------------------------------------------------------


class PlanItemForm(forms.Form):
    audience = forms.CharField(
        label=_("Audience"),
        max_length=200,
        help_text=_("Who hears it, e.g. “Client steering group” or “Warehouse key users”."),
        error_messages={"required": _("Say who this communication is for.")},
    )
    purpose = forms.CharField(
        label=_("Purpose and content"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What it is for and what it covers, e.g. “Progress, risks, decisions needed”."),
        error_messages={"required": _("Say what it is for and what it covers.")},
    )
    kind = forms.ChoiceField(label=_("Channel"), choices=Kind.choices)
    frequency = forms.ChoiceField(
        label=_("Frequency"),
        choices=CommunicationPlanItem.Frequency.choices,
        help_text=_(
            "Interactions linked to this item, or of this channel and linked to no item, "
            "count as kept."
        ),
    )
    owner = PersonField(label=_("Owner"), help_text=_("The team member who makes it happen."))
    starts_on = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        error_messages={
            "required": _("Give the first day as a date."),
            "invalid": _("Write the date as 2026-10-01."),
        },
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Paused items are not followed up and send no reminders."),
    )
    client_visible = forms.BooleanField(
        label=_("Visible to the client"),
        required=False,
        help_text=_("The client sees this item in the portal: who tells them what, how often."),
    )

    def __init__(self, *args, people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        cast(PersonField, self.fields["owner"]).set_people(people)

    @classmethod
    def initial_of(cls, item: CommunicationPlanItem) -> dict:
        return {
            "audience": item.audience,
            "purpose": item.purpose,
            "kind": item.kind,
            "frequency": item.frequency,
            "owner": item.owner_id,
            "starts_on": item.starts_on,
            "active": item.active,
            "client_visible": item.client_visible,
            "version": item.version,
        }

    @property
    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class PlanItemEditForm(VersionedForm, PlanItemForm):
    pass
