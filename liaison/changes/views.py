"""The team's change request pages: the list (and its CSV export), one change
with its impact, decision, comments and activity, its form, its assessment
with the impact preview, and its moves through the lifecycle."""

import csv
import io
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.changes.forms import (
    FORM_FIELDS,
    AssessForm,
    ChangeEditForm,
    ChangeForm,
    ImpactLinesForm,
)
from liaison.changes.models import ChangeRequest
from liaison.changes.selectors import change_requests as change_selectors
from liaison.changes.selectors import impact as impact_selectors
from liaison.changes.services import change_requests as change_services
from liaison.changes.services import lifecycle as lifecycle_services
from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import activity_for, attachments_of, comment_thread
from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.core.locking import StaleEdit
from liaison.core.pagination import paginate
from liaison.core.params import positive_int, typed_text
from liaison.core.registry import registry
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import TEAM, Action, Audience
from liaison.projects.models import Project
from liaison.requirements.transfer import safe_cell

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Status = ChangeRequest.Status
RECENT_ACTIVITY = 15
# One colour per meaning (docs/architecture.md, Where code goes): amber waits for someone,
# red is refused.
STATUS_COLOURS: dict[str, str] = {
    Status.SUBMITTED: "grey",
    Status.ASSESSING: "blue",
    Status.AWAITING_CLIENT: "amber",
    Status.APPROVED: "green",
    Status.REJECTED: "red",
    Status.WITHDRAWN: "grey",
    Status.IMPLEMENTED: "green",
}
# The team's moves (lifecycle_services.MOVES says which action each needs) in its words.
MOVE_LABELS: "dict[tuple[str, str], StrPromise]" = {
    (Status.SUBMITTED, Status.ASSESSING): gettext_lazy("Start assessing"),
    (Status.ASSESSING, Status.AWAITING_CLIENT): gettext_lazy("Send to the client"),
    (Status.AWAITING_CLIENT, Status.ASSESSING): gettext_lazy("Recall from the client"),
    (Status.SUBMITTED, Status.REJECTED): gettext_lazy("Decline"),
    (Status.ASSESSING, Status.REJECTED): gettext_lazy("Decline"),
    # Withdrawing ends the change; recalling (above) only takes it back to revise.
    (Status.SUBMITTED, Status.WITHDRAWN): gettext_lazy("Withdraw the change"),
    (Status.ASSESSING, Status.WITHDRAWN): gettext_lazy("Withdraw the change"),
    (Status.AWAITING_CLIENT, Status.WITHDRAWN): gettext_lazy("Withdraw the change"),
    (Status.APPROVED, Status.IMPLEMENTED): gettext_lazy("Mark as implemented"),
}
MOVED: "dict[str, StrPromise]" = {
    Status.ASSESSING: gettext_lazy("%(key)s is being assessed."),
    Status.AWAITING_CLIENT: gettext_lazy("%(key)s is with the client, who has been notified."),
    Status.REJECTED: gettext_lazy("%(key)s is declined; whoever asked for it has been told."),
    Status.WITHDRAWN: gettext_lazy("%(key)s is withdrawn."),
    Status.IMPLEMENTED: gettext_lazy("%(key)s is implemented; the client has been told."),
}
RECALLED = gettext_lazy(
    "%(key)s is recalled from the client: the portal no longer asks them to decide. "
    "Revise it and send it again."
)
CSV_COLUMNS = (
    gettext_lazy("Key"),
    gettext_lazy("Title"),
    gettext_lazy("Status"),
    gettext_lazy("Raised by"),
    gettext_lazy("Priority"),
    gettext_lazy("Requested by"),
    gettext_lazy("Assessed by"),
    gettext_lazy("Effort (hours)"),
    gettext_lazy("Cost"),
    gettext_lazy("Sent to the client"),
    gettext_lazy("Decided"),
    gettext_lazy("Created"),
)


def _change_for(request, code: str, key: str, need: Action = Action.VIEW):
    """The project (access first: a role too low is 403 whatever the key) and
    the change as this user's audience sees it (else 404)."""
    project = access.get_project_for(request.user, code, need=need)
    audience = access.audience_of(request.user, project)
    return project, change_selectors.change_get(project=project, audience=audience, key=key)


def _to_detail(change: ChangeRequest, anchor: str = ""):
    return redirect(reverse("changes:detail", args=[change.project.code, change.key]) + anchor)


# -- the list --------------------------------------------------------------------------


def _status_chips(filters: change_selectors.ChangeFilters, counts: dict[str, int]) -> list[dict]:
    """One chip per status, counted under the other filters, linking to itself."""
    return [
        {
            "label": label,
            "count": counts.get(value, 0),
            "active": value == filters.status,
            "query": filters.query(status=value),
        }
        for value, label in Status.choices
    ]


@login_required
@require_GET
def change_list(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    filters = change_selectors.ChangeFilters.from_query(request.GET)
    rows = change_selectors.change_list(project=project, audience=audience, filters=filters)
    if request.GET.get("format") == "csv":
        return _csv(project, rows)
    counts = change_selectors.change_status_counts(
        project=project, audience=audience, filters=filters
    )
    return render_page(
        request,
        "changes/change_list.html",
        {
            "project": project,
            "page": paginate(rows, request),
            "filters": filters,
            "status_chips": _status_chips(filters, counts),
            "total": sum(counts.values()),
            "all_statuses_query": filters.query(status=""),
            "export_query": filters.query(),
            "origins": ChangeRequest.Origin.choices,
            "statuses": Status.choices,
            "colours": STATUS_COLOURS,
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


def _csv(project: Project, rows) -> HttpResponse:
    """The list the reader is looking at (same filters, same audience), every page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column) for column in CSV_COLUMNS])
    # Every column, the impact's numbers too: the list's rows leave them out.
    for change in rows.defer(None).iterator(chunk_size=500):
        # Titles come from clients too: a leading "=" must not become a formula.
        writer.writerow(
            safe_cell(value)
            for value in (
                change.key,
                change.title,
                change.status,
                change.origin,
                change.priority,
                str(change.requested_by or ""),
                str(change.owner or ""),
                change.effort_hours if change.effort_hours is not None else "",
                change.cost if change.cost is not None else "",
                change.sent_at.date().isoformat() if change.sent_at else "",
                change.decided_at.date().isoformat() if change.decided_at else "",
                change.created_at.date().isoformat(),
            )
        )
    return HttpResponse(
        "\ufeff" + buffer.getvalue(),  # a BOM so Excel reads the Chinese right
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(True, f"{project.code}-changes.csv")
        },
    )


# -- one change ------------------------------------------------------------------------


def _impact(change: ChangeRequest, typed: dict | None = None) -> dict:
    """The impact panel's context: computed live from the plan while the change
    can be edited, frozen once it went to the client (what the client reads).
    `typed` (an ImpactLinesForm's cleaned data) previews unsaved lines, effort
    and cost. A plan that cannot take the change says why instead."""
    try:
        if typed is None:
            impact = impact_selectors.change_impact_for_audience(change, TEAM)
        else:
            impact = impact_selectors.change_impact(
                change=change,
                schedule_changes=typed["schedule"],
                milestone_changes=typed["milestones"],
                assessed=(typed["effort_hours"], typed["cost"]),
            )
    except InvalidInput as error:
        return {"impact": None, "impact_error": error.message}
    if impact is None:
        return {"impact": None}
    return impact_context(impact, frozen=not change.is_editable)


def impact_context(impact: impact_selectors.ChangeImpact, *, frozen: bool) -> dict:
    """What the impact templates need: the impact, and whether it is frozen."""
    return {"impact": impact, "impact_frozen": frozen}


def _moves(change: ChangeRequest, flags: dict) -> list[dict]:
    """The buttons this user may press: the moves from the change's status
    that their role allows (the service checks again)."""
    allowed = {Action.EDIT: flags["can_edit"], Action.MANAGE: flags["can_manage"]}
    return [
        {
            "status": target,
            "label": MOVE_LABELS.get((source, target), Status(target).label),
            "danger": target in (Status.REJECTED, Status.WITHDRAWN),
        }
        for (source, target), action in lifecycle_services.MOVES.items()
        if source == change.status and allowed.get(action)
    ]


def change_context(request, project: Project, change: ChangeRequest, *, audience: Audience) -> dict:
    """A change as both the team and the client read it: what it touches and
    its comments (the latest 30, or all with ?comments=all)."""
    show_all = request.GET.get("comments") == "all"
    return {
        "project": project,
        "change": change,
        "colour": STATUS_COLOURS.get(change.status, "grey"),
        "requirements": list(change.requirements.all()),
        "milestones": list(change.milestones.all()),
        "thread": comment_thread(target=change, audience=audience, latest=None if show_all else 30),
        "comment_form": CommentForm(),
        "attachments": attachments_of(target=change),
    }


@login_required
@require_GET
def change_detail(request, code: str, key: str):
    project, change = _change_for(request, code, key)
    audience = access.audience_of(request.user, project)
    flags = access.permission_flags(request.user, project)
    moves = _moves(change, flags)
    return render(
        request,
        "changes/change_detail.html",
        {
            **change_context(request, project, change, audience=audience),
            "tasks": list(change.tasks.all()),
            "moves": moves,
            "takes_comment": any(move["danger"] for move in moves),
            "declines": any(move["status"] == Status.REJECTED for move in moves),
            # A change still being assessed has a live impact: its panel loads on its own.
            **({"impact_deferred": True} if change.is_editable else _impact(change)),
            "show_ip": True,
            "activities": activity_for(target=change, audience=audience)[:RECENT_ACTIVITY],
            **flags,
        },
    )


def _typed_errors(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@login_required
@require_GET
def change_impact(request, code: str, key: str):
    """The impact panel. With the assessment's inputs in the query (its typed
    lines, date inputs, effort and cost, unsaved) it previews those; else the
    saved ones. HTMX gets the panel; without JavaScript the page has its own
    preview form."""
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    change = change_selectors.change_for_impact(project=project, audience=audience, key=key)
    # The date inputs are those of the tasks and milestones the change touches.
    form = ImpactLinesForm(
        request.GET, tasks=change.tasks.all(), milestones=change.milestones.all()
    )
    typed = any(name in request.GET for name in form.fields)
    schedule_text = request.GET.get("schedule", "")[:20_000]
    milestones_text = request.GET.get("milestones", "")[:5_000]
    if not typed:
        context = _impact(change)
    elif form.is_valid():
        context = _impact(change, form.cleaned_data)
    else:
        context = {"impact": None, "impact_error": _typed_errors(form)}
    return render_page(
        request,
        "changes/change_impact.html",
        {
            "project": project,
            "change": change,
            "schedule_text": schedule_text,
            "milestones_text": milestones_text,
            "effort_text": request.GET.get("effort_hours", "")[:20],
            "cost_text": request.GET.get("cost", "")[:20],
            "typed": typed,
            **context,
            **access.permission_flags(request.user, project),
        },
        partial="panel",
    )


# -- the forms -------------------------------------------------------------------------


def _form_page(request, project: Project, form, change: ChangeRequest | None, template: str):
    return render(
        request,
        template,
        {
            "project": project,
            "form": form,
            "change": change,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    initial = {"priority": ChangeRequest.Priority.NORMAL, "client_visible": True}
    form = ChangeForm(
        request.POST if request.method == "POST" else None, project=project, initial=initial
    )
    if request.method == "POST":
        change = submit(
            form,
            lambda data: change_services.change_create(
                project=project, by=request.user, **form.service_fields
            ),
            fields=FORM_FIELDS,
        )
        if change is not None:
            messages.success(request, _("%(key)s created.") % {"key": change.key})
            return _to_detail(change)
    return _form_page(request, project, form, None, "changes/change_form.html")


def _locked(request, change: ChangeRequest):
    """A change the client is deciding on (or that is decided) is read, not edited."""
    messages.error(
        request,
        _("%(key)s can no longer be edited: it is %(status)s.")
        % {"key": change.key, "status": change.get_status_display()},
    )
    return _to_detail(change)


@login_required
@require_http_methods(["GET", "POST"])
def change_edit(request, code: str, key: str):
    project, change = _change_for(request, code, key, need=Action.EDIT)
    if request.method == "GET" and not change.is_editable:
        return _locked(request, change)
    form = ChangeEditForm(
        request.POST if request.method == "POST" else None,
        project=project,
        initial=ChangeForm.initial_of(change),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: change_services.change_update(
                change=change, by=request.user, version=data["version"], **form.service_fields
            ),
            fields=FORM_FIELDS,
        )
        if saved is not None:
            messages.success(request, _("%(key)s saved.") % {"key": change.key})
            return _to_detail(change)
    return _form_page(request, project, form, change, "changes/change_form.html")


@login_required
@require_http_methods(["GET", "POST"])
def change_assess(request, code: str, key: str):
    project, change = _change_for(request, code, key, need=Action.EDIT)
    if request.method == "GET" and not change.is_editable:
        return _locked(request, change)
    tasks, milestones = list(change.tasks.all()), list(change.milestones.all())
    suggested = _suggested_cost(project, change)
    initial = AssessForm.initial_of(change, tasks, milestones)
    if initial["cost"] is None and suggested is not None:
        initial["cost"] = suggested  # a suggestion: kept, or typed over
    form = AssessForm(
        request.POST if request.method == "POST" else None,
        tasks=tasks,
        milestones=milestones,
        initial=initial,
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: change_services.change_update(
                change=change, by=request.user, version=data["version"], **form.service_fields
            ),
            fields=FORM_FIELDS,
        )
        if saved is not None:
            messages.success(
                request, _("The assessment of %(key)s is saved.") % {"key": change.key}
            )
            return _to_detail(change, "#impact")
    return render(
        request,
        "changes/change_assess.html",
        {
            "project": project,
            "form": form,
            "change": change,
            "suggested_cost": suggested,
            **access.permission_flags(request.user, project),
        },
    )


def _suggested_cost(project: Project, change: ChangeRequest):
    """The change's effort priced at the project's rates (a layer above says
    how: the registry's cost estimator), or None."""
    if not change.effort_hours:
        return None
    return registry.cost_estimator(project, change.effort_hours)


# -- moves and comments ----------------------------------------------------------------


@login_required
@require_POST
def change_transition(request, code: str, key: str):
    """Any move the lifecycle allows; the service decides whether this user
    may make it (EDIT or MANAGE) and refuses a page that is out of date."""
    _project, change = _change_for(request, code, key, need=Action.EDIT)
    status = request.POST.get("status", "")
    old = change.status
    try:
        moved = lifecycle_services.change_transition(
            change=change,
            by=request.user,
            status=status,
            version=positive_int(request.POST.get("version")) or 0,
            comment=typed_text(request.POST.get("comment"), field="comment", limit=5000),
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        if (old, moved.status) == lifecycle_services.RECALL:
            text = RECALLED
        else:
            text = MOVED.get(moved.status, gettext_lazy("%(key)s moved."))
        messages.success(request, text % {"key": moved.key})
    return _to_detail(change)


@login_required
@require_POST
def change_comment(request, code: str, key: str):
    project, change = _change_for(request, code, key, need=Action.COMMENT)
    post_comment(
        request,
        target=change,
        project=project,
        url=change.get_absolute_url(),
        portal_url=change.portal_url(),
    )
    return _to_detail(change, "#comments")
