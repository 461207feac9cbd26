"""The status report's forms: what the manager picks and writes; the services
snap the period, check the rules and refuse what is not allowed."""

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import DateInput, VersionedForm
from liaison.reports.models import StatusReport

MARKDOWN_HELP = _("Formatting works: **bold**, lists, links. The client reads it as you write it.")


def last_weeks_monday(today: dt.date | None = None) -> dt.date:
    """The Monday of last week: the period a weekly report is usually about."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=today.weekday() + 7)


class ReportCreateForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=StatusReport.Period.choices,
        initial=StatusReport.Period.WEEKLY,
    )
    day = forms.DateField(
        label=_("A day in the period"),
        widget=DateInput(),
        error_messages={
            "required": _("Pick a day in the week or month the report is about."),
            "invalid": _("Write the date as 2026-11-16."),
        },
        help_text=_("Any day of the week or the month: the report covers all of it."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave it empty for “Week 47, 2026” or “November 2026”."),
    )

    @property
    def service_fields(self) -> dict:
        return {
            "period": self.cleaned_data["period"],
            "period_start": self.cleaned_data["day"],
            "title": self.cleaned_data["title"].strip(),
        }


class ReportEditForm(VersionedForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the report a title.")},
    )
    health = forms.ChoiceField(label=_("Health"), choices=StatusReport.Health.choices)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Formatting works: **bold**, lists, links. What happened in the period, in a few "
            "lines; needed to publish."
        ),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )
    concerns = forms.CharField(
        label=_("Concerns and help needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Formatting works: **bold**, lists, links. What worries the team, and what it needs "
            "from the client."
        ),
    )

    def __init__(self, *args, suggested_health: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if suggested_health in StatusReport.Health.values:
            field = cast(forms.ChoiceField, self.fields["health"])
            field.choices = [
                (value, _("%(health)s (suggested)") % {"health": label})
                if value == suggested_health
                else (value, label)
                for value, label in StatusReport.Health.choices
            ]
            field.help_text = _(
                "The figures suggest “%(health)s”. Choose another if you know better, "
                "and say why in the summary."
            ) % {"health": StatusReport.Health(suggested_health).label}

    @property
    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @staticmethod
    def initial_of(report: StatusReport) -> dict:
        return {
            "title": report.title,
            "health": report.health,
            "summary": report.summary,
            "next_steps": report.next_steps,
            "concerns": report.concerns,
            "version": report.version,
        }
