"""The time-zone menu of a person's settings, in the reader's language: the
zones most people here choose first, by their everyday names, then every other
zone grouped by region, each with its offset now (the IANA place name stands
for the zones without a name of their own). Python has no CLDR names of zones
(babel is not a dependency), so the common ones are named here."""

import datetime as dt
import functools
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from liaison.core.templatetags.liaison import utc_offset

Choices = list[tuple[str, list[tuple[str, str]]]]


def _common() -> list[tuple[str, str]]:
    """(zone, everyday name), the people using Liaison's most likely first."""
    return [
        ("Asia/Shanghai", _("China Standard Time (Beijing)")),
        ("Asia/Hong_Kong", _("Hong Kong Time")),
        ("Asia/Taipei", _("Taipei Time")),
        ("Asia/Singapore", _("Singapore Time")),
        ("Asia/Tokyo", _("Japan Standard Time (Tokyo)")),
        ("Asia/Seoul", _("Korea Standard Time (Seoul)")),
        ("Asia/Kolkata", _("India Standard Time (Kolkata)")),
        ("Asia/Dubai", _("Gulf Standard Time (Dubai)")),
        ("Europe/Moscow", _("Moscow Time")),
        ("Europe/Berlin", _("Central European Time (Berlin)")),
        ("Europe/Paris", _("Central European Time (Paris)")),
        ("Europe/London", _("UK Time (London)")),
        ("America/New_York", _("Eastern Time (New York)")),
        ("America/Chicago", _("Central Time (Chicago)")),
        ("America/Denver", _("Mountain Time (Denver)")),
        ("America/Los_Angeles", _("Pacific Time (Los Angeles)")),
        ("Australia/Sydney", _("Australian Eastern Time (Sydney)")),
        ("UTC", _("Coordinated Universal Time (UTC)")),
    ]


def _regions() -> dict[str, str]:
    """The IANA name's first part and the region it names."""
    return {
        "Asia": _("Asia"),
        "Europe": _("Europe"),
        "America": _("Americas"),
        "Africa": _("Africa"),
        "Australia": _("Australia"),
        "Pacific": _("Pacific"),
        "Indian": _("Indian Ocean"),
        "Atlantic": _("Atlantic"),
        "Antarctica": _("Antarctica"),
    }


@functools.cache
def _zones() -> dict[str, zoneinfo.ZoneInfo]:
    """Every zone, read once per process. ZoneInfo keeps only a few zones alive:
    the menu read some 600 zone files again, and listed their folder, on every
    settings page (over 100 ms; 10 ms with the zones kept)."""
    return {zone: zoneinfo.ZoneInfo(zone) for zone in zoneinfo.available_timezones()}


def _label(zone: str, name: str, now: dt.datetime) -> str:
    offset = utc_offset(now.astimezone(_zones().get(zone) or zoneinfo.ZoneInfo(zone)))
    return f"({offset}) {name}"


def _place(zone: str) -> str:
    """ "America/Argentina/Buenos_Aires" → "Argentina / Buenos Aires"."""
    return " / ".join(zone.split("/")[1:] or [zone]).replace("_", " ")


def time_zone_choices(zones: set[str] | None = None) -> Choices:
    """The grouped choices of a time-zone <select>, common zones first."""
    zones = zones if zones is not None else set(_zones())
    now = timezone.now()
    common = [(zone, _label(zone, name, now)) for zone, name in _common() if zone in zones]
    regions = _regions()
    grouped: dict[str, list[tuple[str, str]]] = {region: [] for region in regions}
    other: list[tuple[str, str]] = []
    taken = {zone for zone, _name in common}
    for zone in sorted(zones - taken):
        region = zone.split("/", 1)[0]
        if region in grouped and "/" in zone:
            grouped[region].append((zone, _label(zone, _place(zone), now)))
        else:
            other.append((zone, _label(zone, zone, now)))
    choices: Choices = [(pgettext("time zones", "Common"), common)]
    choices += [(regions[region], items) for region, items in grouped.items() if items]
    if other:
        choices.append((pgettext("time zones", "Other"), other))
    return choices
