"""The log keeps a changed time as ISO 8601 (JSON has no datetime); the pages
show it as every other time: in the reader's zone, to the minute."""

import zoneinfo

import pytest
from django.utils import timezone

from liaison.core.activity import field_display, moment_display
from liaison.projects.models import Project


@pytest.mark.parametrize(
    ("zone", "shown"),
    [("Asia/Shanghai", "2026-11-18 18:05"), ("America/Chicago", "2026-11-18 04:05")],
)
def test_a_logged_time_reads_in_the_readers_zone(zone, shown):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert moment_display("2026-11-18T10:05:42.838089+00:00") == shown


def test_a_value_that_is_no_time_stays_as_it_is():
    assert moment_display("soon") == "soon"


def test_a_time_field_of_the_log_is_never_shown_raw():
    with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        _, shown = field_display(Project, "archived_at", "2026-12-07T16:07:56.720929+00:00")
    assert shown == "2026-12-08 00:07"
