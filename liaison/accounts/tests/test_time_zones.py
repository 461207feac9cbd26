"""The settings' time-zone menu: common zones first by everyday names in the
reader's language, then every zone grouped by region with its offset."""

import sys
import zoneinfo

import time_machine
from django.utils import translation

from conftest import NOW
from liaison.accounts.forms import SettingsForm
from liaison.accounts.time_zones import time_zone_choices


def _values(choices):
    return [zone for _group, items in choices for zone, _label in items]


def test_every_zone_is_offered_once():
    values = _values(time_zone_choices())
    assert sorted(values) == sorted(zoneinfo.available_timezones())


@time_machine.travel(NOW, tick=False)
def test_common_zones_come_first_named_in_chinese():
    with translation.override("zh-hans"):
        group, items = time_zone_choices()[0]
        regions = [name for name, _items in time_zone_choices()[1:]]
    assert group == "常用"
    assert items[0] == ("Asia/Shanghai", "(UTC+08:00) 中国标准时间（北京）")
    assert "亚洲" in regions and "欧洲" in regions


@time_machine.travel(NOW, tick=False)
def test_other_zones_fall_back_to_their_place_in_their_region():
    choices = dict(
        time_zone_choices({"Asia/Shanghai", "America/Argentina/Buenos_Aires", "Etc/GMT-3"})
    )
    assert choices["Americas"] == [
        ("America/Argentina/Buenos_Aires", "(UTC-03:00) Argentina / Buenos Aires")
    ]
    assert choices["Other"] == [("Etc/GMT-3", "(UTC+03:00) Etc/GMT-3")]


def test_the_menu_reads_the_zone_files_once_per_process():
    """Each settings page builds the menu: after the first, no file is opened
    (an audit hook sees every open; it stays installed, so it records only here)."""
    opened: list[str] = []
    recording = False

    def record(event, args):
        if recording and event == "open":
            opened.append(str(args[0]))

    time_zone_choices()
    sys.addaudithook(record)
    recording = True
    time_zone_choices()
    recording = False
    assert opened == []


def test_the_form_accepts_a_zone_from_a_group():
    form = SettingsForm(
        {"display_name": "Li", "language": "zh-hans", "time_zone": "Asia/Kolkata", "version": 1}
    )
    assert form.is_valid(), form.errors
