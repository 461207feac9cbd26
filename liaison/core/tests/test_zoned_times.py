"""Times that are records (a signature, a decision) say their zone as an offset,
never as an abbreviation like CST (China, Cuba or the US Midwest)."""

import datetime as dt
import pathlib
import re
import zoneinfo

import pytest
from django.utils import timezone

from liaison.core.templatetags.liaison import zoned
from liaison.requirements.tests.factories import agreed_requirement, signed_baseline

MOMENT = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Shanghai", "2026-11-18 18:00 UTC+08:00"),
        ("America/Chicago", "2026-11-18 04:00 UTC-06:00"),
        ("America/Havana", "2026-11-18 05:00 UTC-05:00"),
        ("Asia/Kolkata", "2026-11-18 15:30 UTC+05:30"),
        ("UTC", "2026-11-18 10:00 UTC"),
    ],
)
def test_zoned_gives_the_offset_in_the_readers_zone(zone, shown):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert zoned(MOMENT) == shown


def test_zoned_of_nothing_is_empty():
    assert zoned(None) == "" and zoned("") == ""


def test_no_template_uses_a_zone_abbreviation():
    """The `T` and `e` date formats print abbreviations (CST); `O` a bare +0800
    with no UTC. Records use the `zoned` filter instead."""
    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(r"""\|date:["']([^"']*)["']""")
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("templates/**/*")
        if path.suffix in (".html", ".txt")
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
        # DATE_FORMAT and the like are named formats, not format characters
        if not re.fullmatch(r"[A-Z_]+", match[1]) and re.search(r"[TeO]", match[1])
    ]
    assert found == []


def test_a_signed_baseline_shows_beijing_time_as_utc_plus_8(login, project, manager, client_user):
    manager.time_zone = "Asia/Shanghai"
    manager.save(update_fields=["time_zone"])
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = signed_baseline(project, by=client_user, name="Wang Fang")
    page = login(manager).get(f"/p/OWN/baselines/{baseline.number}/").content.decode()
    local = timezone.localtime(baseline.decided_at, zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert f"{local:%Y-%m-%d %H:%M} UTC+08:00" in page
    assert "CST" not in page
