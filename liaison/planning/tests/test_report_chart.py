"""The report's chart: one bar per week, values and week labels, accessible
and escaped, the same markup for the page, the portal and the PDF."""

import datetime as dt
import xml.etree.ElementTree as ET

from liaison.planning.report_chart import completed_chart_labels, completed_chart_svg
from liaison.planning.selectors.report import chart_weeks

SVG = "{http://www.w3.org/2000/svg}"
END = dt.date(2026, 11, 22)


def _weeks(counts: list[int]) -> list[dict]:
    return [
        {"week_start": monday, "count": count}
        for monday, count in zip(chart_weeks(END), counts, strict=True)
    ]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def test_one_bar_per_week_with_its_value_and_week():
    root = _parse(completed_chart_svg(_weeks([0, 1, 2, 3, 4, 5, 6, 8])))
    bars = root.findall(f".//{SVG}rect[@class='report-chart__bar']")
    assert len(bars) == 8
    heights = [float(bar.get("height")) for bar in bars]
    assert heights == sorted(heights)
    assert heights[0] == 0 and heights[-1] > 0
    # The tallest bar fills the plot; the others in proportion.
    assert heights[4] == round(heights[-1] / 2, 1)
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert texts[:2] == ["0", "09-28"]
    assert texts[-2:] == ["8", "11-16"]
    # The report's own week is drawn darker.
    assert bars[-1].get("fill") != bars[0].get("fill")


def test_the_chart_is_described_for_assistive_technology():
    root = _parse(completed_chart_svg(_weeks([1] * 8), labels=completed_chart_labels()))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "completed-chart-title completed-chart-desc"
    assert root.find(f"{SVG}title").text == "Tasks completed per week"
    assert (
        root.find(f"{SVG}desc").text
        == "8 tasks completed in the 8 weeks from 2026-09-28 to 2026-11-22."
    )
    tips = [title.text for title in root.findall(f".//{SVG}rect/{SVG}title")]
    assert tips[-1] == "Week of 2026-11-16: 1 completed"


def test_labels_are_escaped():
    hostile = {
        "title": '<script>alert("x")</script>',
        "desc": "%(total)s & <b>",
        "bar": '"><img src=x>%(count)s',
    }
    svg = completed_chart_svg(_weeks([1] * 8), labels=hostile, chart_id='c"><x')
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    root = _parse(svg)
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script>'
    assert root.get("id") == 'c"><x'


def test_frozen_iso_weeks_draw_the_same():
    weeks = _weeks([2, 0, 1, 0, 0, 0, 3, 1])
    frozen = [{"week_start": w["week_start"].isoformat(), "count": w["count"]} for w in weeks]
    assert completed_chart_svg(frozen) == completed_chart_svg(weeks)


def test_an_empty_chart_still_draws():
    root = _parse(completed_chart_svg(_weeks([0] * 8)))
    assert len(root.findall(f".//{SVG}rect")) == 8
    assert "0 tasks completed" in root.find(f"{SVG}desc").text
