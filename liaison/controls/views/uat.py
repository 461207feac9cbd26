"""The team's pages of the client's acceptance tests: a new round for a
milestone (its cases drawn from the criteria), the round with its cases
(added, edited and removed while it is a draft), opening it to the client,
its results and their PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.controls.forms.quality import CaseForm, RoundForm, RoundVersionForm
from liaison.controls.models import UatRound
from liaison.controls.selectors import quality as selectors
from liaison.controls.services import uat as services
from liaison.controls.uat_pdf import uat_pdf_response
from liaison.core.forms import submit
from liaison.core.locking import StaleEdit
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action


def _round_for(request, code: str, key: str, need: Action = Action.VIEW):
    project = access.get_project_for(request.user, code, need=need)
    audience = access.audience_of(request.user, project)
    return project, selectors.uat_round_get(project=project, audience=audience, key=key)


def _to_round(round_: UatRound, anchor: str = ""):
    return redirect(reverse("controls:uat-round", args=[round_.project.code, round_.key]) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = RoundForm(request.POST if request.method == "POST" else None, project=project)
    if request.method == "POST":
        saved = submit(form, lambda data: services.uat_round_create(by=request.user, **data))
        if saved is not None:
            return _to_round(saved)
    return render(
        request,
        "controls/uat_round_form.html",
        {"project": project, "form": form, **access.permission_flags(request.user, project)},
    )


def _round_page(request, project, round_, case_form=None):
    flags = access.permission_flags(request.user, project)
    return render(
        request,
        "controls/uat_round.html",
        {
            "project": project,
            "round": round_,
            "cases": round_.case_rows,
            "case_form": case_form
            or CaseForm(project=project, initial={"version": round_.version}),
            "editable": round_.is_draft and flags["can_manage"],
            **flags,
        },
    )


@login_required
@require_GET
def round_detail(request, code: str, key: str):
    project, round_ = _round_for(request, code, key)
    return _round_page(request, project, round_)


@login_required
@require_POST
def case_add(request, code: str, key: str):
    project, round_ = _round_for(request, code, key, need=Action.MANAGE)
    form = CaseForm(request.POST, project=project)
    saved = submit(form, lambda data: services.uat_case_add(round=round_, by=request.user, **data))
    if saved is None:
        return _round_page(request, project, round_, case_form=form)
    return _to_round(round_, "#cases")


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, code: str, case_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    case = selectors.case_get(project=project, pk=case_id)
    round_ = case.round
    if request.method == "POST":
        form = CaseForm(request.POST, project=project)
        saved = submit(
            form, lambda data: services.uat_case_update(case=case, by=request.user, **data)
        )
        if saved is not None:
            return _to_round(round_, "#cases")
    else:
        form = CaseForm(
            project=project,
            initial={
                "title": case.title,
                "steps": case.steps,
                "requirement": case.requirement.key if case.requirement else "",
                "version": round_.version,
            },
        )
    return render(
        request,
        "controls/uat_case_form.html",
        {
            "project": project,
            "round": round_,
            "case": case,
            "form": form,
            **access.permission_flags(request.user, project),
        },
    )


def _button(request, action) -> None:
    form = RoundVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.non_field_errors()))
        return
    try:
        action(form.cleaned_data["version"])
    except (InvalidInput, StaleEdit) as refused:
        messages.error(request, str(refused.message))


@login_required
@require_POST
def case_remove(request, code: str, case_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    case = selectors.case_get(project=project, pk=case_id)
    round_ = case.round
    _button(
        request,
        lambda version: services.uat_case_remove(case=case, by=request.user, version=version),
    )
    return _to_round(round_, "#cases")


@login_required
@require_POST
def round_open(request, code: str, key: str):
    _project, round_ = _round_for(request, code, key, need=Action.MANAGE)
    _button(
        request,
        lambda version: services.uat_round_open(round=round_, by=request.user, version=version),
    )
    return _to_round(round_)


@login_required
@require_GET
def round_pdf(request, code: str, key: str):
    _project, round_ = _round_for(request, code, key)
    return uat_pdf_response(round_, portal=False)
