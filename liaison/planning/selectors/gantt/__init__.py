"""The Gantt chart's data: dated tasks in WBS order with their summaries, links,
milestones, slack and the baseline, for one audience, in a fixed number of queries.

One interface for every consumer: the Gantt page, its SVG download, the portal
timeline, the API and, later, reports. The renderer (`liaison.planning.gantt`) only
draws what this package returns.

- filters: what the view shows (`GanttFilters`, from and to the query string);
- data: what the chart receives (`GanttData` and its rows, links, milestones);
- build: `gantt_data`, step by step;
- queries: the reads; schedule: slack and the critical path; wbs: the tree's order,
  spans, filtering and collapse;
- labels: the renderer's words in the reader's language.
"""

from liaison.planning.selectors.gantt.build import MAX_SPAN, gantt_data
from liaison.planning.selectors.gantt.data import GanttData, GanttLink, GanttMilestone, GanttRow
from liaison.planning.selectors.gantt.filters import DEFAULT_SCALE, SCALES, GanttFilters
from liaison.planning.selectors.gantt.labels import chart_labels

__all__ = [
    "DEFAULT_SCALE",
    "MAX_SPAN",
    "SCALES",
    "GanttData",
    "GanttFilters",
    "GanttLink",
    "GanttMilestone",
    "GanttRow",
    "chart_labels",
    "gantt_data",
]
