"""The risk forms: what the team types. Requirements, milestones, tasks and
change requests are typed as keys ("REQ-1, T-4"), found in the project only;
the rules stay in the service (controls/services/risks.py)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.controls.models import SCORE_SCALE, Risk
from liaison.core.forms import DateInput, VersionedForm, rows_by_keys
from liaison.planning.models import Milestone, Task
from liaison.projects.access import Role
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

SCALE = [(n, str(n)) for n in SCORE_SCALE]
OPTIONAL_SCALE = [("", "—"), *SCALE]


def _scale(label: Any, help_text: Any = "", *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE if required else OPTIONAL_SCALE,
        coerce=int,
        required=required,
        empty_value=None,
        help_text=help_text,
    )


def _keys(label: Any, placeholder: str, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": placeholder, "autocomplete": "off"}),
        help_text=help_text,
    )


def _text(label: Any, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class RiskForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=300, error_messages={"required": _("A risk needs a title.")}
    )
    category = forms.ChoiceField(label=_("Category"), choices=Risk.Category.choices)
    description = _text(_("Description"), 4, _("Formatting works: **bold**, lists, links."))
    cause = _text(_("Cause"), 2, _("What could bring it about."))
    event = _text(_("Risk event"), 2, _("What would happen."))
    effect = _text(_("Effect"), 2, _("What it would do to the project."))
    probability = _scale(_("Probability"), _("1 rare … 5 almost certain."))
    impact = _scale(_("Impact"), _("1 negligible … 5 severe."))
    affects_schedule = forms.BooleanField(label=_("Affects the schedule"), required=False)
    affects_cost = forms.BooleanField(label=_("Affects the cost"), required=False)
    affects_scope = forms.BooleanField(label=_("Affects the scope"), required=False)
    affects_quality = forms.BooleanField(label=_("Affects the quality"), required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    strategy = forms.ChoiceField(
        label=_("Strategy"), choices=[("", "—"), *Risk.Strategy.choices], required=False
    )
    preventive_actions = _text(
        _("Preventive actions"), 3, _("One action per line; each may become a task.")
    )
    contingency_actions = _text(
        _("Contingency actions"), 3, _("What to do if it happens, one action per line.")
    )
    trigger = _text(_("Trigger"), 2, _("What tells us it is happening."))
    next_review_date = forms.DateField(label=_("Next review"), required=False, widget=DateInput())
    residual_probability = _scale(
        _("Residual probability"), _("Once the response is in place."), required=False
    )
    residual_impact = _scale(_("Residual impact"), required=False)
    share_residual = forms.BooleanField(
        label=_("Show the residual score to the client"), required=False
    )
    internal_notes = _text(_("Internal notes"), 2, _("The team's only: never shown to the client."))
    requirements = _keys(_("Requirements"), "REQ-1, REQ-4", _("Keys, separated by commas."))
    milestones = _keys(_("Milestones"), "M-1, M-2", _("Keys, separated by commas."))
    tasks = _keys(_("Tasks"), "T-12, T-14", _("Keys, separated by commas."))
    changes = _keys(_("Change requests"), "CR-1", _("Keys, separated by commas."))
    client_visible = forms.BooleanField(
        label=_("Visible to the client"),
        required=False,
        help_text=_("The client reads it in the portal: never the internal notes."),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
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

    def clean_changes(self) -> list[ChangeRequest]:
        return rows_by_keys(
            ChangeRequest,
            self.project,
            self.cleaned_data["changes"],
            _("No change request %(keys)s in this project."),
        )

    @property
    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["strategy"] = data.get("strategy") or ""
        return data

    @staticmethod
    def initial_of(risk: Risk) -> dict:
        def keys(rows) -> str:
            return ", ".join(row.key for row in rows.all())

        return {
            **{
                name: getattr(risk, name)
                for name in (
                    "title",
                    "category",
                    "description",
                    "cause",
                    "event",
                    "effect",
                    "probability",
                    "impact",
                    "affects_schedule",
                    "affects_cost",
                    "affects_scope",
                    "affects_quality",
                    "strategy",
                    "preventive_actions",
                    "contingency_actions",
                    "trigger",
                    "next_review_date",
                    "residual_probability",
                    "residual_impact",
                    "share_residual",
                    "internal_notes",
                    "client_visible",
                    "version",
                )
            },
            "owner": risk.owner_id,
            "requirements": keys(risk.requirements),
            "milestones": keys(risk.milestones),
            "tasks": keys(risk.tasks),
            "changes": keys(risk.changes),
        }


class RiskEditForm(VersionedForm, RiskForm):
    pass
