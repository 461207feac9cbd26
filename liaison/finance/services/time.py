"""Writes of the hours people log: one entry at a time (the API, a task's page)
or a whole week's grid in one transaction (the timesheet page).

A person logs their own time, into their week's timesheet of the project
(made on the first entry); a project's manager may also record, change and
remove a team member's draft time on their behalf (`person=`), which the
activity log says (`on_behalf_of`). An entry may change while it is a draft or
rejected; once submitted it waits for the manager, once approved it is locked
(services/timesheets.py). Every write moves the timesheet's version, so a
stale week's form is refused as a whole."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.finance.models import ClosedPeriod, EntryStatus, TimeEntry, Timesheet
from liaison.finance.weeks import week_of
from liaison.planning.models import Task
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Membership, Project

ENTRY_FIELDS = ("day", "hours", "task", "billable", "note")
EDITABLE = (EntryStatus.DRAFT, EntryStatus.REJECTED)
DAY_HOURS = Decimal("24")
MAX_NOTE = 500
# A cell of the week's grid: (task id or None for project work, day).
Cell = tuple[int | None, dt.date]


def _today() -> dt.date:
    return timezone.localdate()


# -- the rules of one entry ------------------------------------------------------------


def check_day(*, project: Project, day: dt.date) -> None:
    check_date(day, "day")
    if day > week_of(_today()) + dt.timedelta(days=6):
        raise InvalidInput(
            _("Log time up to the end of this week, not later."), field="day", code="future_day"
        )
    closed = ClosedPeriod.objects.filter(project=project).values_list("through", flat=True)
    through = next(iter(closed), None)
    if through is not None and day <= through:
        raise InvalidInput(
            _("Time is closed through %(day)s: nothing on or before it can change.")
            % {"day": through.isoformat()},
            field="day",
            code="period_closed",
        )


def _check_hours(hours: Decimal | None) -> Decimal:
    if hours is None or not Decimal("0") < hours <= DAY_HOURS:
        raise InvalidInput(
            _("Give more than 0 and at most 24 hours."), field="hours", code="hours_invalid"
        )
    if hours != hours.quantize(Decimal("0.01")):
        raise InvalidInput(
            _("Give hours with at most two decimals."), field="hours", code="hours_invalid"
        )
    return hours


def _check_day_total(person: User, day: dt.date, hours: Decimal, leaving: int | None) -> None:
    """The person's hours on the day, across all their projects, stay within 24."""
    others = TimeEntry.objects.filter(person=person, day=day)
    if leaving is not None:
        others = others.exclude(pk=leaving)
    logged = others.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    if logged + hours > DAY_HOURS:
        raise InvalidInput(
            _("That makes %(total)s hours on %(day)s: a day has at most 24.")
            % {"total": logged + hours, "day": day.isoformat()},
            field="hours",
            code="too_many_hours",
        )


def _check_task(project: Project, task: Task | None) -> None:
    if task is not None and task.project_id != project.pk:
        raise InvalidInput(
            _("That task is not part of this project."), field="task", code="not_in_project"
        )


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "note" in fields:
        fields["note"] = " ".join((fields["note"] or "").split())[:MAX_NOTE]
    if "billable" in fields:
        fields["billable"] = bool(fields["billable"])
    return fields


def _sheet_for(project: Project, person: User, day: dt.date) -> Timesheet:
    """The person's timesheet of the day's week, made on the first entry and
    locked for this transaction; a week waiting for approval or approved takes
    no change."""
    sheet, _made = Timesheet.objects.select_for_update().get_or_create(
        project=project, person=person, week=week_of(day)
    )
    if sheet.status in (EntryStatus.SUBMITTED, EntryStatus.APPROVED):
        raise InvalidInput(
            _("The week of %(week)s is submitted or approved: its time cannot change.")
            % {"week": sheet.week.isoformat()},
            field="day",
            code="week_locked",
        )
    return sheet


def _touch(sheet: Timesheet) -> None:
    """Move the week's version on: a form opened before this write is stale."""
    save_changes(sheet, [])


def _whose(project: Project, by: User, person_id: int | None) -> User:
    """Whose time `by` writes: their own, or a team member's for a manager."""
    if person_id is None or person_id == by.pk:
        return by
    if not access.can_log_time_for(by, project, person_id):
        raise InvalidInput(
            _("Only the project's managers record time for someone else."),
            field="person",
            code="not_manager",
        )
    team = (Membership.Role.MANAGER, Membership.Role.MEMBER)
    found = User.objects.filter(
        pk=person_id, memberships__project=project, memberships__role__in=team
    ).first()
    if found is None:
        raise InvalidInput(
            _("Choose a person of the project's team."), field="person", code="not_member"
        )
    return found


def _on_behalf(person: User, by: User) -> dict[str, list[Any]]:
    """What the activity log adds when a manager writes someone else's time."""
    return {} if person.pk == by.pk else {"on_behalf_of": [None, str(person)]}


def _own_editable(entry: TimeEntry, by: User) -> None:
    if not access.can_log_time_for(by, entry.project, entry.person_id):
        raise InvalidInput(_("You can change only your own time."), field="entry", code="not_yours")
    if entry.status not in EDITABLE:
        raise InvalidInput(
            _("This entry is submitted or approved: it cannot change."),
            field="hours",
            code="entry_locked",
        )
    check_day(project=entry.project, day=entry.day)


# -- one entry ------------------------------------------------------------------------


@transaction.atomic
def time_entry_create(
    *, project: Project, by: User, person_id: int | None = None, **fields: Any
) -> TimeEntry:
    """Hours `by` worked on a day, on a task of the project or on the project
    (`person_id`: a team member's, which only a manager of the project records)."""
    access.require(by, Action.EDIT, project)
    only_editable(fields, ENTRY_FIELDS)
    person = _whose(project, by, person_id)
    fields = _clean({"task": None, "billable": True, "note": "", **fields})
    day, hours = fields.get("day"), fields.get("hours")
    if day is None:
        raise InvalidInput(_("Give the day the work was done."), field="day", code="day_required")
    check_day(project=project, day=day)
    hours = _check_hours(hours)
    _check_task(project, fields["task"])
    sheet = _sheet_for(project, person, day)
    _check_day_total(person, day, hours, leaving=None)
    entry = TimeEntry.objects.create(timesheet=sheet, project=project, person=person, **fields)
    _touch(sheet)
    activity_record(
        actor=by, verb="created", target=entry, project=project, diff=_on_behalf(person, by)
    )
    return entry


def _locked_entry(entry: TimeEntry, by: User, version: int | None) -> TimeEntry:
    locked = TimeEntry.objects.select_for_update().select_related("person").get(pk=entry.pk)
    locked.project = entry.project
    if version is not None:
        check_version(locked, version)
    _own_editable(locked, by)
    return locked


@transaction.atomic
def time_entry_update(*, entry: TimeEntry, by: User, version: int, **fields: Any) -> TimeEntry:
    """Change a draft or rejected entry (one's own, or a manager the team's); a
    new day may move it to another week."""
    project = entry.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, ENTRY_FIELDS)
    locked = _locked_entry(entry, by, version)
    fields = _clean(fields)
    day, hours = fields.get("day", locked.day), fields.get("hours", locked.hours)
    check_day(project=project, day=day)
    _check_hours(hours)
    _check_task(project, fields.get("task"))
    person = locked.person
    sheet = _sheet_for(project, person, locked.day)
    if week_of(day) != sheet.week:
        sheet = _sheet_for(project, person, day)
        fields["timesheet"] = sheet
    _check_day_total(person, day, hours, leaving=locked.pk)
    diff = apply_fields(locked, fields)
    if diff:
        save_changes(locked, diff)
        _touch(sheet)
        activity_record(
            actor=by,
            verb="updated",
            target=locked,
            project=project,
            diff={**diff, **_on_behalf(person, by)},
        )
    return locked


@transaction.atomic
def time_entry_delete(*, entry: TimeEntry, by: User, version: int | None = None) -> None:
    """Remove a draft or rejected entry (one's own, or a manager the team's;
    `version`: refused when stale)."""
    project = entry.project
    access.require(by, Action.EDIT, project)
    locked = _locked_entry(entry, by, version)
    _touch(_sheet_for(project, locked.person, locked.day))
    activity_record(
        actor=by,
        verb="deleted",
        target=locked,
        project=project,
        diff=_on_behalf(locked.person, by),
    )
    locked.delete()


# -- the week's grid ---------------------------------------------------------------------


class GridInvalid(InvalidInput):
    """Some cells of a week's grid were refused: nothing of it was saved.
    `cells` says why, cell by cell."""

    def __init__(self, cells: dict[Cell, str]) -> None:
        super().__init__(_("Nothing was saved: correct the marked cells."), code="grid_invalid")
        self.cells = cells


@transaction.atomic
def timesheet_save_week(
    *,
    project: Project,
    by: User,
    week: dt.date,
    version: int,
    cells: Mapping[Cell, Decimal | None],
    person_id: int | None = None,
) -> Timesheet:
    """Save a week's grid as typed: each cell is the hours of a task (or of
    project work) on a day; empty or 0 removes them. All or nothing; `version`
    is the timesheet's as the form read it (0: it had none yet). `person_id`: a
    team member's week, which a manager of the project fills in for them."""
    access.require(by, Action.EDIT, project)
    person = _whose(project, by, person_id)
    week = week_of(week)
    found = Timesheet.objects.select_for_update().filter(project=project, person=person, week=week)
    sheet = found.order_by().first()
    if sheet is not None:
        check_version(sheet, version)
    elif not any(cells.values()):
        return Timesheet(project=project, person=person, week=week)  # nothing to keep
    else:
        sheet = Timesheet.objects.create(project=project, person=person, week=week)
    sheet.person = person
    tasks = _grid_tasks(project, cells)
    current = _grid_entries(sheet)
    changed = {
        cell: hours or Decimal("0")
        for cell, hours in cells.items()
        if (hours or Decimal("0")) != sum((e.hours for e in current.get(cell, [])), Decimal("0"))
    }
    errors: dict[Cell, str] = {}
    # Lower cells first, so that hours moved between tasks of a day fit in it.
    for cell in sorted(changed, key=lambda c: changed[c] - _total(current.get(c, []))):
        try:
            _write_cell(sheet, by, tasks, cell, changed[cell], current.get(cell, []))
        except InvalidInput as error:
            errors[cell] = str(error.message)
    if errors:
        raise GridInvalid(errors)
    if changed:
        _touch(sheet)
    return sheet


def _total(entries: list[TimeEntry]) -> Decimal:
    return sum((entry.hours for entry in entries), Decimal("0"))


def _grid_tasks(project: Project, cells: Mapping[Cell, Any]) -> dict[int, Task]:
    ids = {task_id for task_id, _day in cells if task_id is not None}
    found = {task.pk: task for task in Task.objects.filter(project=project, pk__in=ids)}
    if len(found) != len(ids):
        raise InvalidInput(
            _("That task is not part of this project."), field="task", code="not_in_project"
        )
    return found


def _grid_entries(sheet: Timesheet) -> dict[Cell, list[TimeEntry]]:
    cells: dict[Cell, list[TimeEntry]] = {}
    for entry in TimeEntry.objects.select_for_update().filter(timesheet=sheet).order_by("id"):
        cells.setdefault((entry.task_id, entry.day), []).append(entry)
    return cells


def _write_cell(
    sheet: Timesheet,
    by: User,
    tasks: dict[int, Task],
    cell: Cell,
    hours: Decimal,
    entries: list[TimeEntry],
) -> None:
    """One cell to `hours`: its first entry takes them and the others go (0:
    all go), or a new entry holds them."""
    task_id, day = cell
    project = sheet.project
    if week_of(day) != sheet.week:
        raise InvalidInput(_("That day is not in this week."), field="day", code="invalid")
    for entry in entries:
        entry.project = project
        _own_editable(entry, by)
    if not entries:
        check_day(project=project, day=day)
    person = sheet.person
    whom = _on_behalf(person, by)
    keep, drop = (entries[0], entries[1:]) if hours and entries else (None, entries)
    for entry in drop:
        activity_record(actor=by, verb="deleted", target=entry, project=project, diff=whom)
        entry.delete()
    if not hours:
        return
    _check_hours(hours)
    _check_day_total(person, day, hours, leaving=keep.pk if keep else None)
    if keep is not None:
        diff = apply_fields(keep, {"hours": hours})
        save_changes(keep, diff)
        activity_record(
            actor=by, verb="updated", target=keep, project=project, diff={**diff, **whom}
        )
        return
    task = tasks.get(task_id) if task_id is not None else None
    entry = TimeEntry.objects.create(
        timesheet=sheet, project=project, person=person, day=day, task=task, hours=hours
    )
    activity_record(actor=by, verb="created", target=entry, project=project, diff=whom)
