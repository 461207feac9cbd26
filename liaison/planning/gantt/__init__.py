"""The Gantt chart as one self-contained SVG, drawn on the server.

Plain Python on purpose (no ORM, no templates): the Gantt page, its SVG download, the
client's timeline and, later, the PDF report and the e-mail digest all draw the same
chart from a `GanttData` (liaison.planning.selectors.gantt). Everything a reader may
have typed is escaped; every word comes from `labels` so the caller chooses the
language. Speed matters (plans of thousands of tasks): x positions are integer
arithmetic on day ordinals, grid lines, shading and row rules are one path each, and
the inner loops only format strings.

- axis: the scales and the time axis (x of a day, the calendar units);
- layout: the canvas, row and bar sizes, milestone lanes;
- chart: `render_gantt`, the document and the layers across the whole chart;
- rows: each task's bar, baseline ghost and label, and the dependency arrows;
- markup: escaping, the stylesheet and fonts.
"""

from liaison.planning.gantt.axis import LABEL_W, SCALES
from liaison.planning.gantt.chart import LABELS, render_gantt

__all__ = ["LABELS", "LABEL_W", "SCALES", "render_gantt"]
