"""The time pages' forms: a week's version (submit, approve), a day sent back
with a reason, the period closed, an entry logged from a task's page. The
week's grid itself is read cell by cell in views/time.py."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import VersionedForm
from liaison.planning.models import Task
from liaison.projects.models import Project


class WeekForm(VersionedForm):
    """Submit a week, or approve one: the version the page showed."""


class RejectDayForm(VersionedForm):
    day = forms.DateField(label=_("Day"))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ClosePeriodForm(forms.Form):
    through = forms.DateField(
        label=_("Close time through"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("No time on or before this day can be added, changed or removed."),
    )


class LogTimeForm(forms.Form):
    """Hours on one task, from its page."""

    task = forms.ModelChoiceField(
        label=_("Task"),
        queryset=Task.objects.none(),
        to_field_name="key",
        widget=forms.TextInput(attrs={"size": 10}),
        help_text=_("Its key, such as T-12."),
    )
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.01"), max_value=Decimal("24"), decimal_places=2
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.filter(project=project)  # type: ignore[attr-defined]


class TimerStartForm(forms.Form):
    """A timer on a task of the project, or on the project's work."""

    task = forms.ModelChoiceField(
        label=_("Task"),
        queryset=Task.objects.none(),
        to_field_name="key",
        required=False,
        widget=forms.TextInput(attrs={"size": 10}),
        help_text=_("Its key, such as T-12; empty for work on the project as a whole."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.filter(project=project)  # type: ignore[attr-defined]
