"""The quality forms: a standard of the plan, a check with its findings, a UAT
round and its cases (the manager's), and the client's results of a round, one
result, note and severity per case. The rules stay in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.controls.models import Issue, QualityCheck, QualityStandard, UatCase, UatRound
from liaison.core.forms import VersionedForm
from liaison.planning.models import Milestone
from liaison.projects.models import Membership, Project
from liaison.requirements.models import Requirement

DATE_INPUT = {"type": "date"}


class StandardForm(forms.Form):
    title = forms.CharField(
        label=_("Standard"),
        max_length=200,
        help_text=_("For example “Response time under 2 s”."),
        error_messages={"required": _("Name the standard.")},
    )
    criterion = forms.CharField(
        label=_("What good means"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method = forms.CharField(
        label=_("How it is checked"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example “A load test before each release”."),
    )


class StandardEditForm(StandardForm, VersionedForm):
    pass


class PeopleField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QualityCheck.Kind.choices)
    standard = forms.ModelChoiceField(
        label=_("Standard"), queryset=QualityStandard.objects.none(), required=False
    )
    milestone = forms.ModelChoiceField(
        label=_("Milestone"), queryset=Milestone.objects.none(), required=False
    )
    checked_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE_INPUT))
    checked_by = PeopleField(label=_("Checked by"), queryset=User.objects.none(), required=False)
    result = forms.ChoiceField(label=_("Result"), choices=QualityCheck.Result.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: each can become an issue."),
    )
    client_visible = forms.BooleanField(
        label=_("Count it in the client's status report"), required=False
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["standard"].queryset = QualityStandard.objects.filter(project=project).order_by(
            "position", "id"
        )
        fields["milestone"].queryset = Milestone.objects.filter(project=project).order_by(
            "due_date", "id"
        )
        fields["checked_by"].queryset = User.objects.filter(
            is_active=True,
            memberships__project=project,
            memberships__role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
        ).order_by("display_name", "id")


class CheckEditForm(CheckForm, VersionedForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["findings"]


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Finding"), max_length=500)


class RaiseIssueForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, label) for k, label in Issue.Kind.choices if k in ("defect", "problem")],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Issue.Severity.choices, initial=Issue.Severity.MAJOR
    )


class RoundForm(forms.Form):
    milestone = forms.ModelChoiceField(label=_("Milestone"), queryset=Milestone.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["milestone"].queryset = Milestone.objects.filter(
            project=project, client_visible=True
        ).order_by("due_date", "id")


class CaseForm(VersionedForm):
    title = forms.CharField(
        label=_("Test case"), max_length=300, error_messages={"required": _("Say what to test.")}
    )
    steps = forms.CharField(
        label=_("Steps and expected result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requirement = forms.CharField(
        label=_("Requirement"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "REQ-4", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_requirement(self) -> Requirement | None:
        key = (self.cleaned_data.get("requirement") or "").strip().upper()
        if not key:
            return None
        found = list(Requirement.objects.filter(project=self.project, key=key).order_by()[:1])
        if not found:
            raise forms.ValidationError(_("No requirement %(key)s in this project.") % {"key": key})
        return found[0]


class RoundVersionForm(VersionedForm):
    """A button that acts on the round as the page showed it (open it, remove a case)."""


class ResultsForm(VersionedForm):
    """The client's results: for each case `result_<id>` (passed or failed),
    `note_<id>` and, for a failure, `severity_<id>` of the defect it raises."""

    def __init__(self, *args: Any, round_: UatRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases: list[UatCase] = list(round_.case_rows)
        severities = [("", _("Major (the default)")), *Issue.Severity.choices]
        self.base_severities = severities
        for case in self.cases:
            self.fields[f"result_{case.pk}"] = forms.ChoiceField(
                label=case.title,
                choices=UatCase.Result.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Mark it passed or failed.")},
            )
            self.fields[f"note_{case.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"severity_{case.pk}"] = forms.ChoiceField(
                label=_("Severity if it failed"), choices=severities, required=False
            )

    def rows(self) -> list[dict[str, Any]]:
        """Each case with what its three fields hold and their errors, for the
        template to write itself: forty cases through the widgets' templates
        cost more than the rest of the page."""
        data = self.data if self.is_bound else {}
        errors = self.errors if self.is_bound else {}
        return [
            {
                "case": case,
                "result": data.get(f"result_{case.pk}", ""),
                "note": data.get(f"note_{case.pk}", ""),
                "severity": data.get(f"severity_{case.pk}", ""),
                "errors": [
                    *errors.get(f"result_{case.pk}", ()),
                    *errors.get(f"note_{case.pk}", ()),
                    *errors.get(f"severity_{case.pk}", ()),
                ],
            }
            for case in self.cases
        ]

    def severities(self) -> list[tuple[str, str]]:
        """The severity choices with their labels translated once for every row."""
        return [(value, str(label)) for value, label in self.base_severities]

    def results(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "case": case.pk,
                "result": data[f"result_{case.pk}"],
                "note": data.get(f"note_{case.pk}", ""),
                "severity": data.get(f"severity_{case.pk}", ""),
            }
            for case in self.cases
        ]
