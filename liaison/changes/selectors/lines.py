"""The lines of a change: the new task and milestone dates it proposes, each
checked against the plan."""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from liaison.core.params import is_sane_date
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_LINES = 200  # schedule or milestone lines in one change
# A milestone as milestones_by_key reads it: (pk, key, name, due_date, client_visible, status).
MilestoneRow = tuple[int, str, str, dt.date, bool, str]
# A line as sent, checked to be a dict with a key: (line number, upper-cased key, entry).
Entry = tuple[int, str, dict[str, Any]]


@dataclass(frozen=True)
class ScheduleLine:
    """One task's new dates, checked against the plan."""

    task_id: int
    key: str
    start: dt.date
    due: dt.date
    old_start: dt.date | None
    old_due: dt.date | None
    milestone_id: int | None
    client_visible: bool

    @property
    def was_dated(self) -> bool:
        return self.old_start is not None and self.old_due is not None

    def as_json(self) -> dict[str, str]:
        return {"task": self.key, "start": self.start.isoformat(), "due": self.due.isoformat()}


@dataclass(frozen=True)
class MilestoneLine:
    milestone_id: int
    key: str
    due: dt.date
    old_due: dt.date

    def as_json(self) -> dict[str, str]:
        return {"milestone": self.key, "due": self.due.isoformat()}


def _refuse(message: "StrOrPromise", line: int, field_name: str, **params: object) -> InvalidInput:
    return InvalidInput(
        _("Line %(line)s: %(problem)s") % {"line": line, "problem": message % params},
        field=field_name,
    )


def _line_date(value: object, line: int, field_name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise _refuse(
                _("“%(value)s” is not a date (write it as 2026-10-01)."),
                line,
                field_name,
                value=value,
            ) from None
    if not is_sane_date(value):
        raise _refuse(_("%(value)s is out of range."), line, field_name, value=value)
    return value


def _entries(entries: object, field_name: str, name: str) -> list[Entry]:
    """(line number, upper-cased key, entry) for each entry; dicts only, no repeats."""
    if not isinstance(entries, list | tuple):
        raise InvalidInput(_("Give a list of lines."), field=field_name)
    if len(entries) > MAX_LINES:
        raise InvalidInput(_("At most 200 lines."), field=field_name)
    seen: set[str] = set()
    cleaned: list[Entry] = []
    for line, entry in enumerate(entries, start=1):
        key = str(entry.get(name) or "").strip().upper() if isinstance(entry, dict) else ""
        if not key:
            raise _refuse(_("say which one (a key such as T-12 or M-2)."), line, field_name)
        if key in seen:
            raise _refuse(_("%(key)s is listed twice."), line, field_name, key=key)
        seen.add(key)
        cleaned.append((line, key, entry))
    return cleaned


def schedule_lines(project: Project, entries: object) -> list[ScheduleLine]:
    """[{"task": "T-12", "start": "2026-12-01", "due": "2026-12-09"}, …] checked:
    tasks of this project, each once, sane dates, due not before start. One query."""
    entries = _entries(entries, "schedule_changes", "task")
    if not entries:
        return []
    tasks = {
        row[1]: row
        for row in Task.objects.filter(project=project, key__in=[key for _, key, _ in entries])
        .values_list("pk", "key", "start_date", "due_date", "milestone_id", "client_visible")
        .order_by()
    }
    lines = []
    for line, key, entry in entries:
        if key not in tasks:
            raise _refuse(
                _("%(key)s is not a task of this project."), line, "schedule_changes", key=key
            )
        start = _line_date(entry.get("start"), line, "schedule_changes")
        due = _line_date(entry.get("due"), line, "schedule_changes")
        if due < start:
            raise _refuse(
                _("the due date of %(key)s is before its start."), line, "schedule_changes", key=key
            )
        pk, _key, old_start, old_due, milestone_id, visible = tasks[key]
        lines.append(ScheduleLine(pk, key, start, due, old_start, old_due, milestone_id, visible))
    return lines


def _milestone_lines(
    entries: list[Entry], milestones: dict[str, MilestoneRow]
) -> list[MilestoneLine]:
    lines = []
    for line, key, entry in entries:
        if key not in milestones:
            raise _refuse(
                _("%(key)s is not a milestone of this project."),
                line,
                "milestone_changes",
                key=key,
            )
        due = _line_date(entry.get("due"), line, "milestone_changes")
        pk, old_due = milestones[key][0], milestones[key][3]
        lines.append(MilestoneLine(pk, key, due, old_due))
    return lines


def milestones_by_key(project: Project) -> dict[str, MilestoneRow]:
    """key → (pk, key, name, due_date, client_visible, status): a plan has tens of
    milestones."""
    rows = Milestone.objects.filter(project=project).values_list(
        "pk", "key", "name", "due_date", "client_visible", "status"
    )
    return {row[1]: row for row in rows.order_by()}


def milestone_lines(
    project: Project, entries: object, milestones: dict[str, MilestoneRow] | None = None
) -> list[MilestoneLine]:
    """[{"milestone": "M-2", "due": "2027-01-15"}, …] checked like schedule_lines;
    against `milestones` (milestones_by_key's) when the caller has read them."""
    entries = _entries(entries, "milestone_changes", "milestone")
    if not entries:
        return []
    return _milestone_lines(
        entries, milestones_by_key(project) if milestones is None else milestones
    )
