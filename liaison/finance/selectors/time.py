"""Reads of logged time: a person's week as a grid (rows = tasks, columns =
days), the weeks waiting for the manager, the team's totals and the hours
logged on tasks. Each a fixed number of queries whatever the data's size."""

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.dates import WEEKDAYS_ABBR

from liaison.accounts.models import User
from liaison.finance.models import ClosedPeriod, EntryStatus, TimeEntry, Timesheet
from liaison.finance.services.time import EDITABLE
from liaison.finance.weeks import week_days, week_of
from liaison.planning.models import Task
from liaison.projects.models import Membership, Project

ZERO = Decimal("0")
# What counts as logged on a task: what the person has handed in.
LOGGED = (EntryStatus.SUBMITTED, EntryStatus.APPROVED)
MAX_TASK_CHOICES = 300
# A person with more open tasks sees their first ones, and adds others by picking.
MAX_ASSIGNED_ROWS = 40
COLOURS = {"draft": "grey", "submitted": "amber", "approved": "green", "rejected": "red"}
# A cell's status when its entries differ: the one that needs attention first.
STATUS_RANK = {s: n for n, s in enumerate(("rejected", "draft", "submitted", "approved"))}


def hours_text(hours: Decimal) -> str:
    """Hours as a person types them: 8, 7.5, 0.25 (no trailing zeros)."""
    text = f"{hours.normalize():f}"
    return "" if text == "0" else text


@dataclass(slots=True)
class GridCell:
    day: dt.date
    name: str  # the input's name
    hours: Decimal = ZERO
    status: str = ""
    reason: str = ""
    editable: bool = True
    typed: str | None = None  # what was typed, when the page comes back refused
    error: str = ""

    @property
    def value(self) -> str:
        return hours_text(self.hours) if self.typed is None else self.typed

    @property
    def colour(self) -> str:
        return COLOURS.get(self.status, "")

    @property
    def weekday(self) -> str:
        """The day's short name in the reader's language: a phone's label for the cell."""
        return str(WEEKDAYS_ABBR[self.day.weekday()])


@dataclass(slots=True)
class GridRow:
    task_id: int | None
    key: str
    title: str
    cells: list[GridCell] = field(default_factory=list)

    @property
    def total(self) -> str:
        return hours_text(sum((cell.hours for cell in self.cells), ZERO))


@dataclass
class WeekGrid:
    week: dt.date
    days: list[dt.date]
    sheet: Timesheet | None
    rows: list[GridRow]
    day_totals: list[str]
    total: str
    closed_through: dt.date | None
    task_choices: list[Mapping[str, Any]]

    @property
    def version(self) -> int:
        return self.sheet.version if self.sheet else 0

    @property
    def status(self) -> str:
        return self.sheet.status if self.sheet else EntryStatus.DRAFT

    @property
    def heads(self) -> list[tuple[str, dt.date]]:
        """Each day with its weekday's short name, in the reader's language."""
        return [(str(WEEKDAYS_ABBR[day.weekday()]), day) for day in self.days]

    @property
    def labelled_day_totals(self) -> list[tuple[str, str]]:
        """Each day's total with its weekday's short name (a phone's label)."""
        return [(name, total) for (name, _), total in zip(self.heads, self.day_totals, strict=True)]

    @property
    def status_label(self) -> str:
        return str(EntryStatus(self.status).label)

    @property
    def colour(self) -> str:
        return COLOURS[self.status]

    @property
    def reasons(self) -> list[tuple[dt.date, str]]:
        """The days sent back, each with the manager's reason."""
        found = {cell.day: cell.reason for row in self.rows for cell in row.cells if cell.reason}
        return sorted(found.items())

    @property
    def can_submit(self) -> bool:
        return any(cell.status in EDITABLE for row in self.rows for cell in row.cells)


def cell_name(task_id: int | None, day: dt.date) -> str:
    return f"h-{task_id or 0}-{day.isoformat()}"


def closed_through(*, project: Project) -> dt.date | None:
    found = ClosedPeriod.objects.filter(project=project).values_list("through", flat=True)
    return next(iter(found), None)


def week_grid(*, project: Project, person: User, week: dt.date) -> WeekGrid:
    """The person's week in the project: a row per task they are assigned
    (open) or logged on that week, and one for project work; five queries.
    A manager reads and fills in a team member's week the same way."""
    week = week_of(week)
    days = week_days(week)
    sheet = next(
        iter(Timesheet.objects.filter(project=project, person=person, week=week).order_by()[:1]),
        None,
    )
    entries: list[Mapping[str, Any]] = list(
        TimeEntry.objects.filter(project=project, person=person, day__range=(days[0], days[-1]))
        .values("task_id", "day", "hours", "status", "reject_reason")
        .order_by()
    )
    through = closed_through(project=project)
    logged = {entry["task_id"] for entry in entries} - {None}
    assigned = (
        Task.objects.filter(project=project, assignee=person)
        .exclude(status=Task.Status.DONE)
        .order_by("number")
        .values("pk")[:MAX_ASSIGNED_ROWS]
    )
    tasks = list(
        Task.objects.filter(project=project)
        .filter(Q(pk__in=logged) | Q(pk__in=assigned))
        .values("pk", "key", "title")
        .order_by("number")
    )
    rows = [GridRow(task["pk"], task["key"], task["title"]) for task in tasks]
    rows.append(GridRow(None, "", ""))
    _fill(rows, days, entries, through)
    taken = {row.task_id for row in rows}
    choices: list[Mapping[str, Any]] = [
        task
        for task in Task.objects.filter(project=project)
        .exclude(status=Task.Status.DONE)
        .values("pk", "key", "title")
        .order_by("number")[:MAX_TASK_CHOICES]
        if task["pk"] not in taken
    ]
    day_totals = [sum((row.cells[n].hours for row in rows), ZERO) for n in range(7)]
    return WeekGrid(
        week=week,
        days=days,
        sheet=sheet,
        rows=rows,
        day_totals=[hours_text(total) for total in day_totals],
        total=hours_text(sum(day_totals, ZERO)),
        closed_through=through,
        task_choices=choices,
    )


def _fill(
    rows: list[GridRow],
    days: list[dt.date],
    entries: list[Mapping[str, Any]],
    through: dt.date | None,
) -> None:
    by_cell: dict[tuple[int | None, dt.date], list[Mapping[str, Any]]] = defaultdict(list)
    for entry in entries:
        by_cell[(entry["task_id"], entry["day"])].append(entry)
    for row in rows:
        for day in days:
            found = by_cell.get((row.task_id, day), [])
            cell = GridCell(day, cell_name(row.task_id, day))
            cell.hours = sum((entry["hours"] for entry in found), ZERO)
            statuses = sorted((entry["status"] for entry in found), key=STATUS_RANK.__getitem__)
            cell.status = statuses[0] if statuses else ""
            cell.reason = "; ".join(sorted({e["reject_reason"] for e in found} - {""}))
            cell.editable = all(s in EDITABLE for s in statuses) and not (
                through and day <= through
            )
            row.cells.append(cell)


def week_totals(*, project: Project, week: dt.date) -> list[str]:
    """The team's hours on each day of the week (observers see no more): one query."""
    days = week_days(week_of(week))
    sums = dict(
        TimeEntry.objects.filter(project=project, day__range=(days[0], days[-1]))
        .values_list("day")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    return [hours_text(sums.get(day, ZERO)) for day in days]


@dataclass
class WaitingWeek:
    """A submitted week as the manager decides on it."""

    sheet: Timesheet
    days: list[dt.date]
    # Per day: its entries (dicts with the task's key), and their total.
    entries: list[list[Mapping[str, Any]]]
    totals: list[str]
    total: str

    @property
    def days_logged(self) -> list[dt.date]:
        """The days with time, which the manager may send back."""
        return [day for day, entries in zip(self.days, self.entries, strict=True) if entries]


def weeks_waiting(*, project: Project) -> list[WaitingWeek]:
    """The project's submitted weeks, oldest first, each with its entries by
    day: two queries."""
    sheets = list(
        Timesheet.objects.filter(project=project, status=EntryStatus.SUBMITTED)
        .select_related("person")
        .order_by("week", "person__display_name", "pk")
    )
    entries: dict[tuple[int, dt.date], list[Mapping[str, Any]]] = defaultdict(list)
    for entry in (
        TimeEntry.objects.filter(timesheet__in=[sheet.pk for sheet in sheets])
        .values("pk", "timesheet_id", "day", "hours", "status", "note", "billable", "task__key")
        .order_by("day", "pk")
    ):
        entries[(entry["timesheet_id"], entry["day"])].append(entry)
    waiting = []
    for sheet in sheets:
        days = week_days(sheet.week)
        by_day = [entries.get((sheet.pk, day), []) for day in days]
        sums = [sum((e["hours"] for e in day), ZERO) for day in by_day]
        waiting.append(
            WaitingWeek(
                sheet, days, by_day, [hours_text(s) for s in sums], hours_text(sum(sums, ZERO))
            )
        )
    return waiting


def team_people(*, project: Project) -> list[User]:
    """Who logs time in the project (its managers and members), by name: one query."""
    return list(
        User.objects.filter(
            memberships__project=project,
            memberships__role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
        )
        .only("pk", "display_name", "email")
        .order_by("display_name", "pk")
    )


def timesheet_get(*, project: Project, pk: int) -> Timesheet:
    found = list(
        Timesheet.objects.filter(project=project, pk=pk).select_related("person").order_by()[:1]
    )
    if not found:
        raise Http404
    found[0].project = project
    return found[0]


def timesheet_of_week(*, project: Project, person_id: int, week: dt.date) -> Timesheet:
    found = list(
        Timesheet.objects.filter(project=project, person_id=person_id, week=week_of(week))
        .select_related("person")
        .order_by()[:1]
    )
    if not found:
        raise Http404
    found[0].project = project
    return found[0]


def week_sheet(*, project: Project, person: User, week: dt.date) -> Timesheet:
    """The person's timesheet of the week, or an empty draft one (version 0,
    not saved) while the week has no entry."""
    found = list(
        Timesheet.objects.filter(project=project, person=person, week=week_of(week)).order_by()[:1]
    )
    sheet = found[0] if found else Timesheet(project=project, person=person, week=week_of(week))
    sheet.project, sheet.person = project, person
    if not found:
        sheet.version = 0
    return sheet


def timesheets_waiting(*, project: Project) -> QuerySet[Timesheet]:
    """The project's submitted weeks, oldest first, each with its `total` hours."""
    return (
        Timesheet.objects.filter(project=project, status=EntryStatus.SUBMITTED)
        .select_related("person")
        .annotate(total=Sum("entries__hours"))
        .order_by("week", "pk")
    )


@dataclass(frozen=True)
class TimeEntryFilters:
    """Whose entries (a user id; None: everyone's the reader may see) and
    which days."""

    person: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


# What the API's entries show: the task's key and the person's name, not their rows.
ENTRY_ROW = (
    "project_id",
    "person__display_name",
    "person__email",
    "day",
    "hours",
    "task__key",
    "billable",
    "note",
    "status",
    "reject_reason",
    "started_at",
    "ended_at",
    "version",
)


def entry_list(*, project: Project, filters: TimeEntryFilters) -> QuerySet[TimeEntry]:
    """The project's entries, newest day first (the API's columns only)."""
    rows = TimeEntry.objects.filter(project=project).select_related("task", "person")
    rows = rows.only(*ENTRY_ROW)
    if filters.person is not None:
        rows = rows.filter(person_id=filters.person)
    if filters.since is not None:
        rows = rows.filter(day__gte=filters.since)
    if filters.until is not None:
        rows = rows.filter(day__lte=filters.until)
    return rows.order_by("-day", "-pk")


def entry_get(*, project: Project, pk: int) -> TimeEntry:
    found = list(TimeEntry.objects.filter(project=project, pk=pk).order_by()[:1])
    if not found:
        raise Http404
    found[0].project = project
    return found[0]


def task_hours(*, project: Project, task_ids: Collection[int]) -> dict[int, Decimal]:
    """Hours logged on each of the tasks, submitted or approved: one query (the
    registry's TaskHours, which planning's pages ask)."""
    if not task_ids:
        return {}
    return dict(
        TimeEntry.objects.filter(project=project, task_id__in=list(task_ids), status__in=LOGGED)
        .values_list("task_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
