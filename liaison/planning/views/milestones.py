"""The team's milestone pages: the list, one milestone with its tasks and its
acceptance record, its form, its moves, the submission to the client and the
acceptance PDF."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.core.forms import submit
from liaison.core.locking import StaleEdit
from liaison.core.params import positive_int, typed_text
from liaison.core.registry import registry
from liaison.core.services import InvalidInput
from liaison.planning.forms.milestones import MilestoneEditForm, MilestoneForm
from liaison.planning.models import Milestone, MilestoneReview
from liaison.planning.pdf import STATUS_COLOURS, milestone_pdf_response
from liaison.planning.selectors import milestones as selectors
from liaison.planning.selectors.tasks import TaskFilters, task_list
from liaison.planning.selectors.variance import latest_plan_baseline, milestone_variances
from liaison.planning.services import milestones as services
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise, WithAnnotations

    from liaison.planning.selectors.milestones import TaskCounts

Status = Milestone.Status
TASKS_SHOWN = 100
# The manual moves, in the manager's words (services.milestones.MANUAL_MOVES).
MOVE_LABELS: "dict[tuple[str, str], StrPromise]" = {
    (Status.PLANNED, Status.IN_PROGRESS): gettext_lazy("Start work"),
    (Status.IN_PROGRESS, Status.PLANNED): gettext_lazy("Back to planned"),
    (Status.REJECTED, Status.IN_PROGRESS): gettext_lazy("Reopen"),
    (Status.SUBMITTED, Status.IN_PROGRESS): gettext_lazy("Withdraw submission"),
}


def _milestone_for(request, code: str, key: str, need: Action = Action.VIEW):
    """The project (access first: a role too low is 403 whatever the key) and
    the milestone as this user's audience sees it."""
    project = access.get_project_for(request.user, code, need=need)
    audience = access.audience_of(request.user, project)
    milestone = selectors.milestone_get(project=project, audience=audience, key=key)
    return project, milestone


def _to_detail(milestone: Milestone):
    return redirect("planning:milestone", code=milestone.project.code, key=milestone.key)


def _progress(milestone: "WithAnnotations[Milestone, TaskCounts]") -> int | None:
    if not milestone.task_count:
        return None
    return round(100 * milestone.done_count / milestone.task_count)


# -- the list --------------------------------------------------------------------------


@login_required
@require_GET
def milestone_list(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    milestones = list(selectors.milestone_list(project=project, audience=audience))
    baseline = latest_plan_baseline(project=project)
    variances = milestone_variances(project=project, milestones=milestones, baseline=baseline)
    status_labels = dict(Status.choices)
    today = timezone.localdate()
    # What each row prints, worked out here once (docs/architecture.md, Pages that stay fast).
    rows = [
        {
            "milestone": milestone,
            "colour": STATUS_COLOURS.get(milestone.status, "grey"),
            "status_label": status_labels[milestone.status],
            "overdue": milestone.overdue_on(today),
            "progress": _progress(milestone),
            "variance": variances.get(milestone.pk),
        }
        for milestone in milestones
    ]
    return render(
        request,
        "planning/milestone_list.html",
        {
            "project": project,
            "rows": rows,
            "baseline": baseline,
            "awaiting": sum(1 for m in milestones if m.status == Status.SUBMITTED),
            **access.permission_flags(request.user, project),
        },
    )


# -- one milestone ---------------------------------------------------------------------


@login_required
@require_GET
def milestone_detail(request, code: str, key: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    # The list's row: the milestone with its task counts, in one query.
    milestone = selectors.milestone_list(project=project, audience=audience).filter(key=key).first()
    if milestone is None:
        raise Http404
    milestone.project = project
    tasks = list(
        task_list(
            project=project,
            audience=audience,
            filters=TaskFilters(milestone=milestone.key, sort="due"),
        )[: TASKS_SHOWN + 1]
    )
    reviews = list(selectors.milestone_reviews(milestone=milestone))
    baseline = latest_plan_baseline(project=project)
    variance = milestone_variances(project=project, milestones=[milestone], baseline=baseline)
    latest = reviews[0] if reviews else None
    return render(
        request,
        "planning/milestone_detail.html",
        {
            "project": project,
            "milestone": milestone,
            "colour": STATUS_COLOURS.get(milestone.status, "grey"),
            "progress": _progress(milestone),
            "variance": variance.get(milestone.pk),
            "baseline": baseline,
            "tasks": tasks[:TASKS_SHOWN],
            "more_tasks": len(tasks) > TASKS_SHOWN,
            "tasks_query": TaskFilters(milestone=milestone.key).query(),
            "reviews": reviews,
            "rejected": latest
            if latest is not None and latest.verdict == MilestoneReview.Verdict.REJECTED
            else None,
            "moves": [
                (status, MOVE_LABELS.get((milestone.status, status), Status(status).label))
                for status in sorted(services.MANUAL_MOVES[milestone.status])
            ],
            "can_submit": milestone.status in services.SUBMITTABLE,
            "show_ip": True,
            "sections": milestone_sections(request, project, milestone, audience),
            **access.permission_flags(request.user, project),
        },
    )


def milestone_sections(request, project: Project, milestone: Milestone, audience) -> list[dict]:
    """The sections the features above add to a milestone's page (registry's
    `MilestoneSection`): the team's template of each, with its context."""
    return [
        {"template": kind.template, "context": kind.context(request, project, milestone, audience)}
        for kind in registry.milestone_sections
    ]


# -- the form --------------------------------------------------------------------------


def _form_page(request, project: Project, form, milestone: Milestone | None):
    return render(
        request,
        "planning/milestone_form.html",
        {
            "project": project,
            "form": form,
            "milestone": milestone,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = MilestoneForm(
        request.POST if request.method == "POST" else None, initial={"client_visible": True}
    )
    if request.method == "POST":
        milestone = submit(
            form,
            lambda data: services.milestone_create(
                project=project, by=request.user, **form.service_fields
            ),
        )
        if milestone is not None:
            messages.success(request, _("%(key)s created.") % {"key": milestone.key})
            return _to_detail(milestone)
    return _form_page(request, project, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, code: str, key: str):
    project, milestone = _milestone_for(request, code, key, need=Action.MANAGE)
    form = MilestoneEditForm(
        request.POST if request.method == "POST" else None,
        milestone=milestone,
        initial=MilestoneForm.initial_of(milestone),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.milestone_update(
                milestone=milestone, by=request.user, version=data["version"], **form.service_fields
            ),
        )
        if saved is not None:
            messages.success(request, _("%(key)s saved.") % {"key": milestone.key})
            return _to_detail(milestone)
    return _form_page(request, project, form, milestone)


@login_required
@require_POST
def milestone_delete(request, code: str, key: str):
    project, milestone = _milestone_for(request, code, key, need=Action.MANAGE)
    try:
        services.milestone_delete(milestone=milestone, by=request.user)
    except InvalidInput as error:
        messages.error(request, error.message)
        return _to_detail(milestone)
    messages.success(
        request,
        _("%(key)s deleted. Its tasks stay in the plan, without a milestone.")
        % {"key": milestone.key},
    )
    return redirect("planning:milestones", code=project.code)


# -- moves and the submission ----------------------------------------------------------


@login_required
@require_POST
def milestone_status(request, code: str, key: str):
    _project, milestone = _milestone_for(request, code, key, need=Action.MANAGE)
    try:
        moved = services.milestone_transition(
            milestone=milestone,
            by=request.user,
            status=request.POST.get("status", ""),
            # The page's version: a move picked on a stale page is refused.
            version=positive_int(request.POST.get("version")),
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(key)s is now %(status)s.")
            % {"key": moved.key, "status": moved.get_status_display()},
        )
    return _to_detail(milestone)


@login_required
@require_POST
def milestone_submit(request, code: str, key: str):
    _project, milestone = _milestone_for(request, code, key, need=Action.MANAGE)
    try:
        review = services.milestone_submit(
            milestone=milestone,
            by=request.user,
            note=typed_text(request.POST.get("note"), field="note", limit=5000),
            version=positive_int(request.POST.get("version")),
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(key)s is submitted for acceptance (round %(round)s). The client has been asked.")
            % {"key": milestone.key, "round": review.round},
        )
    return _to_detail(milestone)


@login_required
@require_GET
def milestone_pdf(request, code: str, key: str):
    project, milestone = _milestone_for(request, code, key)
    return milestone_pdf_response(milestone, audience=access.audience_of(request.user, project))
