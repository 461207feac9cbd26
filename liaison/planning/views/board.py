"""The board: tasks in four columns by status, optionally in swimlanes, with
quick filters and the columns' work-in-progress limits. A card moves by drag and
drop or its menu (board.js posts to the task's status view, which answers the
columns), into another lane too, which gives it that lane's assignee or
milestone; without JavaScript, the task's page changes its status."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.planning.forms.board import BoardLimitsForm
from liaison.planning.selectors.board import LANES, board_limits, board_view
from liaison.planning.selectors.tasks import TaskFilters, task_filter_choices
from liaison.planning.services.board import board_limits_set
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project


def lanes_of(query: QueryDict) -> str:
    lanes = query.get("lanes", "")
    return lanes if lanes in LANES else ""


def _link(filters: TaskFilters, lanes: str, **changes: object) -> str:
    """The board's query string with some filters replaced and these lanes: every
    link keeps the rest."""
    query = "&".join(
        part
        for part in (filters.query(**changes), urlencode({"lanes": lanes}))
        if part and part != "lanes="
    )
    return "?" + query


def _quick_filters(filters: TaskFilters, lanes: str, me: int) -> list[dict]:
    mine = filters.assignee == me
    return [
        {
            "label": _("Mine"),
            "on": mine,
            "query": _link(filters, lanes, assignee="" if mine else me),
        },
        {
            "label": _("Due this week"),
            "on": bool(filters.due),
            "query": _link(filters, lanes, due="" if filters.due else "week"),
        },
        {
            "label": _("Blocked"),
            "on": filters.blocked,
            "query": _link(filters, lanes, blocked="" if filters.blocked else "1"),
        },
    ]


def _lane_links(filters: TaskFilters, lanes: str) -> list[dict]:
    choices = (
        ("", _("No lanes")),
        ("assignee", _("By assignee")),
        ("milestone", _("By milestone")),
    )
    return [
        {"label": label, "on": value == lanes, "query": _link(filters, value)}
        for value, label in choices
    ]


def board_context(request, project: Project, filters: TaskFilters, lanes: str, back: str) -> dict:
    """Everything the board's columns need; the status view re-renders them too.
    `back` is the board's address, where a move returns."""
    audience = access.audience_of(request.user, project)
    people, milestones = task_filter_choices(project=project)
    flags = access.permission_flags(request.user, project)
    return {
        "project": project,
        "filters": filters,
        "board": board_view(
            project=project,
            audience=audience,
            filters=filters,
            lanes=lanes,
            people=people,
            milestones=milestones,
        ),
        "lanes": lanes,
        "quick_filters": _quick_filters(filters, lanes, request.user.pk),
        "lane_links": _lane_links(filters, lanes),
        "people": people,
        "milestones": milestones,
        "back": back,
        **flags,
    }


@login_required
@require_GET
def board(request, code: str):
    project = access.get_project_for(request.user, code)
    filters = TaskFilters.from_query(request.GET)
    context = board_context(
        request, project, filters, lanes_of(request.GET), back=request.get_full_path()
    )
    if context["can_manage"]:
        limits, version = board_limits(project=project)
        context["limits_form"] = BoardLimitsForm(initial={**limits, "version": version})
    return render_page(request, "planning/board.html", context, partial="columns")


@login_required
@require_POST
def board_limits_edit(request, code: str):
    """The managers set the columns' work-in-progress limits."""
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = BoardLimitsForm(request.POST)
    done = submit(
        form,
        lambda data: board_limits_set(
            project=project, by=request.user, version=data.pop("version"), limits=data
        ),
    )
    if done is None:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {errors[0]}" if label else str(errors[0]))
    else:
        messages.success(request, _("The column limits are saved."))
    return redirect(reverse("planning:board", args=[project.code]))
