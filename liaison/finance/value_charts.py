"""Earned value's two charts, SVG drawn on the server in plain Python
(docs/architecture.md, Charts and PDFs): the S-curve (PV, EV and AC week by
week, BAC as a dashed line) and the burn chart (what remains of the budget,
spent and as planned). Every word comes in the reader's language, every text is
escaped; each line is told by a legend and by a title per point, not by colour
alone (PV dashed, AC dotted)."""

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from liaison.finance.selectors.value import Point

FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Microsoft YaHei", '
    '"Noto Sans CJK SC", sans-serif'
)
TEXT, MUTED, AXIS = "#1f2328", "#59636e", "#d0d7de"
PV, EV, AC, BUDGET = "#59636e", "#1a7f37", "#cf222e", "#2f5fb3"
WIDTH, HEIGHT, TOP, BOTTOM, LEFT, RIGHT, LEGEND = 560, 240, 16, 24, 64, 12, 22


def _esc(value: object) -> str:
    return escape(str(value), quote=True)


def money(amount: Decimal | None) -> str:
    """12,345.67 (no currency: the page says it once)."""
    return "—" if amount is None else f"{amount:,.2f}"


def axis_amount(amount: Decimal) -> str:
    """An axis label that fits: 1.2M, 350k, 900."""
    size = abs(amount)
    if size >= 1_000_000:
        return f"{amount / 1_000_000:,.1f}M"
    return f"{amount / 1000:,.0f}k" if size >= 10_000 else f"{amount:,.0f}"


class _Frame:
    """Where a day and an amount fall on the plot."""

    def __init__(self, points: Sequence[Point], highest: Decimal, lowest: Decimal) -> None:
        self.first, self.days = points[0].day, max((points[-1].day - points[0].day).days, 1)
        self.lowest, self.span = lowest, (highest - lowest) or Decimal(1)
        self.plot_w = WIDTH - LEFT - RIGHT
        self.plot_h = HEIGHT - TOP - BOTTOM - LEGEND

    def x(self, point: Point) -> float:
        return LEFT + self.plot_w * (point.day - self.first).days / self.days

    def y(self, amount: Decimal) -> float:
        return TOP + LEGEND + self.plot_h * float(1 - (amount - self.lowest) / self.span)


def _line(
    frame: _Frame, points: Sequence[Point], values: Sequence[Decimal | None], style: dict
) -> str:
    drawn = [
        (point, value) for point, value in zip(points, values, strict=True) if value is not None
    ]
    if not drawn:
        return ""
    coordinates = " ".join(f"{frame.x(p):.1f},{frame.y(v):.1f}" for p, v in drawn)
    dash = f' stroke-dasharray="{style["dash"]}"' if style.get("dash") else ""
    dots = "".join(
        f'<circle cx="{frame.x(p):.1f}" cy="{frame.y(v):.1f}" r="2.5" fill="{style["colour"]}">'
        f"<title>{_esc(style['label'])} {p.day.isoformat()}: {money(v)}</title></circle>"
        for p, v in drawn
    )
    return (
        f'<g class="value-chart__{style["name"]}"><polyline fill="none" '
        f'stroke="{style["colour"]}" stroke-width="2"{dash} points="{coordinates}"/>{dots}</g>'
    )


def _frame_parts(frame: _Frame, points: Sequence[Point], currency: str) -> list[str]:
    """The axis, the highest and lowest amounts at the left, first and last days below."""
    bottom = TOP + LEGEND + frame.plot_h
    return [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="{AXIS}"/>',
        f'<text x="{LEFT - 6}" y="{TOP + LEGEND + 4}" text-anchor="end" fill="{MUTED}">'
        f"{axis_amount(frame.lowest + frame.span)}</text>",
        f'<text x="{LEFT - 6}" y="{bottom}" text-anchor="end" fill="{MUTED}">'
        f"{axis_amount(frame.lowest)}</text>",
        f'<text x="{LEFT - 6}" y="{TOP + LEGEND - 8}" text-anchor="end" fill="{MUTED}">'
        f"{_esc(currency)}</text>",
        f'<text x="{LEFT}" y="{HEIGHT - 6}" fill="{MUTED}">{points[0].day.isoformat()}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="end" fill="{MUTED}">'
        f"{points[-1].day.isoformat()}</text>",
    ]


def _legend(styles: Sequence[dict]) -> str:
    parts, x = [], LEFT
    for style in styles:
        dash = f' stroke-dasharray="{style["dash"]}"' if style.get("dash") else ""
        parts.append(
            f'<line x1="{x}" y1="{TOP}" x2="{x + 18}" y2="{TOP}" stroke="{style["colour"]}" '
            f'stroke-width="2"{dash}/><text x="{x + 22}" y="{TOP + 4}" fill="{TEXT}">'
            f"{_esc(style['label'])}</text>"
        )
        x += 34 + 7 * len(str(style["label"]))
    return f'<g class="value-chart__legend">{"".join(parts)}</g>'


def _svg(chart_id: str, title: str, desc: str, body: list[str]) -> SafeString:
    head = (
        f'<svg class="value-chart" id="{chart_id}" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f"aria-labelledby=\"{chart_id}-title {chart_id}-desc\" font-family='{FONT}' "
        f'font-size="11"><title id="{chart_id}-title">{_esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{_esc(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every text above is escaped


def s_curve_svg(points: Sequence[Point], *, bac: Decimal, currency: str) -> SafeString:
    """PV over the whole plan, EV and AC up to today, BAC dashed across."""
    if not points:
        return mark_safe("")
    styles = [
        {"name": "pv", "label": _("Planned value (PV)"), "colour": PV, "dash": "6 3"},
        {"name": "ev", "label": _("Earned value (EV)"), "colour": EV},
        {"name": "ac", "label": _("Actual cost (AC)"), "colour": AC, "dash": "2 2"},
    ]
    highest = max([bac] + [p.pv for p in points] + [p.ac for p in points if p.ac is not None])
    frame = _Frame(points, highest, Decimal(0))
    desc = _("Cumulative planned value, earned value and actual cost from %(start)s to %(end)s.")
    body = [
        *_frame_parts(frame, points, currency),
        f'<line x1="{LEFT}" y1="{frame.y(bac):.1f}" x2="{WIDTH - RIGHT}" y2="{frame.y(bac):.1f}" '
        f'stroke="{BUDGET}" stroke-dasharray="1 4"><title>{_esc(_("Budget at completion"))}: '
        f"{money(bac)}</title></line>",
        _line(frame, points, [p.pv for p in points], styles[0]),
        _line(frame, points, [p.ev for p in points], styles[1]),
        _line(frame, points, [p.ac for p in points], styles[2]),
        _legend(styles),
    ]
    dates = {"start": points[0].day.isoformat(), "end": points[-1].day.isoformat()}
    return _svg(
        "s-curve", _("S-curve: planned value, earned value, actual cost"), desc % dates, body
    )


def burn_svg(points: Sequence[Point], *, currency: str) -> SafeString:
    """What remains of the budget: as spent up to today, and as the plan spends it."""
    if not points:
        return mark_safe("")
    styles = [
        {"name": "planned", "label": _("Remaining as planned"), "colour": PV, "dash": "6 3"},
        {"name": "remaining", "label": _("Remaining budget"), "colour": BUDGET},
    ]
    amounts = [p.planned_remaining for p in points]
    amounts += [p.remaining for p in points if p.remaining is not None]
    frame = _Frame(points, max(amounts), min([Decimal(0), *amounts]))
    body = [
        *_frame_parts(frame, points, currency),
        f'<line x1="{LEFT}" y1="{frame.y(Decimal(0)):.1f}" x2="{WIDTH - RIGHT}" '
        f'y2="{frame.y(Decimal(0)):.1f}" stroke="{AC}" stroke-dasharray="1 4"/>',
        _line(frame, points, [p.planned_remaining for p in points], styles[0]),
        _line(frame, points, [p.remaining for p in points], styles[1]),
        _legend(styles),
    ]
    desc = _("The budget left after what was spent, week by week, from %(start)s to %(end)s.")
    dates = {"start": points[0].day.isoformat(), "end": points[-1].day.isoformat()}
    return _svg("burn-chart", _("Burn chart: the budget remaining"), desc % dates, body)
