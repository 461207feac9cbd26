"""The plan's Gantt page, the same chart as an SVG file, and the bar panel (a task's
dates and progress, edited beside the chart)."""

import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from liaison.core.forms import DateInput, VersionedForm, submit
from liaison.core.htmx import render_page
from liaison.core.params import positive_int
from liaison.planning.gantt import render_gantt
from liaison.planning.gantt_export import (
    MAX_PAGES,
    WEEKS_PER_PAGE,
    TooManyPages,
    gantt_pdf,
    gantt_png,
)
from liaison.planning.models import Task
from liaison.planning.selectors.gantt import GanttFilters, chart_labels, gantt_data
from liaison.planning.selectors.tasks import task_dependencies, task_filter_choices, task_get
from liaison.planning.services.tasks import task_update
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

PAGE = "planning/gantt.html"
PANEL = "planning/_task_panel.html"
SCALE_CHOICES = (
    ("day", gettext_lazy("Days")),
    ("week", gettext_lazy("Weeks")),
    ("month", gettext_lazy("Months")),
    ("quarter", gettext_lazy("Quarters")),
)


class TaskPanelForm(VersionedForm):
    """What the bar panel changes: the dates (which push the successors) and progress."""

    start_date = forms.DateField(label=gettext_lazy("Start"), required=False, widget=DateInput)
    due_date = forms.DateField(label=gettext_lazy("Due"), required=False, widget=DateInput)
    progress = forms.IntegerField(label=gettext_lazy("Progress (%)"), min_value=0, max_value=100)

    @classmethod
    def for_task(cls, task: Task) -> "TaskPanelForm":
        return cls(
            initial={
                "start_date": task.start_date,
                "due_date": task.due_date,
                "progress": task.progress,
                "version": task.version,
            }
        )


# -- the chart -------------------------------------------------------------------------


def _chart(request, project: Project, filters: GanttFilters) -> dict:
    """The chart and what its partial shows around it."""
    audience = access.audience_of(request.user, project)
    data = gantt_data(project=project, audience=audience, filters=filters)
    gantt_url = reverse("planning:gantt", args=[project.code])
    query = filters.query()
    suffix = f"?{query}" if query else ""
    # One reverse, then plain string work per bar: a plan has thousands of them.
    panel_prefix = reverse("planning:task-panel", args=[project.code, "T-0"]).removesuffix(
        "T-0/panel/"
    )

    def link_for(row):
        url = f"{panel_prefix}{row.key}/panel/"
        # The dates, for the page's script: a drag or an arrow key starts from them.
        if row.is_summary:  # spans its children: moved through them
            return {"href": url + suffix, "hx-get": url}
        return {
            "href": url + suffix,
            "hx-get": url,
            "data-start": row.start.isoformat(),
            "data-due": row.due.isoformat(),
        }

    def toggle_for(row):
        url = f"{gantt_url}?{filters.toggled(row.key)}"
        return {
            "href": url,
            "hx-get": url,
            "hx-target": "#gantt-chart",
            "hx-swap": "outerHTML",
            "hx-push-url": "true",
        }

    svg = render_gantt(
        data,
        scale=filters.scale,
        link_for=link_for,
        toggle_for=toggle_for,
        labels=chart_labels(audience),
    )
    task_query = {
        "status": filters.status,
        "milestone": filters.milestone,
        "assignee": filters.assignee or "",
    }
    return {
        "data": data,
        "svg": mark_safe(svg),  # the renderer escapes every value it draws
        "gesture_prefix": panel_prefix,  # gantt.js adds a task key and move/ or link/
        "filters": filters,
        "query": query,
        "gantt_url": gantt_url,
        "chart_url": gantt_url + suffix,
        "tasks_query": urlencode({k: v for k, v in task_query.items() if v}),
        "clear_query": filters.query(
            **{"from": "", "to": "", "milestone": "", "assignee": "", "status": ""}
        ),
        **access.permission_flags(request.user, project),
    }


def _page_context(request, project: Project, filters: GanttFilters) -> dict:
    people, milestones = task_filter_choices(project=project)
    return {
        "project": project,
        **_chart(request, project, filters),
        "scales": SCALE_CHOICES,
        "statuses": Task.Status.choices,
        "milestone_options": [(milestone.key, milestone.name) for milestone in milestones],
        "assignee_options": [(person.pk, str(person)) for person in people],
    }


@login_required
@require_GET
def gantt(request, code: str):
    project = access.get_project_for(request.user, code)
    filters = GanttFilters.from_query(request.GET)
    if request.htmx and not request.htmx.boosted:
        # The filters, a collapse toggle or a change elsewhere: only the chart comes back.
        context = {"project": project, **_chart(request, project, filters)}
    else:
        context = _page_context(request, project, filters)
    return render_page(request, PAGE, context, partial="chart")


@login_required
@require_GET
def gantt_svg(request, code: str):
    project = access.get_project_for(request.user, code)
    filters = GanttFilters.from_query(request.GET)
    audience = access.audience_of(request.user, project)
    data = gantt_data(project=project, audience=audience, filters=filters, counts=False)
    svg = render_gantt(data, scale=filters.scale, labels=chart_labels(audience))
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg,
        content_type="image/svg+xml; charset=utf-8",
    )
    name = re.sub(r"[^A-Za-z0-9_-]", "", project.code) or "plan"
    response["Content-Disposition"] = f'inline; filename="{name}-plan.svg"'
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the file may run nothing and fetch nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


EXPORTS = {"pdf": "application/pdf", "png": "image/png"}


@login_required
@require_GET
def gantt_export(request, code: str, fmt: str):
    """The chart as a PNG, or printed: a PDF page per `weeks` weeks (4 unless asked)."""
    if fmt not in EXPORTS:
        raise Http404
    project = access.get_project_for(request.user, code)
    filters = GanttFilters.from_query(request.GET)
    audience = access.audience_of(request.user, project)
    data = gantt_data(project=project, audience=audience, filters=filters, counts=False)
    labels = chart_labels(audience)
    if fmt == "pdf":
        weeks = positive_int(request.GET.get("weeks")) or WEEKS_PER_PAGE
        try:
            content = gantt_pdf(data, project=project, labels=labels, weeks=weeks)
        except TooManyPages as refused:
            return _too_long(request, project, refused.pages)
    else:
        content = gantt_png(data, scale=filters.scale, labels=labels)
    response = HttpResponse(content, content_type=EXPORTS[fmt])
    name = re.sub(r"[^A-Za-z0-9_-]", "", project.code) or "plan"
    response["Content-Disposition"] = f'attachment; filename="{name}-plan.{fmt}"'
    return response


def _too_long(request, project: Project, pages: int) -> HttpResponse:
    """Back to the chart, its filters kept, saying how to print less."""
    messages.error(
        request,
        _(
            "The print would be %(pages)s pages, more than %(most)s: choose a milestone, "
            "a shorter period or more weeks per page."
        )
        % {"pages": pages, "most": MAX_PAGES},
    )
    query = request.GET.copy()
    query.pop("weeks", None)
    url = reverse("planning:gantt", args=[project.code])
    return redirect(f"{url}?{query.urlencode()}" if query else url)


# -- the bar panel ---------------------------------------------------------------------


def _panel_context(request, project: Project, task: Task, form, filters, saved: bool) -> dict:
    waits_for, blocks = task_dependencies(task=task)
    return {
        "project": project,
        "task": task,
        "form": form,
        "saved": saved,
        "panel_query": filters.query(),
        "predecessors": waits_for,
        "successors": blocks,
        "can_edit": access.can(request.user, Action.EDIT, project),
    }


@login_required
@require_http_methods(["GET", "POST"])
def task_panel(request, code: str, key: str):
    """GET: a task's facts beside the chart (and its form for those who edit).
    POST: save the dates and progress; the successors move with them."""
    posting = request.method == "POST"
    project = access.get_project_for(
        request.user, code, need=Action.EDIT if posting else Action.VIEW
    )
    task = task_get(project=project, audience=access.audience_of(request.user, project), key=key)
    filters = GanttFilters.from_query(request.GET)
    can_edit = access.can(request.user, Action.EDIT, project)
    form = TaskPanelForm.for_task(task) if can_edit else None
    saved = False
    if posting:
        form = TaskPanelForm(request.POST)
        updated = submit(
            form,
            lambda data: task_update(
                task=task,
                by=request.user,
                version=data["version"],
                start_date=data["start_date"],
                due_date=data["due_date"],
                progress=data["progress"],
            ),
        )
        if updated is not None:
            task = updated
            if not request.htmx:
                messages.success(request, _("%(key)s saved.") % {"key": task.key})
                query = filters.query()
                url = reverse("planning:gantt", args=[project.code])
                return redirect(f"{url}?{query}" if query else url)
            saved = True
            form = TaskPanelForm.for_task(task)
    panel = _panel_context(request, project, task, form, filters, saved)
    failed = posting and not saved
    if request.htmx:
        response = render(request, PANEL, {"project": project, "panel": panel})
        if saved:
            response["HX-Trigger"] = "plan-changed"  # the chart reloads itself
        return response
    # Without JavaScript: the Gantt page, with the panel open beside the chart.
    page = _page_context(request, project, filters)
    return render(request, PAGE, {**page, "panel": panel}, status=400 if failed else 200)
