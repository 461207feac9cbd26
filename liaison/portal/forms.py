"""The client's forms. Fields are optional here on purpose: the services check
what is missing and say so in their own words, beside the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.requirements.rules import SIGN_STATEMENT


class RequirementRequestForm(forms.Form):
    title = forms.CharField(
        label=_("What do you need?"),
        max_length=300,
        required=False,
        help_text=_("One sentence, e.g. “Export the monthly stock report to Excel”."),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why you need it and how you would know it works. Markdown is fine."),
    )


class BaselineSignForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        required=False,
        help_text=_("Typing your name is your signature."),
    )
    agreed = forms.BooleanField(label=SIGN_STATEMENT, required=False)


class BaselineRejectForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The team reads this and comes back with a new baseline."),
    )
