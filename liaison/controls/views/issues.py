"""The team's issue pages: the list with its filters and chips, one issue with
its moves, escalation steps, dispute and comments, its form, and the project's
escalation path."""

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.collab.attachments import MAX_SIZE
from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import activity_for, comment_thread
from liaison.controls.forms.issues import (
    EscalateForm,
    EscalationPathForm,
    IssueEditForm,
    IssueForm,
    ReopenForm,
    ResolveForm,
)
from liaison.controls.models import Issue
from liaison.controls.selectors import issues as selectors
from liaison.controls.selectors.issues import IssueFilters
from liaison.controls.services import issue_escalation
from liaison.controls.services import issue_lifecycle as lifecycle
from liaison.controls.services import issues as services
from liaison.core.forms import VersionedForm, submit
from liaison.core.htmx import render_page
from liaison.core.locking import StaleEdit
from liaison.core.pagination import PAGE_SIZES, paginate
from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.core.uploads import upload_refusal
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Status = Issue.Status
RECENT_ACTIVITY = 15
# One colour per meaning (docs/architecture.md, Where code goes).
STATUS_COLOURS: dict[str, str] = {
    Status.OPEN: "amber",
    Status.IN_PROGRESS: "blue",
    Status.RESOLVED: "amber",
    Status.VERIFIED: "green",
    Status.CLOSED: "grey",
}
SEVERITY_COLOURS: dict[str, str] = {
    Issue.Severity.CRITICAL: "red",
    Issue.Severity.MAJOR: "amber",
    Issue.Severity.MINOR: "blue",
    Issue.Severity.COSMETIC: "grey",
}
MOVE_LABELS: "dict[tuple[str, str], StrPromise]" = {
    (Status.OPEN, Status.IN_PROGRESS): gettext_lazy("Start work"),
    (Status.IN_PROGRESS, Status.OPEN): gettext_lazy("Stop work"),
    (Status.VERIFIED, Status.CLOSED): gettext_lazy("Close"),
}


def _issue_for(request, code: str, key: str, need: Action = Action.VIEW):
    """The project (access first: a role too low is 403 whatever the key) and
    the issue as this user's audience sees it (else 404)."""
    project = access.get_project_for(request.user, code, need=need)
    audience = access.audience_of(request.user, project)
    return project, selectors.issue_get(project=project, audience=audience, key=key)


def _to_issue(issue: Issue, anchor: str = ""):
    return redirect(reverse("controls:issue", args=[issue.project.code, issue.key]) + anchor)


# -- the list --------------------------------------------------------------------------


def _list_query(filters: IssueFilters, per_page: int, **changes) -> str:
    query = filters.query(**changes)
    if per_page != settings.PAGE_SIZE:
        query = f"{query}&per_page={per_page}" if query else f"per_page={per_page}"
    return query


def _chips(filters: IssueFilters, counts: dict[str, int], per_page: int) -> dict:
    statuses = [
        (selectors.ACTIVE, _("Open or in progress")),
        *Status.choices,
        (selectors.ALL, _("All")),
    ]
    flags = [
        ("overdue", _("Overdue"), filters.overdue),
        ("blocked", _("Blocked"), filters.blocked),
        ("client", _("Raised by the client"), filters.client),
    ]
    return {
        "statuses": [
            {
                "value": value,
                "label": label,
                "count": counts[value],
                "active": value == filters.status,
                "query": _list_query(filters, per_page, status=value),
            }
            for value, label in statuses
        ],
        "flags": [
            {
                "name": name,
                "label": label,
                "count": counts[name],
                "active": active,
                "query": _list_query(filters, per_page, **{name: "" if active else "1"}),
            }
            for name, label, active in flags
        ],
    }


@login_required
@require_GET
def issue_list(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    filters = IssueFilters.from_query(request.GET)
    rows = selectors.issue_rows(project=project, audience=audience, filters=filters)
    page = paginate(rows, request)  # counts the plain rows; the page's come with their joins
    page.object_list = selectors.issue_page(rows, page.start_index(), page.end_index())
    per_page = page.paginator.per_page
    counts = selectors.issue_counts(project=project, audience=audience, filters=filters)
    return render_page(
        request,
        "controls/issue_list.html",
        {
            "project": project,
            "page": page,
            "filters": filters,
            "chips": _chips(filters, counts, per_page),
            "kinds": Issue.Kind.choices,
            "severities": Issue.Severity.choices,
            "people": selectors.issue_owners(project=project),
            "status_colours": STATUS_COLOURS,
            "severity_colours": SEVERITY_COLOURS,
            "page_sizes": PAGE_SIZES,
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


# -- one issue -------------------------------------------------------------------------


def _moves(issue: Issue, can_edit: bool) -> list[dict]:
    if not can_edit:
        return []
    return [
        {"status": target, "label": MOVE_LABELS[(source, target)]}
        for (source, target) in lifecycle.MOVES
        if source == issue.status and (source, target) in MOVE_LABELS
    ]


def issue_page(request, project: Project, issue: Issue, *, status: int = 200, **forms):
    """The issue's page; `forms` holds a form sent back with its errors."""
    audience = access.audience_of(request.user, project)
    flags = access.permission_flags(request.user, project)
    show_all = request.GET.get("comments") == "all"
    context = {
        "project": project,
        "issue": issue,
        "colour": STATUS_COLOURS[issue.status],
        "severity_colour": SEVERITY_COLOURS[issue.severity],
        "moves": _moves(issue, flags["can_edit"]),
        "can_resolve": flags["can_edit"] and issue.is_open,
        "can_verify": issue.status == Status.RESOLVED and issue.raised_by_id == request.user.pk,
        "can_reopen": flags["can_edit"] and issue.status in lifecycle.REOPENABLE,
        "can_escalate": flags["can_edit"] and issue.is_open,
        "resolve_form": forms.get("resolve_form")
        or ResolveForm(
            initial={
                "root_cause": issue.root_cause,
                "solution": issue.solution,
                "version": issue.version,
            }
        ),
        "reopen_form": forms.get("reopen_form") or ReopenForm(initial={"version": issue.version}),
        "escalate_form": forms.get("escalate_form") or EscalateForm(),
        "escalations": selectors.issue_escalations(issue=issue),
        "path": selectors.escalation_path(project=project),
        "attachments": list(selectors.issue_attachments(issue=issue)),
        "upload_error": forms.get("upload_error", ""),
        "max_upload_mb": MAX_SIZE // 1024 // 1024,
        "thread": comment_thread(target=issue, audience=audience, latest=None if show_all else 30),
        "comment_form": CommentForm(),
        "activities": activity_for(target=issue, audience=audience)[:RECENT_ACTIVITY],
        **flags,
    }
    return render(request, "controls/issue_detail.html", context, status=status)


@login_required
@require_GET
def issue_detail(request, code: str, key: str):
    project, issue = _issue_for(request, code, key)
    return issue_page(request, project, issue)


# -- the form --------------------------------------------------------------------------


def _form(request, project: Project, form_class, **kwargs):
    return form_class(
        request.POST if request.method == "POST" else None,
        project=project,
        owners=selectors.issue_owners(project=project),
        raisers=selectors.issue_raisers(project=project),
        can_manage=access.can(request.user, Action.MANAGE, project),
        **kwargs,
    )


def _form_page(request, project: Project, form, issue: Issue | None):
    return render(
        request,
        "controls/issue_form.html",
        {
            "project": project,
            "form": form,
            "issue": issue,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    form = _form(request, project, IssueForm)
    if request.method == "POST":
        issue = submit(
            form,
            lambda data: services.issue_create(
                project=project, by=request.user, **form.service_fields
            ),
        )
        if issue is not None:
            messages.success(request, _("%(key)s raised.") % {"key": issue.key})
            return _to_issue(issue)
    return _form_page(request, project, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request, code: str, key: str):
    project, issue = _issue_for(request, code, key, need=Action.EDIT)
    form = _form(request, project, IssueEditForm, initial=IssueForm.initial_of(issue))
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.issue_update(
                issue=issue, by=request.user, version=data["version"], **form.service_fields
            ),
        )
        if saved is not None:
            messages.success(request, _("%(key)s saved.") % {"key": saved.key})
            return _to_issue(saved)
    return _form_page(request, project, form, issue)


# -- moves, escalation, comments, files -----------------------------------------------


def _move(request, issue: Issue, form, status: str):
    """Resolve (with its form), reopen (with its form) or a plain move."""
    data = form.cleaned_data if form is not None else {}
    return lifecycle.issue_transition(
        issue=issue,
        by=request.user,
        status=status,
        version=data.get("version") or positive_int(request.POST.get("version")),
        root_cause=data.get("root_cause"),
        solution=data.get("solution"),
        reason=data.get("reason", ""),
    )


@login_required
@require_POST
def issue_transition(request, code: str, key: str):
    project, issue = _issue_for(request, code, key)
    status = request.POST.get("status", "")
    name, form_class = "", cast("type[VersionedForm] | None", None)
    if status == Status.RESOLVED:
        name, form_class = "resolve_form", ResolveForm
    elif status == Status.OPEN and issue.status in lifecycle.REOPENABLE:
        name, form_class = "reopen_form", ReopenForm
    form = form_class(request.POST) if form_class else None
    if form is not None:
        saved = submit(form, lambda data: _move(request, issue, form, status))
        if saved is None:
            return issue_page(request, project, issue, status=400, **{name: form})
    else:
        try:
            saved = _move(request, issue, None, status)
        except (InvalidInput, StaleEdit) as refused:
            messages.error(request, refused.message)
            return _to_issue(issue)
    messages.success(
        request, _("%(key)s is now %(status)s.") % {"key": saved.key, "status": saved.status_label}
    )
    return _to_issue(saved)


@login_required
@require_POST
def issue_escalate(request, code: str, key: str):
    _project, issue = _issue_for(request, code, key, need=Action.EDIT)
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            step = issue_escalation.issue_escalate(
                issue=issue, by=request.user, note=form.cleaned_data["note"]
            )
        except InvalidInput as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("%(key)s is escalated to level %(level)s: %(person)s has been told.")
                % {"key": issue.key, "level": step.level, "person": step.person},
            )
    else:
        messages.error(request, _("Keep the note under 2,000 characters."))
    return _to_issue(issue, "#escalation")


@login_required
@require_POST
def issue_comment(request, code: str, key: str):
    project, issue = _issue_for(request, code, key, need=Action.COMMENT)
    post_comment(
        request,
        target=issue,
        project=project,
        url=issue.get_absolute_url(),
        portal_url=issue.portal_url() if issue.client_visible else "",
    )
    return _to_issue(issue, "#comments")


@login_required
@require_POST
def issue_attach(request, code: str, key: str):
    project, issue = _issue_for(request, code, key, need=Action.EDIT)
    try:
        if refusal := upload_refusal(request):
            raise InvalidInput(refusal, field="file")
        attachment = services.issue_attach(
            issue=issue, by=request.user, upload=request.FILES.get("file")
        )
    except InvalidInput as error:
        return issue_page(request, project, issue, status=400, upload_error=error.message)
    messages.success(request, _("%(name)s attached.") % {"name": attachment.name})
    return _to_issue(issue, "#attachments")


# -- the escalation path ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def escalation_settings(request, code: str):
    """The project's escalation path: everyone on the team reads it, the manager sets it."""
    need = Action.MANAGE if request.method == "POST" else Action.VIEW
    project = access.get_project_for(request.user, code, need=need)
    path = selectors.escalation_path(project=project)
    form = EscalationPathForm(
        request.POST if request.method == "POST" else None,
        people=selectors.organization_staff(project=project),
        initial=EscalationPathForm.initial_of(path),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: issue_escalation.escalation_levels_set(
                project=project, by=request.user, levels=data["levels"]
            ),
            fields={"levels": "title_1"},
        )
        if saved is not None:
            messages.success(request, _("The escalation path is saved."))
            return redirect("controls:issue-escalation", code=project.code)
    return render(
        request,
        "controls/issue_escalation.html",
        {
            "project": project,
            "path": path,
            "form": form,
            **access.permission_flags(request.user, project),
        },
    )
