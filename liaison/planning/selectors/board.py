"""The board: tasks in four columns by status, in a fixed number of queries,
optionally in swimlanes (by assignee or milestone), with the columns'
work-in-progress limits.

Each column shows at most BOARD_LIMIT cards (by `rank`, then key) and says
how many more there are; the counts come from one aggregate and the cards of
every column from one query, whatever the size of the plan. That query takes
each column's first cards in a LIMITed subquery that the (project, status)
index serves: a window function over the whole plan was three times slower
on 10,000 tasks.

The cards are plain dicts of what a card shows (values(), no model instances),
escaped for HTML once here: up to 200 of them render on every move, a card
prints its key five times, and a dict of safe strings is what the template
engine looks up and prints fastest (docs/architecture.md, Pages that stay fast).

In swimlanes the same first cards of each column are dealt to their lanes, and
each lane's cell says how many more it has (one aggregate by lane and status
instead of the one by status): still the same number of queries.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.core.links import RowUrls
from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.core.templatetags.liaison import initials
from liaison.planning.models import BoardLimits, Milestone, Task
from liaison.planning.selectors.tasks import TaskFilters, task_status_counts
from liaison.projects.access import Audience
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BOARD_LIMIT = 50
COLUMNS = (Task.Status.TODO, Task.Status.IN_PROGRESS, Task.Status.BLOCKED, Task.Status.DONE)
LANES = {"assignee": "assignee_id", "milestone": "milestone_id"}
# The one lane of the tasks whose assignee the lanes do not name (someone who has
# left the team or is an observer now): one "Others" lane, not one per person.
OTHERS = "others"
CARD_FIELDS = (
    "key",
    "title",
    "status",
    "due_date",
    "progress",
    "version",
    "assignee_id",
    "milestone_id",
    "milestone__key",
    "milestone__name",
    "assignee__display_name",
    "assignee__email",
)


class Card(TypedDict):
    """What a card shows, as HTML-escaped text (numbers too)."""

    key: SafeString
    url: SafeString
    title: SafeString
    status: str
    overdue: bool
    due: SafeString  # ISO date, or "" for none
    progress: SafeString
    version: SafeString
    milestone_key: SafeString  # "" for none
    milestone_name: SafeString
    assignee: SafeString  # the display name (else the e-mail), or "" for nobody
    initials: SafeString  # the assignee's avatar letters


@dataclass
class Cell:
    """One column's cards in one lane (the whole column without lanes)."""

    status: str
    count: int = 0
    query: str = ""  # the task list's query string for this cell's tasks
    cards: list[Card] = field(default_factory=list)

    @property
    def more(self) -> int:
        """Cards of this cell the board does not show."""
        return max(self.count - len(self.cards), 0)

    @property
    def over(self) -> bool:
        """Over its work-in-progress limit (a lane's cell has none of its own)."""
        return False


@dataclass
class Column(Cell):
    label: "StrOrPromise" = ""
    limit: int | None = None  # the work-in-progress limit, if the managers set one
    load: int = 0  # the column's tasks whatever the filters, against the limit

    @property
    def over(self) -> bool:
        return self.limit is not None and self.load > self.limit


@dataclass
class Lane:
    id: str  # the assignee's or milestone's id, "" for none (and for the board without lanes)
    label: str
    cells: list[Cell]
    order: tuple[int, int] = (0, 0)

    @property
    def count(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass
class Board:
    columns: list[Column]
    lanes: list[Lane]
    by: str  # "", "assignee" or "milestone"


def board_limits(*, project: Project) -> tuple[dict[str, int], int]:
    """The columns' work-in-progress limits and their version (0: none set yet)."""
    found = list(BoardLimits.objects.filter(project=project).values_list("limits", "version")[:1])
    return found[0] if found else ({}, 0)


def board_lane(*, project: Project, lanes: str, lane: str) -> dict[str, Any]:
    """What a card dropped into a swimlane takes, for `task_transition`:
    {"assignee": the person} or {"milestone": the milestone}, None for the lane
    of nobody or of no milestone (lane ""); {} on a board without lanes. Whether
    it fits is the service's to decide; an id that names nothing is refused here."""
    if lanes not in LANES:
        return {}
    if not lane:
        return {lanes: None}
    pk = positive_int(lane)
    if lanes == "assignee":
        person = User.objects.filter(pk=pk).first() if pk else None
        if person is None:
            raise InvalidInput(
                _("Assign the task to a manager or member of the project."), field="assignee"
            )
        return {"assignee": person}
    milestone = Milestone.objects.filter(project=project, pk=pk).first() if pk else None
    if milestone is None:
        raise InvalidInput(_("The milestone must be one of this project."), field="milestone")
    return {"milestone": milestone}


def board_view(
    *,
    project: Project,
    audience: Audience,
    filters: TaskFilters,
    lanes: str = "",
    people: Sequence[User] = (),
    milestones: Sequence[Milestone] = (),
    limit: int = BOARD_LIMIT,
) -> Board:
    """The columns (counts, limits, first cards), dealt into lanes when `lanes`
    names them; `people` and `milestones` name the lanes (the filters' choices).
    Three queries (four when filtered and a column has a limit, which counts
    every task of its column)."""
    matching = filters.apply(
        Task.objects.for_audience(audience).filter(project=project), with_status=False
    )
    lane_field = LANES.get(lanes, "")
    counts = _counts(matching, lane_field)
    columns = _columns(project, audience, filters, counts)
    rows = _first_cards(project, matching, [c.status for c in columns if c.count], limit)
    urls = RowUrls("planning:task", project.code)
    today = timezone.localdate()
    if not lane_field:
        for row in rows:
            columns[COLUMNS.index(row["status"])].cards.append(_card(row, urls, today))
        return Board(columns, [Lane("", "", list(columns))], "")
    lanes_by_id = _lanes(lanes, counts, filters, people, milestones)
    for row in rows:
        lane = lanes_by_id.get(_lane_id(row[lane_field])) or lanes_by_id[OTHERS]
        lane.cells[COLUMNS.index(row["status"])].cards.append(_card(row, urls, today))
    return Board(columns, sorted(lanes_by_id.values(), key=lambda lane: lane.order), lanes)


def _counts(matching: QuerySet[Task], lane_field: str) -> dict[tuple[object, str], int]:
    """(lane id, status) → the matching tasks (lane id None without lanes)."""
    if not lane_field:
        return {
            (None, status): n
            for status, n in matching.order_by().values_list("status").annotate(n=Count("pk"))
        }
    rows = matching.order_by().values_list(lane_field, "status").annotate(n=Count("pk"))
    return {(lane, status): n for lane, status, n in rows}


def _columns(
    project: Project,
    audience: Audience,
    filters: TaskFilters,
    counts: dict[tuple[object, str], int],
) -> list[Column]:
    limits, _version = board_limits(project=project)
    columns = [
        Column(
            status=status,
            label=Task.Status(status).label,
            count=sum(n for (_lane, s), n in counts.items() if s == status),
            query=filters.query(status=status),
            limit=limits.get(status),
        )
        for status in COLUMNS
    ]
    if any(column.limit for column in columns):
        loads = (
            task_status_counts(project=project, audience=audience, filters=TaskFilters())
            if filters.is_filtered
            else {column.status: column.count for column in columns}
        )
        for column in columns:
            column.load = loads.get(column.status, 0)
    return columns


def _first_cards(
    project: Project, matching: QuerySet[Task], shown: list[str], limit: int
) -> list[dict[str, Any]]:
    """Each shown column's first `limit` cards in one query, in board order."""
    if not shown:
        return []
    firsts = reduce(
        or_,
        (
            Q(pk__in=matching.filter(status=status).order_by("rank", "number").values("pk")[:limit])
            for status in shown
        ),
    )
    return list(
        Task.objects.filter(project=project)
        .filter(firsts)
        .order_by("rank", "number")
        .values(*CARD_FIELDS)
    )


def _lane_id(value: object) -> str:
    return "" if value is None else str(value)


def _lanes(
    by: str,
    counts: dict[tuple[object, str], int],
    filters: TaskFilters,
    people: Sequence[User],
    milestones: Sequence[Milestone],
) -> dict[str, Lane]:
    """A lane for each assignee or milestone with matching tasks, in order: people
    by name, milestones by due date, then the rest (one lane, OTHERS), then
    nobody's or no milestone's."""
    # lane id → its label, its place and the task list's filter for its tasks
    named: dict[str, tuple[str, tuple[int, int], dict[str, object]]]
    if by == "assignee":
        named = {
            str(person.pk): (str(person), (0, index), {"assignee": person.pk})
            for index, person in enumerate(people)
        }
        named[""] = (_("Nobody"), (2, 0), {"assignee": 0})
    else:
        named = {
            str(milestone.pk): (
                f"{milestone.key} {milestone.name}",
                (0, index),
                {"milestone": milestone.key},
            )
            for index, milestone in enumerate(milestones)
        }
        named[""] = (_("No milestone"), (2, 0), {})
    lanes: dict[str, Lane] = {}
    for (value, status), n in counts.items():
        lane_id = _lane_id(value)
        if lane_id not in named:
            lane_id = OTHERS
        if lane_id not in lanes:
            label, order, only = named.get(lane_id, (_("Others"), (1, 0), {}))
            cells = [
                Cell(status=column, query=filters.query(status=column, **only))
                for column in COLUMNS
            ]
            lanes[lane_id] = Lane(lane_id, label, cells, order)
        lanes[lane_id].cells[COLUMNS.index(status)].count += n
    return lanes


def _card(row: dict[str, Any], urls: RowUrls, today: dt.date) -> Card:
    due = row["due_date"]
    assignee = row["assignee__display_name"] or row["assignee__email"] or ""
    return {
        "key": escape(row["key"]),
        "url": escape(urls(row["key"])),
        "title": escape(row["title"]),
        "status": row["status"],
        # Task.is_overdue, with today read once for the whole board.
        "overdue": due is not None and due < today and row["status"] != Task.Status.DONE,
        # Dates and numbers need no escaping.
        "due": SafeString(due.isoformat() if due else ""),
        "progress": SafeString(row["progress"]),
        "version": SafeString(row["version"]),
        "milestone_key": escape(row["milestone__key"] or ""),
        "milestone_name": escape(row["milestone__name"] or ""),
        "assignee": escape(assignee),
        "initials": escape(initials(assignee)) if assignee else SafeString(""),
    }
