"""The board: tasks in four columns by status, in a fixed number of queries.

Each column shows at most BOARD_LIMIT cards (by `order`, then key) and says
how many more there are; the counts come from one aggregate and the cards of
every column from one query, whatever the size of the plan. That query takes
each column's first cards in a LIMITed subquery that the (project, status)
index serves: a window function over the whole plan was three times slower
on 10,000 tasks.

The cards are plain dicts of what a card shows (values(), no model instances),
escaped for HTML once here: up to 200 of them render on every move, a card
prints its key five times, and a dict of safe strings is what the template
engine looks up and prints fastest (docs/architecture.md, Pages that stay fast).
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString

from liaison.core.links import RowUrls
from liaison.core.templatetags.liaison import initials
from liaison.planning.models import Task
from liaison.planning.selectors.tasks import TaskFilters, task_status_counts
from liaison.projects.access import Audience
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BOARD_LIMIT = 50
COLUMNS = (Task.Status.TODO, Task.Status.IN_PROGRESS, Task.Status.BLOCKED, Task.Status.DONE)
CARD_FIELDS = (
    "key",
    "title",
    "status",
    "due_date",
    "progress",
    "version",
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
class Column:
    status: str
    label: "StrOrPromise"
    count: int
    query: str = ""  # the task list's query string for this column's tasks
    cards: list[Card] = field(default_factory=list)

    @property
    def more(self) -> int:
        """Cards of this column the board does not show."""
        return max(self.count - len(self.cards), 0)


def board_columns(
    *, project: Project, audience: Audience, filters: TaskFilters, limit: int = BOARD_LIMIT
) -> list[Column]:
    """The four columns with their counts and first cards (two queries)."""
    counts = task_status_counts(project=project, audience=audience, filters=filters)
    columns: dict[str, Column] = {
        status: Column(
            status=status,
            label=Task.Status(status).label,
            count=counts.get(status, 0),
            query=filters.query(status=status),
        )
        for status in COLUMNS
    }
    shown = [status for status, column in columns.items() if column.count]
    if shown:
        matching = filters.apply(
            Task.objects.for_audience(audience).filter(project=project), with_status=False
        )
        firsts = reduce(
            or_,
            (
                Q(
                    pk__in=matching.filter(status=status)
                    .order_by("order", "number")
                    .values("pk")[:limit]
                )
                for status in shown
            ),
        )
        rows = (
            Task.objects.filter(project=project)
            .filter(firsts)
            .order_by("order", "number")
            .values(*CARD_FIELDS)
        )
        urls = RowUrls("planning:task", project.code)
        today = timezone.localdate()
        for row in rows:
            columns[row["status"]].cards.append(_card(row, urls, today))
    return list(columns.values())


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
