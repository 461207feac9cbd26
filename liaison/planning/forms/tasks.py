"""The task form, the dependency form and the board's move.

Parent tasks and requirements are typed as keys ("T-12", "REQ-1, REQ-4"): a
plan of ten thousand tasks cannot be a select. The form turns the keys into
rows of the project and names the ones it cannot find; every other rule (dates,
progress, who may be assigned) is the service's, shown beside its field.
"""

from typing import cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.forms import DateInput, VersionedForm, rows_by_keys
from liaison.planning.models import Dependency, Milestone, Task
from liaison.projects.models import Membership, Project
from liaison.requirements.models import Requirement


def task_by_key(project: Project, text: str) -> Task:
    """The project's task with this key, or a ValidationError naming the key."""
    key = (text or "").strip().upper()
    task = Task.objects.filter(project=project, key=key).only("pk", "key", "project_id").first()
    if task is None:
        raise forms.ValidationError(
            _("There is no task %(key)s in this project.") % {"key": key[:20]}, code="unknown"
        )
    return task


def assignable_users(project: Project):
    """Managers and members of the project: the people a task can be given to."""
    return User.objects.filter(
        memberships__project=project,
        memberships__role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
        is_active=True,
    ).order_by("display_name", "pk")


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=300, error_messages={"required": _("A task needs a title.")}
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Formatting: **bold**, *italic*, lists, links and tables."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    estimate_hours = forms.DecimalField(
        label=_("Estimate (hours)"),
        required=False,
        max_digits=7,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": "0", "max": "100", "step": "5"}),
        help_text=_("From 0 to 100. A task marked done is 100."),
    )
    milestone = forms.ModelChoiceField(
        label=_("Milestone"),
        queryset=Milestone.objects.none(),
        required=False,
        empty_label=_("No milestone"),
    )
    parent = forms.CharField(
        label=_("Parent task"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "T-12", "autocomplete": "off"}),
        help_text=_("The key of the task this one is part of, e.g. T-12. Leave empty for none."),
    )
    requirements = forms.CharField(
        label=_("Requirements"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "REQ-1, REQ-4", "autocomplete": "off"}),
        help_text=_("The keys of the requirements this task delivers, separated by commas."),
    )
    order = forms.IntegerField(
        label=_("Order"),
        required=False,
        widget=forms.NumberInput(attrs={"min": "0"}),
        help_text=_("Position in its board column: smaller comes first."),
    )
    client_visible = forms.BooleanField(
        label=_("Visible to the client"),
        required=False,
        help_text=_("The client sees it on the portal's timeline."),
    )

    def __init__(self, *args, project: Project, task: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.task = task
        cast("forms.ModelChoiceField[User]", self.fields["assignee"]).queryset = assignable_users(
            project
        )
        milestone = cast("forms.ModelChoiceField[Milestone]", self.fields["milestone"])
        milestone.queryset = Milestone.objects.filter(project=project).only(
            "pk", "key", "name", "project_id"
        )
        if task is not None:
            preview = reverse("planning:task-preview", args=[project.code, task.key])
            for name in ("start_date", "due_date"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": preview,
                        "hx-trigger": "change",
                        "hx-target": "#schedule-preview",
                        "hx-swap": "innerHTML",
                        "aria-describedby": "schedule-preview",
                    }
                )

    def clean_parent(self) -> Task | None:
        text = self.cleaned_data["parent"].strip()
        return task_by_key(self.project, text) if text else None

    def clean_requirements(self) -> list[Requirement]:
        return rows_by_keys(
            Requirement,
            self.project,
            self.cleaned_data["requirements"],
            _("No such requirement in this project: %(keys)s."),
        )

    def service_fields(self) -> dict:
        """What the service receives: empty numbers mean 0 for a new task and
        'unchanged' for an existing one."""
        fields = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        for name in ("progress", "order"):
            if fields[name] is None:
                if self.task is None:
                    fields[name] = 0
                else:
                    del fields[name]
        return fields

    @staticmethod
    def initial_of(task: Task) -> dict:
        """The form's starting values for an existing task (one query: its requirements)."""
        return {
            "title": task.title,
            "description": task.description,
            "status": task.status,
            "assignee": task.assignee_id,
            "start_date": task.start_date,
            "due_date": task.due_date,
            "estimate_hours": task.estimate_hours,
            "progress": task.progress,
            "milestone": task.milestone_id,
            "parent": task.parent.key if task.parent is not None else "",
            "requirements": ", ".join(
                task.requirements.order_by("pk").values_list("key", flat=True)
            ),
            "order": task.order,
            "client_visible": task.client_visible,
            "version": task.version,
        }


class TaskEditForm(TaskForm, VersionedForm):
    pass


class DependencyForm(forms.Form):
    """A predecessor added on the successor's page."""

    predecessor = forms.CharField(
        label=_("Waits for"),
        max_length=20,
        error_messages={"required": _("Type the key of the task it waits for, e.g. T-3.")},
        widget=forms.TextInput(attrs={"placeholder": "T-3", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Dependency.Kind.choices)
    lag_days = forms.IntegerField(
        label=_("Lag (working days)"),
        required=False,
        min_value=-365,
        max_value=365,
        error_messages={
            "invalid": _("The lag is a whole number of working days, at most 365 either way."),
            "min_value": _("The lag is a whole number of working days, at most 365 either way."),
            "max_value": _("The lag is a whole number of working days, at most 365 either way."),
        },
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_predecessor(self) -> Task:
        return task_by_key(self.project, self.cleaned_data["predecessor"])

    def clean_lag_days(self) -> int:
        return self.cleaned_data["lag_days"] or 0
