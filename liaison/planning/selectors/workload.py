"""Who carries how many hours, week by week.

Each person's assigned, unfinished tasks with an estimate, in every open project
of the organization: the estimate is spread evenly over the task's working days
(its own project's calendar), summed per ISO week and measured against the
person's capacity (projects.Capacity: their hours per week over their working
days, less their time off). A project's workload shows its own hours and, greyed,
those of the person's other projects, counted against the same capacity.
A fixed number of queries whatever the number of tasks (`person_weeks`: four);
the spreading is done here in Python.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import QueryDict
from django.utils import timezone

from liaison.core.params import iso_date, positive_int
from liaison.planning.models import Task
from liaison.planning.scheduling import WorkCalendar
from liaison.planning.selectors.plan import work_calendar
from liaison.projects.models import (
    DEFAULT_HOURS,
    DEFAULT_WEEKDAYS,
    Capacity,
    Membership,
    Project,
    TimeOff,
)

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

    hours: Decimal  # in this project
    capacity: Decimal
    other: Decimal = ZERO  # the same person's hours in the organization's other projects
    # "over" (more than the capacity), "high" (from 80 %), "ok" or "none": all
    # their hours, this project's and the others', against their capacity.
    level: str = field(init=False)
    hours_label: str = field(init=False)  # 12.5 or 12
    capacity_label: str = field(init=False)
    other_label: str = field(init=False)
    total_label: str = field(init=False)

    def __post_init__(self) -> None:
        total = self.hours + self.other
        object.__setattr__(self, "level", load_level(total, self.capacity))
        object.__setattr__(self, "hours_label", plain_hours(self.hours))
        object.__setattr__(self, "capacity_label", plain_hours(self.capacity))
        object.__setattr__(self, "other_label", plain_hours(self.other) if self.other else "")
        object.__setattr__(self, "total_label", plain_hours(total))


def load_level(hours: Decimal, capacity: Decimal) -> str:
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
    capacity: int  # the person's hours per week (projects.Capacity)
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
    return [
        Week(
            start=start,
            end=start + ONE_WEEK - ONE_DAY,
            number=start.isocalendar()[1],
            working_days=working_days,
        )
        for start, working_days in zip(
            _mondays(filters), _week_working_days(calendar, filters), strict=True
        )
    ]


def _mondays(filters: WorkloadFilters) -> list[dt.date]:
    return [filters.start + ONE_WEEK * offset for offset in range(filters.weeks)]


def _week_working_days(calendar: WorkCalendar, filters: WorkloadFilters) -> list[int]:
    """The calendar's working days in each week shown: counted once per calendar
    and reused for every task and person on it (the people view has thousands)."""
    return [
        _working_days(calendar, monday, monday + ONE_WEEK - ONE_DAY) for monday in _mondays(filters)
    ]


def _spread(
    calendar: WorkCalendar,
    whole_weeks: list[int],
    filters: WorkloadFilters,
    start: dt.date,
    due: dt.date,
    hours: Decimal,
) -> dict[int, Decimal]:
    """The estimate spread evenly over the task's working days: week offset →
    hours, for the weeks shown. A task that lies on days off only (a weekend
    job) is spread over its calendar days instead. `whole_weeks`: the calendar's
    `_week_working_days`, for the weeks the task spans from Monday to Sunday."""
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
        sunday = monday + ONE_WEEK - ONE_DAY
        week_first, week_last = max(first, monday), min(last, sunday)
        if not working:
            days = (week_last - week_first).days + 1
        elif week_first == monday and week_last == sunday:
            days = whole_weeks[offset]
        else:
            days = _working_days(calendar, week_first, week_last)
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


def plain_hours(hours: Decimal) -> str:
    """12.5 or 12: what a reader expects, without the template's floatformat per cell."""
    text = f"{hours:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _round(hours: Decimal) -> Decimal:
    return hours.quantize(Decimal("0.1"))


# -- a person's weeks across the organization's projects ---------------------------


@dataclass(slots=True)
class PersonWeeks:
    """One person's weeks: their capacity (less time off) and their hours per
    project, each a list with one value per week shown."""

    hours_per_week: int
    capacity: list[Decimal]
    days_off: list[int]  # working days of time off in each week
    hours: dict[int, list[Decimal]]  # project id → hours per week
    # Hours per week across the projects, kept as `hours` is filled: the people
    # view reads each week's total twelve times per person.
    totals: list[Decimal]

    def total(self, index: int) -> Decimal:
        return self.totals[index]

    def of(self, project_id: int, index: int) -> Decimal:
        weeks = self.hours.get(project_id)
        return weeks[index] if weeks else ZERO


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + ONE_DAY * n for n in range((last - first).days + 1)]


def _usual_weeks(weekdays: str, filters: WorkloadFilters) -> tuple[frozenset[int], list[int]]:
    """A set of working weekdays ("01234") and how many fall in each week shown."""
    days = frozenset(int(day) for day in weekdays)
    return days, _week_working_days(WorkCalendar(weekdays=days), filters)


def _person_capacity(
    filters: WorkloadFilters,
    hours: int,
    usual: tuple[frozenset[int], list[int]],
    away: list[tuple[dt.date, dt.date]],
) -> tuple[list[Decimal], list[int]]:
    """Hours per week over the person's working days (`usual`: the weekdays and
    their count per week), less the days they are away."""
    days, usual_weeks = usual
    # Only the days off within the weeks shown matter: a year's leave is 366 dates at most.
    off = frozenset(
        day
        for first, last in away
        for day in _days(max(first, filters.start), min(last, filters.end))
    )
    weeks = (
        _week_working_days(WorkCalendar(weekdays=days, holidays=off), filters)
        if off
        else usual_weeks
    )
    capacity = [_round(Decimal(hours) * working / len(days)) for working in weeks]
    days_off = [normal - working for normal, working in zip(usual_weeks, weeks, strict=True)]
    return capacity, days_off


def person_weeks(
    *,
    organization_id: int,
    user_ids: list[int],
    filters: WorkloadFilters,
    project_id: int | None = None,
) -> dict[int, PersonWeeks]:
    """Each person's capacity and hours per project and week, over every open
    (unarchived) project of the organization, and `project_id`'s even once
    archived (its own workload page). Four queries: the capacities, the
    time off, the dated open tasks touching the weeks, the calendars of their
    projects."""
    capacities = {
        user_id: (hours, weekdays)
        for user_id, hours, weekdays in Capacity.objects.filter(
            organization_id=organization_id, user_id__in=user_ids
        ).values_list("user_id", "hours_per_week", "working_weekdays")
    }
    away: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for user_id, first, last in TimeOff.objects.filter(
        organization_id=organization_id,
        user_id__in=user_ids,
        start_date__lte=filters.end,
        end_date__gte=filters.start,
    ).values_list("user_id", "start_date", "end_date"):
        away.setdefault(user_id, []).append((first, last))
    people = {}
    usual: dict[str, tuple[frozenset[int], list[int]]] = {}  # per set of weekdays, not person
    for user_id in user_ids:
        hours, weekdays = capacities.get(user_id, (DEFAULT_HOURS, DEFAULT_WEEKDAYS))
        weekdays = weekdays or DEFAULT_WEEKDAYS
        if weekdays not in usual:
            usual[weekdays] = _usual_weeks(weekdays, filters)
        capacity, days_off = _person_capacity(
            filters, hours, usual[weekdays], away.get(user_id, [])
        )
        people[user_id] = PersonWeeks(hours, capacity, days_off, {}, [ZERO] * filters.weeks)
    # In the tasks' order, whatever the plan: a sum of Decimals can differ in its
    # last digit with the order of its terms.
    tasks = sorted(_open_dated_work(user_ids, filters))
    calendars = _calendars(organization_id, {task[2] for task in tasks}, project_id)
    _add_task_hours(people, tasks, calendars, filters)
    return people


# A task's id, assignee, project, start, due date and estimate (none of them
# missing: the query asks for them).
OpenWork = tuple[int, int | None, int, dt.date | None, dt.date | None, Decimal | None]


def _open_dated_work(user_ids: list[int], filters: WorkloadFilters) -> "QuerySet[Task, OpenWork]":
    """The people's dated open tasks touching the weeks: (id, assignee, project,
    start, due, estimate). Found by assignee and due date alone (their index): with the
    projects joined, SQLite walked every project's tasks by start date instead
    (15 ms against 1 on the bench data). `_calendars` keeps the right projects."""
    return (
        Task.objects.filter(
            assignee_id__in=user_ids,
            estimate_hours__gt=0,
            start_date__lte=filters.end,
            due_date__gte=filters.start,
        )
        .filter(due_date__gte=F("start_date"))
        .exclude(status=Task.Status.DONE)
        .order_by()
        .values_list("pk", "assignee_id", "project_id", "start_date", "due_date", "estimate_hours")
    )


def _calendars(
    organization_id: int, project_ids: set[int], project_id: int | None
) -> dict[int, WorkCalendar]:
    """The working calendars of those projects that count: the organization's
    open ones, and `project_id`'s even once archived (its own workload page)."""
    projects = (
        Project.objects.filter(pk__in=project_ids, organization_id=organization_id)
        .filter(Q(archived_at__isnull=True) | Q(pk=project_id))
        .only("working_weekdays", "holidays", "extra_workdays")
    )
    return {project.pk: work_calendar(project) for project in projects}


def _add_task_hours(
    people: dict[int, PersonWeeks],
    tasks: list[OpenWork],
    calendars: dict[int, WorkCalendar],
    filters: WorkloadFilters,
) -> None:
    """Spread each task over its own project's working days, into its assignee's weeks."""
    # Projects on the same calendar (most keep the default) share its weeks' count.
    whole_weeks = {
        calendar: _week_working_days(calendar, filters) for calendar in set(calendars.values())
    }
    for _pk, assignee_id, project_id, start, due, estimate in tasks:
        calendar = calendars.get(project_id)
        if calendar is None:  # archived, or another organization's
            continue
        assert assignee_id is not None and start and due and estimate  # the query
        person = people[assignee_id]
        weeks = person.hours.get(project_id)
        if weeks is None:
            weeks = person.hours[project_id] = [ZERO] * filters.weeks
        spread = _spread(calendar, whole_weeks[calendar], filters, start, due, estimate)
        for offset, share in spread.items():
            weeks[offset] += share
            person.totals[offset] += share


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
    # Their hours in every project of the organization, spread day by day.
    people = person_weeks(
        organization_id=project.organization_id,
        user_ids=list(by_user),
        filters=filters,
        project_id=project.pk,
    )
    rows = []
    role_labels = dict(Membership.Role.choices)
    for membership in memberships:
        person = people[membership.user_id]
        loads = []
        for index in range(filters.weeks):
            here = person.of(project.pk, index)
            loads.append(
                Load(
                    hours=_round(here),
                    capacity=person.capacity[index],
                    other=_round(person.total(index) - here),
                )
            )
        rows.append(
            MemberLoad(
                membership=membership,
                role_label=role_labels[membership.role],
                capacity=person.hours_per_week,
                weeks=loads,
                unscheduled=_round(unscheduled.get(membership.user_id, ZERO)),
                task_count=counts.get(membership.user_id, 0),
            )
        )
    totals = [
        Load(
            hours=sum((row.weeks[index].hours for row in rows), ZERO),
            capacity=sum((row.weeks[index].capacity for row in rows), ZERO),
            other=sum((row.weeks[index].other for row in rows), ZERO),
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
