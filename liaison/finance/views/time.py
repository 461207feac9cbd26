"""The time pages: a person's week as a grid (one POST saves it all), its
submission, the manager's approvals with the period close, and logging hours
from a task's page."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.core.forms import submit
from liaison.core.locking import StaleEdit
from liaison.core.params import iso_date, positive_int
from liaison.core.services import InvalidInput
from liaison.finance.forms.time import ClosePeriodForm, LogTimeForm, RejectDayForm, WeekForm
from liaison.finance.selectors import time as selectors
from liaison.finance.selectors.timer import running_timer
from liaison.finance.services import time as services
from liaison.finance.services import timesheets as sheet_services
from liaison.finance.services.time import Cell
from liaison.finance.weeks import week_days, week_of
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

NEW_ROW = "new"


def _week(query: QueryDict) -> dt.date:
    return week_of(iso_date(query.get("week")) or timezone.localdate())


def _to_week(project: Project, week: dt.date, person=None):
    url = reverse("finance:timesheet", args=[project.code])
    whose = f"&person={person.pk}" if person is not None else ""
    return redirect(f"{url}?week={week.isoformat()}{whose}")


# -- the week's grid ----------------------------------------------------------------------


def _parse_grid(
    post: QueryDict, week: dt.date
) -> tuple[dict[Cell, Decimal | None], dict[str, str], dict[str, str]]:
    """The cells typed (task id or None, day) → hours, the typed texts by input
    name, and the inputs that are no number of hours."""
    days = {day.isoformat(): day for day in week_days(week)}
    new_task = post.get("new_task", "")
    cells: dict[Cell, Decimal | None] = {}
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, text in post.items():
        parts = name.split("-", 2)
        if len(parts) != 3 or parts[0] != "h" or parts[2] not in days:
            continue
        row = new_task if parts[1] == NEW_ROW else parts[1]
        if not row.isdigit() or len(row) > 12:
            continue
        task_id = int(row) or None
        key = selectors.cell_name(task_id, days[parts[2]])
        typed[key] = text = str(text).strip()[:20]
        try:
            cells[(task_id, days[parts[2]])] = Decimal(text.replace(",", ".")) if text else None
        except InvalidOperation:
            errors[key] = _("Type a number of hours.")
    return cells, typed, errors


def _person(request, project: Project):
    """Whose week: one's own, or for a manager a person of the team (?person=),
    whose draft time the manager records for them (the form posts it back)."""
    pk = positive_int(request.GET.get("person"))
    if pk is None or pk == request.user.pk:
        return None
    access.require(request.user, Action.MANAGE, project)
    found = [person for person in selectors.team_people(project=project) if person.pk == pk]
    if not found:
        raise Http404
    return found[0]


def _grid_page(request, project: Project, week: dt.date, typed=None, errors=None, problem=""):
    other = _person(request, project)
    person = other or request.user
    grid = selectors.week_grid(project=project, person=person, week=week)
    if typed is not None:
        _show_typed(grid, typed, errors or {})
    return render(
        request,
        "finance/timesheet.html",
        {
            "project": project,
            "grid": grid,
            "problem": problem,
            "prev_week": (week - dt.timedelta(days=7)).isoformat(),
            "next_week": (week + dt.timedelta(days=7)).isoformat(),
            "team_totals": list(
                zip(grid.heads, selectors.week_totals(project=project, week=week), strict=True)
            ),
            "other": other,
            "shown_person": person,
            "people": selectors.team_people(project=project)
            if access.can(request.user, Action.MANAGE, project)
            else [],
            "submit_form": WeekForm(initial={"version": grid.version}),
            "running": running_timer(person=request.user),
            **access.permission_flags(request.user, project),
        },
        status=400 if problem else 200,
    )


def _show_typed(grid: selectors.WeekGrid, typed: dict[str, str], errors: dict[str, str]) -> None:
    """Put back what was typed, and each cell's refusal beside it, also in rows
    added by picking a task."""
    shown = {cell.name for row in grid.rows for cell in row.cells}
    extra: dict[int, selectors.GridRow] = {}
    choices = {task["pk"]: task for task in grid.task_choices}
    for name in typed:
        task_id = int(name.split("-")[1])
        if name not in shown and task_id in choices and task_id not in extra:
            task = choices[task_id]
            row = selectors.GridRow(task_id, str(task["key"]), str(task["title"]))
            row.cells = [selectors.GridCell(d, selectors.cell_name(task_id, d)) for d in grid.days]
            extra[task_id] = row
    grid.rows[-1:-1] = extra.values()
    for row in grid.rows:
        for cell in row.cells:
            cell.typed = typed.get(cell.name)
            cell.error = errors.get(cell.name, "")


@login_required
@require_http_methods(["GET", "POST"])
def timesheet(request, code: str):
    need = Action.EDIT if request.method == "POST" else Action.VIEW
    project = access.get_project_for(request.user, code, need=need)
    week = _week(request.POST if request.method == "POST" else request.GET)
    if request.method == "GET":
        return _grid_page(request, project, week)
    other = _person(request, project)
    cells, typed, errors = _parse_grid(request.POST, week)
    version = request.POST.get("version", "")
    if errors or not version.isdigit() or len(version) > 9:
        return _grid_page(request, project, week, typed, errors, _("Nothing was saved."))
    try:
        services.timesheet_save_week(
            project=project,
            by=request.user,
            week=week,
            version=int(version),
            cells=cells,
            person_id=other.pk if other else None,
        )
    except services.GridInvalid as error:
        names = {selectors.cell_name(*cell): message for cell, message in error.cells.items()}
        return _grid_page(request, project, week, typed, names, str(error.message))
    except (InvalidInput, StaleEdit) as error:
        message = error.message if isinstance(error, StaleEdit) else str(error.message)
        return _grid_page(request, project, week, typed, {}, message)
    messages.success(request, _("Time saved."))
    return _to_week(project, week, other)


@login_required
@require_POST
def timesheet_submit(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    week = _week(request.POST)
    sheet = selectors.week_sheet(project=project, person=request.user, week=week)
    form = WeekForm(request.POST)
    if sheet.pk is None:
        messages.error(request, _("This week has no time waiting to be submitted."))
        return _to_week(project, week)
    done = submit(
        form,
        lambda data: sheet_services.timesheet_submit(
            timesheet=sheet, by=request.user, version=data["version"]
        ),
    )
    if done is None:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    else:
        messages.success(request, _("Week submitted for approval."))
    return _to_week(project, week)


# -- the manager's approvals --------------------------------------------------------------


def _approvals_page(request, project: Project, close_form=None, problem=""):
    return render(
        request,
        "finance/time_approvals.html",
        {
            "project": project,
            "weeks": selectors.weeks_waiting(project=project),
            "closed_through": selectors.closed_through(project=project),
            "close_form": close_form or ClosePeriodForm(),
            "problem": problem,
            **access.permission_flags(request.user, project),
        },
        status=400 if problem or close_form else 200,
    )


@login_required
@require_GET
def time_approvals(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    return _approvals_page(request, project)


def _decide(request, code: str, timesheet_id: int, form, decide):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    sheet = selectors.timesheet_get(project=project, pk=timesheet_id)
    done = submit(form, lambda data: decide(sheet, data))
    if done is None:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return _approvals_page(request, project, problem=" ".join(errors))
    return redirect("finance:time-approvals", code=project.code)


@login_required
@require_POST
def timesheet_approve(request, code: str, timesheet_id: int):
    def approve(sheet, data):
        done = sheet_services.timesheet_approve(
            timesheet=sheet, by=request.user, version=data["version"]
        )
        messages.success(request, _("Week approved."))
        return done

    return _decide(request, code, timesheet_id, WeekForm(request.POST), approve)


@login_required
@require_POST
def timesheet_reject(request, code: str, timesheet_id: int):
    def reject(sheet, data):
        ids = sheet.entries.filter(day=data["day"]).values_list("pk", flat=True)
        done = sheet_services.timesheet_reject(
            timesheet=sheet,
            by=request.user,
            version=data["version"],
            entry_ids=list(ids),
            reason=data["reason"],
        )
        messages.success(request, _("The day was sent back."))
        return done

    return _decide(request, code, timesheet_id, RejectDayForm(request.POST), reject)


@login_required
@require_POST
def period_close(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = ClosePeriodForm(request.POST)
    done = submit(
        form,
        lambda data: sheet_services.period_close(
            project=project, by=request.user, through=data["through"]
        ),
    )
    if done is None:
        return _approvals_page(request, project, close_form=form)
    messages.success(request, _("Time closed through %(day)s.") % {"day": done.through})
    return redirect("finance:time-approvals", code=project.code)


# -- from a task's page -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def time_log(request, code: str):
    """Hours on a task: the task's page posts here and goes back there; a
    refusal shows this page with the message beside the field."""
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    if request.method == "GET":
        initial = {"task": request.GET.get("task", "")[:20], "day": timezone.localdate()}
        form = LogTimeForm(project=project, initial={**initial, "billable": True})
        return _log_page(request, project, form)
    form = LogTimeForm(request.POST, project=project)
    entry = submit(
        form,
        lambda data: services.time_entry_create(project=project, by=request.user, **data),
    )
    if entry is None:
        return _log_page(request, project, form)
    messages.success(request, _("%(hours)s h logged.") % {"hours": entry.hours})
    return redirect("planning:task", code=project.code, key=form.cleaned_data["task"].key)


def _log_page(request, project: Project, form: LogTimeForm):
    return render(
        request,
        "finance/time_log.html",
        {"project": project, "form": form, **access.permission_flags(request.user, project)},
    )
