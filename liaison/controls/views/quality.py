"""The team's quality pages: the plan (its standards, in order, the manager's)
with the latest checks and the acceptance-test rounds, a check with its
findings (each can become an issue in one step), and their forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.controls.forms.quality import (
    CheckEditForm,
    CheckForm,
    FindingForm,
    RaiseIssueForm,
    StandardEditForm,
    StandardForm,
)
from liaison.controls.models import Issue, QualityCheck
from liaison.controls.selectors import quality as selectors
from liaison.controls.services import quality as services
from liaison.core.forms import submit
from liaison.core.locking import StaleEdit
from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action


def _to_plan(code: str, anchor: str = ""):
    return redirect(reverse("controls:quality", args=[code]) + anchor)


def _to_check(check: QualityCheck):
    return redirect(reverse("controls:quality-check", args=[check.project.code, check.number]))


@login_required
@require_GET
def quality_plan(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    return render(
        request,
        "controls/quality_plan.html",
        {
            "project": project,
            "standards": selectors.standard_list(project=project),
            "checks": selectors.check_list(project=project, audience=audience),
            "rounds": selectors.uat_round_list(project=project, audience=audience),
            **access.permission_flags(request.user, project),
        },
    )


# -- standards ----------------------------------------------------------------------


def _standard_page(request, project, form, standard=None):
    return render(
        request,
        "controls/quality_standard_form.html",
        {
            "project": project,
            "form": form,
            "standard": standard,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = StandardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.quality_standard_create(project=project, by=request.user, **data),
        )
        if saved is not None:
            return _to_plan(code, "#standards")
    return _standard_page(request, project, form)


@login_required
@require_http_methods(["GET", "POST"])
def standard_edit(request, code: str, standard_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    standard = selectors.standard_get(project=project, pk=standard_id)
    if request.method == "POST":
        form = StandardEditForm(request.POST)
        saved = submit(
            form,
            lambda data: services.quality_standard_update(
                standard=standard, by=request.user, **data
            ),
        )
        if saved is not None:
            return _to_plan(code, "#standards")
    else:
        form = StandardEditForm(
            initial={
                "title": standard.title,
                "criterion": standard.criterion,
                "method": standard.method,
                "version": standard.version,
            }
        )
    return _standard_page(request, project, form, standard)


def _act(request, action) -> None:
    """Run a button's service; its refusal becomes a message on the next page."""
    try:
        action()
    except (InvalidInput, StaleEdit) as refused:
        messages.error(request, str(refused.message))


@login_required
@require_POST
def standard_move(request, code: str, standard_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    standard = selectors.standard_get(project=project, pk=standard_id)
    version = positive_int(request.POST.get("version"))
    _act(
        request,
        lambda: services.quality_standard_move(
            standard=standard,
            by=request.user,
            version=version or 0,
            direction=request.POST.get("direction", ""),
        ),
    )
    return _to_plan(code, "#standards")


@login_required
@require_POST
def standard_delete(request, code: str, standard_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    standard = selectors.standard_get(project=project, pk=standard_id)
    version = positive_int(request.POST.get("version"))
    _act(
        request,
        lambda: services.quality_standard_delete(
            standard=standard, by=request.user, version=version or 0
        ),
    )
    return _to_plan(code, "#standards")


# -- checks -------------------------------------------------------------------------


def _check_page(request, project, form, check=None):
    return render(
        request,
        "controls/quality_check_form.html",
        {
            "project": project,
            "form": form,
            "check": check,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    if request.method == "POST":
        form = CheckForm(request.POST, project=project)
        saved = submit(
            form,
            lambda data: services.quality_check_create(project=project, by=request.user, **data),
        )
        if saved is not None:
            return _to_check(saved)
    else:
        form = CheckForm(
            project=project,
            initial={
                "checked_on": timezone.localdate(),
                "checked_by": request.user.pk,
                "standard": positive_int(request.GET.get("standard")),
            },
        )
    return _check_page(request, project, form)


@login_required
@require_GET
def check_detail(request, code: str, number: int):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    check = selectors.check_get(project=project, audience=audience, number=number)
    return render(
        request,
        "controls/quality_check.html",
        {
            "project": project,
            "check": check,
            "finding_form": FindingForm(),
            "issue_form": RaiseIssueForm(),
            # The choices' labels translated once, not in each finding's row.
            "issue_kinds": [
                (value, str(label))
                for value, label in Issue.Kind.choices
                if value in services.ISSUE_KINDS
            ],
            "issue_severities": [(value, str(label)) for value, label in Issue.Severity.choices],
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_edit(request, code: str, number: int):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    audience = access.audience_of(request.user, project)
    check = selectors.check_get(project=project, audience=audience, number=number)
    if request.method == "POST":
        form = CheckEditForm(request.POST, project=project)
        saved = submit(
            form, lambda data: services.quality_check_update(check=check, by=request.user, **data)
        )
        if saved is not None:
            return _to_check(saved)
    else:
        form = CheckEditForm(
            project=project,
            initial={
                "kind": check.kind,
                "standard": check.standard_id,
                "milestone": check.milestone_id,
                "checked_on": check.checked_on,
                "checked_by": check.checked_by_id,
                "result": check.result,
                "notes": check.notes,
                "client_visible": check.client_visible,
                "version": check.version,
            },
        )
    return _check_page(request, project, form, check)


@login_required
@require_POST
def finding_add(request, code: str, number: int):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    audience = access.audience_of(request.user, project)
    check = selectors.check_get(project=project, audience=audience, number=number)
    form = FindingForm(request.POST)
    if form.is_valid():
        _act(
            request,
            lambda: services.quality_finding_add(
                check=check, by=request.user, text=form.cleaned_data["text"]
            ),
        )
    else:
        messages.error(request, _("Say what the check found, in at most 500 characters."))
    return _to_check(check)


@login_required
@require_POST
def finding_issue(request, code: str, finding_id: int):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    audience = access.audience_of(request.user, project)
    finding = selectors.finding_get(project=project, audience=audience, pk=finding_id)
    check = finding.quality_check
    form = RaiseIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the issue's kind and severity."))
        return _to_check(check)
    try:
        issue = services.quality_finding_raise_issue(
            finding=finding, by=request.user, **form.cleaned_data
        )
    except InvalidInput as refused:
        messages.error(request, str(refused.message))
        return _to_check(check)
    messages.success(request, _("%(key)s raised.") % {"key": issue.key})
    return _to_check(check)
