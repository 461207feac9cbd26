"""The client's requirements and baselines: read what is agreed, ask for more,
sign or reject what the team proposes. Client audience only: rows the team
keeps internal never reach these pages. Mounted in the portal by
`portal_urls.py` (registered in `apps.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.collab.forms import post_comment
from liaison.core.forms import add_service_error, submit
from liaison.core.pagination import paginate
from liaison.core.request_info import client_ip
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import CLIENT, Action
from liaison.projects.models import Project
from liaison.projects.selectors import decisions_waiting
from liaison.requirements import selectors, services
from liaison.requirements.forms import BaselineRejectForm, BaselineSignForm, RequirementRequestForm
from liaison.requirements.models import Baseline
from liaison.requirements.pdf import baseline_pdf_response
from liaison.requirements.views.baselines import baseline_context
from liaison.requirements.views.requirements import requirement_context

# -- requirements ---------------------------------------------------------------


@login_required
@require_GET
def requirement_list(request, code: str):
    project = access.get_portal_project(request.user, code)
    filters = selectors.RequirementFilters.for_client(request.GET)
    rows = selectors.requirement_list(project=project, audience=CLIENT, filters=filters)
    return render(
        request,
        "requirements/portal/requirement_list.html",
        {
            "project": project,
            "filters": filters,
            "page": paginate(rows, request),
            "decisions": decisions_waiting(projects=[project]),
        },
    )


@login_required
@require_GET
def requirement_detail(request, code: str, key: str):
    project = access.get_portal_project(request.user, code)
    requirement = selectors.requirement_get(project=project, audience=CLIENT, key=key)
    return render(
        request,
        "requirements/portal/requirement_detail.html",
        {
            **requirement_context(request, project, requirement, audience=CLIENT),
            "can_comment": access.can(request.user, Action.COMMENT, project),
        },
    )


@login_required
@require_POST
def requirement_comment(request, code: str, key: str):
    project = access.get_portal_project(request.user, code, need=Action.COMMENT)
    requirement = selectors.requirement_get(project=project, audience=CLIENT, key=key)
    post_comment(
        request,
        target=requirement,
        project=project,
        url=reverse("requirements:detail", args=[project.code, requirement.key]),
        portal_url=reverse("portal:requirement", args=[project.code, requirement.key]),
        client=True,
    )
    return redirect("portal:requirement", code=project.code, key=requirement.key)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_request(request, code: str):
    project = access.get_portal_project(request.user, code, need=Action.COMMENT)
    form = RequirementRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        requirement = submit(
            form,
            lambda data: services.requirement_request(
                project=project,
                by=request.user,
                title=data["title"],
                body=data["body"],
                upload=data["file"],
            ),
        )
        if requirement is not None:
            messages.success(
                request,
                _("Thank you. Your request %(key)s is received; the team will review it.")
                % {"key": requirement.key},
            )
            return redirect("portal:requirements", code=project.code)
    return render(
        request, "requirements/portal/requirement_request.html", {"project": project, "form": form}
    )


# -- baselines ------------------------------------------------------------------


def _baseline_page(request, project: Project, baseline: Baseline, **forms):
    """The baseline as the client reads it; when it awaits them, the two
    decisions and what changed since the last baseline they signed."""
    context = baseline_context(project, baseline)
    if baseline.status == Baseline.Status.PROPOSED:
        signed = selectors.baseline_last_signed(project=project, before=baseline.number)
        context.update(
            sign_form=forms.get("sign_form") or BaselineSignForm(),
            reject_form=forms.get("reject_form") or BaselineRejectForm(),
            old=signed,
            new=baseline,
            diff=selectors.baseline_diff(signed, baseline) if signed else None,
        )
    return render(request, "requirements/portal/baseline_detail.html", context)


@login_required
@require_GET
def baseline_detail(request, code: str, number: int):
    project = access.get_portal_project(request.user, code)
    baseline = selectors.baseline_get(project=project, number=number)
    return _baseline_page(request, project, baseline)


def _decide(request, code: str, number: int, *, form_class, decide, form_name: str, done: str):
    """Sign or reject: a refused input shows beside its field; a baseline that
    was decided or replaced meanwhile sends the client back to read it."""
    project = access.get_portal_project(request.user, code, need=Action.APPROVE)
    baseline = selectors.baseline_get(project=project, number=number)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            decide(
                baseline=baseline,
                by=request.user,
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except InvalidInput as error:
            if error.field is None:
                messages.error(request, error.message)
                return redirect("portal:baseline", code=project.code, number=baseline.number)
            add_service_error(form, error)
        else:
            messages.success(request, done % {"number": baseline.number})
            return redirect("portal:baseline", code=project.code, number=baseline.number)
    return _baseline_page(request, project, baseline, **{form_name: form})


@login_required
@require_POST
def baseline_sign(request, code: str, number: int):
    return _decide(
        request,
        code,
        number,
        form_class=BaselineSignForm,
        decide=services.baseline_sign,
        form_name="sign_form",
        done=_("You signed baseline %(number)s. The team has been notified."),
    )


@login_required
@require_POST
def baseline_reject(request, code: str, number: int):
    return _decide(
        request,
        code,
        number,
        form_class=BaselineRejectForm,
        decide=services.baseline_reject,
        form_name="reject_form",
        done=_("You rejected baseline %(number)s. The team has your comment and will reply."),
    )


@login_required
@require_GET
def baseline_pdf(request, code: str, number: int):
    project = access.get_portal_project(request.user, code)
    baseline = selectors.baseline_get(project=project, number=number)
    return baseline_pdf_response(baseline, audience=CLIENT)
