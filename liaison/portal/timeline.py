"""The client's timeline: when the work they can see is planned, and the milestones
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

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from liaison.planning.gantt import render_gantt
from liaison.planning.selectors.gantt import GanttFilters, chart_labels, gantt_data
from liaison.planning.selectors.milestones import milestones_awaiting
from liaison.projects import access
from liaison.projects.access import CLIENT

SCALES = (
    ("week", _("Weeks")),
    ("month", _("Months")),
    ("quarter", _("Quarters")),
    ("day", _("Days")),
)

COLOURS = {"in_progress": "blue", "submitted": "amber", "accepted": "green", "rejected": "red"}


@login_required
@require_GET
def timeline(request, code: str):
    project = access.get_portal_project(request.user, code)
    asked = GanttFilters.from_query(request.GET)
    # The client chooses the scale and which groups are open; nothing else filters.
    filters = GanttFilters(scale=asked.scale, collapsed=asked.collapsed)
    data = gantt_data(project=project, audience=CLIENT, filters=filters)

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
        "portal/timeline.html",
        {
            "project": project,
            "data": data,
            "svg": mark_safe(svg),  # the renderer escapes every value it draws
            "filters": filters,
            "scales": [(value, label, filters.query(scale=value)) for value, label in SCALES],
            "awaiting": list(milestones_awaiting(project=project)),
            "milestones": [
                (milestone, words.get(milestone.status, ""), COLOURS.get(milestone.status, "grey"))
                for milestone in data.milestones
            ],
        },
    )
