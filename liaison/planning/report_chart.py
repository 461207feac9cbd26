"""The status report's chart, tasks completed per week (in the plan's section
of a report, planning/report_section.py), as one small SVG drawn on the server:
the same markup serves the report page, the portal and the PDF
(docs/architecture.md, Where code goes). Plain Python: no CSS beyond attributes,
every word from `labels` (the caller's language), every text escaped.
"""

import datetime as dt
from html import escape

from django.utils.translation import gettext_lazy as _

WIDTH, HEIGHT = 360, 170
TOP = 20  # room for the values above the bars
BOTTOM = 24  # room for the week labels
SIDE = 8
PLOT_H = HEIGHT - TOP - BOTTOM
BAR_SHARE = 0.6  # of each week's slot; the rest is the gap
FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Microsoft YaHei", '
    '"Noto Sans CJK SC", sans-serif'
)
BAR, BAR_CURRENT, TEXT, MUTED, AXIS = "#8fb0e8", "#2f5fb3", "#1f2328", "#59636e", "#d0d7de"

LABELS = {
    "title": "Tasks completed per week",
    "desc": "%(total)s tasks completed in the %(weeks)s weeks from %(start)s to %(end)s.",
    "bar": "Week of %(week)s: %(count)s completed",
}


def completed_chart_labels() -> dict:
    """The chart's words in the active language."""
    return {
        "title": _("Tasks completed per week"),
        "desc": _("%(total)s tasks completed in the %(weeks)s weeks from %(start)s to %(end)s."),
        "bar": _("Week of %(week)s: %(count)s completed"),
    }


def _esc(value) -> str:
    return escape(str(value), quote=True)


def _day(value) -> dt.date:
    """Facts hold dates; frozen JSON (or a caller that skipped from_json) ISO strings."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def completed_chart_svg(
    weekly_completed: list[dict], *, labels: dict | None = None, chart_id: str = "completed-chart"
) -> str:
    """One bar per week with its count on top and the week's Monday ("11-02")
    below; the last week, the report's own, is drawn darker."""
    words = {**LABELS, **(labels or completed_chart_labels())}
    weeks = [(_day(row["week_start"]), max(0, int(row["count"]))) for row in weekly_completed]
    cid = _esc(chart_id)
    total = sum(count for _week, count in weeks)
    desc = str(words["desc"]) % {
        "total": total,
        "weeks": len(weeks),
        "start": weeks[0][0].isoformat() if weeks else "",
        "end": (weeks[-1][0] + dt.timedelta(days=6)).isoformat() if weeks else "",
    }
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" id="{cid}" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{_esc(FONT)}" font-size="11">'
        f'<title id="{cid}-title">{_esc(words["title"])}</title>'
        f'<desc id="{cid}-desc">{_esc(desc)}</desc>'
        f'<line x1="{SIDE}" y1="{TOP + PLOT_H}" x2="{WIDTH - SIDE}" y2="{TOP + PLOT_H}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    ]
    highest = max((count for _week, count in weeks), default=0) or 1
    slot = (WIDTH - 2 * SIDE) / max(len(weeks), 1)
    bar_w = round(slot * BAR_SHARE, 1)
    for index, (week, count) in enumerate(weeks):
        center = SIDE + slot * (index + 0.5)
        height = round(PLOT_H * count / highest, 1)
        y = round(TOP + PLOT_H - height, 1)
        fill = BAR_CURRENT if index == len(weeks) - 1 else BAR
        tip = str(words["bar"]) % {"week": week.isoformat(), "count": count}
        out.append(
            f'<g class="report-chart__week">'
            f'<rect class="report-chart__bar" x="{round(center - bar_w / 2, 1)}" y="{y}" '
            f'width="{bar_w}" height="{height}" fill="{fill}"><title>{_esc(tip)}</title></rect>'
            f'<text x="{round(center, 1)}" y="{round(y - 4, 1)}" text-anchor="middle" '
            f'fill="{TEXT}">{count}</text>'
            f'<text x="{round(center, 1)}" y="{HEIGHT - 8}" text-anchor="middle" '
            f'fill="{MUTED}">{week.strftime("%m-%d")}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)
