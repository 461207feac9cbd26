"""A parent task's status and progress, rolled up from its children: the one
rule the board, the task list, the Gantt and the status reports all show.

The task services keep a parent's `status` and `progress` equal to
`rolled_up(children)` whenever a child is created, changed, moved or deleted
(`services/tasks.py` `roll_up_parents`, in the child's transaction and audited),
so every page reads the stored fields: the board's columns, the list's status
filter and the report's counts stay plain SQL. A report's progress of the whole
project is the same rule over the top-level tasks (`selectors/report.py`).

- status: every child done → done; any child in progress → in progress; else
  to do (a parent is never "blocked" by itself: its blocked child is still to do
  for the parent).
- progress: each child's progress weighted by its estimate; a child without an
  estimate weighs as much as the average estimated child (all alike when none
  is estimated); a done child counts as 100 %.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from liaison.planning.models import Task


class Child(NamedTuple):
    """What the roll-up reads of a child task."""

    status: str
    progress: int
    estimate_hours: Decimal | None


class Rollup(NamedTuple):
    status: str
    progress: int


def rolled_up(children: Iterable[Child]) -> Rollup | None:
    """The parent's status and progress from its children's (None without children)."""
    listed = list(children)
    if not listed:
        return None
    statuses = {child.status for child in listed}
    if statuses == {Task.Status.DONE}:
        status = Task.Status.DONE
    elif Task.Status.IN_PROGRESS in statuses:
        status = Task.Status.IN_PROGRESS
    else:
        status = Task.Status.TODO
    return Rollup(str(status), weighted_progress(listed))


def rolled_up_tree(rows: Iterable[Mapping[str, Any]]) -> dict[int, Rollup]:
    """Every parent's roll-up among `rows` (a whole plan held in memory: "pk",
    "parent_id", "status", "progress", "estimate_hours"), deepest parents
    first so that a parent reads its child parents rolled up. A renderer holding
    the rows calls this rather than trusting rows written around the services
    (migration 0005 rolled up the plans that existed with it)."""
    by_pk = {row["pk"]: row for row in rows}
    children: dict[int, list[int]] = {}
    for pk, row in by_pk.items():
        if row["parent_id"] in by_pk:
            children.setdefault(row["parent_id"], []).append(pk)
    done: dict[int, Rollup] = {}

    def child(pk: int) -> Child:
        row = by_pk[pk]
        status, progress = done.get(pk, (row["status"], row["progress"]))
        return Child(status, progress, row["estimate_hours"])

    for pk in sorted(children, key=lambda pk: _depth(pk, by_pk), reverse=True):
        rollup = rolled_up(child(kid) for kid in children[pk])
        if rollup is not None:
            done[pk] = rollup
    return done


def _depth(pk: int, by_pk: Mapping[int, Mapping[str, Any]]) -> int:
    """How many parents are above `pk` (a loop, which the services refuse, ends it)."""
    depth, seen = 0, {pk}
    while (parent := by_pk[pk]["parent_id"]) in by_pk and parent not in seen:
        pk = parent
        seen.add(pk)
        depth += 1
    return depth


def weighted_progress(tasks: list[Child]) -> int:
    """Percent done, each task weighted by its estimate, as a status report counts it."""
    hours = hours_done = 0.0
    estimated = unestimated = progress_unestimated = 0
    for task in tasks:
        if task.estimate_hours and task.estimate_hours > 0:
            estimated += 1
            hours += float(task.estimate_hours)
            hours_done += float(task.estimate_hours) * _progress(task)
        else:
            unestimated += 1
            progress_unestimated += _progress(task)
    return progress_percent(
        hours=hours,
        estimated=estimated,
        hours_done=hours_done,
        unestimated=unestimated,
        progress_unestimated=progress_unestimated,
    )


def progress_percent(
    *, hours: float, estimated: int, hours_done: float, unestimated: int, progress_unestimated: int
) -> int:
    """The weighting from sums (the report's SQL aggregate hands them over): a
    task without an estimate weighs as much as the average estimated one."""
    weight = hours / estimated if estimated else 1.0
    total = hours + weight * unestimated
    if not total:
        return 0
    return min(100, round((hours_done + weight * progress_unestimated) / total))


def _progress(task: Child) -> int:
    """A done task counts as finished whatever its last estimate of progress."""
    return 100 if task.status == Task.Status.DONE else task.progress
