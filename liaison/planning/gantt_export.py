"""The Gantt chart printed and as a picture (issue 18): a PDF with a page per
`weeks` weeks (and per ROWS_PER_PAGE rows, so that a page stays readable), the
legend on each; and a PNG of the chart as the page shows it. WeasyPrint draws the
SVG the renderer made; poppler's pdftoppm (a system package the Makefile installs
for pdftotext already) turns a one-page PDF of it into the PNG, so that no new
dependency is needed."""

import datetime as dt
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from liaison.planning.gantt import render_gantt
from liaison.planning.gantt.layout import Layout
from liaison.planning.selectors.gantt import GanttData

WEEKS_PER_PAGE = 4  # the default: a day scale that fits A4 landscape at full size
MAX_WEEKS_PER_PAGE = 26
ROWS_PER_PAGE = 20
# A bigger print is refused (the view says how to narrow it): WeasyPrint draws
# in the web process, and a week a page over a plan of thousands of rows would
# be hundreds of pages.
MAX_PAGES = 100
PNG_MAX_PIXELS = 16_000  # the longer side of a PNG: a plan of thousands of rows shrinks
PDFTOPPM_SECONDS = 60


def page_charts(data: GanttData, weeks: int) -> Iterator[GanttData]:
    """The chart cut into pages: `weeks` weeks from the Monday of its start, each
    window's rows `ROWS_PER_PAGE` at a time; windows with nothing in them left out."""
    step = dt.timedelta(weeks=weeks)
    first = data.start - dt.timedelta(days=data.start.weekday())
    while first <= data.end:
        last = first + step - dt.timedelta(days=1)
        rows = [row for row in data.rows if row.due >= first and row.start <= last]
        milestones = [m for m in data.milestones if first <= m.due <= last]
        for index in range(0, max(len(rows), 1), ROWS_PER_PAGE):
            chunk = rows[index : index + ROWS_PER_PAGE]
            if chunk or milestones:
                yield replace(data, rows=chunk, milestones=milestones, start=first, end=last)
        first += step


class TooManyPages(Exception):
    """The print would be longer than MAX_PAGES."""

    def __init__(self, pages: int) -> None:
        super().__init__(pages)
        self.pages = pages


def gantt_pdf(data: GanttData, *, project, labels: dict, weeks: int = WEEKS_PER_PAGE) -> bytes:
    """The printable plan: a page per `weeks` weeks, with the legend. Raises
    TooManyPages before drawing anything when it would pass MAX_PAGES."""
    weeks = min(max(weeks, 1), MAX_WEEKS_PER_PAGE)
    scale = "day" if weeks <= WEEKS_PER_PAGE else "week"
    charts = list(page_charts(data, weeks))
    if len(charts) > MAX_PAGES:
        raise TooManyPages(len(charts))
    pages = [
        {
            "start": page.start,
            "end": page.end,
            "svg": mark_safe(  # the renderer escapes every value it draws
                render_gantt(page, scale=scale, labels=labels, chart_id=f"p{number}")
            ),
        }
        for number, page in enumerate(charts, start=1)
    ]
    html = render_to_string(
        "planning/gantt_pdf.html", {"project": project, "pages": pages, "weeks": weeks}
    )
    return _write_pdf(html)


def gantt_png(data: GanttData, *, scale: str, labels: dict) -> bytes:
    """The chart as a PNG: a PDF page the chart's size, rasterized by pdftoppm."""
    svg = render_gantt(data, scale=scale, labels=labels)
    layout = Layout.of(data, scale)
    width, height = layout.width, layout.height
    html = render_to_string(
        "planning/gantt_png.html", {"svg": mark_safe(svg), "width": width, "height": height}
    )
    dpi = max(1, min(96, 96 * PNG_MAX_PIXELS // max(width, height, 1)))
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "chart.pdf"
        pdf.write_bytes(_write_pdf(html))
        subprocess.run(
            ["pdftoppm", "-png", "-singlefile", "-r", str(dpi), str(pdf), f"{folder}/chart"],
            check=True,
            timeout=PDFTOPPM_SECONDS,
            capture_output=True,
        )
        return (Path(folder) / "chart.png").read_bytes()


def _write_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint is slow to import, only PDF makers pay for it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Titles are the users' words: the PDF never fetches anything (only data: URLs).
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
