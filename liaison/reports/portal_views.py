"""The client's status reports: the published ones, newest first; one report as
the team wrote it, acknowledging it (once, with an optional comment), its
comments and its PDF. Client audience only: a draft is 404 here. Mounted in
the portal by `portal_urls.py` (registered in `apps.py`)."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.collab.forms import post_comment
from liaison.core.locking import StaleEdit
from liaison.core.pagination import paginate
from liaison.core.params import positive_int, typed_text
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import CLIENT, Action
from liaison.projects.models import Project
from liaison.reports import services
from liaison.reports.models import StatusReport
from liaison.reports.pdf import HEALTH_COLOURS, report_pdf_response
from liaison.reports.selectors import report_get, report_list
from liaison.reports.views import report_context

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _report_for(request, code: str, number: int, need: Action = Action.VIEW):
    project = access.get_portal_project(request.user, code, need=need)
    return project, report_get(project=project, audience=CLIENT, number=number)


def _to_detail(report: StatusReport, anchor: str = ""):
    response = redirect("portal:report", code=report.project.code, number=report.number)
    if anchor:
        response["Location"] += anchor
    return response


@login_required
@require_GET
def report_list_view(request, code: str):
    project = access.get_portal_project(request.user, code)
    return render(
        request,
        "reports/portal/report_list.html",
        {
            "project": project,
            "page": paginate(report_list(project=project, audience=CLIENT), request),
            "health_colours": HEALTH_COLOURS,
        },
    )


def _page(
    request,
    project: Project,
    report: StatusReport,
    *,
    comment: str = "",
    error: "StrOrPromise | None" = None,
    status: int = 200,
):
    return render(
        request,
        "reports/portal/report_detail.html",
        {
            # The comments: the team's marked for the client, and the client's own.
            **report_context(request, project, report, audience=CLIENT, links="portal"),
            "to_acknowledge": report.status == StatusReport.Status.PUBLISHED,
            "comment": comment,
            "comment_error": error,
            "can_comment": access.can(request.user, Action.COMMENT, project),
        },
        status=status,
    )


@login_required
@require_GET
def report_detail(request, code: str, number: int):
    project, report = _report_for(request, code, number)
    return _page(request, project, report)


@login_required
@require_POST
def report_acknowledge(request, code: str, number: int):
    """The client says they have read the report. A comment is welcome, not needed."""
    project, report = _report_for(request, code, number, need=Action.APPROVE)
    comment = request.POST.get("comment", "")
    try:
        services.report_acknowledge(
            report=report,
            by=request.user,
            version=positive_int(request.POST.get("version")),
            comment=typed_text(comment, field="comment"),
        )
    except StaleEdit:
        messages.error(
            request,
            _("The team changed %(key)s meanwhile. Read it again as it now stands.")
            % {"key": report.key},
        )
    except InvalidInput as error:
        if error.field == "comment":
            return _page(request, project, report, comment=comment, error=error.message, status=400)
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Thank you: you acknowledged %(key)s. The team has been told.") % {"key": report.key},
        )
    return _to_detail(report)


@login_required
@require_GET
def report_pdf(request, code: str, number: int):
    _project, report = _report_for(request, code, number)
    return report_pdf_response(report, portal=True)


@login_required
@require_POST
def report_comment(request, code: str, number: int):
    project, report = _report_for(request, code, number, need=Action.COMMENT)
    post_comment(
        request,
        target=report,
        project=project,
        url=report.get_absolute_url(),
        portal_url=report.portal_url(),
        client=True,
    )
    return _to_detail(report, "#comments")
