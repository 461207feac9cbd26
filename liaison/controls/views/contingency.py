"""The team's contingency plan pages: a risk's plan (everyone on the team
reads it), its steps added, edited, moved and removed by the manager, and the
activation: a preview of what would be created, then the confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison.controls.forms.contingency import ContingencyStepForm
from liaison.controls.models import ContingencyStep, Risk
from liaison.controls.selectors import contingency as selectors
from liaison.controls.selectors import risks as risk_selectors
from liaison.controls.services import contingency as services
from liaison.core.forms import submit
from liaison.core.locking import StaleEdit
from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import TEAM, Action

Kind = ContingencyStep.Kind


def _risk_for(request, code: str, key: str, need: Action = Action.VIEW) -> Risk:
    """The risk of a project the user may act on (access first: a role too low
    is 403 whatever the key); the plan is the team's, so the TEAM audience."""
    project = access.get_project_for(request.user, code, need=need)
    return risk_selectors.risk_get(project=project, audience=TEAM, key=key)


def _to_plan(risk: Risk, anchor: str = ""):
    return redirect(reverse("controls:contingency", args=[risk.project.code, risk.key]) + anchor)


def plan_version(plan) -> int:
    """A risk without a plan reads as an empty plan at version 1."""
    return plan.version if plan is not None else 1


def plan_context(request, risk: Risk) -> dict:
    """The plan, its steps (each with when it falls), its version and what the
    reader may do with it: the plan page's and the risk page's card's."""
    plan = selectors.contingency_plan_get(risk=risk)
    steps = selectors.plan_steps(plan)
    flags = access.permission_flags(request.user, risk.project)
    return {
        "plan": plan,
        "steps": steps,
        "version": plan_version(plan),
        "editable": flags["can_manage"] and not (plan and plan.activated_at),
        "issue_url": plan.issue.get_absolute_url() if plan and plan.issue else "",
    }


@login_required
@require_http_methods(["GET"])
def plan_detail(request, code: str, key: str):
    risk = _risk_for(request, code, key)
    return render(
        request,
        "controls/contingency_plan.html",
        {
            "project": risk.project,
            "risk": risk,
            "kinds": Kind.choices,
            **plan_context(request, risk),
            **access.permission_flags(request.user, risk.project),
        },
    )


def _step_form_page(request, risk: Risk, form, step):
    return render(
        request,
        "controls/contingency_step_form.html",
        {
            "project": risk.project,
            "risk": risk,
            "form": form,
            "step": step,
            "kind_label": Kind(form.step_kind).label if form.step_kind else "",
            **access.permission_flags(request.user, risk.project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_create(request, code: str, key: str):
    """A new step: of the kind the plan page chose (`?kind=`), else any."""
    risk = _risk_for(request, code, key, need=Action.MANAGE)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else None
    plan = selectors.contingency_plan_get(risk=risk)
    form = ContingencyStepForm(
        request.POST if request.method == "POST" else None,
        project=risk.project,
        kind=kind,
        initial={"version": plan_version(plan), "start_offset": 0},
    )
    if request.method == "POST":
        step = submit(
            form,
            lambda data: services.contingency_step_add(
                risk=risk, by=request.user, version=data["version"], **form.service_fields
            ),
        )
        if step is not None:
            messages.success(request, _("Step added to the plan."))
            return _to_plan(risk)
    return _step_form_page(request, risk, form, None)


def _step_for(request, code: str, key: str, step: int):
    risk = _risk_for(request, code, key, need=Action.MANAGE)
    plan = selectors.contingency_plan_get(risk=risk)
    found = selectors.contingency_step_get(plan=plan, step_id=step)
    if found is None:
        raise Http404
    return risk, plan, found


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, code: str, key: str, step: int):
    risk, plan, found = _step_for(request, code, key, step)
    form = ContingencyStepForm(
        request.POST if request.method == "POST" else None,
        project=risk.project,
        kind=found.kind,
        initial=ContingencyStepForm.initial_of(found, plan.version),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.contingency_step_update(
                step=found, by=request.user, version=data["version"], **form.service_fields
            ),
        )
        if saved is not None:
            messages.success(request, _("Step saved."))
            return _to_plan(risk)
    return _step_form_page(request, risk, form, found)


@login_required
@require_POST
def step_remove(request, code: str, key: str, step: int):
    risk, _plan, found = _step_for(request, code, key, step)
    try:
        services.contingency_step_remove(
            step=found, by=request.user, version=positive_int(request.POST.get("version")) or 0
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Step removed."))
    return _to_plan(risk)


@login_required
@require_POST
def step_move(request, code: str, key: str, step: int):
    risk, _plan, found = _step_for(request, code, key, step)
    try:
        services.contingency_step_move(
            step=found,
            by=request.user,
            version=positive_int(request.POST.get("version")) or 0,
            direction=request.POST.get("direction", ""),
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    return _to_plan(risk)


@login_required
@require_http_methods(["GET", "POST"])
def activate(request, code: str, key: str):
    """GET: what activating would create, and what stops it; POST: activate."""
    risk = _risk_for(request, code, key, need=Action.MANAGE)
    if request.method == "POST":
        try:
            activated = services.contingency_activate(
                risk=risk, by=request.user, version=positive_int(request.POST.get("version")) or 0
            )
        except (InvalidInput, StaleEdit) as error:
            messages.error(request, error.message)
            return redirect(reverse("controls:contingency-activate", args=[code, risk.key]))
        messages.success(request, _("The contingency plan is activated."))
        return _to_plan(activated.risk)
    plan = selectors.contingency_plan_get(risk=risk)
    return render(
        request,
        "controls/contingency_preview.html",
        {
            "project": risk.project,
            "risk": risk,
            "plan": plan,
            "version": plan_version(plan),
            "preview": selectors.activation_preview(risk=risk, plan=plan, day=timezone.localdate()),
            **access.permission_flags(request.user, risk.project),
        },
    )
