"""The client's plan: the timeline, and their milestones (read one, accept or
reject it criterion by criterion when the team asks, download the acceptance
record). Client audience only: a milestone the team keeps internal is 404 here.
Mounted in the portal by `portal_urls.py` (registered in `apps.py`).

The timeline shows when the work they can see is planned, and the milestones
they will be asked to accept, drawn by the same renderer as the team's Gantt chart.

What the client sees, and why (the selector enforces it for the client audience):
- only client-visible tasks and milestones; a task under an internal parent shows as
  a top-level row, so an internal parent's name never appears;
- no assignee names: who does what inside the team is the team's business;
- no slack, no critical path, no dependency arrows: they are computed over the whole
  plan, internal tasks included, so shown on a partial plan they would mislead
  (a chain through internal tasks would vanish, "3 days of slack" would read as a
  promise) and they reveal the team's internal buffer;
- no plan baseline: it is the team's yardstick for schedule variance, not something
  the client agreed to; the client signs requirement baselines and accepts
  milestones, which the portal shows on their own pages;
- no links into the team's pages from the bars.
"""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from liaison.core.params import positive_int, typed_text
from liaison.core.registry import registry
from liaison.core.request_info import client_ip
from liaison.core.services import InvalidInput
from liaison.planning.gantt import render_gantt
from liaison.planning.models import Milestone, MilestoneReview
from liaison.planning.pdf import STATUS_COLOURS, milestone_pdf_response
from liaison.planning.selectors.gantt import GanttFilters, chart_labels, gantt_data
from liaison.planning.selectors.milestones import (
    milestone_get,
    milestone_reviews,
    milestones_awaiting,
)
from liaison.planning.services.milestones import milestone_decide as decide
from liaison.projects import access
from liaison.projects.access import CLIENT, Action
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Status = Milestone.Status
Verdict = MilestoneReview.Verdict
MAX_COMMENT = 2000
# The milestone's status in the client's words.
PLAIN_STATUS: "dict[str, StrPromise]" = {
    Status.PLANNED: gettext_lazy("Planned: the team has not started it yet."),
    Status.IN_PROGRESS: gettext_lazy("In progress: the team is working on it."),
    Status.SUBMITTED: gettext_lazy("Waiting for you: the team asks you to accept it."),
    Status.ACCEPTED: gettext_lazy("Accepted: you accepted it."),
    Status.REJECTED: gettext_lazy("Rejected: the team is working on what you asked for."),
}
MET = {"yes": True, "no": False}


def _milestone_for(request, code: str, key: str, need: Action = Action.VIEW):
    project = access.get_portal_project(request.user, code, need=need)
    return project, milestone_get(project=project, audience=CLIENT, key=key)


def _pending(reviews: list[MilestoneReview], milestone: Milestone) -> MilestoneReview | None:
    if milestone.status != Status.SUBMITTED:
        return None
    return next((review for review in reviews if review.verdict == Verdict.PENDING), None)


def _typed(post, count: int) -> list[dict]:
    """What the client chose and wrote for each criterion, as posted."""
    return [
        {
            "met": post.get(f"met-{index}", ""),
            "comment": post.get(f"comment-{index}", "")[:MAX_COMMENT],
        }
        for index in range(count)
    ]


def _error_place(error: InvalidInput | None, pending: MilestoneReview | None) -> str | None:
    if error is None:
        return None
    field = error.field or ""
    if pending is not None and (field == "comment" or field.startswith("criterion-")):
        return field
    return "top"


def _page(
    request,
    project: Project,
    milestone: Milestone,
    *,
    typed: list[dict] | None = None,
    comment: str = "",
    error: InvalidInput | None = None,
    status: int = 200,
):
    reviews = list(milestone_reviews(milestone=milestone))
    pending = _pending(reviews, milestone)
    context = {
        "project": project,
        "milestone": milestone,
        "colour": STATUS_COLOURS.get(milestone.status, "grey"),
        "plain_status": PLAIN_STATUS.get(milestone.status, ""),
        # The round being decided is the form; the record shows the others.
        "reviews": [review for review in reviews if review is not pending],
        "pending": pending,
        "show_ip": False,
        # What the features above add for the client (documents: the delivered files).
        "sections": [
            {
                "template": kind.portal_template,
                "context": kind.context(request, project, milestone, CLIENT),
            }
            for kind in registry.milestone_sections
            if kind.portal_template
        ],
    }
    # Where a refusal shows: beside its criterion, beside the overall comment,
    # else above the form.
    where = _error_place(error, pending)
    message = error.message if error is not None else None  # `where` is None without one
    if pending is not None:
        typed = typed or []
        blank = {"met": "", "comment": ""}
        context.update(
            criteria=[
                {
                    "index": index,
                    "criterion": criterion,
                    **(typed[index] if index < len(typed) else blank),
                    "error": message if where == f"criterion-{index}" else None,
                }
                for index, criterion in enumerate(pending.criteria)
            ],
            comment=comment,
            comment_error=message if where == "comment" else None,
            deliverables=pending.deliverables,
        )
    else:
        context["deliverables"] = milestone.deliverables
    if where == "top":
        context["form_error"] = message
    return render(request, "planning/portal/milestone_detail.html", context, status=status)


@login_required
@require_GET
def milestone_detail(request, code: str, key: str):
    project, milestone = _milestone_for(request, code, key)
    return _page(request, project, milestone)


@login_required
@require_POST
def milestone_decide(request, code: str, key: str):
    """Accept or reject, criterion by criterion. A refused decision comes back
    with what the client typed and the reason beside the criterion it concerns."""
    project, milestone = _milestone_for(request, code, key, need=Action.APPROVE)
    pending = _pending(list(milestone_reviews(milestone=milestone)), milestone)
    typed = _typed(request.POST, len(pending.criteria) if pending else 0)
    comment = request.POST.get("comment", "")[:MAX_COMMENT]
    decision = request.POST.get("decision", "")
    try:
        if decision not in ("accept", "reject"):
            raise InvalidInput(_("Choose to accept or to reject the milestone."))
        for index, row in enumerate(typed):
            typed_text(row["comment"], field=f"criterion-{index}")
        decide(
            milestone=milestone,
            by=request.user,
            accept=decision == "accept",
            verdicts=[{"met": MET.get(row["met"]), "comment": row["comment"]} for row in typed],
            comment=typed_text(comment, field="comment"),
            ip=client_ip(request),
            round=positive_int(request.POST.get("round")) or 0,
        )
    except InvalidInput as error:
        if error.code == "round_changed":  # what was typed judged other criteria
            typed, comment = [], ""
        return _page(
            request, project, milestone, typed=typed, comment=comment, error=error, status=400
        )
    if decision == "accept":
        messages.success(
            request,
            _("You accepted %(key)s %(name)s. Thank you; the team has been told.")
            % {"key": milestone.key, "name": milestone.name},
        )
    else:
        messages.success(
            request,
            _(
                "You rejected %(key)s %(name)s; the team has been told "
                "and will work on your reasons."
            )
            % {"key": milestone.key, "name": milestone.name},
        )
    return redirect("portal:milestone", code=project.code, key=milestone.key)


@login_required
@require_GET
def milestone_pdf(request, code: str, key: str):
    _project, milestone = _milestone_for(request, code, key)
    return milestone_pdf_response(milestone, audience=CLIENT)


# -- the timeline -------------------------------------------------------------------------

SCALES = (
    ("week", gettext_lazy("Weeks")),
    ("month", gettext_lazy("Months")),
    ("quarter", gettext_lazy("Quarters")),
    ("day", gettext_lazy("Days")),
)

TIMELINE_COLOURS = {
    "in_progress": "blue",
    "submitted": "amber",
    "accepted": "green",
    "rejected": "red",
}


@login_required
@require_GET
def timeline(request, code: str):
    project = access.get_portal_project(request.user, code)
    asked = GanttFilters.from_query(request.GET)
    # The client chooses the scale and which groups are open; nothing else filters.
    filters = GanttFilters(scale=asked.scale, collapsed=asked.collapsed)
    data = gantt_data(project=project, audience=CLIENT, filters=filters, counts=False)

    def toggle_for(row):
        return {"href": f"?{filters.toggled(row.key)}"}

    labels = chart_labels(CLIENT)
    svg = render_gantt(
        data,
        scale=filters.scale,
        toggle_for=toggle_for,
        labels=labels,
        chart_id="timeline",
    )
    words = labels["milestone_status"]
    return render(
        request,
        "planning/portal/timeline.html",
        {
            "project": project,
            "data": data,
            "svg": mark_safe(svg),  # the renderer escapes every value it draws
            "filters": filters,
            "scales": [(value, label, filters.query(scale=value)) for value, label in SCALES],
            "awaiting": list(milestones_awaiting(project=project)),
            "milestones": [
                (
                    milestone,
                    words.get(milestone.status, ""),
                    TIMELINE_COLOURS.get(milestone.status, "grey"),
                )
                for milestone in data.milestones
            ],
        },
    )
