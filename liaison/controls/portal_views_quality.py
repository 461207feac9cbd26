"""The client's acceptance tests: the rounds opened to them, one round with its
cases to mark passed or failed (with a note, and a failure's severity),
submitted together, and its results as a PDF. Client audience only: a round
still being prepared is 404 here. Mounted in the portal by `portal_urls.py`
(the tab is registered in apps.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.controls.forms.quality import ResultsForm
from liaison.controls.selectors import quality as selectors
from liaison.controls.services import uat as services
from liaison.controls.uat_pdf import uat_pdf_response
from liaison.core.forms import submit
from liaison.projects import access
from liaison.projects.access import CLIENT, Action


@login_required
@require_GET
def round_list(request, code: str):
    project = access.get_portal_project(request.user, code)
    return render(
        request,
        "controls/portal/uat_list.html",
        {"project": project, "rounds": selectors.uat_round_list(project=project, audience=CLIENT)},
    )


def _round_page(request, project, round_, form=None):
    can_approve = access.can(request.user, Action.APPROVE, project)
    if form is None and round_.is_open and can_approve:
        form = ResultsForm(round_=round_, initial={"version": round_.version})
    return render(
        request,
        "controls/portal/uat_round.html",
        {"project": project, "round": round_, "cases": round_.case_rows, "form": form},
    )


@login_required
@require_GET
def round_detail(request, code: str, key: str):
    project = access.get_portal_project(request.user, code)
    round_ = selectors.uat_round_get(project=project, audience=CLIENT, key=key)
    return _round_page(request, project, round_)


@login_required
@require_POST
def round_results(request, code: str, key: str):
    project = access.get_portal_project(request.user, code, need=Action.APPROVE)
    round_ = selectors.uat_round_get(project=project, audience=CLIENT, key=key)
    if not round_.is_open:
        messages.error(request, _("This round is not waiting for results."))
        return redirect("portal:uat-round", code=project.code, key=round_.key)
    form = ResultsForm(request.POST, round_=round_)
    saved = submit(
        form,
        lambda data: services.uat_results_submit(
            round=round_, by=request.user, version=data["version"], results=form.results()
        ),
    )
    if saved is None:
        return _round_page(request, project, round_, form)
    messages.success(
        request,
        _("Thank you: %(passed)s passed, %(failed)s failed.")
        % {"passed": saved.passed_count, "failed": saved.failed_count},
    )
    return redirect("portal:uat-round", code=project.code, key=saved.key)


@login_required
@require_GET
def round_pdf(request, code: str, key: str):
    project = access.get_portal_project(request.user, code)
    round_ = selectors.uat_round_get(project=project, audience=CLIENT, key=key)
    return uat_pdf_response(round_, portal=True)
