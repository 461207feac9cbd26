"""The issue forms: what the team types (an issue, its resolution, an
escalation, the escalation path) and what the client types in the portal (an
issue, a reason to reopen, their position in a dispute, the confirmation).

Where it was found is typed as a key ("REQ-4", "M-2", "T-12"): a plan of ten
thousand tasks cannot be a select. The rules stay in the services."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.controls.models import Issue
from liaison.controls.services.issue_escalation import MAX_LEVELS
from liaison.controls.services.issues import CLIENT_KINDS
from liaison.core.forms import VersionedForm, rows_by_keys
from liaison.planning.models import Milestone, Task
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

DATE_INPUT = {"type": "date"}
MARKDOWN = _("Formatting works: **bold**, lists, links.")


def _key_field(label, placeholder: str, help_text) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": placeholder, "autocomplete": "off"}),
        help_text=help_text,
    )


def _one_by_key(model, project: Project, text: str, message) -> Any:
    rows = rows_by_keys(model, project, text, message)
    if len(rows) > 1:
        raise forms.ValidationError(_("Give one key."))
    return rows[0] if rows else None


class PeopleField(forms.ModelChoiceField):
    """A person picked among the given ones (the form sets the queryset)."""

    def label_from_instance(self, obj) -> str:
        return str(obj)


class IssueForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=300, error_messages={"required": _("Say what the issue is.")}
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Issue.Kind.choices)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Issue.Severity.choices, initial=Issue.Severity.MAJOR
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Issue.Priority.choices, initial=Issue.Priority.NORMAL
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN,
    )
    steps = forms.CharField(
        label=_("Steps to reproduce"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a defect: what to do to see it happen."),
    )
    requirement = _key_field(_("Requirement"), "REQ-4", _("Where it was found, if anywhere."))
    milestone = _key_field(_("Milestone"), "M-2", "")
    task = _key_field(_("Task"), "T-12", "")
    found_in = forms.CharField(
        label=_("Found in"),
        required=False,
        max_length=200,
        help_text=_("Anywhere else, in words: “UAT round 2, case 14”."),
    )
    raised_by = PeopleField(
        label=_("Raised by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Me"),
        help_text=_("A client contact who told you of it verifies its resolution in the portal."),
    )
    owner = PeopleField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    due_date = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"invalid": _("Pick a date.")},
        help_text=_("Past it, the issue escalates one level a day."),
    )
    blocked = forms.BooleanField(
        label=_("Blocked"), required=False, help_text=_("A blocked issue escalates too.")
    )
    client_visible = forms.BooleanField(
        label=_("Visible to the client"),
        required=False,
        help_text=_("Always, for what the client raised and for a dispute."),
    )
    our_position = forms.CharField(
        label=_("Our position"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a dispute: the team's side. The client writes theirs in the portal."),
    )
    agreed_outcome = forms.CharField(
        label=_("Agreed outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a dispute (the manager's): the client confirms it in the portal."),
    )

    def __init__(
        self, *args, project: Project, owners: list, raisers: list, can_manage: bool, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.project = project
        cast(PeopleField, self.fields["owner"]).queryset = User.objects.filter(
            pk__in=[person.pk for person in owners]
        ).order_by("display_name", "pk")
        if "raised_by" in self.fields:
            cast(PeopleField, self.fields["raised_by"]).queryset = User.objects.filter(
                pk__in=[person.pk for person in raisers]
            ).order_by("display_name", "pk")
        if not can_manage:
            del self.fields["agreed_outcome"]

    def clean_requirement(self) -> Requirement | None:
        return _one_by_key(
            Requirement,
            self.project,
            self.cleaned_data["requirement"],
            _("No requirement %(keys)s in this project."),
        )

    def clean_milestone(self) -> Milestone | None:
        return _one_by_key(
            Milestone,
            self.project,
            self.cleaned_data["milestone"],
            _("No milestone %(keys)s in this project."),
        )

    def clean_task(self) -> Task | None:
        return _one_by_key(
            Task, self.project, self.cleaned_data["task"], _("No task %(keys)s in this project.")
        )

    @property
    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("raised_by") is None:
            data.pop("raised_by", None)
        return data

    @staticmethod
    def initial_of(issue: Issue) -> dict:
        return {
            "title": issue.title,
            "kind": issue.kind,
            "severity": issue.severity,
            "priority": issue.priority,
            "description": issue.description,
            "steps": issue.steps,
            "requirement": issue.requirement.key if issue.requirement else "",
            "milestone": issue.milestone.key if issue.milestone else "",
            "task": issue.task.key if issue.task else "",
            "found_in": issue.found_in,
            "owner": issue.owner_id,
            "due_date": issue.due_date,
            "blocked": issue.blocked,
            "client_visible": issue.client_visible,
            "our_position": issue.our_position,
            "agreed_outcome": issue.agreed_outcome,
            "version": issue.version,
        }


class IssueEditForm(IssueForm, VersionedForm):
    """Who raised it stays as it was."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["raised_by"]


class ResolveForm(VersionedForm):
    root_cause = forms.CharField(
        label=_("Root cause"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What caused it, not only what was seen."),
    )
    solution = forms.CharField(
        label=_("Solution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, so that whoever raised it can check."),
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why it is not solved"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the next level should know."),
    )


class EscalationPathForm(forms.Form):
    """The project's levels, in order: a role and a person per line; a line left
    empty ends the path."""

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = User.objects.filter(pk__in=[person.pk for person in people]).order_by(
            "display_name", "pk"
        )
        for number in range(1, MAX_LEVELS + 1):
            self.fields[f"title_{number}"] = forms.CharField(
                label=_("Role at level %(level)s") % {"level": number},
                required=False,
                max_length=100,
            )
            self.fields[f"person_{number}"] = PeopleField(
                label=_("Person at level %(level)s") % {"level": number},
                queryset=queryset,
                required=False,
                empty_label=_("Nobody"),
            )

    def rows(self) -> list[tuple[int, Any, Any]]:
        """(level, title field, person field) for the template."""
        return [
            (number, self[f"title_{number}"], self[f"person_{number}"])
            for number in range(1, MAX_LEVELS + 1)
        ]

    def clean(self) -> dict:
        data = super().clean() or {}
        levels = []
        for number in range(1, MAX_LEVELS + 1):
            title, person = data.get(f"title_{number}", ""), data.get(f"person_{number}")
            if not title and person is None:
                continue
            if not title or person is None:
                self.add_error(
                    f"title_{number}" if not title else f"person_{number}",
                    _("Give each level a role and a person."),
                )
            levels.append((title, person))
        data["levels"] = levels
        return data

    @staticmethod
    def initial_of(levels: list) -> dict:
        initial: dict[str, Any] = {}
        for level in levels:
            initial[f"title_{level.level}"] = level.title
            initial[f"person_{level.level}"] = level.person_id
        return initial


# -- the client's, in the portal ------------------------------------------------------


class ClientIssueForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=300, error_messages={"required": _("Say what the issue is.")}
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(kind.value, kind.label) for kind in CLIENT_KINDS]
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Issue.Severity.choices, initial=Issue.Severity.MAJOR
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What happened, and what you expected. Formatting works: **bold**, lists, links."
        ),
    )
    steps = forms.CharField(
        label=_("Steps to reproduce"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a defect: what to do to see it happen."),
    )
    found_in = forms.CharField(
        label=_("Found in"),
        required=False,
        max_length=200,
        help_text=_("Where you saw it: a screen, a test round, a report."),
    )
    upload = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("A screenshot or a document, up to 20 MB."),
    )


class ClientPositionForm(VersionedForm):
    position = forms.CharField(
        label=_("Your position"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How you see it: the team reads it before the outcome is agreed."),
    )


class ConfirmForm(VersionedForm):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        required=False,
        help_text=_("Typing your name as your account has it confirms the agreed outcome."),
    )
