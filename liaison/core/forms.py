"""Form pieces shared by every app: the version field and service errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.locking import StaleEdit
from liaison.core.services import InvalidInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedForm(forms.Form):
    """A form that edits a versioned row carries the version it started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Show a service's refusal beside the field it concerns (or above the form).
    A stale edit also moves the form onto the current version, so saving again
    is a deliberate choice by someone who has seen the other change."""
    if isinstance(error, StaleEdit):
        form.add_error(None, error.message)
        data = form.data.copy()
        data["version"] = error.current.version
        form.data = data
        return
    if isinstance(error, InvalidInput):
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return
    raise error


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    client_visible = forms.BooleanField(label=_("Visible to the client"), required=False)
