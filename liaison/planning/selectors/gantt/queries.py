"""The Gantt chart's reads: the tasks that can draw, the milestones, the counts of
what is left out, and the latest plan baseline, one query each."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.planning.selectors.gantt.filters import GanttFilters
from liaison.planning.selectors.gantt.wbs import task_matches
from liaison.projects.access import Audience
from liaison.projects.models import Project

_TASK_FIELDS = (
    "pk",
    "key",
    "number",
    "title",
    "parent_id",
    "milestone_id",
    "start_date",
    "due_date",
    "progress",
    "status",
    "order",
    "client_visible",
)


def load_tasks(project: Project, audience: Audience) -> list[dict[str, Any]]:
    """Only what can draw: dated tasks and every parent (a summary row spans its
    dated descendants). In a plan of 10,000 tasks that is a fifth of them."""
    fields = list(_TASK_FIELDS)
    if audience.internal:
        # The assignee's name in the same query (a LEFT JOIN): never one query per row.
        fields += ["assignee_id", "assignee__display_name", "assignee__email"]
    dated = Q(start_date__isnull=False, due_date__isnull=False)
    return list(
        Task.objects.for_audience(audience)
        .filter(project=project)
        .filter(dated | Q(pk__in=_parents()))
        # By number, as the model's ordering within one project, without its join.
        .order_by("number")
        .values(*fields)
    )


def _parents() -> QuerySet[Task, Any]:
    """Every task that has children: a list the database builds once, cheaper than
    asking for each of the plan's 10,000 tasks whether it has a child."""
    return Task.objects.filter(parent__isnull=False).values("parent_id")


def load_milestones(project: Project, audience: Audience) -> list[Mapping[str, Any]]:
    return list(
        Milestone.objects.for_audience(audience)
        .filter(project=project)
        .order_by("due_date", "id")
        .values("pk", "key", "name", "due_date", "status")
    )


def count_tasks(
    project: Project,
    audience: Audience,
    filters: GanttFilters,
    *,
    drawn: list[dict[str, Any]],
    milestone_id: int | None,
) -> dict[str, Any]:
    """All the audience's tasks, and the undated ones the filters would show: no
    dates and no children. The tasks with children are among those load_tasks
    read (`drawn`), so the database counts the undated tasks that match and the
    parents among them are taken back here, rather than asking for each of the
    plan's tasks whether it has a child."""
    undated = Q(start_date__isnull=True) | Q(due_date__isnull=True)
    if filters.status:
        undated &= Q(status=filters.status)
    if filters.assignee is not None:
        undated &= Q(assignee_id=filters.assignee)
    parents = 0
    if filters.milestone and milestone_id is None:
        # A milestone this audience does not see: its tasks' rows do not say it.
        undated &= Q(milestone__key=filters.milestone) & ~Q(pk__in=_parents())
    else:
        if filters.milestone:
            undated &= Q(milestone__key=filters.milestone)
        parents = sum(
            1
            for task in drawn
            if (task["start_date"] is None or task["due_date"] is None)
            and task_matches(task, filters, milestone_id)
        )
    counts = (
        Task.objects.for_audience(audience)
        .filter(project=project)
        .aggregate(total=Count("pk"), undated=Count("pk", filter=undated))
    )
    counts["undated"] -= parents
    return counts


def latest_baseline(project: Project) -> Mapping[str, Any] | None:
    return (
        PlanBaseline.objects.filter(project=project)
        .order_by("-number")
        .values("name", "tasks", "milestones")
        .first()
    )


# A plan baseline keeps its dates as ISO strings in JSON: a bad one reads as none.


def parse_pair(value: Any) -> tuple[dt.date | None, dt.date | None]:
    try:
        return dt.date.fromisoformat(value[0]), dt.date.fromisoformat(value[1])
    except (TypeError, ValueError, IndexError):
        return None, None


def parse_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
