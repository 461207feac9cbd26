"""The glossary's form: a term in either language or both. The rules (a name
and a definition, each name once per project) stay in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import VersionedForm
from liaison.glossary.services import MAX_ALIASES, MAX_DEFINITION, MAX_NAME


class TermForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=MAX_NAME, required=False)
    term_zh = forms.CharField(label=_("Term in Chinese"), max_length=MAX_NAME, required=False)
    definition = forms.CharField(
        label=_("Definition"),
        max_length=MAX_DEFINITION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In plain words, as you would tell the client."),
    )
    definition_zh = forms.CharField(
        label=_("Definition in Chinese"),
        max_length=MAX_DEFINITION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    aliases = forms.CharField(
        label=_("Other names"),
        max_length=MAX_ALIASES,
        required=False,
        help_text=_("Abbreviations or spellings that mean the same, separated by commas."),
    )
    client_visible = forms.BooleanField(
        label=_("Shown to the client"),
        required=False,
        initial=True,
        help_text=_("In the portal's glossary, and explained where it appears in their texts."),
    )


class TermEditForm(TermForm, VersionedForm):
    pass
