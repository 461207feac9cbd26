"""Form pieces shared by every app: the version field, service errors and
`submit`, the body of every view that saves a form through a service."""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.locking import StaleEdit, version_of
from liaison.core.params import MAX_INT, has_real_offset
from liaison.core.services import InvalidInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Row = TypeVar("Row", bound=models.Model)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeField(forms.DateTimeField):
    """A date and time; Django also reads an ISO offset ("…T10:00+08:00"), so one
    that no time zone has (+20:45), which PostgreSQL refuses, is refused here."""

    default_error_messages = {
        "offset": _("Give a time-zone offset between -14:00 and +14:00, e.g. +08:00.")
    }

    def to_python(self, value: Any) -> dt.datetime | None:
        moment = super().to_python(value)
        if moment is not None and not has_real_offset(moment):
            raise forms.ValidationError(self.error_messages["offset"], code="offset")
        return moment


class UploadField(forms.FileField):
    """A file whose name is at most the model FileField's `max_length` (100 by
    default) characters: a longer one is refused beside the field, where the
    storage would cut it or refuse it with a bare 400."""

    def __init__(self, *, model_field: models.FileField, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", model_field.max_length)
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": _(
                    "The file name is too long: at most %(max)d characters (it has "
                    "%(length)d). Rename the file and upload it again."
                )
            },
        )
        super().__init__(**kwargs)


class VersionedForm(forms.Form):
    """A form that edits a versioned row carries the version it started from.
    Nobody sees that field, so a version missing or garbled (a page damaged on
    the way, or tampered with) is told above the form, where templates show a
    form's own errors, rather than beside a hidden field that shows nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)

    def full_clean(self) -> None:
        super().full_clean()
        if self.errors.pop("version", None):
            self.add_error(None, _("Reload the page and try again."))


def add_service_error(
    form: forms.Form, error: Exception, *, fields: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal beside the field it concerns (or above the form).
    `fields` names the form field of a service field the form calls otherwise.
    A stale edit also moves the form onto the current version, so saving again
    is a deliberate choice by someone who has seen the other change."""
    if isinstance(error, StaleEdit):
        form.add_error(None, error.message)
        # A bound form's data: a dict or the request's QueryDict (copy() makes
        # either writable); the version goes in as the number it is.
        data: Any = cast(Any, form.data).copy()
        data["version"] = version_of(error.current)
        form.data = data
        return
    if isinstance(error, InvalidInput):
        field = (fields or {}).get(error.field, error.field) if error.field else None
        form.add_error(field if field in form.fields else None, error.message)
        return
    raise error


Saved = TypeVar("Saved")


def submit(
    form: forms.Form,
    save: Callable[[dict[str, Any]], Saved],
    *,
    fields: Mapping[str, str] | None = None,
) -> Saved | None:
    """Validate `form`, then call `save` with its cleaned data (the service
    call) and return what it returns. None when the form is invalid or the
    service refuses: the refusal is then on the form (`add_service_error`), and
    the view shows the form again. `save` must not return None itself."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except (InvalidInput, StaleEdit) as error:
        add_service_error(form, error, fields=fields)
        return None


# Keys typed in one field: "REQ-1, REQ-4", "T-3 T-5", or with Chinese punctuation.
KEY_SEPARATORS = re.compile(r"[\s,;，；、]+")
MAX_KEYS = 100


def typed_keys(text: str) -> list[str]:
    """Distinct keys in the order typed, upper-cased ("req-1, REQ-4" → REQ-1, REQ-4)."""
    seen: dict[str, None] = {}
    for key in KEY_SEPARATORS.split(text or ""):
        if key:
            seen[key.upper()[:20]] = None
    return list(seen)


def rows_by_keys(
    model: type[Row], project: models.Model, text: str, unknown_message: "StrOrPromise"
) -> list[Row]:
    """The project's rows with the typed keys, in the order typed, or a
    ValidationError naming the keys it cannot find (`unknown_message` takes %(keys)s)."""
    keys = typed_keys(text)
    if len(keys) > MAX_KEYS:
        raise forms.ValidationError(_("At most %(count)s keys.") % {"count": MAX_KEYS})
    if not keys:
        return []
    rows = model._default_manager.filter(project=project, key__in=keys)
    found = {row.serializable_value("key"): row for row in rows}
    missing = [key for key in keys if key not in found]
    if missing:
        raise forms.ValidationError(unknown_message % {"keys": ", ".join(missing)}, code="unknown")
    return [found[key] for key in keys]
