from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts import access
from liaison.accounts.models import Client, Membership
from liaison.accounts.selectors import organization_staff
from liaison.core.forms import DateInput, VersionedForm
from liaison.projects.models import CURRENCIES, Project


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
        help_text=_("Markdown. The client sees it in the portal."),
    )

    def __init__(self, *args, organization, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the client companies the user may see (all of them for an admin).
        self.fields["client"].queryset = access.visible_clients(user, organization)
        self.fields["manager"].queryset = organization_staff(organization=organization)


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
    pass


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Used when the person has no account yet."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class MemberRoleForm(VersionedForm):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
