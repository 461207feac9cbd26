"""The team's baseline pages: the numbered list, proposing one, a baseline with
its signature or rejection, the diff of two, and the PDF."""

from itertools import zip_longest

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liaison.core.forms import submit
from liaison.core.params import positive_int
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project
from liaison.requirements import selectors, services
from liaison.requirements.forms import BaselineProposeForm
from liaison.requirements.models import Baseline
from liaison.requirements.pdf import baseline_pdf_response
from liaison.requirements.rules import SIGN_STATEMENT


@login_required
@require_GET
def baseline_list(request, code: str):
    project = access.get_project_for(request.user, code)
    baselines = list(selectors.baseline_list(project=project))
    return render(
        request,
        "requirements/baseline_list.html",
        {
            "project": project,
            # Newest first: each baseline with the one before it, to compare.
            "rows": list(zip_longest(baselines, baselines[1:])),
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def baseline_propose(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = BaselineProposeForm(request.POST or None)
    if request.method == "POST":
        baseline = submit(
            form, lambda data: services.baseline_propose(project=project, by=request.user, **data)
        )
        if baseline is not None:
            messages.success(
                request,
                _("Baseline %(number)s is proposed. The client has been asked to sign it.")
                % {"number": baseline.number},
            )
            return redirect("requirements:baseline", code=project.code, number=baseline.number)
    return render(
        request,
        "requirements/baseline_form.html",
        {
            "project": project,
            "form": form,
            "included": selectors.baseline_candidates(project=project),
            "left_out": selectors.baseline_candidates(project=project, client_visible=False),
            "pending": selectors.baselines_awaiting(project=project).first(),
            **access.permission_flags(request.user, project),
        },
    )


def baseline_context(project: Project, baseline: Baseline) -> dict:
    """A baseline as both the team and the client read it: its frozen
    requirements and what a signature on it says."""
    return {
        "project": project,
        "baseline": baseline,
        "requirements": selectors.frozen_requirements(baseline),
        "sign_statement": SIGN_STATEMENT,
    }


@login_required
@require_GET
def baseline_detail(request, code: str, number: int):
    project = access.get_project_for(request.user, code)
    baseline = selectors.baseline_get(project=project, number=number)
    return render(
        request,
        "requirements/baseline_detail.html",
        {**baseline_context(project, baseline), **access.permission_flags(request.user, project)},
    )


def _number(value: str | None) -> int | None:
    return positive_int(value)


@login_required
@require_GET
def baseline_diff_view(request, code: str):
    """?a=&b= compare two baselines by number; by default the latest two."""
    project = access.get_project_for(request.user, code)
    numbers = list(selectors.baseline_list(project=project).values_list("number", flat=True))
    a, b = _number(request.GET.get("a")), _number(request.GET.get("b"))
    if a is None or b is None:
        a, b = (numbers[1] if len(numbers) > 1 else None), (numbers[0] if numbers else None)
    context = {
        "project": project,
        "numbers": numbers,
        **access.permission_flags(request.user, project),
    }
    if a is not None and b is not None:
        old, new = selectors.baseline_pair(project=project, a=a, b=b)
        context.update(old=old, new=new, diff=selectors.baseline_diff(old, new))
    return render(request, "requirements/baseline_diff.html", context)


@login_required
@require_GET
def baseline_pdf(request, code: str, number: int):
    project = access.get_project_for(request.user, code)
    baseline = selectors.baseline_get(project=project, number=number)
    return baseline_pdf_response(baseline, audience=access.audience_of(request.user, project))
