"""The Gantt chart as one SVG document: its shell (size, title, styles, markers,
clips) and the layers drawn across the whole chart (days off, the calendar band and
grid, milestones, today), with the task rows from `rows`.
"""

import datetime as dt
from collections.abc import Callable

from liaison.planning.gantt.axis import LABEL_W, TIERS, TimeAxis
from liaison.planning.gantt.layout import HEADER_H, LANE_H, PAD_RIGHT, ROW_H, TIER_H, Layout
from liaison.planning.gantt.markup import FONT, STYLE, esc
from liaison.planning.gantt.rows import arrows, bars, row_labels

LABELS = {
    "chart": "Gantt chart: %(tasks)s tasks, %(milestones)s milestones, %(start)s to %(end)s",
    "milestones": "Milestones",
    "tasks": "Tasks",
    "progress": "%(n)s%% done",
    "critical": "on the critical path",
    "slack": "%(n)s working days of slack",
    "baseline": "baseline %(start)s – %(due)s",
    "baseline_due": "baseline due %(date)s",
    "due": "due %(date)s",
    "collapse": "Hide the tasks under %(key)s",
    "expand": "Show the tasks under %(key)s",
    "today": "Today",
    "assignee": "assigned to %(name)s",
    "empty": "Nothing dated to draw yet.",
    "task_status": {},
    "milestone_status": {},
}


def render_gantt(
    data,
    *,
    scale: str = "week",
    link_for: Callable | None = None,
    toggle_for: Callable | None = None,
    labels: dict | None = None,
    chart_id: str = "gantt",
) -> str:
    """The chart as an <svg> element (valid on its own as an .svg file).

    `link_for(row)` gives the attributes of the link around a task's bar (href, hx-get…)
    or None; `toggle_for(row)` those of the collapse/expand link of a WBS parent. Leave
    them out for a chart without links (the portal, a PDF, an e-mail).
    """
    words = {**LABELS, **(labels or {})}
    layout = Layout.of(data, scale)
    cid = esc(chart_id)
    # A picture is one image to assistive technology; a chart with links in it is a
    # group, or its bars and toggles would be hidden from screen readers.
    role = "group" if link_for is not None or toggle_for is not None else "img"
    task_bars, places = bars(data.rows, layout, words, link_for)
    grid, tiers = _calendar_band(layout, words)
    chart = [
        *_days_off(data.calendar, layout),
        grid,
        *_milestones(data.milestones, layout, words),
        *_today(data.today, layout, words),
        *task_bars,
        *arrows(data.links, places, cid),
        *_empty_note(data, layout, words),
    ]
    return "".join(
        [
            _document_start(data, layout, words, cid, role),
            *_row_rules(len(data.rows), layout),
            f'<g clip-path="url(#{cid}-c)">',
            *chart,
            "</g>",
            # The dates, the label column and their corner on top: the page's script
            # keeps them in view while the chart scrolls (sticky header and column).
            f'<g class="g-top"><rect class="g-head" x="0" y="0" width="{layout.width}" '
            f'height="{HEADER_H}"/>',
            *tiers,
            f'<path class="g-edge" d="M0,{HEADER_H}H{layout.right}"/></g>',
            f'<g class="g-left"><rect class="g-side" x="0" y="{HEADER_H}" width="{LABEL_W}" '
            f'height="{layout.top - HEADER_H}"/><rect fill="url(#{cid}-r)" x="0" '
            f'y="{layout.top}" width="{LABEL_W}" height="{layout.bottom - layout.top}"/>',
            *_column_headings(data.milestones, words),
            # clipped so that long titles stop at the column's edge (the bar repeats them)
            f'<g clip-path="url(#{cid}-l)">',
            *row_labels(data.rows, layout, words, toggle_for),
            f'</g><path class="g-edge" d="M{LABEL_W},0V{layout.bottom}"/></g>',
            f'<g class="g-corner"><rect class="g-head" x="0" y="0" width="{LABEL_W}" '
            f'height="{HEADER_H}"/><text class="g-tier" x="8" y="{HEADER_H - 7}">'
            f"{esc(words['tasks'])}</text></g></svg>",
        ]
    )


def _document_start(data, layout: Layout, words: dict, cid: str, role: str) -> str:
    """The <svg> element up to its content: title, styles, markers, clips, background."""
    width, height = layout.width, layout.height
    aria = esc(
        words["chart"]
        % {
            "tasks": len(data.rows),
            "milestones": len(data.milestones),
            "start": data.start.isoformat(),
            "end": data.end.isoformat(),
        }
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt gantt--{layout.axis.scale}" '
        f'id="{cid}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="{role}" aria-label="{aria}" font-family="{esc(FONT)}" font-size="12" '
        # The axis, for the page's script (scroll to a date, drag a bar by whole days).
        f'data-first="{layout.axis.first.isoformat()}" data-ppd="{layout.axis.ppd}" '
        f'data-x0="{LABEL_W}" data-today="{data.today.isoformat()}">'
        f"<title>{aria}</title>"
        f"{_defs(layout, cid)}"
        f'<rect class="g-side" x="0" y="0" width="{width}" height="{height}"/>'
        f'<rect class="g-head" x="0" y="0" width="{width}" height="{HEADER_H}"/>'
    )


def _defs(layout: Layout, cid: str) -> str:
    """The stylesheet, the two arrowheads and the clips of the two columns."""
    height = layout.height
    return (
        f"<defs><style>{STYLE}</style>"
        f'<marker id="{cid}-a" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" '
        f'markerHeight="6" orient="auto"><path class="g-arrow" d="M0,0L6,3L0,6z"/></marker>'
        f'<marker id="{cid}-ac" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" '
        f'markerHeight="6" orient="auto"><path class="g-arrow--critical" d="M0,0L6,3L0,6z"/>'
        f"</marker>"
        # The label column's background: white rows with their rule, one tile for all.
        f'<pattern id="{cid}-r" x="0" y="{layout.top}" width="{LABEL_W}" height="{ROW_H}" '
        f'patternUnits="userSpaceOnUse"><rect class="g-side" width="{LABEL_W}" '
        f'height="{ROW_H}"/><path class="g-rule" d="M0,{ROW_H - 0.5}H{LABEL_W}"/></pattern>'
        f'<clipPath id="{cid}-l"><rect x="0" y="0" width="{LABEL_W - 6}" height="{height}"/>'
        f"</clipPath>"
        f'<clipPath id="{cid}-c"><rect x="{LABEL_W}" y="0" '
        f'width="{layout.axis.width + PAD_RIGHT}" height="{height}"/></clipPath></defs>'
    )


def _row_rules(row_count: int, layout: Layout) -> list[str]:
    """A rule under every row (one path), and the edges of the header and label column."""
    right, top = layout.right, layout.top
    parts = []
    if row_count:
        rules = "".join(f"M0,{top + i * ROW_H}H{right}" for i in range(1, row_count + 1))
        parts.append(f'<path class="g-rule" d="{rules}"/>')
    parts.append(f'<path class="g-edge" d="M0,{HEADER_H}H{right}M{LABEL_W},0V{layout.bottom}"/>')
    return parts


def _days_off(calendar, layout: Layout) -> list[str]:
    """Non-working days shaded (day and week scales: coarser scales would be all stripes)."""
    axis = layout.axis
    if axis.scale not in ("day", "week"):
        return []
    runs = _off_runs(calendar.is_working, axis.first, axis.last)
    if not runs:
        return []
    span_h, ppd, x_of = layout.bottom - TIER_H, axis.ppd, axis.x_of
    d = "".join(
        f"M{x_of(a)},{TIER_H}h{(b - a).days * ppd}v{span_h}h-{(b - a).days * ppd}z" for a, b in runs
    )
    return [f'<path class="g-off" d="{d}"/>']


def _off_runs(is_working, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(first day off, next working day) of every run of days off in first..last."""
    runs = []
    run_start = None
    day, one = first, dt.timedelta(days=1)
    while day <= last:
        if not is_working(day):
            if run_start is None:
                run_start = day
        elif run_start is not None:
            runs.append((run_start, day))
            run_start = None
        day += one
    if run_start is not None:
        runs.append((run_start, last + one))
    return runs


def _calendar_band(layout: Layout, words: dict) -> tuple[str, list[str]]:
    """The grid lines down the rows (one string), and the two header bands' labels
    (e.g. months over weeks)."""
    axis, bottom = layout.axis, layout.bottom
    upper, lower = TIERS[axis.scale]
    lower_units = axis.units(lower, words)
    upper_units = axis.units(upper, words)
    grid = "".join(f"M{axis.x_of(day)},{TIER_H}V{bottom}" for day, _label in lower_units)
    grid2 = "".join(f"M{axis.x_of(day)},0V{bottom}" for day, _label in upper_units)
    return (
        f'<path class="g-grid" d="{grid}"/><path class="g-grid2" d="{grid2}"/>',
        [*_upper_tier(upper_units, axis, layout.right), *_lower_tier(lower_units, axis)],
    )


def _upper_tier(units, axis: TimeAxis, right: int) -> list[str]:
    y = TIER_H - 7
    xs = [axis.x_of(day) for day, _label in units] + [right]
    return [
        f'<text class="g-tier" x="{xs[index] + 4}" y="{y}">{esc(label)}</text>'
        for index, (_day, label) in enumerate(units)
        # a sliver of a month at the edge: no room
        if xs[index + 1] - xs[index] >= 50
    ]


def _lower_tier(units, axis: TimeAxis) -> list[str]:
    y = HEADER_H - 7
    if axis.scale == "day":  # the day's number in the middle of its cell
        return [
            f'<text class="g-tier" x="{axis.x_of(day) + axis.ppd // 2}" y="{y}" '
            f'text-anchor="middle">{label}</text>'
            for day, label in units
        ]
    return [
        f'<text class="g-tier" x="{axis.x_of(day) + 3}" y="{y}">{esc(label)}</text>'
        for day, label in units
    ]


def _milestones(milestones, layout: Layout, words: dict) -> list[str]:
    """Milestones: a band at the top, a diamond at each due date, a line down the rows."""
    statuses = words.get("milestone_status") or {}
    return [
        _milestone(milestone, lane, layout, words, statuses)
        for milestone, lane in zip(milestones, layout.lanes, strict=True)
    ]


def _milestone(milestone, lane: int, layout: Layout, words: dict, statuses: dict) -> str:
    axis = layout.axis
    cx = axis.x_of(milestone.due) + axis.ppd // 2
    cy = HEADER_H + lane * LANE_H + LANE_H // 2
    key, name = esc(milestone.key), esc(milestone.name)
    info = [f"{key} {name}", esc(words["due"] % {"date": milestone.due.isoformat()})]
    status = statuses.get(milestone.status, "")
    if status:
        info.append(esc(status))
    ghost = ""
    if milestone.baseline_due:
        info.append(esc(words["baseline_due"] % {"date": milestone.baseline_due.isoformat()}))
        if milestone.baseline_due != milestone.due:
            # An empty diamond where the plan baseline had it.
            bx = axis.x_of(milestone.baseline_due) + axis.ppd // 2
            ghost = f'<path class="g-msbase" d="M{bx},{cy - 6}l6,6l-6,6l-6,-6z"/>'
    return (
        f'<g class="g-milestone"><title>{" · ".join(info)}</title>'
        f'<path class="g-mline" d="M{cx},{cy + 7}V{layout.bottom}"/>{ghost}'
        f'<path class="g-ms g-ms--{esc(milestone.status)}" '
        f'd="M{cx},{cy - 7}l7,7l-7,7l-7,-7z"/>'
        f'<text class="g-mtext" x="{cx + 10}" y="{cy + 4}">{key} {name}</text></g>'
    )


def _today(today: dt.date, layout: Layout, words: dict) -> list[str]:
    """A line down the chart on today, if the chart shows it."""
    axis = layout.axis
    if not axis.first <= today <= axis.last:
        return []
    tx = axis.x_of(today) + axis.ppd // 2
    return [
        f'<g class="g-todayline"><title>{esc(words["today"])} {today.isoformat()}</title>'
        f'<path class="g-today" d="M{tx},{TIER_H}V{layout.bottom}"/></g>'
    ]


def _empty_note(data, layout: Layout, words: dict) -> list[str]:
    if data.rows or data.milestones:
        return []
    return [
        f'<text class="g-empty" x="{LABEL_W + 12}" y="{layout.top + 16}">'
        f"{esc(words['empty'])}</text>"
    ]


def _column_headings(milestones, words: dict) -> list[str]:
    """The label column's heading of the milestone band (the corner names the tasks)."""
    parts = []
    if milestones:
        parts.append(
            f'<text class="g-label g-label--sum" x="8" y="{HEADER_H + 15}">'
            f"{esc(words['milestones'])}</text>"
        )
    return parts
