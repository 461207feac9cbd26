"""The team's task pages: the list, one task, its form with the schedule
preview, its status, comments and dependencies."""

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import activity_for, comment_thread
from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.core.locking import StaleEdit
from liaison.core.pagination import PAGE_SIZES, paginate
from liaison.core.params import iso_date, positive_int
from liaison.core.registry import registry
from liaison.core.request_info import local_next
from liaison.core.services import InvalidInput
from liaison.planning.forms.tasks import DependencyForm, TaskEditForm, TaskForm
from liaison.planning.models import Dependency, Task
from liaison.planning.selectors import hours
from liaison.planning.selectors import tasks as selectors
from liaison.planning.selectors.board import board_lane
from liaison.planning.selectors.tasks import TaskFilters
from liaison.planning.services import plan as plan_services
from liaison.planning.services import tasks as services
from liaison.planning.services.schedule import task_move_preview
from liaison.planning.views.board import board_context, lanes_of
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RECENT_ACTIVITY = 10
SORTABLE = ("key", "title", "status", "start", "due")


def _task_for(request, code: str, key: str, need: Action = Action.VIEW) -> tuple[Project, Task]:
    """The project (access checked first: a role too low is 403 whatever the
    key) and the task as this user's audience sees it (else 404)."""
    project = access.get_project_for(request.user, code, need=need)
    audience = access.audience_of(request.user, project)
    return project, selectors.task_get(project=project, audience=audience, key=key)


def _to_task(task: Task, anchor: str = ""):
    return redirect(reverse("planning:task", args=[task.project.code, task.key]) + anchor)


def _moved_message(count: int) -> str:
    return ngettext(
        "%(count)s other task moved to respect its dependencies.",
        "%(count)s other tasks moved to respect their dependencies.",
        count,
    ) % {"count": count}


# -- the list --------------------------------------------------------------------------


def _list_query(filters: TaskFilters, per_page: int, **changes) -> str:
    """The filters' query string with some values replaced, keeping the page size."""
    query = filters.query(**changes)
    if per_page != settings.PAGE_SIZE:
        query = f"{query}&per_page={per_page}" if query else f"per_page={per_page}"
    return query


def _sort_links(filters: TaskFilters, per_page: int) -> dict[str, str]:
    """Column → the link that sorts by it (the key column toggles newest first)."""
    links = {name: _list_query(filters, per_page, sort=name) for name in SORTABLE}
    if filters.sort == "key":
        links["key"] = _list_query(filters, per_page, sort="-key")
    return links


@login_required
@require_GET
def task_list(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    filters = TaskFilters.from_query(request.GET)
    page = paginate(
        selectors.task_rows(project=project, audience=audience, filters=filters), request
    )
    per_page = page.paginator.per_page
    counts = selectors.task_status_counts(project=project, audience=audience, filters=filters)
    people, milestones = selectors.task_filter_choices(project=project)
    return render_page(
        request,
        "planning/task_list.html",
        {
            "project": project,
            "page": page,
            "rows": selectors.task_row_views(page, project=project),
            "show_hours": hours.hours_kept(),
            "filters": filters,
            "status_chips": [
                {
                    "label": label,
                    "value": value,
                    "count": counts.get(value, 0),
                    "active": value == filters.status,
                    "query": _list_query(filters, per_page, status=value),
                }
                for value, label in Task.Status.choices
            ],
            "total": sum(counts.values()),
            "all_statuses_query": _list_query(filters, per_page, status=""),
            "sort_links": _sort_links(filters, per_page),
            "page_sizes": PAGE_SIZES,
            "people": people,
            "milestones": milestones,
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


# -- one task --------------------------------------------------------------------------


@login_required
@require_GET
def task_detail(request, code: str, key: str):
    project, task = _task_for(request, code, key)
    audience = access.audience_of(request.user, project)
    waits_for, blocks = selectors.task_dependencies(task=task)
    show_all = request.GET.get("comments") == "all"
    return render(
        request,
        "planning/task_detail.html",
        {
            "project": project,
            "task": task,
            "children": selectors.task_children(task=task, audience=audience),
            "requirements": selectors.task_requirements(task=task, audience=audience),
            "waits_for": waits_for,
            "blocks": blocks,
            "dependency_form": DependencyForm(project=project, initial={"kind": "FS"}),
            "statuses": Task.Status.choices,
            "thread": comment_thread(
                target=task, audience=audience, latest=None if show_all else 30
            ),
            "comment_form": CommentForm(),
            "activities": activity_for(target=task, audience=audience)[:RECENT_ACTIVITY],
            **_hours_context(project, task),
            "hours_panels": _hours_panels(request, project, task),
            **access.permission_flags(request.user, project),
        },
    )


def _hours_context(project: Project, task: Task) -> dict:
    """Estimate, logged and remaining, and where to log more (when time is kept)."""
    view = hours.task_hours(project=project, task_id=task.pk, estimate=task.estimate_hours)
    if view is None:
        return {}
    return {
        "hours": view,
        "hours_label": hours.hours_label(),
        "log_url": hours.log_url(project=project),
        "today": timezone.localdate(),
    }


def _hours_panels(request, project: Project, task: Task) -> list[dict]:
    """What the features that keep time show on the task's page (finance: the timer)."""
    return [
        {"template": kind.panel, "context": kind.panel_context(request, project, task)}
        for kind in registry.task_hours
        if kind.panel
    ]


def _form_page(request, project: Project, form, task: Task | None):
    return render(
        request,
        "planning/task_form.html",
        {
            "project": project,
            "form": form,
            "task": task,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    initial = {"status": Task.Status.TODO, "progress": 0, "order": 0}
    # "New task" from a milestone or a parent task's page comes with it chosen.
    milestone = request.GET.get("milestone", "")[:20]
    if milestone:
        initial["milestone"] = (
            project.milestones.filter(key=milestone).values_list("pk", flat=True).first()
        )
    initial["parent"] = request.GET.get("parent", "")[:20]
    form = TaskForm(
        request.POST if request.method == "POST" else None, project=project, initial=initial
    )
    if request.method == "POST":
        task = submit(
            form,
            lambda data: services.task_create(
                project=project, by=request.user, **form.service_fields()
            ),
        )
        if task is not None:
            messages.success(request, _("%(key)s created.") % {"key": task.key})
            return _to_task(task)
    return _form_page(request, project, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, code: str, key: str):
    project, task = _task_for(request, code, key, need=Action.EDIT)
    form = TaskEditForm(
        request.POST if request.method == "POST" else None,
        project=project,
        task=task,
        initial=TaskForm.initial_of(task) if request.method == "GET" else None,
    )
    if request.method == "POST":
        before = selectors.last_activity_id(project=project)
        saved = submit(
            form,
            lambda data: services.task_update(
                task=task, by=request.user, version=data["version"], **form.service_fields()
            ),
        )
        if saved is not None:
            moved = selectors.tasks_rescheduled_since(project=project, after=before, exclude=saved)
            text = _("%(key)s saved.") % {"key": saved.key}
            if moved:
                text = f"{text} {_moved_message(moved)}"
            messages.success(request, text)
            return _to_task(saved)
    return _form_page(request, project, form, task)


@login_required
@require_POST
def task_preview(request, code: str, key: str):
    """What saving these dates would move, before anything is saved (the
    task form and the Gantt's bar panel post their two date fields here)."""
    project, task = _task_for(request, code, key, need=Action.EDIT)
    start = iso_date(request.POST.get("start_date"))
    due = iso_date(request.POST.get("due_date"))
    context = {"project": project, "task": task, "problem": "", "refused": "", "moves": []}
    if start is None or due is None:
        context["problem"] = _(
            "Give both a start and a due date (as 2027-01-04) to see what else would move."
        )
    else:
        try:
            moves = task_move_preview(task=task, start=start, due=due)
        except InvalidInput as error:
            context["refused"] = error.message
        else:
            context["moves"] = [move for move in moves if move.task.pk != task.pk]
    return render(request, "planning/_schedule_preview.html", context)


# -- status, delete, comments ---------------------------------------------------------


@login_required
@require_POST
def task_status(request, code: str, key: str):
    """A card's move: its status and, from the board (`after`: the key of the
    card it now follows, empty for first), its place in the column. HTMX gets the
    board's columns back (the card in its new place, the counts updated; a
    refused move leaves it where it was, with why); otherwise back to `next`."""
    project, task = _task_for(request, code, key, need=Action.EDIT)
    error: StrOrPromise = ""
    notice = ""
    # Sent only by a drop into another swimlane: the lane's assignee or milestone.
    lanes = request.POST.get("lanes", "") if "lane" in request.POST else ""
    try:
        # The card's version: a move made on a stale board never overwrites a newer change.
        moved = services.task_transition(
            task=task,
            by=request.user,
            status=request.POST.get("status", ""),
            version=positive_int(request.POST.get("version")) or 0,
            placed="after" in request.POST,
            after=_after(project, request.POST.get("after", "")),
            lane=board_lane(project=project, lanes=lanes, lane=request.POST.get("lane", "")),
        )
    except (InvalidInput, StaleEdit) as refused:
        error = refused.message
    else:
        notice = _moved_notice(moved, lanes)
    back = local_next(request)
    if request.htmx:
        query = QueryDict(urlsplit(back).query) if back else QueryDict()
        filters = TaskFilters.from_query(query)
        context = board_context(request, project, filters, lanes_of(query), back=back)
        context.update({"error": error, "notice": notice})
        return render(request, "planning/board.html#columns", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(back or reverse("planning:board", args=[project.code]))


def _moved_notice(task: Task, lanes: str) -> str:
    """Where the card is now: its status, and its lane when it was dropped into one."""
    status = task.get_status_display()
    if lanes == "assignee":
        lane = str(task.assignee) if task.assignee else _("Nobody")
    elif lanes == "milestone":
        lane = (
            f"{task.milestone.key} {task.milestone.name}" if task.milestone else _("No milestone")
        )
    else:
        return _("%(key)s is now %(status)s.") % {"key": task.key, "status": status}
    return _("%(key)s is now %(status)s, in the lane %(lane)s.") % {
        "key": task.key,
        "status": status,
        "lane": lane,
    }


def _after(project: Project, key: str) -> Task | None:
    """The card a moved card now follows (None: first in its column, or gone)."""
    if not key:
        return None
    return selectors.task_for_board(project=project, key=key[:20])


@login_required
@require_POST
def task_delete(request, code: str, key: str):
    project, task = _task_for(request, code, key, need=Action.EDIT)
    version = positive_int(request.POST.get("version"))
    if version is None:
        messages.error(request, _("Reload the page and try again."))
        return _to_task(task)
    try:
        services.task_delete(task=task, by=request.user, version=version)
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
        return _to_task(task)
    messages.success(request, _("%(key)s deleted.") % {"key": task.key})
    return redirect("planning:tasks", code=project.code)


@login_required
@require_POST
def task_comment(request, code: str, key: str):
    project, task = _task_for(request, code, key, need=Action.COMMENT)
    post_comment(request, target=task, project=project, url=task.get_absolute_url())
    return _to_task(task, "#comments")


# -- dependencies ----------------------------------------------------------------------


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return _("Check the values and try again.")


@login_required
@require_POST
def dependency_create(request, code: str, key: str):
    """The task in the URL waits for the one typed (the predecessor)."""
    project, successor = _task_for(request, code, key, need=Action.EDIT)
    form = DependencyForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _to_task(successor, "#dependencies")
    predecessor = form.cleaned_data["predecessor"]
    before = selectors.last_activity_id(project=project)
    try:
        dependency = plan_services.dependency_create(
            project=project,
            by=request.user,
            predecessor=predecessor,
            successor=successor,
            kind=form.cleaned_data["kind"],
            lag_days=form.cleaned_data["lag_days"],
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        text = _("%(task)s now waits for %(other)s (%(kind)s).") % {
            "task": successor.key,
            "other": predecessor.key,
            "kind": dependency.get_kind_display(),
        }
        moved = selectors.tasks_rescheduled_since(project=project, after=before)
        if moved:
            text = f"{text} " + ngettext(
                "%(count)s task moved to respect it.", "%(count)s tasks moved to respect it.", moved
            ) % {"count": moved}
        messages.success(request, text)
    return _to_task(successor, "#dependencies")


@login_required
@require_POST
def dependency_delete(request, code: str, dependency_id: int):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    dependency: Dependency = selectors.dependency_get(project=project, dependency_id=dependency_id)
    successor, predecessor = dependency.successor, dependency.predecessor
    try:
        plan_services.dependency_delete(dependency=dependency, by=request.user)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(task)s no longer waits for %(other)s.")
            % {"task": successor.key, "other": predecessor.key},
        )
    return _to_task(successor, "#dependencies")
