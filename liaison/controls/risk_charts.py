"""The register's two charts, SVG drawn on the server in plain Python
(docs/architecture.md, Charts and PDFs): the 5×5 heat map of probability ×
impact, each cell a link that filters the list, and the open exposure week by
week. Every word comes from the caller (in the reader's language), every text
and address is escaped."""

from collections.abc import Callable, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from liaison.controls.models import BAND_COLOURS, SCORE_SCALE, band_of
from liaison.controls.selectors.risks import ExposurePoint

FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Microsoft YaHei", '
    '"Noto Sans CJK SC", sans-serif'
)
TEXT, MUTED, AXIS, LINE = "#1f2328", "#59636e", "#d0d7de", "#2f5fb3"
# Band colour → (an empty cell's fill, a cell with risks' fill)
FILLS = {
    "green": ("#f0fdf4", "#86efac"),
    "amber": ("#fffbeb", "#fcd34d"),
    "orange": ("#fff7ed", "#fdba74"),
    "red": ("#fef3f2", "#fda29b"),
}
CELL, GAP, LEFT, BOTTOM = 44, 4, 36, 34


def _esc(value: object) -> str:
    return escape(str(value), quote=True)


def heat_map_svg(
    cells: dict[tuple[int, int], int],
    *,
    link: Callable[[int, int], str],
    selected: tuple[int, int] | None = None,
) -> SafeString:
    """Probability up (5 at the top), impact across (5 on the right); each cell
    shows its count, is coloured by its score's band and links to `link(p, i)`."""
    size = len(SCORE_SCALE) * (CELL + GAP)
    width, height = LEFT + size, size + BOTTOM
    title = _("Heat map of the risks: probability × impact")
    parts = [
        f'<svg class="heat-map" id="heat-map" role="group" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="heat-map-title" font-family=\'{FONT}\' font-size="13">',
        f'<title id="heat-map-title">{_esc(title)}</title>',
    ]
    for row, probability in enumerate(reversed(SCORE_SCALE)):
        y = row * (CELL + GAP)
        parts.append(
            f'<text x="{LEFT - 10}" y="{y + CELL / 2 + 4}" text-anchor="end" '
            f'fill="{MUTED}">{probability}</text>'
        )
        for column, impact in enumerate(SCORE_SCALE):
            parts.append(
                _cell(
                    cells.get((probability, impact), 0),
                    probability,
                    impact,
                    column,
                    y,
                    link,
                    selected,
                )
            )
    for column, impact in enumerate(SCORE_SCALE):
        x = LEFT + column * (CELL + GAP) + CELL / 2
        parts.append(
            f'<text x="{x}" y="{size + 12}" text-anchor="middle" fill="{MUTED}">{impact}</text>'
        )
    parts.append(
        f'<text x="{LEFT + size / 2}" y="{height - 2}" text-anchor="middle" '
        f'fill="{MUTED}">{_esc(_("Impact"))}</text>'
    )
    parts.append(
        f'<text x="10" y="{size / 2}" text-anchor="middle" fill="{MUTED}" '
        f'transform="rotate(-90 10 {size / 2})">{_esc(_("Probability"))}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text and address above is escaped


def _cell(
    count: int,
    probability: int,
    impact: int,
    column: int,
    y: float,
    link: Callable[[int, int], str],
    selected: tuple[int, int] | None,
) -> str:
    score = probability * impact
    empty, full = FILLS[BAND_COLOURS[band_of(score)]]
    label = _(
        "Probability %(probability)s, impact %(impact)s (score %(score)s): %(count)s risks"
    ) % {"probability": probability, "impact": impact, "score": score, "count": count}
    chosen = selected == (probability, impact)
    x = LEFT + column * (CELL + GAP)
    stroke = f'stroke="{TEXT}" stroke-width="2"' if chosen else f'stroke="{AXIS}"'
    current = ' aria-current="true"' if chosen else ""
    return (
        f'<a href="{_esc(link(probability, impact))}" id="heat-p{probability}-i{impact}" '
        f'data-count="{count}" aria-label="{_esc(label)}"{current}>'
        f"<title>{_esc(label)}</title>"
        f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="4" '
        f'fill="{full if count else empty}" {stroke}/>'
        f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 5}" text-anchor="middle" '
        f'fill="{TEXT if count else MUTED}" font-weight="{600 if count else 400}">'
        f"{count if count else '·'}</text></a>"
    )


TREND_W, TREND_H, TOP, TREND_BOTTOM, SIDE = 420, 170, 18, 24, 10


def exposure_svg(points: Sequence[ExposurePoint]) -> SafeString:
    """A line of the open exposure (the sum of the open risks' scores) at the end
    of each week, its value over each point and the week's Monday below."""
    if not points:
        return mark_safe("")
    plot_h = TREND_H - TOP - TREND_BOTTOM
    highest = max(max(point.exposure for point in points), 1)
    step = (TREND_W - 2 * SIDE) / max(len(points) - 1, 1)
    desc = _("Open exposure at the end of each week, from %(start)s to %(end)s.") % {
        "start": points[0].week_start.isoformat(),
        "end": points[-1].week_start.isoformat(),
    }
    coordinates = [
        (SIDE + n * step, TOP + plot_h - plot_h * point.exposure / highest)
        for n, point in enumerate(points)
    ]
    parts = [
        f'<svg class="exposure-chart" id="exposure-chart" '
        f'role="img" viewBox="0 0 {TREND_W} {TREND_H}" width="{TREND_W}" height="{TREND_H}" '
        f'aria-labelledby="exposure-title exposure-desc" font-family=\'{FONT}\' font-size="11">',
        f'<title id="exposure-title">{_esc(_("Open exposure per week"))}</title>',
        f'<desc id="exposure-desc">{_esc(desc)}</desc>',
        f'<line x1="{SIDE}" y1="{TOP + plot_h}" x2="{TREND_W - SIDE}" y2="{TOP + plot_h}" '
        f'stroke="{AXIS}"/>',
        f'<polyline fill="none" stroke="{LINE}" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        + '"/>',
    ]
    for (x, y), point in zip(coordinates, points, strict=True):
        label = _("Week of %(week)s: exposure %(exposure)s, %(count)s open risks") % {
            "week": point.week_start.isoformat(),
            "exposure": point.exposure,
            "count": point.open_risks,
        }
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE}">'
            f"<title>{_esc(label)}</title></circle>"
            f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" fill="{TEXT}">'
            f"{point.exposure}</text>"
            f'<text x="{x:.1f}" y="{TREND_H - 6}" text-anchor="middle" fill="{MUTED}">'
            f"{point.week_start.strftime('%m-%d')}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
