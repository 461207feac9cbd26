"""Reads of the communication plan and how well the team keeps to it.

Adherence is computed from the log: an interaction counts for a plan item when
it is linked to the item, or — linked to no item — when its kind is the item's
channel. For each active item: the last matching interaction, the next due
date, and the last 12 periods (weeks, two-week blocks, calendar months, or the
project's milestones) each kept or missed.
"""

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from liaison.accounts.models import User
from liaison.communication.models import CommunicationPlanItem, Interaction, Kind
from liaison.planning.models import Milestone
from liaison.projects.models import Membership, Project

Frequency = CommunicationPlanItem.Frequency
# A milestone is kept when a matching interaction happened from 7 days before
# its due date to 3 days after.
MILESTONE_BEFORE = dt.timedelta(days=7)
MILESTONE_AFTER = dt.timedelta(days=3)

KEPT = "kept"
MISSED = "missed"
PENDING = "pending"  # the current period, not over yet and nothing held so far
NOT_YET = "not_yet"  # before the item started


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    state: str = NOT_YET
    milestone: str = ""  # per milestone: "M-3 Go-live"

    @property
    def kept(self) -> bool:
        return self.state == KEPT


@dataclass
class PlanRow:
    item: CommunicationPlanItem
    last_at: dt.datetime | None
    next_due: dt.date | None
    overdue: bool
    periods: list[Period] = field(default_factory=list)

    @property
    def kept_count(self) -> int:
        return sum(1 for period in self.periods if period.state == KEPT)

    @property
    def missed_count(self) -> int:
        return sum(1 for period in self.periods if period.state == MISSED)


def plan_items(*, project: Project) -> QuerySet[CommunicationPlanItem]:
    """Every item of the plan, active first, with its owner."""
    return (
        CommunicationPlanItem.objects.filter(project=project)
        .select_related("owner")
        .order_by("-active", "id")
    )


def client_plan_rows(*, project: Project) -> list[dict[str, str]]:
    """The active plan as the client reads it, the items the manager shows them:
    who tells them what, how and how often (one query; the owner's name and
    address only)."""
    rows = (
        CommunicationPlanItem.objects.filter(project=project, active=True, client_visible=True)
        .values("audience", "purpose", "kind", "frequency", "owner__display_name", "owner__email")
        .order_by("id")
    )
    kinds, frequencies = dict(Kind.choices), dict(Frequency.choices)
    return [
        {
            "audience": row["audience"],
            "purpose": row["purpose"],
            "channel": str(kinds.get(row["kind"], row["kind"])),
            "frequency": str(frequencies.get(row["frequency"], row["frequency"])),
            "owner": row["owner__display_name"] or row["owner__email"] or "",
        }
        for row in rows
    ]


# -- calendar arithmetic --------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_first = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_first - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def period_bounds(
    frequency: str, *, today: dt.date, starts_on: dt.date, count: int
) -> list[tuple[dt.date, dt.date]]:
    """The last `count` calendar periods ending with the one holding `today`,
    oldest first. Two-week blocks are counted from the Monday of `starts_on`,
    so a block stays the same block from one week to the next."""
    if frequency == Frequency.WEEKLY:
        current = _monday(today)
        starts = [current - dt.timedelta(weeks=k) for k in range(count - 1, -1, -1)]
        return [(start, start + dt.timedelta(days=6)) for start in starts]
    if frequency == Frequency.BIWEEKLY:
        anchor = _monday(starts_on)
        current = anchor + dt.timedelta(days=14 * ((today - anchor).days // 14))
        starts = [current - dt.timedelta(days=14 * k) for k in range(count - 1, -1, -1)]
        return [(start, start + dt.timedelta(days=13)) for start in starts]
    if frequency == Frequency.MONTHLY:
        current = today.replace(day=1)
        starts = [add_months(current, -k) for k in range(count - 1, -1, -1)]
        return [(start, add_months(start, 1) - dt.timedelta(days=1)) for start in starts]
    raise ValueError(frequency)


def next_due_after(frequency: str, last: dt.date) -> dt.date:
    if frequency == Frequency.WEEKLY:
        return last + dt.timedelta(weeks=1)
    if frequency == Frequency.BIWEEKLY:
        return last + dt.timedelta(weeks=2)
    return add_months(last, 1)


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _any_between(dates: list[dt.date], start: dt.date, end: dt.date) -> bool:
    index = bisect.bisect_left(dates, start)
    return index < len(dates) and dates[index] <= end


# -- adherence -------------------------------------------------------------------


def _matching(project: Project, until: dt.datetime) -> QuerySet[Interaction]:
    """Interactions that count for the plan item in OuterRef: linked to it, or
    linked to nothing and of its kind."""
    return Interaction.objects.filter(
        Q(plan_item=OuterRef("pk")) | Q(plan_item__isnull=True, kind=OuterRef("kind")),
        project=project,
        occurred_at__lt=until,
    ).order_by("-occurred_at")


def _calendar_row(
    item: CommunicationPlanItem,
    last_at: dt.datetime | None,
    dates: list[dt.date],
    *,
    today: dt.date,
    periods: int,
) -> PlanRow:
    if last_at is None:
        next_due = item.starts_on
    else:
        next_due = max(item.starts_on, next_due_after(item.frequency, _local_date(last_at)))
    cells = []
    for start, end in period_bounds(
        item.frequency, today=today, starts_on=item.starts_on, count=periods
    ):
        if end < item.starts_on:
            state = NOT_YET
        elif _any_between(dates, start, end):
            state = KEPT
        elif end >= today:
            state = PENDING
        else:
            state = MISSED
        cells.append(Period(start=start, end=end, state=state))
    return PlanRow(
        item=item, last_at=last_at, next_due=next_due, overdue=next_due < today, periods=cells
    )


def _milestone_row(
    item: CommunicationPlanItem,
    last_at: dt.datetime | None,
    dates: list[dt.date],
    milestones: list[tuple[dt.date, str]],
    *,
    today: dt.date,
    periods: int,
) -> PlanRow:
    """Per milestone: the last `periods` milestones due by today, and the next
    milestone not yet covered (its window still open) as the next due date."""
    past = [m for m in milestones if m[0] <= today][-periods:]
    cells = []
    for due, label in past:
        start, end = due - MILESTONE_BEFORE, due + MILESTONE_AFTER
        if due < item.starts_on:
            state = NOT_YET
        elif _any_between(dates, start, end):
            state = KEPT
        elif end >= today:
            state = PENDING
        else:
            state = MISSED
        cells.append(Period(start=start, end=end, state=state, milestone=label))
    next_due = next(
        (
            due
            for due, _label in milestones
            if due >= item.starts_on
            and due + MILESTONE_AFTER >= today
            and not _any_between(dates, due - MILESTONE_BEFORE, due + MILESTONE_AFTER)
        ),
        None,
    )
    overdue = next_due is not None and next_due < today
    return PlanRow(item=item, last_at=last_at, next_due=next_due, overdue=overdue, periods=cells)


def plan_adherence(
    *, project: Project, periods: int = 12, today: dt.date | None = None
) -> list[PlanRow]:
    """One row per active plan item. Three queries whatever the size: the items
    (with their last matching interaction), the milestones (only when an item
    is per milestone), and the interactions of the periods shown."""
    today = today or timezone.localdate()
    until = _day_start(today + dt.timedelta(days=1))
    matching = _matching(project, until)
    items = list(
        CommunicationPlanItem.objects.filter(project=project, active=True)
        .select_related("owner")
        .annotate(
            last_at=Subquery(matching.values("occurred_at")[:1]),
            last_key=Subquery(matching.values("key")[:1]),
        )
        .order_by("id")
    )
    if not items:
        return []
    milestones: list[tuple[dt.date, str]] = []
    if any(item.frequency == Frequency.PER_MILESTONE for item in items):
        milestones = [
            (due, f"{key} {name}")
            for due, key, name in Milestone.objects.filter(project=project)
            .order_by("due_date", "id")
            .values_list("due_date", "key", "name")
        ]
    # The earliest day any item's strip looks at.
    earliest = today
    for item in items:
        if item.frequency == Frequency.PER_MILESTONE:
            past = [due for due, _label in milestones if due <= today][-periods:]
            if past:
                earliest = min(earliest, past[0] - MILESTONE_BEFORE)
        else:
            bounds = period_bounds(
                item.frequency, today=today, starts_on=item.starts_on, count=periods
            )
            earliest = min(earliest, bounds[0][0])
    linked: dict[int, list[dt.date]] = defaultdict(list)
    by_kind: dict[str, list[dt.date]] = defaultdict(list)
    rows = Interaction.objects.filter(
        project=project, occurred_at__gte=_day_start(earliest), occurred_at__lt=until
    ).values_list("plan_item_id", "kind", "occurred_at")
    # A year of interactions: the zone looked up once, not once a row (localtime()).
    zone = timezone.get_current_timezone()
    for plan_item_id, kind, occurred_at in rows:
        day = occurred_at.astimezone(zone).date()
        (by_kind[kind] if plan_item_id is None else linked[plan_item_id]).append(day)
    result = []
    for item in items:
        dates = sorted(linked[item.pk] + by_kind[item.kind])
        if item.frequency == Frequency.PER_MILESTONE:
            row = _milestone_row(
                item, item.last_at, dates, milestones, today=today, periods=periods
            )
        else:
            row = _calendar_row(item, item.last_at, dates, today=today, periods=periods)
        result.append(row)
    return result


def plan_owners(*, project: Project) -> list[User]:
    """Who may keep a plan item: the project's managers and members."""
    memberships = (
        Membership.objects.filter(
            project=project,
            role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("role", "user__display_name", "user__id")
    )
    return [membership.user for membership in memberships]
