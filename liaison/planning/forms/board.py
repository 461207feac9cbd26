"""The board's work-in-progress limits: a whole number per column, or none."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import VersionedForm
from liaison.core.params import MAX_INT
from liaison.planning.models import Task
from liaison.planning.selectors.board import COLUMNS
from liaison.planning.services.board import MAX_LIMIT


class BoardLimitsForm(VersionedForm):
    # 0 while the project has no limits yet (the page shows none).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_INT)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for status in COLUMNS:
            self.fields[status] = forms.IntegerField(
                label=Task.Status(status).label,
                required=False,
                min_value=1,
                max_value=MAX_LIMIT,
                help_text=_("Leave empty for no limit."),
            )
