"""The board: tasks in four columns by status, in a fixed number of queries.

Each column shows at most BOARD_LIMIT cards (by `order`, then key) and says
how many more there are; the counts come from one aggregate and the cards of
every column from one query, whatever the size of the plan. That query takes
each column's first cards in a LIMITed subquery that the (project, status)
index serves: a window function over the whole plan was three times slower
on 10,000 tasks.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Q

from liaison.planning.models import Task
from liaison.planning.selectors.tasks import ROW_FIELDS, TaskFilters, task_status_counts
from liaison.projects.access import Audience
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BOARD_LIMIT = 50
COLUMNS = (Task.Status.TODO, Task.Status.IN_PROGRESS, Task.Status.BLOCKED, Task.Status.DONE)


@dataclass
class Column:
    status: str
    label: "StrOrPromise"
    count: int
    query: str = ""  # the task list's query string for this column's tasks
    cards: list[Task] = field(default_factory=list)

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
            .select_related("assignee", "milestone", "parent")
            .only(*ROW_FIELDS)
            .order_by("order", "number")
        )
        for task in rows:
            columns[task.status].cards.append(task)
    return list(columns.values())
