"""Who carries how many hours, week by week.

Each internal member's assigned, unfinished tasks with an estimate: the estimate
is spread evenly over the task's working days, summed per ISO week and measured
against the member's weekly capacity (scaled by the working days of that week).
Three queries whatever the number of tasks: the members, the totals per person,
then the dated tasks touching the weeks shown as plain values; the spreading is
done here in Python.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Sum
from django.http import QueryDict
from django.utils import timezone

from liaison.core.params import iso_date, positive_int
from liaison.planning.models import Task
from liaison.planning.scheduling import WorkCalendar
from liaison.planning.selectors.plan import work_calendar
from liaison.projects.models import Membership, Project

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MIN_WEEKS, MAX_WEEKS, DEFAULT_WEEKS = 4, 26, 8
WORKING_ROLES = (Membership.Role.MANAGER, Membership.Role.MEMBER)
HIGH_LOAD = Decimal("0.8")  # from 80 % of capacity a week is shown as nearly full
ZERO = Decimal(0)
ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WorkloadFilters:
    """The weeks shown: `start` is a Monday, `weeks` from 4 to 26."""

    start: dt.date
    weeks: int = DEFAULT_WEEKS

    @classmethod
    def from_query(
        cls, query: QueryDict | dict[str, str], today: dt.date | None = None
    ) -> "WorkloadFilters":
        today = today or timezone.localdate()
        start = iso_date(str(query.get("from", ""))) or today
        weeks = positive_int(query.get("weeks"))
        weeks = DEFAULT_WEEKS if weeks is None else min(max(weeks, MIN_WEEKS), MAX_WEEKS)
        return cls(start=monday_of(start), weeks=weeks)

    @property
    def end(self) -> dt.date:
        """The last day shown (a Sunday)."""
        return self.start + ONE_WEEK * self.weeks - ONE_DAY

    def query(self, **changes: object) -> str:
        """This range as a query string, with some values replaced (the week links)."""
        params = {"from": self.start.isoformat(), "weeks": self.weeks, **changes}
        return urlencode(params)

    def shifted(self, weeks: int) -> str:
        return self.query(**{"from": (self.start + ONE_WEEK * weeks).isoformat()})

    @property
    def previous_query(self) -> str:
        return self.shifted(-self.weeks)

    @property
    def next_query(self) -> str:
        return self.shifted(self.weeks)

    @property
    def current_query(self) -> str:
        return self.query(**{"from": monday_of(timezone.localdate()).isoformat()})


@dataclass(frozen=True)
class Week:
    start: dt.date  # Monday
    end: dt.date  # Sunday
    number: int  # ISO week number
    working_days: int

    @property
    def month_day(self) -> str:
        """12-07: the Monday as the column shows it (what `date:"m-d"` wrote)."""
        return f"{self.start:%m-%d}"


@dataclass(frozen=True)
class Load:
    """Hours against capacity for one week (or the sum of every member's), with
    what its cell shows worked out once: a grid has up to 26 × 20 cells."""

    hours: Decimal
    capacity: Decimal
    # "over" (more than the capacity), "high" (from 80 %), "ok" or "none".
    level: str = field(init=False)
    hours_label: str = field(init=False)  # 12.5 or 12
    capacity_label: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", _level(self.hours, self.capacity))
        object.__setattr__(self, "hours_label", _plain(self.hours))
        object.__setattr__(self, "capacity_label", _plain(self.capacity))


def _level(hours: Decimal, capacity: Decimal) -> str:
    if hours <= ZERO:
        return "none"
    if hours > capacity:
        return "over"
    if hours >= capacity * HIGH_LOAD:
        return "high"
    return "ok"


@dataclass(frozen=True)
class MemberLoad:
    membership: Membership  # with its user
    role_label: "StrOrPromise"  # the membership's get_role_display(), looked up once per page
    weeks: list[Load]
    unscheduled: Decimal  # estimated hours of tasks without start and due dates
    task_count: int  # open, estimated tasks of this member, dated or not

    @property
    def total(self) -> Decimal:
        return sum((week.hours for week in self.weeks), ZERO)


@dataclass(frozen=True)
class Workload:
    filters: WorkloadFilters
    weeks: list[Week]
    weekdays: int  # working weekdays of the calendar: a normal week's working days
    rows: list[MemberLoad]
    totals: list[Load]
    unscheduled: Decimal
    has_dated_work: bool  # anyone has estimated, dated work (in these weeks or not)


def _weeks(calendar: WorkCalendar, filters: WorkloadFilters) -> list[Week]:
    weeks = []
    for offset in range(filters.weeks):
        start = filters.start + ONE_WEEK * offset
        end = start + ONE_WEEK - ONE_DAY
        weeks.append(
            Week(
                start=start,
                end=end,
                number=start.isocalendar()[1],
                working_days=_working_days(calendar, start, end),
            )
        )
    return weeks


def _spread(
    calendar: WorkCalendar,
    filters: WorkloadFilters,
    start: dt.date,
    due: dt.date,
    hours: Decimal,
) -> dict[int, Decimal]:
    """The estimate spread evenly over the task's working days: week offset →
    hours, for the weeks shown. A task that lies on days off only (a weekend
    job) is spread over its calendar days instead."""
    working = _working_days(calendar, start, due)
    first, last = max(start, filters.start), min(due, filters.end)
    if first > last:
        return {}
    per_day = hours / (working or (due - start).days + 1)
    spread: dict[int, Decimal] = {}
    # Week by week, counting the days rather than listing them; each day's share is
    # still added one at a time, so the sums are the same to the last digit.
    offset = (first - filters.start).days // 7
    while filters.start + ONE_WEEK * offset <= last:
        monday = filters.start + ONE_WEEK * offset
        week_first, week_last = max(first, monday), min(last, monday + ONE_WEEK - ONE_DAY)
        if working:
            days = _working_days(calendar, week_first, week_last)
        else:
            days = (week_last - week_first).days + 1
        if days:
            share = Decimal()
            for _day in range(days):
                share += per_day
            spread[offset] = share
        offset += 1
    return spread


def _working_days(calendar: WorkCalendar, first: dt.date, last: dt.date) -> int:
    """len(calendar.working_days(first, last)), without listing them."""
    return max(0, calendar.index(last + ONE_DAY) - calendar.index(first))


def _plain(hours: Decimal) -> str:
    """12.5 or 12: what a reader expects, without the template's floatformat per cell."""
    text = f"{hours:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _round(hours: Decimal) -> Decimal:
    return hours.quantize(Decimal("0.1"))


def workload(*, project: Project, filters: WorkloadFilters) -> Workload:
    """Every manager and member of the project, by name, with their hours per week."""
    calendar = work_calendar(project)
    weeks = _weeks(calendar, filters)
    weekdays = len(calendar.weekdays)
    memberships = list(
        Membership.objects.filter(project=project, role__in=WORKING_ROLES)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    by_user = {membership.user_id: membership for membership in memberships}
    open_work = (
        Task.objects.filter(project=project, assignee_id__in=list(by_user), estimate_hours__gt=0)
        .exclude(status=Task.Status.DONE)
        .order_by()
    )
    dated = Q(start_date__isnull=False, due_date__isnull=False, due_date__gte=F("start_date"))
    # Per person in one grouped query: how many tasks, the hours nobody has dated yet.
    per_person = {
        row["assignee_id"]: row
        for row in open_work.values("assignee_id").annotate(
            count=Count("pk"),
            unscheduled=Sum("estimate_hours", filter=~dated),
            dated=Count("pk", filter=dated),
        )
    }
    counts = {pk: row["count"] for pk, row in per_person.items()}
    unscheduled = {pk: row["unscheduled"] or ZERO for pk, row in per_person.items()}
    has_dated_work = any(row["dated"] for row in per_person.values())
    # Only the dated tasks that touch the weeks shown are spread, day by day.
    in_range = open_work.filter(dated, start_date__lte=filters.end, due_date__gte=filters.start)
    hours: dict[int, list[Decimal]] = {pk: [ZERO] * filters.weeks for pk in by_user}
    for task in in_range.values("assignee_id", "start_date", "due_date", "estimate_hours"):
        start, due, estimate = task["start_date"], task["due_date"], task["estimate_hours"]
        assert start is not None and due is not None and estimate is not None  # `dated`, > 0
        spread = _spread(calendar, filters, start, due, estimate)
        for offset, share in spread.items():
            hours[task["assignee_id"]][offset] += share

    rows = []
    role_labels = dict(Membership.Role.choices)
    for membership in memberships:
        weekly = Decimal(membership.capacity_hours)
        loads = [
            Load(
                hours=_round(hours[membership.user_id][index]),
                capacity=_round(weekly * week.working_days / weekdays),
            )
            for index, week in enumerate(weeks)
        ]
        rows.append(
            MemberLoad(
                membership=membership,
                role_label=role_labels[membership.role],
                weeks=loads,
                unscheduled=_round(unscheduled.get(membership.user_id, ZERO)),
                task_count=counts.get(membership.user_id, 0),
            )
        )
    totals = [
        Load(
            hours=sum((row.weeks[index].hours for row in rows), ZERO),
            capacity=sum((row.weeks[index].capacity for row in rows), ZERO),
        )
        for index in range(len(weeks))
    ]
    return Workload(
        filters=filters,
        weeks=weeks,
        weekdays=weekdays,
        rows=rows,
        totals=totals,
        unscheduled=sum((row.unscheduled for row in rows), ZERO),
        has_dated_work=has_dated_work,
    )
