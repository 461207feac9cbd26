"""The change request forms: what the team types (the request, its assessment)
and what the client types (a new request, the decision).

Requirements, milestones and tasks are typed as keys ("REQ-1, REQ-4"): a plan
of ten thousand tasks cannot be a select. New dates are typed one per line
("T-12 2026-12-01 2026-12-09"); the form turns the lines into the service's
list of dicts and says which line it cannot read. Whether a task or milestone
exists, and whether the dates make sense for the plan, is the service's rule,
shown beside the field it concerns.
"""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.core.forms import KEY_SEPARATORS, VersionedForm, rows_by_keys
from liaison.core.params import iso_date
from liaison.planning.models import Milestone, Task
from liaison.projects.access import Role
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

MAX_LINES = 200
# The service names the JSON fields; the form's textareas have the short names
# the impact preview takes in its query string (?schedule=…&milestones=…).
SERVICE_FIELDS = {"schedule": "schedule_changes", "milestones": "milestone_changes"}
# A service's refusal of schedule_changes shows beside the schedule textarea.
FORM_FIELDS = {service: name for name, service in SERVICE_FIELDS.items()}


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """(line number, words) for each non-empty line; more than MAX_LINES is
    not one change any more."""
    numbered = [
        (number, KEY_SEPARATORS.split(line.strip()))
        for number, line in enumerate((text or "").splitlines(), start=1)
        if line.strip()
    ]
    if len(numbered) > MAX_LINES:
        raise forms.ValidationError(_("At most %(count)s lines.") % {"count": MAX_LINES})
    return numbered


def _date(number: int, word: str) -> str:
    day = iso_date(word) if len(word) == 10 else None
    if day is None:
        raise forms.ValidationError(
            _("Line %(line)s: “%(text)s” is not a date; write it as 2027-01-15.")
            % {"line": number, "text": word[:20]}
        )
    return day.isoformat()


def parse_schedule(text: str) -> list[dict]:
    """ "T-12 2026-12-01 2026-12-09" per line → [{"task", "start", "due"}]."""
    changes = []
    for number, words in _lines(text):
        if len(words) != 3:
            raise forms.ValidationError(
                _(
                    "Line %(line)s: write a task key, its new start and its new due date, "
                    "e.g. “T-12 2027-01-04 2027-01-15”."
                )
                % {"line": number}
            )
        key, start, due = words
        changes.append(
            {"task": key.upper()[:20], "start": _date(number, start), "due": _date(number, due)}
        )
    return changes


def parse_milestones(text: str) -> list[dict]:
    """ "M-2 2027-01-15" per line → [{"milestone", "due"}]."""
    changes = []
    for number, words in _lines(text):
        if len(words) != 2:
            raise forms.ValidationError(
                _(
                    "Line %(line)s: write a milestone key and its new due date, "
                    "e.g. “M-2 2027-01-15”."
                )
                % {"line": number}
            )
        changes.append({"milestone": words[0].upper()[:20], "due": _date(number, words[1])})
    return changes


def schedule_text(changes: list[dict]) -> str:
    return "\n".join(f"{c['task']} {c['start']} {c['due']}" for c in changes or ())


def milestones_text(changes: list[dict]) -> str:
    return "\n".join(f"{c['milestone']} {c['due']}" for c in changes or ())


# -- the team ------------------------------------------------------------------------


class ChangeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        error_messages={"required": _("A change request needs a title.")},
    )
    description = forms.CharField(
        label=_("What changes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Formatting works: **bold**, lists, links. What will be different once the change is "
            "made."
        ),
    )
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Formatting works: **bold**, lists, links. Why the change is needed, and who asked "
            "for it."
        ),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=ChangeRequest.Priority.choices)
    owner = forms.ModelChoiceField(
        label=_("Assessed by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )
    requirements = forms.CharField(
        label=_("Requirements"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "REQ-1, REQ-4", "autocomplete": "off"}),
        help_text=_("The keys of the requirements the change touches, separated by commas."),
    )
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "M-1, M-2", "autocomplete": "off"}),
        help_text=_("The keys of the milestones the change touches, separated by commas."),
    )
    tasks = forms.CharField(
        label=_("Tasks"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "T-12, T-14", "autocomplete": "off"}),
        help_text=_("The keys of the tasks the change touches, separated by commas."),
    )
    client_visible = forms.BooleanField(
        label=_("Visible to the client"),
        required=False,
        help_text=_("The client reads it in the portal, and decides on it there."),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        cast("forms.ModelChoiceField[User]", self.fields["owner"]).queryset = User.objects.filter(
            memberships__project=project,
            memberships__role__in=(Role.MANAGER, Role.MEMBER),
            is_active=True,
        ).order_by("display_name", "pk")

    def clean_requirements(self) -> list[Requirement]:
        return rows_by_keys(
            Requirement,
            self.project,
            self.cleaned_data["requirements"],
            _("No requirement %(keys)s in this project."),
        )

    def clean_milestones(self) -> list[Milestone]:
        return rows_by_keys(
            Milestone,
            self.project,
            self.cleaned_data["milestones"],
            _("No milestone %(keys)s in this project."),
        )

    def clean_tasks(self) -> list[Task]:
        return rows_by_keys(
            Task, self.project, self.cleaned_data["tasks"], _("No task %(keys)s in this project.")
        )

    @property
    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @staticmethod
    def initial_of(change: ChangeRequest) -> dict:
        return {
            "title": change.title,
            "description": change.description,
            "reason": change.reason,
            "priority": change.priority,
            "owner": change.owner_id,
            "requirements": ", ".join(r.key for r in change.requirements.all()),
            "milestones": ", ".join(m.key for m in change.milestones.all()),
            "tasks": ", ".join(t.key for t in change.tasks.all()),
            "client_visible": change.client_visible,
            "version": change.version,
        }


class ChangeEditForm(ChangeForm, VersionedForm):
    pass


DATE_INPUT = {"type": "date"}


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"invalid": _("Pick a date.")},
    )


class ImpactLinesForm(forms.Form):
    """The new dates of a change, as the assessment and its preview take them: a
    start and a due date input per task the change touches, a due date input per
    milestone it touches, and typed lines ("T-12 2027-01-04 2027-01-15") for any
    other task or milestone, the fast path. Empty inputs leave a date as it is.
    Also the effort and the cost, so the preview shows what is typed."""

    effort_hours = forms.DecimalField(
        label=_("Effort (hours)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
        help_text=_("The extra work the change takes."),
    )
    cost = forms.DecimalField(
        label=_("Cost"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        help_text=_("In the project's currency."),
    )
    schedule = forms.CharField(
        label=_("New task dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "T-12 2027-01-04 2027-01-15"}),
        help_text=_(
            "One task per line: its key, its new start and its new due date, "
            "e.g. “T-12 2027-01-04 2027-01-15”. The tasks that depend on it move with it."
        ),
    )
    milestones = forms.CharField(
        label=_("New milestone dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "M-2 2027-02-01"}),
        help_text=_("One milestone per line: its key and its new due date, e.g. “M-2 2027-02-01”."),
    )

    def __init__(self, *args, tasks=(), milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.date_tasks, self.date_milestones = list(tasks), list(milestones)
        for task in self.date_tasks:
            self.fields[f"date-{task.key}-start"] = _date_field(_("New start of %s") % task.key)
            self.fields[f"date-{task.key}-due"] = _date_field(_("New due date of %s") % task.key)
        for milestone in self.date_milestones:
            self.fields[f"date-{milestone.key}-due"] = _date_field(
                _("New due date of %s") % milestone.key
            )

    # -- what the template shows ---------------------------------------------------------

    def task_rows(self) -> list[dict]:
        return [
            {
                "item": task,
                "start": self[f"date-{task.key}-start"],
                "due": self[f"date-{task.key}-due"],
            }
            for task in self.date_tasks
        ]

    def milestone_rows(self) -> list[dict]:
        return [
            {"item": milestone, "due": self[f"date-{milestone.key}-due"]}
            for milestone in self.date_milestones
        ]

    # -- cleaning ------------------------------------------------------------------------

    def clean_schedule(self) -> list[dict]:
        return parse_schedule(self.cleaned_data["schedule"])

    def clean_milestones(self) -> list[dict]:
        return parse_milestones(self.cleaned_data["milestones"])

    def clean(self) -> dict:
        """The typed lines first (their line numbers stay those the user sees),
        then one line per task or milestone whose date inputs are filled in."""
        super().clean()
        data = self.cleaned_data
        if "schedule" in data:
            data["schedule"] = self._merge(data["schedule"], self._task_lines(data), "schedule")
        if "milestones" in data:
            rows = self._milestone_lines(data)
            data["milestones"] = self._merge(data["milestones"], rows, "milestones")
        return data

    def _task_lines(self, data: dict) -> list[dict]:
        lines = []
        for task in self.date_tasks:
            start_name, due_name = f"date-{task.key}-start", f"date-{task.key}-due"
            start, due = data.get(start_name), data.get(due_name)
            if start is None and due is None:
                continue  # not rescheduled (or a bad date, already said beside it)
            start, due = start or task.start_date, due or task.due_date
            if start is None or due is None:
                missing = start_name if start is None else due_name
                message = _("%(key)s has no dates yet: give both.") % {"key": task.key}
                self.add_error(missing, message)
                continue
            if due < start:
                self.add_error(due_name, _("The due date is before the start."))
                continue
            lines.append({"task": task.key, "start": start.isoformat(), "due": due.isoformat()})
        return lines

    def _milestone_lines(self, data: dict) -> list[dict]:
        return [
            {"milestone": milestone.key, "due": data[f"date-{milestone.key}-due"].isoformat()}
            for milestone in self.date_milestones
            if data.get(f"date-{milestone.key}-due")
        ]

    def _merge(self, typed: list[dict], rows: list[dict], field: str) -> list[dict]:
        name = "task" if field == "schedule" else "milestone"
        in_rows = {row[name] for row in rows}
        twice = [line[name] for line in typed if line[name] in in_rows]
        if twice:
            self.add_error(
                field,
                _("%(keys)s also has dates in the inputs above: keep one of the two.")
                % {"keys": ", ".join(twice)},
            )
        return [*typed, *rows]

    @staticmethod
    def initial_lines(change: ChangeRequest, tasks, milestones) -> dict:
        """The saved lines split: the inputs of the tasks and milestones shown as
        rows, the typed lines for the others."""
        row_tasks = {task.key for task in tasks}
        row_milestones = {milestone.key for milestone in milestones}
        initial = {"schedule": "", "milestones": ""}
        typed_tasks, typed_milestones = [], []
        for line in change.schedule_changes or ():
            if line["task"] in row_tasks:
                initial[f"date-{line['task']}-start"] = line["start"]
                initial[f"date-{line['task']}-due"] = line["due"]
            else:
                typed_tasks.append(line)
        for line in change.milestone_changes or ():
            if line["milestone"] in row_milestones:
                initial[f"date-{line['milestone']}-due"] = line["due"]
            else:
                typed_milestones.append(line)
        initial["schedule"] = schedule_text(typed_tasks)
        initial["milestones"] = milestones_text(typed_milestones)
        return initial


class AssessForm(ImpactLinesForm, VersionedForm):
    """The assessed impact. The schedule's effect on the rest of the plan is
    computed, not typed: the preview shows it before saving."""

    cost_visible = forms.BooleanField(label=_("Show the cost to the client"), required=False)
    scope_impact = forms.CharField(
        label=_("Impact on scope"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Formatting works: **bold**, lists, links. What is added, removed or changed in what "
            "the team delivers."
        ),
    )
    risk_level = forms.ChoiceField(
        label=_("Risk"),
        required=False,
        choices=[("", _("Not assessed")), *ChangeRequest.Risk.choices],
    )
    risk_impact = forms.CharField(
        label=_("Risks it brings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Formatting works: **bold**, lists, links."),
    )

    HEAD_FIELDS = (
        "effort_hours",
        "cost",
        "cost_visible",
        "scope_impact",
        "risk_level",
        "risk_impact",
    )

    @property
    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.HEAD_FIELDS}
        for name, service in SERVICE_FIELDS.items():
            data[service] = self.cleaned_data[name]
        return data

    @staticmethod
    def initial_of(change: ChangeRequest, tasks=(), milestones=()) -> dict:
        return {
            "effort_hours": change.effort_hours,
            "cost": change.cost,
            # Costs stay internal until shared on purpose (docs/architecture.md, The
            # access model): a first assessment starts with the box clear.
            "cost_visible": change.cost_visible if change.cost is not None else False,
            "scope_impact": change.scope_impact,
            "risk_level": change.risk_level,
            "risk_impact": change.risk_impact,
            **ImpactLinesForm.initial_lines(change, tasks, milestones),
            "version": change.version,
        }


# -- the client ----------------------------------------------------------------------
# Fields are optional on purpose: the services say what is missing, beside the field.


class ChangeRequestForm(forms.Form):
    title = forms.CharField(
        label=_("What should change?"),
        max_length=300,
        required=False,
        help_text=_("One sentence, e.g. “Add a second delivery address per customer”."),
    )
    description = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What should be different, as precisely as you can. Formatting works: **bold**, "
            "lists, links."
        ),
    )
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the change is for. It helps the team weigh it."),
    )
    file = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("Optional: a PDF, an image, an Office document or a text file."),
    )


APPROVE_STATEMENT = _("I approve this change and its impact.")


class ApproveForm(VersionedForm):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        required=False,
        help_text=_("Typing your name is your signature."),
    )
    agreed = forms.BooleanField(label=APPROVE_STATEMENT, required=False)

    def clean_agreed(self) -> bool:
        if not self.cleaned_data["agreed"]:
            raise forms.ValidationError(_("Tick the box to approve the change and its impact."))
        return True


class RejectForm(VersionedForm):
    comment = forms.CharField(
        label=_("Why do you reject it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The team reads this and comes back to you."),
    )
