from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import TIME_ZONE_CHOICES, User
from liaison.accounts.time_zones import time_zone_choices
from liaison.core.forms import VersionedForm
from liaison.core.mail import mail_queue


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        # Addresses are stored in lower case (UserManager.create_user), so match
        # whatever case the person typed, as the API's token endpoint does.
        return self.cleaned_data["email"].lower()


class SettingsForm(VersionedForm):
    display_name = forms.CharField(label=_("Display name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Named in the reader's language and grouped by region, built per form
        # as the names and offsets depend on the language and the day.
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)
        time_zone.choices = time_zone_choices()


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, e.g. “CI export script”."),
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through the outbox in the
    recipient's own language, and an invited person who never chose a
    password can ask for a new link (Django skips accounts without a usable
    password)."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The link is built on SITE_URL, never on the request: Django takes the
        # domain from the Host header, which whoever asks for the reset chooses,
        # and a poisoned link would hand them the victim's token.
        link = settings.SITE_URL + reverse(
            "accounts:password-reset-confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        mail_queue(
            to=context["user"], template="accounts/email/password_reset", context={"link": link}
        )


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    contacts = forms.CharField(
        label=_("Contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Names, roles, e-mail addresses and phone numbers of the people to talk to."),
    )


class ClientEditForm(ClientForm, VersionedForm):
    pass


class FirstRunForm(forms.Form):
    """The first-run page: the firm and the person who will own it."""

    name = forms.CharField(
        label=_("Organization name"),
        max_length=200,
        help_text=_("Your firm, as your team and your clients know it."),
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
