"""The client's issues: those they raised and those the team shows them. They
raise one (with a file), comment, verify a resolution or reopen it with a
reason, write their position in a dispute and confirm the agreed outcome by
typing their name. Client audience only: an internal issue is 404 here.
Mounted in the portal by `portal_urls.py` (registered in `apps.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import comment_thread
from liaison.controls.forms.issues import (
    ClientIssueForm,
    ClientPositionForm,
    ConfirmForm,
    ReopenForm,
)
from liaison.controls.models import Issue
from liaison.controls.selectors import issues as selectors
from liaison.controls.selectors.issues import IssueFilters
from liaison.controls.services import issue_disputes
from liaison.controls.services import issue_lifecycle as lifecycle
from liaison.controls.services import issues as services
from liaison.controls.views.issues import SEVERITY_COLOURS, STATUS_COLOURS
from liaison.core.forms import submit
from liaison.core.pagination import paginate
from liaison.core.request_info import client_ip
from liaison.core.services import InvalidInput
from liaison.core.uploads import upload_refusal
from liaison.projects import access
from liaison.projects.access import CLIENT, Action
from liaison.projects.models import Project
from liaison.projects.selectors import decisions_waiting

Status = Issue.Status


def _issue_for(request, code: str, key: str, need: Action = Action.VIEW):
    project = access.get_portal_project(request.user, code, need=need)
    return project, selectors.issue_get(project=project, audience=CLIENT, key=key)


def _to_issue(issue: Issue, anchor: str = ""):
    response = redirect("portal:issue", code=issue.project.code, key=issue.key)
    if anchor:
        response["Location"] += anchor
    return response


@login_required
@require_GET
def issue_list(request, code: str):
    project = access.get_portal_project(request.user, code)
    filters = IssueFilters.from_query({"status": request.GET.get("status", "all")})
    rows = selectors.issue_rows(project=project, audience=CLIENT, filters=filters)
    page = paginate(rows, request)
    page.object_list = selectors.issue_page(rows, page.start_index(), page.end_index())
    return render(
        request,
        "controls/portal/issue_list.html",
        {
            "project": project,
            "page": page,
            "status_colours": STATUS_COLOURS,
            "severity_colours": SEVERITY_COLOURS,
            "decisions": decisions_waiting(projects=[project]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_raise(request, code: str):
    project = access.get_portal_project(request.user, code, need=Action.APPROVE)
    form = ClientIssueForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST":
        if refusal := upload_refusal(request):
            form.is_valid()
            form.add_error("upload", refusal)
        issue = submit(
            form,
            lambda data: services.issue_raise_from_client(project=project, by=request.user, **data),
            fields={"file": "upload"},
        )
        if issue is not None:
            messages.success(
                request,
                _("Thank you. Your issue %(key)s is received; the team has been told.")
                % {"key": issue.key},
            )
            return _to_issue(issue)
    return render(request, "controls/portal/issue_raise.html", {"project": project, "form": form})


def _page(request, project: Project, issue: Issue, *, status: int = 200, **forms):
    read = {"version": issue.version}
    context = {
        "project": project,
        "issue": issue,
        "colour": STATUS_COLOURS[issue.status],
        "severity_colour": SEVERITY_COLOURS[issue.severity],
        "mine": issue.raised_by_id == request.user.pk,
        "attachments": list(selectors.issue_attachments(issue=issue)),
        "thread": comment_thread(target=issue, audience=CLIENT, latest=None),
        "comment_form": CommentForm(),
        "can_comment": access.can(request.user, Action.COMMENT, project),
        "reopen_form": forms.get("reopen_form") or ReopenForm(initial=read),
        "position_form": forms.get("position_form")
        or ClientPositionForm(initial={**read, "position": issue.client_position}),
        "confirm_form": forms.get("confirm_form") or ConfirmForm(initial=read),
    }
    return render(request, "controls/portal/issue_detail.html", context, status=status)


@login_required
@require_GET
def issue_detail(request, code: str, key: str):
    project, issue = _issue_for(request, code, key)
    return _page(request, project, issue)


@login_required
@require_POST
def issue_verify(request, code: str, key: str):
    _project, issue = _issue_for(request, code, key, need=Action.APPROVE)
    form = ReopenForm(request.POST)  # only its version
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        lifecycle.issue_verify(issue=issue, by=request.user, version=version)
    except InvalidInput as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Thank you: %(key)s is verified.") % {"key": issue.key})
    return _to_issue(issue)


@login_required
@require_POST
def issue_reopen(request, code: str, key: str):
    project, issue = _issue_for(request, code, key, need=Action.APPROVE)
    form = ReopenForm(request.POST)
    saved = submit(
        form,
        lambda data: lifecycle.issue_reopen(
            issue=issue, by=request.user, reason=data["reason"], version=data["version"]
        ),
    )
    if saved is None:
        return _page(request, project, issue, status=400, reopen_form=form)
    messages.success(
        request, _("%(key)s is reopened; the team has been told.") % {"key": issue.key}
    )
    return _to_issue(saved)


@login_required
@require_POST
def issue_comment(request, code: str, key: str):
    project, issue = _issue_for(request, code, key, need=Action.COMMENT)
    post_comment(
        request,
        target=issue,
        project=project,
        url=issue.get_absolute_url(),
        portal_url=issue.portal_url(),
        client=True,
    )
    return _to_issue(issue, "#comments")


@login_required
@require_POST
def issue_position(request, code: str, key: str):
    project, issue = _issue_for(request, code, key, need=Action.COMMENT)
    form = ClientPositionForm(request.POST)
    saved = submit(
        form,
        lambda data: issue_disputes.issue_client_position(
            issue=issue, by=request.user, position=data["position"], version=data["version"]
        ),
    )
    if saved is None:
        return _page(request, project, issue, status=400, position_form=form)
    messages.success(request, _("Your position is recorded; the team has been told."))
    return _to_issue(saved, "#dispute")


@login_required
@require_POST
def issue_confirm(request, code: str, key: str):
    project, issue = _issue_for(request, code, key, need=Action.APPROVE)
    form = ConfirmForm(request.POST)
    saved = submit(
        form,
        lambda data: issue_disputes.issue_outcome_confirm(
            issue=issue,
            by=request.user,
            full_name=data["full_name"],
            version=data["version"],
            ip=client_ip(request),
        ),
    )
    if saved is None:
        return _page(request, project, issue, status=400, confirm_form=form)
    messages.success(request, _("You confirmed the agreed outcome; the team has been told."))
    return _to_issue(saved, "#dispute")
