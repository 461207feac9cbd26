"""`gantt_data`: the chart for one audience, step by step. Load the tasks and
milestones, schedule the plan, order the WBS tree, keep what the filters show, then
make the rows, the links between them and the milestones."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from liaison.planning.scheduling import Slot
from liaison.planning.selectors.gantt.data import (
    GanttData,
    GanttLink,
    GanttMilestone,
    GanttRow,
)
from liaison.planning.selectors.gantt.filters import GanttFilters
from liaison.planning.selectors.gantt.queries import (
    count_tasks,
    latest_baseline,
    load_milestones,
    load_tasks,
    parse_day,
    parse_pair,
)
from liaison.planning.selectors.gantt.schedule import PlanSchedule
from liaison.planning.selectors.gantt.wbs import WbsTree
from liaison.planning.selectors.plan import work_calendar
from liaison.projects.access import Audience
from liaison.projects.models import Project

# The longest window drawn: beyond it the chart is cut (a typo of a year is no reason
# to draw a century).
MAX_SPAN = dt.timedelta(days=366 * 20)


def gantt_data(
    *, project: Project, audience: Audience, filters: GanttFilters, counts: bool = True
) -> GanttData:
    """The chart for this audience: internal queries are tasks, milestones, the plan
    (dated tasks and links, for the scheduler) and the latest plan baseline; the
    client's are tasks and milestones. Never one more per row. `counts=False`
    leaves undated_count and tasks_total at 0, for a chart that says neither (the
    portal's timeline, the SVG file): counting walks every task of the plan."""
    client = audience.is_client
    if client:
        # The portal offers no filter by person; a crafted query does not get one either.
        filters = replace(filters, assignee=None)
    calendar = work_calendar(project)
    tasks = load_tasks(project, audience)
    milestone_rows = load_milestones(project, audience)
    milestone_id = next((m["pk"] for m in milestone_rows if m["key"] == filters.milestone), None)
    # The client sees no slack, critical path, dependency arrows or baseline: see
    # liaison/planning/portal_views.py for why. Nothing of it is even computed.
    plan = None if client else PlanSchedule(project, calendar, tasks)
    baseline = None if client else latest_baseline(project)

    tree = WbsTree.of(tasks)
    facts = _RowFacts(
        slots=plan.slots if plan else {},
        baseline_tasks=baseline["tasks"] if baseline else None,
        milestone_keys={m["pk"]: m["key"] for m in milestone_rows},
        client=client,
    )
    rows = [
        facts.row(tree, *shown)
        for shown in tree.shown(tree.kept(filters, milestone_id), filters.collapsed)
    ]
    milestones = _milestones(milestone_rows, filters, baseline)
    counted = (
        count_tasks(project, audience, filters, drawn=tasks, milestone_id=milestone_id)
        if counts
        else {"undated": 0, "total": 0}
    )
    today = timezone.localdate()
    start, end = _extent(rows, milestones, filters, today)
    return GanttData(
        rows=rows,
        links=_links(plan, rows),
        milestones=milestones,
        start=start,
        end=end,
        today=today,
        calendar=calendar,
        undated_count=counted["undated"],
        baseline_name=baseline["name"] if baseline else "",
        cycle=bool(plan and plan.cycle),
        tasks_total=counted["total"],
    )


@dataclass(frozen=True)
class _RowFacts:
    """What a row holds beyond its task and its place in the tree."""

    slots: dict[int, Slot]  # the scheduler's slot per task id (none for the client)
    baseline_tasks: dict[str, Any] | None  # task id -> [start, due]; None: no baseline drawn
    milestone_keys: dict[int, str]
    client: bool

    def row(
        self, tree: WbsTree, task: dict[str, Any], depth: int, has_children: bool, collapsed: bool
    ) -> GanttRow:
        pk = task["pk"]
        start, due = tree.spans[pk]
        done, days = tree.weights[pk]
        slot = self.slots.get(pk)
        if self.baseline_tasks is None:
            base_start, base_due = None, None
        else:
            base_start, base_due = parse_pair(self.baseline_tasks.get(str(pk)))
        return GanttRow(
            task_id=pk,
            key=task["key"],
            title=task["title"],
            depth=depth,
            has_children=has_children,
            collapsed=collapsed,
            start=start,
            due=due,
            progress=round(done / days) if days else 0,
            status=task["status"],
            assignee_name="" if self.client else _assignee_name(task),
            critical=bool(slot and slot.critical),
            slack=slot.slack if slot else None,
            baseline_start=base_start,
            baseline_due=base_due,
            is_summary=pk in tree.summaries,
            client_visible=task["client_visible"],
            milestone_key=self.milestone_keys.get(task["milestone_id"], ""),
        )


def _assignee_name(task: dict[str, Any]) -> str:
    return task.get("assignee__display_name") or task.get("assignee__email") or ""


def _links(plan: PlanSchedule | None, rows: list[GanttRow]) -> list[GanttLink]:
    """The dependencies between two shown rows."""
    if plan is None:
        return []
    shown = {row.task_id: row.key for row in rows}
    return [
        GanttLink(
            predecessor_key=shown[link.predecessor],
            successor_key=shown[link.successor],
            kind=link.kind,
            critical=plan.link_critical(link),
        )
        for link in plan.links
        if link.predecessor in shown and link.successor in shown
    ]


def _milestones(
    milestone_rows: list[Mapping[str, Any]],
    filters: GanttFilters,
    baseline: Mapping[str, Any] | None,
) -> list[GanttMilestone]:
    """The milestones the filters show (the one chosen, those in the window)."""
    baseline_milestones = baseline["milestones"] if baseline else {}
    return [
        GanttMilestone(
            key=m["key"],
            name=m["name"],
            due=m["due_date"],
            status=m["status"],
            baseline_due=parse_day(baseline_milestones.get(str(m["pk"]))),
        )
        for m in milestone_rows
        if (not filters.milestone or m["key"] == filters.milestone)
        and not (filters.start and m["due_date"] < filters.start)
        and not (filters.end and m["due_date"] > filters.end)
    ]


def _extent(
    rows: list[GanttRow], milestones: list[GanttMilestone], filters: GanttFilters, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The chart's first and last day: the filter's window, else what is drawn."""
    days: list[dt.date] = []
    for row in rows:
        days += (row.start, row.due)
        if row.baseline_start and row.baseline_due:  # a baseline gives both or neither
            days += (row.baseline_start, row.baseline_due)
    for milestone in milestones:
        days.append(milestone.due)
        if milestone.baseline_due:
            days.append(milestone.baseline_due)
    start = filters.start or (min(days) if days else today)
    end = filters.end or (max(days) if days else today)
    if end < start:  # e.g. only a start was given, after everything
        end = start
    return start, min(end, start + MAX_SPAN)
