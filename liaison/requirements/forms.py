from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.forms import UploadField, VersionedForm
from liaison.projects.access import INTERNAL_ROLES
from liaison.projects.models import Project
from liaison.requirements.models import ImportJob, Requirement
from liaison.requirements.rules import EDITABLE_FIELDS, SIGN_STATEMENT

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORES = [(n, str(n)) for n in range(1, 6)]


def _score_field(label, help_text) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=SCORES, coerce=int, help_text=help_text)


class ScoreFields(forms.Form):
    """What the prioritisation view edits: MoSCoW and the three 1–5 scores."""

    priority = forms.ChoiceField(label=_("Priority (MoSCoW)"), choices=Requirement.Priority.choices)
    value = _score_field(_("Value"), _("What it is worth to the client: 1 little, 5 a lot."))
    feasibility = _score_field(
        _("Feasibility"), _("How sure we are we can build it: 1 unsure, 5 sure.")
    )
    cost = _score_field(_("Cost"), _("The effort it takes: 1 small, 5 large."))


class RequirementForm(ScoreFields):
    kind = forms.ChoiceField(label=_("Kind"), choices=Requirement.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        error_messages={"required": _("A requirement needs a title.")},
    )
    body = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Formatting: **bold**, *italic*, lists, links and tables."),
    )
    acceptance_criteria = forms.CharField(
        label=_("Acceptance criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One criterion per line. The client accepts the work against them."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=Requirement.Source.choices)
    source_ref = forms.CharField(
        label=_("Source reference"),
        max_length=200,
        required=False,
        help_text=_("Which meeting, e-mail or document it came from."),
    )
    parent = forms.ModelChoiceField(
        label=_("Parent requirement"), queryset=Requirement.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    client_visible = forms.BooleanField(
        label=_("Visible to the client"),
        required=False,
        help_text=_("The client sees it in the portal and in baselines."),
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas.")
    )

    field_order = list(EDITABLE_FIELDS)

    def __init__(self, *args, project: Project, requirement: Requirement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Requirement.objects.filter(project=project)
        if requirement is not None:
            parents = parents.exclude(pk=requirement.pk)
        cast("forms.ModelChoiceField[Requirement]", self.fields["parent"]).queryset = parents
        cast("forms.ModelChoiceField[User]", self.fields["owner"]).queryset = User.objects.filter(
            memberships__project=project, memberships__role__in=INTERNAL_ROLES, is_active=True
        )

    @staticmethod
    def initial_of(requirement: Requirement) -> dict:
        """The form's starting values for an existing requirement."""
        return {
            **{name: getattr(requirement, name) for name in RequirementForm.field_order},
            "acceptance_criteria": "\n".join(requirement.acceptance_criteria),
            "tags": ", ".join(requirement.tag_list),
            "version": requirement.version,
        }


class RequirementEditForm(RequirementForm, VersionedForm):
    pass


class ScoreForm(ScoreFields, VersionedForm):
    pass


class BaselineProposeForm(forms.Form):
    # Not required here: the service says what is missing, in its own words.
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("What the client is asked to agree to, e.g. “Scope of phase 1”."),
    )
    note = forms.CharField(
        label=_("Note to the client"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Shown above the requirements when the client signs."),
    )


class ImportForm(forms.Form):
    file = UploadField(
        model_field=ImportJob._meta.get_field("file"),
        label=_("Excel workbook (.xlsx)"),
        help_text=_("At most 10 MB. The first row must be the header row of the template."),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )


# -- the client's forms (portal_views.py) ---------------------------------------------------
# Fields are optional here on purpose: the services check what is missing and
# say so in their own words, beside the field.


class RequirementRequestForm(forms.Form):
    title = forms.CharField(
        label=_("What do you need?"),
        max_length=300,
        required=False,
        help_text=_("One sentence, e.g. “Export the monthly stock report to Excel”."),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why you need it and how you would know it works. Formatting works: **bold**, lists, "
            "links."
        ),
    )
    file = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("Optional: a PDF, an image, an Office document or a text file."),
    )


class BaselineSignForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        required=False,
        help_text=_("Typing your name is your signature."),
    )
    agreed = forms.BooleanField(label=SIGN_STATEMENT, required=False)


class BaselineRejectForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The team reads this and comes back with a new baseline."),
    )
