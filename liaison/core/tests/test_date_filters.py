"""The fast date filters (`day`, `minute`, `iso`) write exactly what Django's
`date` filter writes with the format each replaces, in every zone, for dates,
naive and aware times, and for nothing; and no template goes back to `date` for
those formats."""

import datetime as dt
import pathlib
import re
import zoneinfo

import pytest
from django.template import engines
from django.utils import timezone

MOMENTS = [
    dt.datetime(2026, 11, 18, 23, 30, 5, 120, tzinfo=dt.UTC),  # another day in Shanghai
    dt.datetime(2028, 2, 29, 0, 5, tzinfo=dt.UTC),  # the day before in Chicago
    dt.datetime(2026, 12, 31, 16, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
    dt.datetime(2026, 11, 18, 9, 7),  # naive
    dt.date(2027, 1, 4),
    None,
    "",
    "not a date",
]
PAIRS = [("day", "Y-m-d"), ("minute", "Y-m-d H:i"), ("iso", "c")]
ZONES = ["Asia/Shanghai", "America/Chicago", "Asia/Kolkata", "UTC"]


def render(source: str, value: object) -> str:
    template = engines["django"].from_string("{% load liaison %}" + source)
    return template.render({"value": value})


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(("fast", "format"), PAIRS)
@pytest.mark.parametrize("value", MOMENTS, ids=repr)
def test_each_filter_writes_what_date_writes(zone, fast, format, value):
    if fast == "minute" and type(value) is dt.date:
        pytest.skip("`date` refuses a time format for a date (and writes nothing)")
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert render(f"{{{{ value|{fast} }}}}", value) == render(
            f'{{{{ value|date:"{format}" }}}}', value
        )


def test_the_filters_follow_the_readers_zone():
    moment = MOMENTS[0]
    with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        assert render("{{ value|day }} {{ value|minute }}", moment) == "2026-11-19 2026-11-19 07:30"
    with timezone.override(zoneinfo.ZoneInfo("America/Chicago")):
        assert render("{{ value|iso }}", moment) == "2026-11-18T17:30:05.000120-06:00"


def test_localtime_off_is_honoured():
    source = "{% load tz %}{% localtime off %}{{ value|minute }}{% endlocaltime %}"
    with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        assert render(source, MOMENTS[0]) == "2026-11-18 23:30"


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("unit", ["minute", "day"])
@pytest.mark.parametrize("value", [m for m in MOMENTS if isinstance(m, dt.date)], ids=repr)
def test_when_writes_the_time_element_the_two_filters_wrote(zone, unit, value):
    if unit == "minute" and type(value) is dt.date:
        pytest.skip("a date has no minute")
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert render(f'{{{{ value|when:"{unit}" }}}}', value) == render(
            f'<time datetime="{{{{ value|iso }}}}">{{{{ value|{unit} }}}}</time>', value
        )


@pytest.mark.parametrize("value", [None, "", "not a date"], ids=repr)
def test_when_writes_nothing_for_what_is_not_a_date(value):
    assert render("{{ value|when }}", value) == ""


def test_no_template_writes_a_time_element_with_two_filters():
    root = pathlib.Path(__file__).resolve().parents[2]
    twice = re.compile(
        r'<time datetime="\{\{ ([^|}]+)\|iso \}\}">\{\{ \1\|(minute|day) \}\}</time>'
    )
    found = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*")
        if path.suffix in {".html", ".txt"} and twice.search(path.read_text())
    ]
    assert not found, f'use |when or |when:"day": {found}'


def test_no_template_formats_these_dates_the_slow_way():
    root = pathlib.Path(__file__).resolve().parents[2]
    slow = re.compile(r"\|date:(\"|')(Y-m-d|Y-m-d H:i|c)\1")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*")
        if path.suffix in {".html", ".txt"} and slow.search(path.read_text())
    ]
    assert not found, f"use |day, |minute or |iso: {found}"
