"""The Gantt chart's data as every consumer receives it: the rows, links and
milestones to draw, and what the chart says about them.

The rows, links and milestones are plain (not frozen) dataclasses with slots:
nothing changes them once built, and a frozen dataclass takes several times as
long to build, which a plan of thousands of rows pays on every chart."""

import datetime as dt
from dataclasses import dataclass

from liaison.planning.scheduling import WorkCalendar


@dataclass(slots=True)
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


@dataclass(slots=True)
class GanttMilestone:
    key: str
    name: str
    due: dt.date
    status: str
    baseline_due: dt.date | None


@dataclass(slots=True)
class GanttLink:
    predecessor_key: str
    successor_key: str
    kind: str
    critical: bool


UPCOMING_WEEKS = 6  # the phone's list of bars


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

    def upcoming(self, weeks: int = UPCOMING_WEEKS) -> list[GanttRow]:
        """The bars running in the next `weeks`, by start: the phone's list
        instead of the chart."""
        horizon = self.today + dt.timedelta(weeks=weeks)
        soon = [row for row in self.rows if row.due >= self.today and row.start <= horizon]
        return sorted(soon, key=lambda row: (row.start, row.due))
