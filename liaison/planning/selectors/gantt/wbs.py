"""The Gantt chart's WBS tree, built from the task rows in Python: the order of the
rows (children by order then number), what each bar spans (a parent spans its dated
descendants), which rows the filters keep, and which a collapsed parent hides."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from liaison.planning.selectors.gantt.filters import GanttFilters


@dataclass(frozen=True)
class WbsTree:
    by_id: dict[int, dict[str, Any]]
    children: dict[int | None, list[dict[str, Any]]]  # None: the roots
    preorder: list[tuple[dict[str, Any], int]]  # (task, depth) from the roots down
    spans: dict[int, tuple[dt.date, dt.date]]  # what each task's bar covers
    weights: dict[int, tuple[float, int]]  # progress × days, days
    summaries: set[int]  # parents spanning their dated descendants

    @classmethod
    def of(cls, tasks: list[dict[str, Any]]) -> "WbsTree":
        by_id = {task["pk"]: task for task in tasks}
        children = _children(tasks, by_id)
        preorder = _preorder(tasks, children)
        spans, weights, summaries = _spans(preorder, children)
        return cls(by_id, children, preorder, spans, weights, summaries)

    def kept(self, filters: GanttFilters, milestone_id: int | None) -> set[int]:
        """The rows the view keeps: the matches, plus the ancestors of every match."""
        keep = {
            task["pk"]
            for task, _depth in self.preorder
            if task_matches(task, filters, milestone_id) and self._in_window(task["pk"], filters)
        }
        by_id = self.by_id
        for pk in list(keep):
            parent = by_id[pk]["parent_id"]
            while parent in by_id and parent not in keep:
                keep.add(parent)
                parent = by_id[parent]["parent_id"]
        return keep

    def _in_window(self, pk: int, filters: GanttFilters) -> bool:
        """Does the task's bar meet the filter's dates? (No bar, nothing to draw.)"""
        bar = self.spans.get(pk)
        if bar is None:
            return False
        return not (filters.start and bar[1] < filters.start) and not (
            filters.end and bar[0] > filters.end
        )

    def shown(
        self, keep: set[int], collapsed: frozenset[str]
    ) -> Iterator[tuple[dict[str, Any], int, bool, bool]]:
        """(task, depth, has children, is collapsed) of the kept rows in WBS order,
        leaving out what a collapsed parent hides."""
        parents_kept = {self.by_id[pk]["parent_id"] for pk in keep}
        hidden_under: int | None = None  # depth of the collapsed row being skipped
        for task, depth in self.preorder:
            pk = task["pk"]
            if pk not in keep:
                continue
            if hidden_under is not None:
                if depth > hidden_under:
                    continue
                hidden_under = None
            has_children = pk in parents_kept
            is_collapsed = has_children and task["key"] in collapsed
            if is_collapsed:
                hidden_under = depth
            yield task, depth, has_children, is_collapsed


TaskRow = dict[str, Any]  # a task as the Gantt chart's query reads it
Children = dict[int | None, list[TaskRow]]


def _children(tasks: list[TaskRow], by_id: dict[int, TaskRow]) -> Children:
    """Each task's children by order then number; the roots under None."""
    children: Children = defaultdict(list)
    for task in tasks:
        parent = task["parent_id"]
        # A parent the audience may not see (or a dangling one): the task is a root.
        children[parent if parent in by_id else None].append(task)
    for siblings in children.values():
        siblings.sort(key=lambda task: (task["order"], task["number"]))
    return children


def _preorder(tasks: list[TaskRow], children: Children) -> list[tuple[TaskRow, int]]:
    """(task, depth) of every task, each parent before its children."""
    preorder: list[tuple[dict[str, Any], int]] = []
    seen: set[int] = set()
    # The roots first; then any task left over, which only a loop of parents (which the
    # services refuse) could leave unreached: it is drawn rather than lost.
    for root in [*children[None], *tasks]:
        if root["pk"] in seen:
            continue
        stack = [(root, 0)]
        while stack:
            task, depth = stack.pop()
            if task["pk"] in seen:
                continue
            seen.add(task["pk"])
            preorder.append((task, depth))
            stack.extend((child, depth + 1) for child in reversed(children.get(task["pk"], ())))
    return preorder


def _spans(
    preorder: list[tuple[TaskRow, int]], children: Children
) -> tuple[dict[int, tuple[dt.date, dt.date]], dict[int, tuple[float, int]], set[int]]:
    """What each bar covers and how far it is done, from the leaves up (so reversed):
    a parent spans its dated descendants and weighs their progress by their days."""
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    weights: dict[int, tuple[float, int]] = {}
    summaries: set[int] = set()
    for task, _depth in reversed(preorder):
        pk = task["pk"]
        summary = _summary_span(children.get(pk, ()), spans, weights)
        if summary is not None:
            summaries.add(pk)
            spans[pk], weights[pk] = summary
        elif task["start_date"] and task["due_date"]:
            start, due = task["start_date"], task["due_date"]
            if due < start:
                start, due = due, start
            days = (due - start).days + 1
            spans[pk] = (start, due)
            weights[pk] = (task["progress"] * days, days)
    return spans, weights, summaries


def _summary_span(
    children: Iterable[TaskRow],
    spans: dict[int, tuple[dt.date, dt.date]],
    weights: dict[int, tuple[float, int]],
) -> tuple[tuple[dt.date, dt.date], tuple[float, int]] | None:
    """(first, last day), (done, total) over the children with a bar; None if none has."""
    first: dt.date | None = None
    last: dt.date | None = None
    done: float = 0
    total = 0
    for child in children:
        child_span = spans.get(child["pk"])
        if child_span is None:
            continue
        first = child_span[0] if first is None else min(first, child_span[0])
        last = child_span[1] if last is None else max(last, child_span[1])
        child_done, child_total = weights[child["pk"]]
        done += child_done
        total += child_total
    if first is None or last is None:
        return None
    return (first, last), (done, total)


def task_matches(task: dict[str, Any], filters: GanttFilters, milestone_id: int | None) -> bool:
    """Does a task row pass the status, assignee and milestone filters?"""
    if filters.status and task["status"] != filters.status:
        return False
    if filters.assignee is not None and task.get("assignee_id") != filters.assignee:
        return False
    return not filters.milestone or (
        milestone_id is not None and task["milestone_id"] == milestone_id
    )
