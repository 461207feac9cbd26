"""The Gantt chart's data as every consumer receives it: the rows, links and
milestones to draw, and what the chart says about them."""

import datetime as dt
from dataclasses import dataclass

from liaison.planning.scheduling import WorkCalendar


@dataclass(frozen=True, slots=True)
class GanttRow:
    task_id: int
    key: str
    title: str
    depth: int
    has_children: bool  # has rows under it in this view (shown or collapsed)
    collapsed: bool
    start: dt.date
    due: dt.date
    progress: int
    status: str
    assignee_name: str
    critical: bool
    slack: int | None  # working days; None when not scheduled (a summary without dates)
    baseline_start: dt.date | None
    baseline_due: dt.date | None
    is_summary: bool  # a WBS parent: spans its dated descendants
    client_visible: bool
    milestone_key: str


@dataclass(frozen=True, slots=True)
class GanttMilestone:
    key: str
    name: str
    due: dt.date
    status: str
    baseline_due: dt.date | None


@dataclass(frozen=True, slots=True)
class GanttLink:
    predecessor_key: str
    successor_key: str
    kind: str
    critical: bool


@dataclass(frozen=True)
class GanttData:
    rows: list[GanttRow]
    links: list[GanttLink]
    milestones: list[GanttMilestone]
    start: dt.date
    end: dt.date
    today: dt.date
    calendar: WorkCalendar
    undated_count: int
    baseline_name: str = ""
    # The scheduler refused the plan (a dependency loop): no slack, no critical path.
    cycle: bool = False
    tasks_total: int = 0  # tasks of the audience, dated or not, before filters
