"""The impact a change would have on the plan if it were approved: the tasks it
moves (with those they push), the milestones and the finish that move."""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from liaison.changes.models import ChangeRequest
from liaison.changes.selectors.lines import (
    MilestoneLine,
    MilestoneRow,
    ScheduleLine,
    milestone_lines,
    milestones_by_key,
    schedule_lines,
)
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.planning.scheduling import CycleError, Item, Shift, WorkCalendar, preview_changes
from liaison.planning.selectors.plan import loop_message, plan_links, work_calendar
from liaison.projects.access import Audience
from liaison.projects.models import Project

MAX_MOVES = 200  # moves listed (and frozen) in an impact; the rest are counted


@dataclass(frozen=True)
class ImpactMove:
    """A task the change moves: one of its own lines (direct) or pushed by them."""

    key: str
    title: str
    old_start: dt.date | None  # None: the change dates a task that had no dates
    old_due: dt.date | None
    new_start: dt.date
    new_due: dt.date
    direct: bool
    client_visible: bool = False


@dataclass(frozen=True)
class MilestoneImpact:
    key: str
    name: str
    due: dt.date
    new_due: dt.date | None  # None: the change leaves the due date alone
    finish_before: dt.date | None  # the milestone's latest task finish, now
    finish_after: dt.date | None  # … and once the change is applied
    late: bool  # the latest task finishes after the (new) due date
    client_visible: bool = False
    # The client already accepted the milestone: the change moves work (or the
    # date) of something signed off, which the team and the client must see.
    accepted: bool = False


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _day(value: str) -> dt.date:
    """A date the frozen impact always holds."""
    return dt.date.fromisoformat(value)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _decimal(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


@dataclass(frozen=True)
class ChangeImpact:
    moves: list[ImpactMove]  # direct changes first, then pushed tasks by new start; capped
    moved_count: int  # every moved task, beyond the cap too
    milestones: list[MilestoneImpact]
    finish_before: dt.date | None  # the project's last task finish, now
    finish_after: dt.date | None
    slip_days: int  # working days the finish moves (positive: later)
    effort_hours: Decimal | None
    cost: Decimal | None
    client_moved_count: int = 0  # of the moved tasks, those the client sees
    milestones_late: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "milestones_late", sum(m.late for m in self.milestones))

    @property
    def accepted_milestones(self) -> list[MilestoneImpact]:
        """The milestones already accepted whose work or date the change moves."""
        return [m for m in self.milestones if m.accepted]

    @property
    def unlisted_count(self) -> int:
        """Moved tasks the list leaves out (beyond the cap, or hidden from the client)."""
        return self.moved_count - len(self.moves)

    @property
    def direct_count(self) -> int:
        """The listed tasks the change dates itself."""
        return sum(1 for move in self.moves if move.direct)

    @property
    def pushed_count(self) -> int:
        """The tasks the plan pushes to respect the dependencies."""
        return max(self.moved_count - self.direct_count, 0)

    @property
    def shift(self) -> int:
        """How many working days the finish moves, either way."""
        return abs(self.slip_days)

    def as_json(self) -> dict[str, Any]:
        """What is frozen in change.impact when the change goes to the client."""
        return {
            "moves": [
                {
                    "key": m.key,
                    "title": m.title,
                    "old_start": _iso(m.old_start),
                    "old_due": _iso(m.old_due),
                    "new_start": _iso(m.new_start),
                    "new_due": _iso(m.new_due),
                    "direct": m.direct,
                    "client_visible": m.client_visible,
                }
                for m in self.moves
            ],
            "moved_count": self.moved_count,
            "client_moved_count": self.client_moved_count,
            "milestones": [
                {
                    "key": m.key,
                    "name": m.name,
                    "due": _iso(m.due),
                    "new_due": _iso(m.new_due),
                    "finish_before": _iso(m.finish_before),
                    "finish_after": _iso(m.finish_after),
                    "late": m.late,
                    "client_visible": m.client_visible,
                    "accepted": m.accepted,
                }
                for m in self.milestones
            ],
            "finish_before": _iso(self.finish_before),
            "finish_after": _iso(self.finish_after),
            "slip_days": self.slip_days,
            "effort_hours": None if self.effort_hours is None else str(self.effort_hours),
            "cost": None if self.cost is None else str(self.cost),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ChangeImpact":
        moves = [
            ImpactMove(
                key=m["key"],
                title=m["title"],
                old_start=_date(m["old_start"]),
                old_due=_date(m["old_due"]),
                new_start=_day(m["new_start"]),
                new_due=_day(m["new_due"]),
                direct=m["direct"],
                client_visible=m.get("client_visible", False),
            )
            for m in data.get("moves", ())
        ]
        milestones = [
            MilestoneImpact(
                key=m["key"],
                name=m["name"],
                due=_day(m["due"]),
                new_due=_date(m["new_due"]),
                finish_before=_date(m["finish_before"]),
                finish_after=_date(m["finish_after"]),
                late=m["late"],
                client_visible=m.get("client_visible", False),
                accepted=m.get("accepted", False),
            )
            for m in data.get("milestones", ())
        ]
        return cls(
            moves=moves,
            moved_count=data.get("moved_count", len(moves)),
            client_moved_count=data.get("client_moved_count", 0),
            milestones=milestones,
            finish_before=_date(data.get("finish_before")),
            finish_after=_date(data.get("finish_after")),
            slip_days=data.get("slip_days", 0),
            effort_hours=_decimal(data.get("effort_hours")),
            cost=_decimal(data.get("cost")),
        )

    def for_client(self, *, cost_visible: bool) -> "ChangeImpact":
        """What the client may read: their tasks and milestones, the cost if shared."""
        return replace(
            self,
            moves=[m for m in self.moves if m.client_visible],
            moved_count=self.client_moved_count,
            milestones=[m for m in self.milestones if m.client_visible],
            cost=self.cost if cost_visible else None,
        )


def change_impact(
    *,
    change: ChangeRequest,
    schedule_changes: list[dict[str, Any]] | None = None,
    milestone_changes: list[dict[str, Any]] | None = None,
    assessed: tuple[Decimal | None, Decimal | None] | None = None,
) -> ChangeImpact:
    """What approving the change would do to the plan, saving nothing: its own
    new dates, the tasks they push, the milestones and the finish that move.
    Lines given here preview unsaved ones; else the change's own are used.
    `assessed` (effort, cost) previews an unsaved effort and cost likewise.

    At most six queries whatever the plan's size. Refuses (InvalidInput) what
    approving would refuse: unknown keys, bad dates, a start the predecessors
    forbid, a dependency loop."""
    project = change.project
    lines = schedule_lines(
        project, change.schedule_changes if schedule_changes is None else schedule_changes
    )
    milestones = milestones_by_key(project)
    milestone_entries = change.milestone_changes if milestone_changes is None else milestone_changes
    due_lines = milestone_lines(project, milestone_entries, milestones)
    items, facts = _plan(project, lines)
    calendar = work_calendar(project)
    diff = _preview(project, items, calendar, lines)
    moves, titles = _ordered_moves(lines, diff)
    before, after = _finishes(items, diff)
    finish_before = max(before.values(), default=None)
    finish_after = max(after.values(), default=None)
    slip = (
        calendar.index(finish_after) - calendar.index(finish_before)
        if finish_before and finish_after
        else 0
    )
    direct = {line.task_id for line in lines}
    undated = {line.task_id for line in lines if not line.was_dated}
    return ChangeImpact(
        moves=[
            ImpactMove(
                key=titles[pk][0],
                title=titles[pk][1],
                old_start=None if pk in undated else diff[pk][0].start,
                old_due=None if pk in undated else diff[pk][0].finish,
                new_start=diff[pk][1].start,
                new_due=diff[pk][1].finish,
                direct=pk in direct,
                client_visible=facts[pk][1],
            )
            for pk in moves
        ],
        moved_count=len(diff),
        client_moved_count=sum(1 for pk in diff if facts[pk][1]),
        milestones=_milestone_impacts(milestones, due_lines, diff, facts, before, after),
        finish_before=finish_before,
        finish_after=finish_after,
        slip_days=slip,
        effort_hours=change.effort_hours if assessed is None else assessed[0],
        cost=change.cost if assessed is None else assessed[1],
    )


def _plan(
    project: Project, lines: list[ScheduleLine]
) -> tuple[dict[int, Item], dict[int, tuple[int | None, bool]]]:
    """The dated tasks as the scheduler takes them, and each one's milestone and
    visibility (tasks the change dates for the first time included), in one query."""
    rows = Task.objects.filter(
        project=project, start_date__isnull=False, due_date__isnull=False
    ).values_list("pk", "start_date", "due_date", "milestone_id", "client_visible")
    items: dict[int, Item] = {}
    facts: dict[int, tuple[int | None, bool]] = {}
    for pk, start, due, milestone_id, visible in rows.order_by():
        assert start is not None and due is not None  # the query takes dated tasks
        items[pk] = Item(pk, start, due)
        facts[pk] = (milestone_id, visible)
    facts.update({line.task_id: (line.milestone_id, line.client_visible) for line in lines})
    return items, facts


def _finishes(
    items: dict[int, Item], diff: dict[int, tuple[Shift, Shift]]
) -> tuple[dict[int, dt.date], dict[int, dt.date]]:
    """Task id → its finish before the change, and after it (where the tasks the
    change dates for the first time appear)."""
    before = {pk: diff[pk][0].finish if pk in diff else item.finish for pk, item in items.items()}
    moved = {pk: slots[1].finish for pk, slots in diff.items()}
    after = {pk: item.finish for pk, item in items.items()} | moved
    return before, after


def _preview(
    project: Project, items: dict[int, Item], calendar: WorkCalendar, lines: list[ScheduleLine]
) -> dict[int, tuple[Shift, Shift]]:
    """The scheduler's before and after for every task that moves; refused as
    approving would refuse."""
    changes = {line.task_id: (line.start, line.due) for line in lines}
    try:
        diff = preview_changes(items.values(), plan_links(project), calendar, changes=changes)
    except CycleError as loop:
        raise InvalidInput(
            loop_message(loop.cycle), field="schedule_changes", code="dependency_cycle"
        ) from loop
    except (OverflowError, ValueError) as overflow:
        raise InvalidInput(
            _("This would push tasks beyond the year 9999."),
            field="schedule_changes",
            code="date_overflow",
        ) from overflow
    for line in lines:
        # Not among the moves: the plan put it back where it is now.
        slots = diff.get(line.task_id)
        earliest = slots[1].start if slots else items[line.task_id].start
        if earliest != line.start:
            raise InvalidInput(
                _(
                    "%(task)s cannot start on %(start)s: the tasks it depends on finish later. "
                    "The earliest it can start is %(earliest)s."
                )
                % {
                    "task": line.key,
                    "start": line.start.isoformat(),
                    "earliest": earliest.isoformat(),
                },
                field="schedule_changes",
                code="dependency_violated",
            )
    return diff


def _ordered_moves(
    lines: list[ScheduleLine], diff: dict[int, tuple[Shift, Shift]]
) -> tuple[list[int], dict[int, tuple[str, str]]]:
    """The moves to list: the change's own lines in their order, then the pushed
    tasks by new start; with their keys and titles (one query, capped)."""
    direct = [line.task_id for line in lines if line.task_id in diff]
    pushed = sorted(set(diff) - set(direct), key=lambda pk: (diff[pk][1].start, pk))
    listed = [*direct, *pushed][:MAX_MOVES]
    if not listed:
        return [], {}
    titles = {
        pk: (key, title)
        for pk, key, title in Task.objects.filter(pk__in=listed)
        .values_list("pk", "key", "title")
        .order_by()
    }
    return listed, titles


def _milestone_impacts(
    milestones: dict[str, MilestoneRow],
    due_lines: list[MilestoneLine],
    diff: dict[int, tuple[Shift, Shift]],
    facts: dict[int, tuple[int | None, bool]],
    before: dict[int, dt.date],
    after: dict[int, dt.date],
) -> list[MilestoneImpact]:
    """The milestones whose tasks move or whose due date changes."""
    new_due = {line.milestone_id: line.due for line in due_lines}
    touched = {facts[pk][0] for pk in diff} | set(new_due)
    touched.discard(None)
    latest_before: dict[int, dt.date] = {}
    latest_after: dict[int, dt.date] = {}
    for pk, (milestone_id, _visible) in facts.items():
        if milestone_id is not None and milestone_id in touched:
            for latest, finishes in ((latest_before, before), (latest_after, after)):
                if pk in finishes:  # a task dated by the change has no finish before it
                    latest[milestone_id] = max(finishes[pk], latest.get(milestone_id, finishes[pk]))
    impacts = []
    for pk, key, name, due, visible, status in milestones.values():
        if pk not in touched:
            continue
        changed_due = new_due.get(pk)
        finish_after = latest_after.get(pk)
        impacts.append(
            MilestoneImpact(
                key=key,
                name=name,
                due=due,
                new_due=changed_due if changed_due != due else None,
                finish_before=latest_before.get(pk),
                finish_after=finish_after,
                late=finish_after is not None and finish_after > (changed_due or due),
                client_visible=visible,
                accepted=status == Milestone.Status.ACCEPTED,
            )
        )
    return sorted(impacts, key=lambda m: (m.new_due or m.due, m.key))


def change_impact_for_audience(change: ChangeRequest, audience: Audience) -> ChangeImpact | None:
    """The impact a page shows. The client reads what was frozen when the change
    was sent to them (nothing before), their tasks only, the cost if shared. The
    team reads it live while the change can still be edited, frozen after.
    A live impact raises InvalidInput when the lines no longer fit the plan."""
    if audience.is_client:
        if change.sent_at is None or not change.impact:
            return None
        return ChangeImpact.from_json(change.impact).for_client(cost_visible=change.cost_visible)
    if change.is_editable:
        return change_impact(change=change)
    return ChangeImpact.from_json(change.impact) if change.impact else None
