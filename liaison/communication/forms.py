"""The communication log's forms: what the team types, and the client's
message to the team (portal_views.py); the services clean and check it
(membership, addresses, the project's requirements)."""

import re
from typing import cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.communication.models import CommunicationPlanItem, Interaction, Kind
from liaison.communication.participants import external_lines
from liaison.communication.services.interactions import MAX_DURATION
from liaison.core.forms import DateTimeField, VersionedForm
from liaison.core.params import positive_int
from liaison.projects.models import Membership, Project
from liaison.requirements.models import Requirement

MENTION_HELP = _(
    "Formatting works: **bold**, lists, links. Write @ and the part of a member's e-mail address "
    "before the @ "
    "(@ana for ana@client.example) to notify them."
)
_KEY_SPLIT = re.compile(r"[\s,;，；]+")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ParticipantField(forms.ModelMultipleChoiceField):
    """The project's members as check boxes, each with their role."""

    def __init__(self, *, roles: dict[int, str], **kwargs):
        self.roles = roles
        super().__init__(**kwargs)

    def label_from_instance(self, user):
        role = self.roles.get(user.pk)
        return f"{user} ({role})" if role else str(user)

    def clean(self, value):
        """An id past any column is nobody's: refused as an unknown choice
        before the database is asked (SQLite cannot even bind it)."""
        for pk in value if isinstance(value, list | tuple) else ():
            if positive_int(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=300,
        error_messages={"required": _("Give the interaction a subject.")},
    )
    occurred_at = DateTimeField(
        label=_("When"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Say when it took place."),
            "invalid": _("Write the date and time as 2026-10-01 14:30."),
        },
        help_text=_("In your time zone."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=0,
        max_value=MAX_DURATION,
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    channel = forms.CharField(
        label=_("Channel details"),
        required=False,
        max_length=200,
        help_text=_("Where or how: a meeting room, a video link, a chat group."),
    )
    participants = ParticipantField(
        label=_("Participants"),
        roles={},
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("%(value)s is not a member of this project.")},
    )
    external_participants = forms.CharField(
        label=_("Other participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "People without an account, one per line: “Name <address>”, "
            "e.g. “Li Wei <li.wei@client.example>”."
        ),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Formatting works: **bold**, lists, links. Send it to the participants before the "
            "meeting."
        ),
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MENTION_HELP,
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    requirements = forms.CharField(
        label=_("Requirements"),
        required=False,
        max_length=2000,
        help_text=_("Keys of the requirements it concerns or produced, e.g. “REQ-1, REQ-3”."),
    )
    plan_item = forms.ModelChoiceField(
        label=_("Communication plan item"),
        queryset=CommunicationPlanItem.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("The agreed rhythm this interaction keeps, if any."),
    )
    client_visible = forms.BooleanField(
        label=_("Visible to the client"),
        required=False,
        help_text=_("The client reads it, with its minutes, in the portal."),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        memberships = Membership.objects.filter(project=project, user__is_active=True)
        roles = {
            m.user_id: str(m.get_role_display()) for m in memberships.only("user_id", "role", "id")
        }
        field = cast(ParticipantField, self.fields["participants"])
        field.roles = roles
        field.queryset = User.objects.filter(pk__in=memberships.values("user_id")).order_by(
            "display_name", "email"
        )
        plan_item = cast("forms.ModelChoiceField[CommunicationPlanItem]", self.fields["plan_item"])
        plan_item.queryset = CommunicationPlanItem.objects.filter(project=project)

    def clean_requirements(self) -> list[Requirement]:
        keys = [key.upper() for key in _KEY_SPLIT.split(self.cleaned_data["requirements"]) if key]
        keys = list(dict.fromkeys(keys))
        if not keys:
            return []
        if len(keys) > 100:
            raise forms.ValidationError(_("At most 100 requirements."))
        rows = Requirement.objects.filter(project=self.project, key__in=keys)
        by_key = {r.key.upper(): r for r in rows}
        found = {key: by_key[key] for key in keys if key in by_key}
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise forms.ValidationError(
                _("No requirement %(keys)s in this project.") % {"keys": ", ".join(unknown)}
            )
        return list(found.values())

    @property
    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["participants"] = list(data.get("participants") or ())
        return data

    @staticmethod
    def initial_of(interaction: Interaction) -> dict:
        return {
            "kind": interaction.kind,
            "subject": interaction.subject,
            "occurred_at": interaction.occurred_at,
            "duration_minutes": interaction.duration_minutes,
            "channel": interaction.channel,
            "participants": [user.pk for user in interaction.participants.all()],
            "external_participants": external_lines(interaction.external_participants),
            "agenda": interaction.agenda,
            "minutes": interaction.minutes,
            "decisions": "\n".join(interaction.decisions),
            "requirements": ", ".join(r.key for r in interaction.requirements.all()),
            "plan_item": interaction.plan_item_id,
            "client_visible": interaction.client_visible,
            "version": interaction.version,
        }


class InteractionEditForm(InteractionForm, VersionedForm):
    pass


class MessageForm(forms.Form):
    """The client's message to the team. The service checks what is missing
    and says so in its own words, beside the field."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=300,
        required=False,
        help_text=_("A few words, e.g. “Night shift users”."),
    )
    body = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The team reads it and answers you. Formatting works: **bold**, lists, links."),
    )
    file = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("Optional: a PDF, an image, an Office document or a text file."),
    )

    def clean(self):
        """Both missing at once are both said at once (the service stops at the first)."""
        super().clean()
        data = self.cleaned_data
        if "subject" in data and not data["subject"].strip():
            self.add_error("subject", gettext("Give your message a subject."))
        if "body" in data and not data["body"].strip():
            self.add_error("body", gettext("Write your message."))
        return data
