"""Forms of the plan's settings: freezing a plan baseline and the working calendar."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import VersionedForm
from liaison.projects.models import Project

# Python weekdays, as Project.working_weekdays stores them.
WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class PlanBaselineForm(forms.Form):
    # Not required here: the service says what is missing, in its own words.
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("What this plan is, e.g. “Plan agreed at kick-off”."),
    )


def _dates(days: list[str]) -> str:
    return "\n".join(days)


class PlanCalendarForm(VersionedForm):
    working_weekdays = forms.MultipleChoiceField(
        label=_("Working weekdays"),
        choices=WEEKDAYS,
        required=False,  # the service refuses an empty week in its own words
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The days of the week the team works on."),
    )
    holidays = forms.CharField(
        label=_("Holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "2026-10-01\n2026-10-02"}),
        help_text=_(
            "Days off on working weekdays, such as public holidays. "
            "One date per line (or separated by commas), written like 2026-10-01."
        ),
    )
    extra_workdays = forms.CharField(
        label=_("Make-up working days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-09-28"}),
        help_text=_(
            "Days off (usually weekend days) that are working days this time, such as the "
            "weekend days worked to make up for a long public holiday in China. "
            "One date per line, like 2026-09-28."
        ),
    )

    @staticmethod
    def initial_of(project: Project) -> dict:
        return {
            "working_weekdays": list(project.working_weekdays),
            "holidays": _dates(project.holidays),
            "extra_workdays": _dates(project.extra_workdays),
            "version": project.version,
        }
