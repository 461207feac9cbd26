"""Reads of status reports, and the facts a report shows for its period.

`report_facts` is what a report says besides the manager's narrative: the
values of every section the features register (core.registry.ReportSection),
in a fixed number of queries (a dozen with today's four sections) whatever the
size of the project.
"""

import copy
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from liaison.core.params import MAX_ID
from liaison.core.registry import ReportSection, registry
from liaison.core.reporting import day_start, worst
from liaison.projects.access import CLIENT, Audience
from liaison.projects.models import Project
from liaison.reports.models import StatusReport

# The narrative and the frozen facts: a list never shows them.
LONG_COLUMNS = ("data", "summary", "next_steps", "concerns", "acknowledgement")
Health = StatusReport.Health


# -- reports --------------------------------------------------------------------------


def report_list(*, project: Project, audience: Audience) -> QuerySet[StatusReport]:
    """Newest period first; a client never sees drafts."""
    return (
        StatusReport.objects.for_audience(audience)
        .filter(project=project)
        .select_related("published_by", "acknowledged_by")
        .defer(*LONG_COLUMNS)
        .order_by("-period_start", "-number")
    )


def report_get(*, project: Project, audience: Audience, number: int) -> StatusReport:
    if not 0 < number <= MAX_ID:  # a number no row can have (and no column can hold)
        raise Http404
    report = (
        StatusReport.objects.for_audience(audience)
        .filter(project=project, number=number)
        .select_related("project", "published_by", "acknowledged_by")
        .first()
    )
    if report is None:
        raise Http404
    return report


# -- the facts of a period --------------------------------------------------------------


@dataclass(frozen=True)
class ReportFacts:
    """Everything a report shows besides the narrative: the values of the
    sections, in one flat dict (lists of plain dicts, dates as dates), read as
    `facts["tasks_done"]`. `as_json` is what a published report freezes: that
    dict with the period and the suggested health, the same shape whatever the
    sections."""

    period_start: dt.date
    period_end: dt.date
    # Every registered section's values (a value a report did not freeze reads as
    # its default).
    values: dict[str, Any] = field(default_factory=dict)
    suggested_health: str = Health.GREEN
    # The sections the report shows, by name: every registered one for live
    # facts; of frozen ones, those the report was published with.
    sections: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
        }
        for section in registry.report_sections:
            for name in section.defaults:
                data[name] = _converted(section, name, self.values[name], _iso)
        data["suggested_health"] = self.suggested_health
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ReportFacts":
        """Facts frozen by any version: a value it did not freeze reads as its
        section's default; a key no section gives is dropped. A section none of
        whose values were frozen (added since) is not one of the report's."""
        values: dict[str, Any] = {}
        held = []
        for section in registry.report_sections:
            if any(name in data for name in section.defaults):
                held.append(section.name)
            for name, default in section.defaults.items():
                value = data[name] if name in data else copy.deepcopy(default)
                values[name] = _converted(section, name, value, _parse_date)
        return cls(
            period_start=dt.date.fromisoformat(data["period_start"]),
            period_end=dt.date.fromisoformat(data["period_end"]),
            values=values,
            suggested_health=data.get("suggested_health", Health.GREEN),
            sections=tuple(held),
        )

    def shown_sections(self) -> list[ReportSection]:
        """The sections a report of these facts shows, in order."""
        return [section for section in registry.report_sections if section.name in self.sections]

    def section_values(self, section: ReportSection) -> dict[str, Any]:
        """One section's values."""
        return {name: self.values[name] for name in section.defaults}


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _parse_date(value: object) -> object:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value


def _converted(
    section: ReportSection, name: str, value: Any, convert: Callable[[object], object]
) -> Any:
    """A value with the dates of its rows converted (JSON holds ISO strings)."""
    keys = section.date_keys.get(name)
    if not keys:
        return value
    return [{key: convert(v) if key in keys else v for key, v in row.items()} for row in value]


def suggested_health(levels: Iterable[str]) -> str:
    """The worst of what the sections suggest: red, amber or green."""
    return worst(levels)


def report_facts(*, project: Project, start: dt.date, end: dt.date) -> ReportFacts:
    """The facts of the days start..end (inclusive), in the manager's time zone.
    Everything shown counts or names only what the client can see (the plan's
    progress is of all the work); "overdue" is as of the period's end, or now
    for the current period. Each section runs a fixed number of queries."""
    with timezone.override(project_zone(project)):
        return _facts(project, start, end)


def project_zone(project: Project) -> str:
    """The days of a report are the manager's: the same figures whoever looks,
    and whenever the job drafts it."""
    manager = project.manager
    return (manager.time_zone if manager else "") or settings.TIME_ZONE


def _facts(project: Project, start: dt.date, end: dt.date) -> ReportFacts:
    # A report of a past period counts what was late at its end, not today.
    moment = min(timezone.now(), day_start(end + dt.timedelta(1)))
    values: dict[str, Any] = {}
    levels = []
    for section in registry.report_sections:
        said = section.facts(project, start, end, moment)
        if said.values.keys() != section.defaults.keys():  # what it freezes is what it reads
            raise ValueError(
                f"The report section {section.name} gives {sorted(said.values)}; "
                f"its defaults name {sorted(section.defaults)}."
            )
        values.update(said.values)
        levels.append(said.health)
    return ReportFacts(
        period_start=start,
        period_end=end,
        values=values,
        suggested_health=suggested_health(levels),
        sections=tuple(section.name for section in registry.report_sections),
    )


def report_facts_for(report: StatusReport) -> ReportFacts:
    """A published report's frozen facts; a draft's, live."""
    if not report.is_draft and report.data:
        return ReportFacts.from_json(report.data)
    return report_facts(project=report.project, start=report.period_start, end=report.period_end)


def latest_client_report(*, project: Project) -> StatusReport | None:
    """The newest report the client may read, with the manager's concerns (the
    reason they give for its health): the portal's overview (one query)."""
    return (
        StatusReport.objects.for_audience(CLIENT)
        .filter(project=project)
        .defer("data", "summary", "next_steps", "acknowledgement")
        .order_by("-period_start", "-number")
        .first()
    )
