from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Client, User
from liaison.accounts.selectors import organization_staff
from liaison.core.forms import DateInput, VersionedForm
from liaison.projects import access
from liaison.projects.models import CURRENCIES, Membership, Project


class ProjectFieldsMixin(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=Client.objects.none())
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Formatting works: **bold**, lists, links. The client sees it in the portal."),
    )

    def __init__(self, *args, organization, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the client companies the user may see (all of them for an admin).
        client = cast("forms.ModelChoiceField[Client]", self.fields["client"])
        client.queryset = access.visible_clients(user, organization)
        manager = cast("forms.ModelChoiceField[User]", self.fields["manager"])
        manager.queryset = organization_staff(organization=organization)


class ProjectCreateForm(ProjectFieldsMixin):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Short and unique, used in links and keys: letters, digits and dashes."),
    )
    field_order = [
        "code",
        "name",
        "client",
        "manager",
        "start_date",
        "end_date",
        "status",
        "currency",
        "description",
    ]


class ProjectEditForm(ProjectFieldsMixin, VersionedForm):
    share_health = forms.BooleanField(
        label=_("Share health with the client"),
        required=False,
        help_text=_(
            "The portal's overview shows the latest published report's health and why. "
            "Off: the client sees the progress and milestones only."
        ),
    )


ROLE_HELP = _(
    "Manager: runs the project, sees internal notes, comments and costs, adds and removes "
    "members. Member: works on the project and sees its internal pages. Observer: reads the "
    "internal pages and changes nothing. Client: someone of the client company; sees only "
    "the client portal."
)


class MemberInviteForm(forms.Form):
    """No role is chosen for the inviter: a form sent untouched must not make
    anyone a manager. The `confirm` box appears only once the invitation asked
    for it, and confirms the address it names (change the address, and the
    question comes again)."""

    email = forms.EmailField(label=_("E-mail address"))
    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Used when the person has no account yet."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Choose a role…")), *Membership.Role.choices],
        help_text=ROLE_HELP,
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        required=False,
        choices=User.Language.choices,
        help_text=_(
            "The e-mail's language, and the person's until they choose their own. "
            "Someone who has already signed in gets it in the language they chose."
        ),
    )
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, automatic_language: str, confirm_for: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [("", automatic_language), *User.Language.choices]
        if confirm_for:
            field = self.fields["confirm"]
            field.label = _("Yes, %(email)s works for us: give them access to internal pages") % {
                "email": confirm_for
            }
            field.widget.attrs["value"] = confirm_for
        else:
            del self.fields["confirm"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        email = (data.get("email") or "").strip().lower()
        ticked = (self.data.get("confirm") or "").strip().lower()
        data["confirm"] = bool(email) and ticked == email
        return data


class MemberRoleForm(VersionedForm):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


# Python weekdays, as Capacity.working_weekdays stores them.
WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class CapacityForm(VersionedForm):
    """A person's working week in the organization."""

    hours_per_week = forms.IntegerField(
        label=_("Hours per week"),
        min_value=0,
        max_value=168,
        widget=forms.NumberInput(attrs={"min": 0, "max": 168, "step": 1}),
    )
    working_weekdays = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAYS,
        required=False,  # the service refuses an empty week in its own words
        widget=forms.CheckboxSelectMultiple,
    )


class TimeOffForm(forms.Form):
    """Whole days away, the first and the last included."""

    start_date = forms.DateField(label=_("First day"), widget=DateInput())
    end_date = forms.DateField(label=_("Last day"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TimeRemindersForm(VersionedForm):
    enabled = forms.BooleanField(
        label=_("Remind people who logged less than their capacity last week"), required=False
    )
