"""Forms of the money pages: rates, the budget's lines and agreement, expenses
and the invoicing period. They turn what people type into the services'
values; the rules stay in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.models import Attachment
from liaison.core.forms import DateInput, UploadField, VersionedForm
from liaison.finance.models import Budget, BudgetLine, Expense
from liaison.projects.models import CURRENCIES, Membership

MONEY = {"step": "0.01", "min": "0", "inputmode": "decimal"}
ROLE_CHOICES = [
    ("", _("—")),
    (Membership.Role.MANAGER, _("Manager")),
    (Membership.Role.MEMBER, _("Member")),
]


def _money(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
        help_text=help_text,
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name or obj.email


class RateForm(forms.Form):
    person = PersonChoice(
        label=_("Person"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leave empty to set the rate of a project role instead."),
    )
    role = forms.ChoiceField(label=_("Or a project role"), choices=ROLE_CHOICES, required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    cost_rate = forms.DecimalField(
        label=_("Cost per hour"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
        help_text=_("What an hour costs the firm."),
    )
    bill_rate = forms.DecimalField(
        label=_("Bill rate per hour"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
        help_text=_("What an hour bills the client."),
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput())

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, PersonChoice)
        person.queryset = User.objects.filter(
            org_memberships__organization=organization, is_active=True
        ).order_by("display_name", "email")


class BudgetLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BudgetLine.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
    )
    amount = _money(
        _("Amount"),
        required=False,
        help_text=_("Labour with a role and hours and no amount is priced at the role's rate."),
    )

    def line(self) -> dict | None:
        """The line's values, or None for a row left empty (or emptied: removed)."""
        data = self.cleaned_data
        if not data or not (data.get("description") or "").strip():
            return None
        return {name: data.get(name) for name in ("kind", "description", "role", "hours", "amount")}


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=3, max_num=200, absolute_max=200)


class BudgetHeadForm(VersionedForm):
    pricing = forms.ChoiceField(label=_("Pricing"), choices=Budget.Pricing.choices)


class BudgetAgreeForm(VersionedForm):
    total = _money(
        _("Total agreed with the client"),
        required=False,
        help_text=_("Leave empty to agree the lines' total."),
    )


class BudgetRebaselineForm(VersionedForm):
    total = _money(_("New agreed total"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the agreed total moves without a change request; kept in the history."),
    )


class BudgetShareForm(VersionedForm):
    share = forms.BooleanField(label=_("Share a summary with the client"), required=False)


class ExpenseForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    category = forms.ChoiceField(label=_("Category"), choices=Expense.Category.choices)
    description = forms.CharField(label=_("Description"), max_length=200)
    amount = _money(_("Amount"))
    billable = forms.BooleanField(label=_("Billable to the client"), required=False)
    receipt = UploadField(
        label=_("Receipt"),
        required=False,
        model_field=Attachment._meta.get_field("file"),
        help_text=_("A PDF or a photo, up to 20 MB."),
    )

    @property
    def service_fields(self) -> dict:
        data = self.cleaned_data
        names = ("day", "category", "description", "amount", "billable", "receipt")
        return {name: data.get(name) for name in names}


class ExpenseEditForm(ExpenseForm, VersionedForm):
    pass


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class InvoiceMarkForm(PeriodForm):
    reference = forms.CharField(
        label=_("Invoice reference"),
        max_length=60,
        help_text=_("The number your accounting tool gave the invoice."),
    )
    expected_total = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, widget=forms.HiddenInput
    )
