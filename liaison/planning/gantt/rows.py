"""The Gantt chart's task rows: each task's bar (a bracket for a WBS parent) with its
baseline ghost, its label with the collapse toggle, and the dependency arrows
between bars.

These loops run once per task of plans of thousands: they only format strings, and
the words are escaped once, before the loop.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from liaison.planning.gantt.axis import TimeAxis
from liaison.planning.gantt.layout import (
    BAR_H,
    BAR_Y,
    BASE_H,
    BASE_Y,
    GAP,
    INDENT,
    ROW_H,
    Layout,
)
from liaison.planning.gantt.markup import attrs, esc

SEP = " · "
LABEL_CHAR_W = 11  # the width of a character of a bar's label, erring wide
# Where each drawn task's bar lies, for the arrows: key -> (middle y, x start, x end).
BarPlaces = dict[str, tuple[int, int, int]]


@dataclass(frozen=True, slots=True)
class _BarWords:
    """The words of a bar's title, escaped once: only numbers and dates go into them."""

    status: dict[str, str]
    progress: str
    critical: str
    slack: str
    baseline: str
    assignee: str  # escaped after the name is put in
    shared: str

    @classmethod
    def of(cls, words: dict) -> "_BarWords":
        return cls(
            status={key: esc(value) for key, value in (words.get("task_status") or {}).items()},
            progress=esc(words["progress"]),
            critical=esc(words["critical"]),
            slack=esc(words["slack"]),
            baseline=esc(words["baseline"]),
            assignee=words["assignee"],
            shared=esc(words.get("client_visible", "")),
        )


def bars(
    rows, layout: Layout, words: dict, link_for: Callable | None
) -> tuple[list[str], BarPlaces]:
    """Every row's bar, after its baseline ghost, and where the bars lie."""
    parts: list[str] = []
    places: BarPlaces = {}
    bar_words = _BarWords.of(words)
    axis = layout.axis
    x_at = axis.x_at
    y = layout.top
    for row in rows:
        x1 = x_at(row.start.toordinal())
        x2 = x_at(row.due.toordinal() + 1)
        w = x2 - x1 if x2 - x1 >= 2 else 2
        places[row.key] = (y + BAR_Y + BAR_H // 2, x1, x1 + w)
        if row.baseline_start:
            parts.append(_baseline_ghost(row, axis, y))
        title = esc(row.title)  # once: the bar's tooltip and its label both show it
        parts.append(_bar(row, title, x1, w, y, bar_words, link_for))
        parts.append(_bar_label(row, title, x1, x1 + w, y, layout.right))
        y += ROW_H
    return parts, places


def _baseline_ghost(row, axis: TimeAxis, y: int) -> str:
    """A thin bar under the task where the plan baseline had it."""
    bx1, bx2 = axis.x_of(row.baseline_start), axis.x_of(row.baseline_due + dt.timedelta(days=1))
    return (
        f'<rect class="g-base" x="{bx1}" y="{y + BASE_Y}" '
        f'width="{bx2 - bx1 if bx2 - bx1 >= 2 else 2}" height="{BASE_H}"/>'
    )


def _bar(
    row, title: str, x1: int, w: int, y: int, words: _BarWords, link_for: Callable | None
) -> str:
    """The bar in its group, inside the caller's link if it gives one."""
    key = esc(row.key)
    info = _bar_title(row, key, title, words)
    done_w = w * row.progress // 100
    classes = f"g-task is-{row.status}" + (" is-critical" if row.critical else "")
    shape = (_summary_shape if row.is_summary else _task_shape)(x1, w, y, done_w)
    link = link_for(row) if link_for is not None else None
    if link:
        # The link's own <title> names it for screen readers and shows on hover.
        return (
            f'<a{attrs(link)} data-key="{key}"><title>{info}</title>'
            f'<g class="{classes}">{shape}</g></a>'
        )
    return f'<g class="{classes}" data-key="{key}"><title>{info}</title>{shape}</g>'


def _bar_label(row, title: str, x1: int, x2: int, y: int, right: int) -> str:
    """The title beside the bar, so that it is never cut: after the bar, or before
    it when the chart ends too soon (a rough width: CJK and Latin alike)."""
    if x2 + 8 + LABEL_CHAR_W * len(row.title) <= right:
        return f'<text class="g-blabel" x="{x2 + 4}" y="{y + 15}">{title}</text>'
    return f'<text class="g-blabel" x="{x1 - 4}" y="{y + 15}" text-anchor="end">{title}</text>'


def _bar_title(row, key: str, title: str, words: _BarWords) -> str:
    """Key, title, dates, progress, then what applies: status, assignee, sharing,
    critical path or slack, baseline."""
    start, due = row.start.isoformat(), row.due.isoformat()
    info = f"{key} {title}{SEP}{start} – {due}{SEP}" + words.progress % {"n": row.progress}
    status = words.status.get(row.status)
    if status:
        info += SEP + status
    if row.assignee_name:
        info += SEP + esc(words.assignee % {"name": row.assignee_name})
    if row.client_visible and words.shared:
        info += SEP + words.shared
    if row.critical:
        info += SEP + words.critical
    elif row.slack:
        info += SEP + words.slack % {"n": row.slack}
    if row.baseline_start:
        info += SEP + words.baseline % {
            "start": row.baseline_start.isoformat(),
            "due": row.baseline_due.isoformat(),
        }
    return info


def _summary_shape(x1: int, w: int, y: int, done_w: int) -> str:
    """A WBS parent: a bracket over its children, a thin line for what is done."""
    by = y + BAR_Y + 1
    shape = f'<path class="g-sum" d="M{x1},{by}h{w}v9l-5,-4H{x1 + 5}l-5,4z"/>'
    if done_w:
        shape += f'<rect class="g-sumdone" x="{x1}" y="{by + 6}" width="{done_w}" height="2"/>'
    return shape


def _task_shape(x1: int, w: int, y: int, done_w: int) -> str:
    """A task: its bar, filled as far as it is done."""
    shape = f'<rect class="g-bar" x="{x1}" y="{y + BAR_Y}" width="{w}" height="{BAR_H}" rx="2"/>'
    if done_w:
        shape += (
            f'<rect class="g-done" x="{x1}" y="{y + BAR_Y}" width="{done_w}" '
            f'height="{BAR_H}" rx="2"/>'
        )
    return shape


def row_labels(rows, layout: Layout, words: dict, toggle_for: Callable | None) -> list[str]:
    """The label column: indentation, the collapse toggle, the key and title."""
    parts: list[str] = []
    y = layout.top
    for row in rows:
        tx = 8 + row.depth * INDENT
        if row.has_children:
            parts.append(_toggle(row, tx, y, words, toggle_for))
        label_class = "g-label g-label--sum" if row.is_summary else "g-label"
        parts.append(
            f'<text class="{label_class}" x="{tx + 14}" y="{y + 16}">'
            f'<tspan class="g-key">{esc(row.key)}</tspan> {esc(row.title)}</text>'
        )
        y += ROW_H
    return parts


def _toggle(row, tx: int, y: int, words: dict, toggle_for: Callable | None) -> str:
    """A WBS parent's ▾/▸, a link when the caller gives one."""
    sign = "▸" if row.collapsed else "▾"
    link = toggle_for(row) if toggle_for is not None else None
    if not link:
        return f'<text class="g-toggle" x="{tx}" y="{y + 16}">{sign}</text>'
    name = esc((words["expand"] if row.collapsed else words["collapse"]) % {"key": row.key})
    return (
        f'<a{attrs(link)} aria-label="{name}"><title>{name}</title>'
        f'<rect class="g-hit" x="{tx - 4}" y="{y + 3}" width="16" height="18"/>'
        f'<text class="g-toggle" x="{tx}" y="{y + 16}">{sign}</text></a>'
    )


def arrows(links, places: BarPlaces, cid: str) -> list[str]:
    """Dependency arrows between two drawn bars; critical ones in red."""
    parts: list[str] = []
    for link in links:
        before, after = places.get(link.predecessor_key), places.get(link.successor_key)
        if before is None or after is None:
            continue
        points = _arrow_points(link.kind, before, after)
        if link.critical:
            parts.append(
                f'<polyline class="g-link is-critical" points="{points}" '
                f'marker-end="url(#{cid}-ac)"/>'
            )
        else:
            parts.append(f'<polyline class="g-link" points="{points}" marker-end="url(#{cid}-a)"/>')
    return parts


def _arrow_points(kind: str, before: tuple, after: tuple) -> str:
    """An orthogonal path from the predecessor's edge to the successor's."""
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
        return f"{x1},{y1} {xm},{y1} {xm},{y2} {x2},{y2}"
    if (e2 - e1) * d1 >= 0:
        return f"{x1},{y1} {e1},{y1} {e1},{y2} {x2},{y2}"
    # The successor starts behind: go round between the two rows.
    ym = y2 - ROW_H // 2 if y2 > y1 else y2 + ROW_H // 2
    return f"{x1},{y1} {e1},{y1} {e1},{ym} {e2},{ym} {e2},{y2} {x2},{y2}"
