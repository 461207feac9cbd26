"""2,000 bars stay light (issue 18): the chart the Gantt page draws for 2,000 tasks,
with gantt.js, in a real Chromium. What is asserted is the shape (elements per bar,
one transform per drag step and per scroll); how long a drag step and a scroll take
is measured with performance.now() and printed (`pytest -s`), never asserted:
timings depend on the machine. The figures are in docs/architecture.md (The Gantt)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from liaison.planning.gantt import render_gantt
from liaison.planning.selectors.gantt import GanttLink
from liaison.planning.tests.test_gantt import chart, day, row

pytestmark = pytest.mark.browser

BARS = 2000
SCRIPT = Path(__file__).resolve().parents[1] / "static" / "planning" / "gantt.js"
# A drag of 30 steps over a bar in the middle of the chart, then 30 scroll steps.
MEASURE = """() => {
  const box = document.getElementById("gantt-scroll");
  const bar = box.querySelector('a[data-key="T-1000"]');
  const r = bar.querySelector(".g-bar").getBoundingClientRect();
  const at = (type, x) => bar.dispatchEvent(new PointerEvent(type, {
    bubbles: true, button: 0, clientX: x, clientY: r.top + 4, pointerId: 1}));
  at("pointerdown", r.left + 2);
  const t0 = performance.now();
  for (let i = 1; i <= 30; i++) {
    at("pointermove", r.left + 2 + i * 3);
    bar.getBBox();  // the layout the step caused, inside the measure
  }
  const drag = (performance.now() - t0) / 30;
  document.dispatchEvent(new PointerEvent("pointerup", {bubbles: true}));
  const t1 = performance.now();
  for (let i = 1; i <= 30; i++) {
    box.scrollTop = i * 200;
    box.dispatchEvent(new Event("scroll"));
    document.querySelector(".g-top").getBBox();
  }
  const scroll = (performance.now() - t1) / 30;
  return {
    elements: box.querySelectorAll("svg *").length,
    moved: bar.getAttribute("transform"),
    pinned: document.querySelector(".g-top").getAttribute("transform"),
    drag, scroll,
  };
}"""


def two_thousand_bars() -> str:
    rows = [
        row(f"T-{n}", day(n // 4), day(n // 4 + 4), progress=n % 100, critical=n % 7 == 0)
        for n in range(1, BARS + 1)
    ]
    links = [GanttLink(f"T-{n}", f"T-{n + 1}", "FS", False) for n in range(1, BARS, 2)]

    def link_for(bar):
        return {
            "href": f"/p/X/plan/tasks/{bar.key}/panel/",
            "data-start": bar.start.isoformat(),
            "data-due": bar.due.isoformat(),
        }

    return render_gantt(chart(rows, links, today=day(250)), scale="week", link_for=link_for)


def test_two_thousand_bars_drag_and_scroll_with_one_transform_each(page: Page, live_server):
    svg = two_thousand_bars()
    page.set_content(
        '<div class="gantt-scroll" id="gantt-scroll" data-gantt-start="today" '
        'data-gantt-gesture="/p/X/plan/tasks/" style="overflow:auto;height:700px;width:1200px">'
        f"{svg}</div>"
    )
    page.add_script_tag(path=str(SCRIPT))
    result = page.evaluate(MEASURE)
    per_bar = result["elements"] / BARS
    print(
        f"\n{BARS} bars: {result['elements']} SVG elements ({per_bar:.1f} a bar), "
        f"{len(svg) // 1024} KiB; a drag step {result['drag']:.2f} ms, "
        f"a scroll step {result['scroll']:.2f} ms"
    )
    # Light: a bar is its link, title, group, bar, progress, label, column label and key.
    assert per_bar <= 9
    assert result["moved"] == "translate(90,0)"  # 30 steps of 3 px: 15 days of 6 px
    assert result["pinned"] == "translate(0,6000)"  # the dates follow the rows down
