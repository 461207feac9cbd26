"""The team's status reports: the list, one report as the client will read it
(with its status, publication and acknowledgement), its forms, publishing,
deleting a draft, the PDF and comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import activity_for, comment_thread
from liaison.core.forms import submit
from liaison.core.locking import StaleEdit
from liaison.core.pagination import paginate
from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action, Audience
from liaison.projects.models import Project
from liaison.reports import services
from liaison.reports.forms import ReportCreateForm, ReportEditForm, last_weeks_monday
from liaison.reports.models import StatusReport
from liaison.reports.pdf import HEALTH_COLOURS, STATUS_COLOURS, body_context, report_pdf_response
from liaison.reports.periods import period_bounds
from liaison.reports.selectors import report_facts_for, report_get, report_list

RECENT_ACTIVITY = 15
# The service's field names → the create form's (it asks for any day of the period).
CREATE_FIELDS = {"period": "period", "period_start": "day", "title": "title"}


def _report_for(request, code: str, number: int, need: Action = Action.VIEW):
    """The project (access first: a role too low is 403 whatever the number)
    and the report as this user's audience sees it."""
    project = access.get_project_for(request.user, code, need=need)
    audience = access.audience_of(request.user, project)
    report = report_get(project=project, audience=audience, number=number)
    return project, report


def _to_detail(report: StatusReport, anchor: str = ""):
    response = redirect("reports:detail", code=report.project.code, number=report.number)
    if anchor:
        response["Location"] += anchor
    return response


# -- the list --------------------------------------------------------------------------


@login_required
@require_GET
def report_list_view(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    page = paginate(report_list(project=project, audience=audience), request)
    return render(
        request,
        "reports/report_list.html",
        {
            "project": project,
            "page": page,
            "health_colours": HEALTH_COLOURS,
            "status_colours": STATUS_COLOURS,
            **access.permission_flags(request.user, project),
        },
    )


# -- one report ------------------------------------------------------------------------


def report_context(
    request, project: Project, report: StatusReport, *, audience: Audience, links: str
) -> dict:
    """A report as both the team and the client read it (its body as the PDF
    has it, `links` saying whose pages its keys link to) and its comments (the
    latest 30, or all with ?comments=all)."""
    show_all = request.GET.get("comments") == "all"
    return {
        **body_context(report, report_facts_for(report)),
        "project": project,
        "links": links,
        "thread": comment_thread(target=report, audience=audience, latest=None if show_all else 30),
        "comment_form": CommentForm(),
    }


@login_required
@require_GET
def report_detail(request, code: str, number: int):
    project, report = _report_for(request, code, number)
    audience = access.audience_of(request.user, project)
    return render(
        request,
        "reports/report_detail.html",
        {
            **report_context(request, project, report, audience=audience, links="team"),
            "status_colour": STATUS_COLOURS.get(report.status, "grey"),
            "activities": activity_for(target=report, audience=audience)[:RECENT_ACTIVITY],
            **access.permission_flags(request.user, project),
        },
    )


# -- the forms -------------------------------------------------------------------------


def _form_page(request, template: str, project: Project, form, **context):
    return render(
        request,
        template,
        {
            "project": project,
            "form": form,
            **context,
            **access.permission_flags(request.user, project),
        },
    )


def _existing(project: Project, form: ReportCreateForm) -> StatusReport | None:
    """The report that already covers the period asked for, to link to it."""
    start, _end = period_bounds(form.cleaned_data["period"], form.cleaned_data["day"])
    rows = report_list(project=project, audience=access.TEAM)
    return rows.filter(period=form.cleaned_data["period"], period_start=start).first()


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = ReportCreateForm(
        request.POST if request.method == "POST" else None,
        initial={"period": StatusReport.Period.WEEKLY, "day": last_weeks_monday()},
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(project=project, by=request.user, **form.service_fields)
        except InvalidInput as error:
            if error.code == "report_exists":
                existing = _existing(project, form)
            form.add_error(CREATE_FIELDS.get(error.field or ""), error.message)
        else:
            messages.success(
                request,
                _("%(key)s is drafted. Write the summary, then publish it.") % {"key": report.key},
            )
            return _to_detail(report)
    return _form_page(request, "reports/report_form.html", project, form, existing=existing)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, code: str, number: int):
    project, report = _report_for(request, code, number, need=Action.MANAGE)
    if not report.is_draft:
        messages.error(
            request,
            _(
                "%(key)s is published and stays as the client read it: correct it in a "
                "comment or in the next report."
            )
            % {"key": report.key},
        )
        return _to_detail(report)
    facts = report_facts_for(report)
    form = ReportEditForm(
        request.POST if request.method == "POST" else None,
        initial=ReportEditForm.initial_of(report),
        suggested_health=facts.suggested_health,
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.report_update(
                report=report, by=request.user, version=data["version"], **form.service_fields
            ),
        )
        if saved is not None:
            messages.success(request, _("%(key)s saved.") % {"key": report.key})
            return _to_detail(report)
    return _form_page(
        request,
        "reports/report_edit.html",
        project,
        form,
        report=report,
    )


# -- publishing, deleting --------------------------------------------------------------


@login_required
@require_POST
def report_publish(request, code: str, number: int):
    _project, report = _report_for(request, code, number, need=Action.MANAGE)
    try:
        services.report_publish(
            report=report,
            by=request.user,
            # The page's version: publishing what one has not seen is refused.
            version=positive_int(request.POST.get("version")) or 0,
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
        if isinstance(error, InvalidInput) and error.field == "summary":
            return redirect("reports:edit", code=report.project.code, number=report.number)
    else:
        messages.success(
            request,
            _("%(key)s is published. The client has been asked to acknowledge it.")
            % {"key": report.key},
        )
    return _to_detail(report)


@login_required
@require_POST
def report_delete(request, code: str, number: int):
    project, report = _report_for(request, code, number, need=Action.MANAGE)
    try:
        services.report_delete(
            report=report, by=request.user, version=positive_int(request.POST.get("version"))
        )
    except StaleEdit:
        messages.error(
            request,
            _("%(key)s changed since you opened it: read it again before deleting it.")
            % {"key": report.key},
        )
        return _to_detail(report)
    except InvalidInput as error:
        messages.error(request, error.message)
        return _to_detail(report)
    messages.success(request, _("%(key)s deleted.") % {"key": report.key})
    return redirect("reports:list", code=project.code)


# -- the PDF, comments -----------------------------------------------------------------


@login_required
@require_GET
def report_pdf_view(request, code: str, number: int):
    _project, report = _report_for(request, code, number)
    return report_pdf_response(report, portal=False)


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
    )
    return _to_detail(report, "#comments")
