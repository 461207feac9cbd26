"""The webhook forms: what the manager types; webhooks.services cleans and checks it
(the address against the SSRF rules too)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.collab.notification_kinds import KINDS, ROOM_KINDS
from liaison.core.forms import VersionedForm
from liaison.webhooks.models import Webhook


class WebhookForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages={
            "required": _("Give the webhook a name, such as the chat room it posts to.")
        },
    )
    # Not a URLField: the service says what is wrong with an address, in one place.
    url = forms.CharField(
        label=_("Webhook address"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_(
            "The incoming-webhook address the chat service gave you. "
            "Liaison does not post to internal networks."
        ),
        error_messages={"required": _("Paste the webhook address the chat service gave you.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=Webhook.Format.choices,
        initial=Webhook.Format.GENERIC,
        error_messages={"required": _("Choose the format the chat service reads.")},
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        required=False,
        choices=[(kind, KINDS[kind][0]) for kind in ROOM_KINDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event of the project."),
    )

    # Never rendered back (render_value=False): the page shows only its hint.
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Optional. DingTalk: the SEC… secret of 加签. Feishu: the secret of 签名校验. "
            "Generic JSON: any secret your endpoint checks the X-Liaison-Signature header with. "
            "WeCom and Slack sign nothing."
        ),
    )

    @property
    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @staticmethod
    def initial_of(webhook: Webhook) -> dict:
        return {
            "name": webhook.name,
            "url": webhook.url,
            "format": webhook.format,
            "events": list(webhook.events),
            "active": webhook.active,
            "version": webhook.version,
        }


class WebhookEditForm(WebhookForm, VersionedForm):
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("A paused webhook receives nothing but test messages."),
    )
    remove_secret = forms.BooleanField(
        label=_("Remove the signing secret"),
        required=False,
        help_text=_("Messages go unsigned from now on."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secret"].help_text = _(
            "Leave empty to keep the current secret; type a new one to replace it."
        )

    @property
    def service_fields(self) -> dict:
        """An empty secret keeps the stored one, unless the box to remove it is ticked."""
        data = super().service_fields
        if data.pop("remove_secret", False):
            data["secret"] = ""
        elif not data.get("secret"):
            data.pop("secret", None)
        return data
