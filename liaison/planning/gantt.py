"""The Gantt chart as one self-contained SVG, drawn on the server.

Plain Python on purpose (no ORM, no templates): the Gantt page, its SVG download, the
client's timeline and, later, the PDF report and the e-mail digest all draw the same
chart from a `GanttData` (liaison.planning.selectors.gantt). Everything a reader may
have typed is escaped; every word comes from `labels` so the caller chooses the
language. Speed matters (plans of thousands of tasks): x positions are integer
arithmetic on day ordinals, grid lines, shading and row rules are one path each, and
the inner loops only format strings.
"""

import datetime as dt
import re
from collections.abc import Callable
from html import escape

SCALES = ("day", "week", "month", "quarter")
# Pixels per calendar day for each scale: a day cell, a week of 42 px, a month of
# about 90 px, a quarter of about 91 px.
PX_PER_DAY = {"day": 24, "week": 6, "month": 3, "quarter": 1}
ROW_H = 24  # one task per row
BAR_Y, BAR_H = 5, 12  # the bar inside its row
BASE_Y, BASE_H = 19, 3  # the baseline's ghost bar, under the bar
TIER_H = 22  # each of the two header bands
HEADER_H = 2 * TIER_H
LANE_H = 22  # a band of milestones
LABEL_W = 260  # the left column of task names
INDENT = 14  # per WBS level
PAD_RIGHT = 24
GAP = 6  # how far an arrow leaves a bar before turning
FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Microsoft YaHei", '
    '"Noto Sans CJK SC", sans-serif'
)

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

STYLE = (
    ".gantt{font-size:12px;fill:#1f2328}"
    ".gantt .g-head{fill:#f6f7f9}"
    ".gantt .g-side{fill:#fff}"
    ".gantt .g-rule{stroke:#eef0f3;stroke-width:1;fill:none}"
    ".gantt .g-grid{stroke:#e6e9ed;stroke-width:1;fill:none}"
    ".gantt .g-grid2{stroke:#c9ced4;stroke-width:1;fill:none}"
    ".gantt .g-off{fill:#f0f2f5}"
    ".gantt .g-edge{stroke:#d5dae0;stroke-width:1}"
    ".gantt .g-tier{font-size:11px;fill:#59636e}"
    ".gantt .g-key{fill:#59636e;font-size:11px}"
    ".gantt .g-label--sum{font-weight:600}"
    ".gantt .g-toggle{fill:#4338ca;font-size:11px}"
    ".gantt .g-hit{fill:transparent}"
    ".gantt .g-bar{fill:#c7d9fb;stroke:#1e4fb8;stroke-width:1}"
    ".gantt .g-done{fill:#1e4fb8}"
    ".gantt .is-done .g-bar{fill:#dcfce7;stroke:#166534}"
    ".gantt .is-done .g-done{fill:#16a34a}"
    ".gantt .is-blocked .g-bar{fill:#fef3c7;stroke:#8a3b0c}"
    ".gantt .is-blocked .g-done{fill:#d97706}"
    ".gantt .is-critical .g-bar{stroke:#b42318;stroke-width:2}"
    ".gantt .is-critical .g-done{fill:#b42318}"
    ".gantt .g-sum{fill:#424a53}"
    ".gantt .is-critical .g-sum{fill:#b42318}"
    ".gantt .g-sumdone{fill:#16a34a}"
    ".gantt .g-base{fill:#8b949e;opacity:.75}"
    ".gantt .g-link{stroke:#59636e;stroke-width:1;fill:none}"
    ".gantt .g-link.is-critical{stroke:#b42318;stroke-width:1.5}"
    ".gantt .g-arrow{fill:#59636e}"
    ".gantt .g-arrow--critical{fill:#b42318}"
    ".gantt .g-today{stroke:#4338ca;stroke-width:1.5}"
    ".gantt .g-todaytext{fill:#4338ca;font-size:10px;font-weight:600}"
    ".gantt .g-ms{fill:#59636e;stroke:#fff;stroke-width:1}"
    ".gantt .g-ms--in_progress{fill:#1e4fb8}"
    ".gantt .g-ms--submitted{fill:#b45309}"
    ".gantt .g-ms--accepted{fill:#166534}"
    ".gantt .g-ms--rejected{fill:#b42318}"
    ".gantt .g-msbase{fill:none;stroke:#8b949e;stroke-width:1;stroke-dasharray:2 2}"
    ".gantt .g-mline{stroke:#8b949e;stroke-width:1;stroke-dasharray:3 3;opacity:.6}"
    ".gantt .g-mtext{font-size:11px}"
    ".gantt .g-empty{fill:#59636e}"
    ".gantt a:focus{outline:none}"
    ".gantt a:focus-visible .g-bar,.gantt a:focus-visible .g-sum"
    "{stroke:#4f46e5;stroke-width:3}"
    ".gantt a:focus-visible .g-hit{stroke:#4f46e5;stroke-width:2}"
    ".gantt a:hover .g-bar{filter:brightness(.95)}"
)

# XML 1.0 forbids most control characters, even escaped; a pasted title may hold one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(value) -> str:
    text = str(value)
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return escape(text, quote=True)


def _attrs(attrs: dict | None) -> str:
    if not attrs:
        return ""
    return "".join(f' {name}="{_esc(value)}"' for name, value in attrs.items())


# -- the time axis ---------------------------------------------------------------------


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _next_quarter(day: dt.date) -> dt.date:
    return _next_month(_next_month(_next_month(day)))


def _snap(scale: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Widen the range to whole units of the scale (the last day included)."""
    if scale == "week":
        first = start - dt.timedelta(days=start.weekday())
        last = end + dt.timedelta(days=6 - end.weekday())
    elif scale == "month":
        first, last = _month_start(start), _next_month(end) - dt.timedelta(days=1)
    elif scale == "quarter":
        first, last = _quarter_start(start), _next_quarter(_quarter_start(end))
        last -= dt.timedelta(days=1)
    else:
        first, last = start, end
    return first, last


def _units(unit: str, first: dt.date, last: dt.date, labels: dict) -> list[tuple[dt.date, str]]:
    """(first day, label) of every unit meeting first..last; the first may start before."""
    units = []
    months = labels.get("months")
    if unit == "day":
        day, one = first, dt.timedelta(days=1)
        while day <= last:
            units.append((day, str(day.day)))
            day += one
    elif unit == "week":
        day = first - dt.timedelta(days=first.weekday())
        seven = dt.timedelta(days=7)
        while day <= last:
            units.append((day, f"W{day.isocalendar()[1]:02d}"))
            day += seven
    elif unit == "month":
        day = _month_start(first)
        while day <= last:
            label = months[day.month - 1] if months else f"{day.year}-{day.month:02d}"
            units.append((day, label))
            day = _next_month(day)
    elif unit == "quarter":
        day = _quarter_start(first)
        while day <= last:
            units.append((day, f"Q{(day.month - 1) // 3 + 1}"))
            day = _next_quarter(day)
    else:  # year
        day = dt.date(first.year, 1, 1)
        while day <= last:
            units.append((day, str(day.year)))
            day = dt.date(day.year + 1, 1, 1)
    return units


# Two header bands per scale: (upper, lower).
TIERS = {
    "day": ("month", "day"),
    "week": ("month", "week"),
    "month": ("year", "month"),
    "quarter": ("year", "quarter"),
}


def _milestone_lanes(milestones, x_of, ppd) -> list[int]:
    """A lane per milestone, so that names do not run over each other (at most 3)."""
    lanes_end: list[int] = []
    result = []
    for milestone in milestones:
        x = x_of(milestone.due) + ppd // 2
        width = 16 + 7 * (len(milestone.key) + len(milestone.name) + 1)
        for lane, end in enumerate(lanes_end):
            if x - 8 > end:
                lanes_end[lane] = x + width
                result.append(lane)
                break
        else:
            if len(lanes_end) < 3:
                lanes_end.append(x + width)
                result.append(len(lanes_end) - 1)
            else:  # crowded: the lane that frees up first
                lane = min(range(3), key=lanes_end.__getitem__)
                lanes_end[lane] = max(lanes_end[lane], x + width)
                result.append(lane)
    return result


# -- the chart -------------------------------------------------------------------------


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
    scale = scale if scale in PX_PER_DAY else "week"
    ppd = PX_PER_DAY[scale]
    first, last = _snap(scale, data.start, data.end)
    o0, o_end = first.toordinal(), last.toordinal() + 1  # o_end: the day after the chart
    chart_w = (o_end - o0) * ppd
    width = LABEL_W + chart_w + PAD_RIGHT
    right = LABEL_W + chart_w

    def x_of(day: dt.date) -> int:
        ordinal = min(max(day.toordinal(), o0), o_end)
        return LABEL_W + (ordinal - o0) * ppd

    rows, milestones = data.rows, data.milestones
    lanes = _milestone_lanes(milestones, x_of, ppd) if milestones else []
    band_h = (max(lanes) + 1) * LANE_H if lanes else 0
    top = HEADER_H + band_h  # where the first task row starts
    bottom = top + max(len(rows), 1) * ROW_H
    height = bottom + 1
    cid = _esc(chart_id)

    out: list[str] = []
    add = out.append
    aria = words["chart"] % {
        "tasks": len(rows),
        "milestones": len(milestones),
        "start": data.start.isoformat(),
        "end": data.end.isoformat(),
    }
    # A picture is one image to assistive technology; a chart with links in it is a
    # group, or its bars and toggles would be hidden from screen readers.
    role = "group" if link_for is not None or toggle_for is not None else "img"
    add(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt gantt--{scale}" id="{cid}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-label="{_esc(aria)}" font-family="{_esc(FONT)}" font-size="12">'
        f"<title>{_esc(aria)}</title>"
        f"<defs><style>{STYLE}</style>"
        f'<marker id="{cid}-a" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" '
        f'markerHeight="6" orient="auto"><path class="g-arrow" d="M0,0L6,3L0,6z"/></marker>'
        f'<marker id="{cid}-ac" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" '
        f'markerHeight="6" orient="auto"><path class="g-arrow--critical" d="M0,0L6,3L0,6z"/>'
        f"</marker>"
        f'<clipPath id="{cid}-l"><rect x="0" y="0" width="{LABEL_W - 6}" height="{height}"/>'
        f"</clipPath>"
        f'<clipPath id="{cid}-c"><rect x="{LABEL_W}" y="0" width="{chart_w + PAD_RIGHT}" '
        f'height="{height}"/></clipPath></defs>'
        f'<rect class="g-side" x="0" y="0" width="{width}" height="{height}"/>'
        f'<rect class="g-head" x="0" y="0" width="{width}" height="{HEADER_H}"/>'
    )

    # Non-working days (day and week scales: coarser scales would be all stripes).
    chart_parts: list[str] = []
    cadd = chart_parts.append
    if scale in ("day", "week"):
        is_working = data.calendar.is_working
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
        if runs:
            span_h = bottom - TIER_H
            d = "".join(
                f"M{x_of(a)},{TIER_H}h{(b - a).days * ppd}v{span_h}h-{(b - a).days * ppd}z"
                for a, b in runs
            )
            cadd(f'<path class="g-off" d="{d}"/>')

    # Header bands and grid lines.
    upper, lower = TIERS[scale]
    lower_units = _units(lower, first, last, words)
    upper_units = _units(upper, first, last, words)
    grid = "".join(f"M{x_of(day)},{TIER_H}V{bottom}" for day, _label in lower_units)
    grid2 = "".join(f"M{x_of(day)},0V{bottom}" for day, _label in upper_units)
    cadd(f'<path class="g-grid" d="{grid}"/><path class="g-grid2" d="{grid2}"/>')
    text_y1, text_y2 = TIER_H - 7, HEADER_H - 7
    upper_xs = [x_of(day) for day, _label in upper_units] + [right]
    for index, (_day, label) in enumerate(upper_units):
        x = upper_xs[index]
        if upper_xs[index + 1] - x >= 50:  # a sliver of a month at the edge: no room
            cadd(f'<text class="g-tier" x="{x + 4}" y="{text_y1}">{_esc(label)}</text>')
    if scale == "day":
        for day, label in lower_units:
            cadd(
                f'<text class="g-tier" x="{x_of(day) + ppd // 2}" y="{text_y2}" '
                f'text-anchor="middle">{label}</text>'
            )
    else:
        for day, label in lower_units:
            cadd(f'<text class="g-tier" x="{x_of(day) + 3}" y="{text_y2}">{_esc(label)}</text>')

    # Row rules: one path.
    if rows:
        rules = "".join(f"M0,{top + i * ROW_H}H{right}" for i in range(1, len(rows) + 1))
        add(f'<path class="g-rule" d="{rules}"/>')
    add(f'<path class="g-edge" d="M0,{HEADER_H}H{right}M{LABEL_W},0V{bottom}"/>')

    # Milestones: a band at the top, a diamond at each due date, a line down the rows.
    ms_status = words.get("milestone_status") or {}
    for milestone, lane in zip(milestones, lanes, strict=True):
        cx = x_of(milestone.due) + ppd // 2
        cy = HEADER_H + lane * LANE_H + LANE_H // 2
        key, name = _esc(milestone.key), _esc(milestone.name)
        due = milestone.due.isoformat()
        info = [f"{key} {name}", _esc(words["due"] % {"date": due})]
        status = ms_status.get(milestone.status, "")
        if status:
            info.append(_esc(status))
        ghost = ""
        if milestone.baseline_due:
            info.append(_esc(words["baseline_due"] % {"date": milestone.baseline_due.isoformat()}))
            if milestone.baseline_due != milestone.due:
                bx = x_of(milestone.baseline_due) + ppd // 2
                ghost = f'<path class="g-msbase" d="M{bx},{cy - 6}l6,6l-6,6l-6,-6z"/>'
        cadd(
            f'<g class="g-milestone"><title>{" · ".join(info)}</title>'
            f'<path class="g-mline" d="M{cx},{cy + 7}V{bottom}"/>{ghost}'
            f'<path class="g-ms g-ms--{_esc(milestone.status)}" '
            f'd="M{cx},{cy - 7}l7,7l-7,7l-7,-7z"/>'
            f'<text class="g-mtext" x="{cx + 10}" y="{cy + 4}">{key} {name}</text></g>'
        )

    # Today.
    if first <= data.today <= last:
        tx = x_of(data.today) + ppd // 2
        today = _esc(words["today"])
        cadd(
            f'<g class="g-todayline"><title>{today} {data.today.isoformat()}</title>'
            f'<path class="g-today" d="M{tx},{TIER_H}V{bottom}"/></g>'
        )

    # Bars.
    labels_out: list[str] = []
    ladd = labels_out.append
    rows_at: dict[str, tuple[int, int, int]] = {}  # key -> (bar middle y, x start, x end)
    # The words are escaped once; only numbers and dates are put into them afterwards.
    t_status = {key: _esc(value) for key, value in (words.get("task_status") or {}).items()}
    w_progress, w_critical = _esc(words["progress"]), _esc(words["critical"])
    w_slack, w_baseline = _esc(words["slack"]), _esc(words["baseline"])
    w_assignee, w_shared = words["assignee"], _esc(words.get("client_visible", ""))
    w_collapse, w_expand = words["collapse"], words["expand"]
    sep = " · "
    y = top
    for row in rows:
        s_ord = row.start.toordinal()
        e_ord = row.due.toordinal() + 1
        x1 = LABEL_W + (min(max(s_ord, o0), o_end) - o0) * ppd
        x2 = LABEL_W + (min(max(e_ord, o0), o_end) - o0) * ppd
        w = x2 - x1 if x2 - x1 >= 2 else 2
        key, title = _esc(row.key), _esc(row.title)
        rows_at[row.key] = (y + BAR_Y + BAR_H // 2, x1, x1 + w)

        start, due = row.start.isoformat(), row.due.isoformat()
        info = f"{key} {title}{sep}{start} – {due}{sep}" + w_progress % {"n": row.progress}
        status = t_status.get(row.status)
        if status:
            info += sep + status
        if row.assignee_name:
            info += sep + _esc(w_assignee % {"name": row.assignee_name})
        if row.client_visible and w_shared:
            info += sep + w_shared
        if row.critical:
            info += sep + w_critical
        elif row.slack:
            info += sep + w_slack % {"n": row.slack}
        if row.baseline_start:
            base = w_baseline % {
                "start": row.baseline_start.isoformat(),
                "due": row.baseline_due.isoformat(),
            }
            info += sep + base
            bx1, bx2 = x_of(row.baseline_start), x_of(row.baseline_due + dt.timedelta(days=1))
            cadd(
                f'<rect class="g-base" x="{bx1}" y="{y + BASE_Y}" '
                f'width="{bx2 - bx1 if bx2 - bx1 >= 2 else 2}" height="{BASE_H}"/>'
            )
        done_w = w * row.progress // 100
        classes = f"g-task is-{row.status}" + (" is-critical" if row.critical else "")
        if row.is_summary:
            by = y + BAR_Y + 1
            shape = f'<path class="g-sum" d="M{x1},{by}h{w}v9l-5,-4H{x1 + 5}l-5,4z"/>' + (
                f'<rect class="g-sumdone" x="{x1}" y="{by + 6}" width="{done_w}" height="2"/>'
                if done_w
                else ""
            )
        else:
            shape = (
                f'<rect class="g-bar" x="{x1}" y="{y + BAR_Y}" width="{w}" height="{BAR_H}" '
                f'rx="2"/>'
                + (
                    f'<rect class="g-done" x="{x1}" y="{y + BAR_Y}" width="{done_w}" '
                    f'height="{BAR_H}" rx="2"/>'
                    if done_w
                    else ""
                )
            )
        attrs = link_for(row) if link_for is not None else None
        if attrs:
            # The link's own <title> names it for screen readers and shows on hover.
            cadd(
                f'<a{_attrs(attrs)} data-key="{key}"><title>{info}</title>'
                f'<g class="{classes}">{shape}</g></a>'
            )
        else:
            cadd(f'<g class="{classes}" data-key="{key}"><title>{info}</title>{shape}</g>')

        # The label column: indentation, the collapse toggle, the key and title.
        tx = 8 + row.depth * INDENT
        if row.has_children:
            toggle = toggle_for(row) if toggle_for is not None else None
            sign = "▸" if row.collapsed else "▾"
            if toggle:
                name = _esc((w_expand if row.collapsed else w_collapse) % {"key": row.key})
                ladd(
                    f'<a{_attrs(toggle)} aria-label="{name}"><title>{name}</title>'
                    f'<rect class="g-hit" x="{tx - 4}" y="{y + 3}" width="16" height="18"/>'
                    f'<text class="g-toggle" x="{tx}" y="{y + 16}">{sign}</text></a>'
                )
            else:
                ladd(f'<text class="g-toggle" x="{tx}" y="{y + 16}">{sign}</text>')
        label_class = "g-label g-label--sum" if row.is_summary else "g-label"
        ladd(
            f'<text class="{label_class}" x="{tx + 14}" y="{y + 16}">'
            f'<tspan class="g-key">{key}</tspan> {title}</text>'
        )
        y += ROW_H

    # Dependency arrows: orthogonal, from the predecessor's edge to the successor's.
    for link in data.links:
        before, after = rows_at.get(link.predecessor_key), rows_at.get(link.successor_key)
        if before is None or after is None:
            continue
        kind = link.kind
        y1, y2 = before[0], after[0]
        if kind == "FS" or kind == "FF":
            x1, d1 = before[2], 1  # leaves the predecessor's end, heading right
        else:
            x1, d1 = before[1], -1  # leaves its start, heading left
        if kind == "FS" or kind == "SS":
            x2, d2 = after[1], 1  # enters the successor's start from the left
        else:
            x2, d2 = after[2], -1  # enters its end from the right
        e1, e2 = x1 + d1 * GAP, x2 - d2 * GAP
        if d1 != d2:
            xm = max(e1, e2) if d1 == 1 else min(e1, e2)
            points = f"{x1},{y1} {xm},{y1} {xm},{y2} {x2},{y2}"
        elif (e2 - e1) * d1 >= 0:
            points = f"{x1},{y1} {e1},{y1} {e1},{y2} {x2},{y2}"
        else:  # the successor starts behind: go round between the two rows
            ym = y2 - ROW_H // 2 if y2 > y1 else y2 + ROW_H // 2
            points = f"{x1},{y1} {e1},{y1} {e1},{ym} {e2},{ym} {e2},{y2} {x2},{y2}"
        if link.critical:
            cadd(
                f'<polyline class="g-link is-critical" points="{points}" '
                f'marker-end="url(#{cid}-ac)"/>'
            )
        else:
            cadd(f'<polyline class="g-link" points="{points}" marker-end="url(#{cid}-a)"/>')

    if not rows and not milestones:
        cadd(
            f'<text class="g-empty" x="{LABEL_W + 12}" y="{top + 16}">{_esc(words["empty"])}</text>'
        )

    add(f'<g clip-path="url(#{cid}-c)">')
    out += chart_parts
    add("</g>")
    # The label column on top, clipped so that long titles stop at its edge.
    if milestones:
        add(
            f'<text class="g-label g-label--sum" x="8" y="{HEADER_H + 15}">'
            f"{_esc(words['milestones'])}</text>"
        )
    add(f'<text class="g-tier" x="8" y="{HEADER_H - 7}">{_esc(words["tasks"])}</text>')
    add(f'<g clip-path="url(#{cid}-l)">')
    out += labels_out
    add("</g></svg>")
    return "".join(out)
