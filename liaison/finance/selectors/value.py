"""Earned value of a project: the reads (a fixed number of queries whatever
the size of the plan, rows as tuples) handed to the arithmetic of
`finance/earned_value.py`, whose docstring states the rules.

`project_value` serves the page and the API (seven queries: the budget, the
latest plan baseline, the tasks, the approved time by day and by milestone, the
expenses, the milestones); `value_summary` the overview's card, the status
report, the portal and the threshold job (five: no milestones, no series).
Sums are grouped by day or by milestone, never by both: a few years of a
team's time by day and milestone is tens of thousands of rows."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from liaison.finance import earned_value as ev
from liaison.finance.earned_value import Figures, PlannedTask
from liaison.finance.models import Budget, BudgetChange, BudgetLine, EntryStatus, Expense, TimeEntry
from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.projects.models import Project

MOST_POINTS = 60  # weekly points of a chart; a longer plan is sampled more sparsely
AMBER_BELOW, RED_BELOW = Decimal("0.9"), Decimal("0.8")
COST = ExpressionWrapper(
    F("hours") * F("cost_rate"), output_field=DecimalField(max_digits=20, decimal_places=4)
)


@dataclass(slots=True)
class BudgetFacts:
    agreed: Decimal
    reserve: Decimal
    shared: bool
    alerted: list[str]

    @property
    def work(self) -> Decimal:
        """BAC: the agreed total less the contingency reserve."""
        return max(self.agreed - self.reserve, ev.ZERO)


@dataclass(slots=True)
class Reads:
    """What the queries found."""

    budget: BudgetFacts | None
    tasks: list[PlannedTask]
    costs: list[Decimal]
    planned: list[Decimal]  # each task's PV at the day, unrounded
    earned: list[Decimal]  # each task's EV
    time: list[tuple[dt.date, Decimal]]  # the cost of approved time, per day
    expenses: list[tuple[dt.date, Decimal]]
    # Milestone id → the cost of approved time on its tasks (only with the series).
    time_by_milestone: dict[int, Decimal] = field(default_factory=dict)

    def actual(self, day: dt.date) -> Decimal:
        spent = sum((cost for when, cost in self.time if when <= day), ev.ZERO)
        return spent + sum((amount for when, amount in self.expenses if when <= day), ev.ZERO)


@dataclass(slots=True)
class MilestoneValue:
    key: str
    name: str
    due: dt.date
    figures: Figures


@dataclass(slots=True)
class Point:
    """A chart's point: PV and the planned remainder always; EV, AC and what
    remains of the budget only up to today."""

    day: dt.date
    pv: Decimal
    ev: Decimal | None
    ac: Decimal | None
    remaining: Decimal | None
    planned_remaining: Decimal


@dataclass(slots=True)
class ProjectValue:
    """A project's earned value at `today`. `budget` is the agreed total (what the
    thresholds and the burn chart measure against)."""

    currency: str
    today: dt.date
    has_budget: bool
    has_baseline: bool
    budget: Decimal
    figures: Figures
    shared: bool = False
    alerted: list[str] = field(default_factory=list)
    milestones: list[MilestoneValue] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)

    @property
    def health(self) -> str:
        return value_health(self.figures)

    @property
    def spent_percent(self) -> Decimal | None:
        return ev.share_of(self.figures.ac, self.budget)

    @property
    def forecast_percent(self) -> Decimal | None:
        eac = self.figures.eac
        return None if eac is None else ev.share_of(eac, self.budget)


def value_health(figures: Figures) -> str:
    """CPI or SPI below 0.8 → red; below 0.9 → amber; else (or unknown) green."""
    indices = [index for index in (figures.cpi, figures.spi) if index is not None]
    if any(index < RED_BELOW for index in indices):
        return "red"
    if any(index < AMBER_BELOW for index in indices):
        return "amber"
    return "green"


# -- the reads ------------------------------------------------------------------------------


def _budget(project: Project) -> BudgetFacts | None:
    reserve = Sum("lines__amount", filter=Q(lines__kind=BudgetLine.Kind.RESERVE))
    found = list(
        Budget.objects.filter(project=project)
        .order_by()
        .values_list("agreed_total", "share_with_client", "alerted")
        .annotate(reserve=reserve)[:1]
    )
    if not found:
        return None
    agreed, shared, alerted, reserve_total = found[0]
    return BudgetFacts(agreed, reserve_total or ev.ZERO, shared, list(alerted or []))


def _baseline_dates(project: Project) -> dict[str, list[str]]:
    found = list(
        PlanBaseline.objects.filter(project=project)
        .order_by("-number")
        .values_list("tasks", flat=True)[:1]
    )
    return found[0] if found else {}


def _planned_tasks(
    project: Project, dated: dict[str, list[str]], *, done_days: bool
) -> list[PlannedTask]:
    """The baseline's leaf tasks that still exist, in id order; the day each
    done one was completed only for the charts (a date per row costs SQLite a
    call into Python). Only the baseline's rows are read: a plan may hold
    many more tasks than it dated."""
    done = Task.Status.DONE
    done_on = (
        Case(When(status=done, then=TruncDate("completed_at")))
        if done_days
        else Value(None, output_field=DateField())
    )
    rows = (
        Task.objects.filter(project=project, pk__in=[int(pk) for pk in dated])
        .exclude(Exists(Task.objects.filter(parent_id=OuterRef("pk"))))
        .order_by("id")
        .annotate(done_on=done_on)
        .values_list("id", "milestone_id", "estimate_hours", "progress", "status", "done_on")
    )
    tasks = []
    for pk, milestone, estimate, progress, status, done_day in rows:
        span = dated[str(pk)]
        start, finish = dt.date.fromisoformat(span[0]), dt.date.fromisoformat(span[1])
        tasks.append(
            PlannedTask(
                pk,
                milestone,
                start,
                max(start, finish),
                estimate,
                100 if status == done else progress,
                done_day if status == done else None,
            )
        )
    return tasks


def _reads(project: Project, budget: BudgetFacts | None, today: dt.date, *, series: bool) -> Reads:
    dated = _baseline_dates(project)
    tasks = _planned_tasks(project, dated, done_days=series) if dated else []
    approved = TimeEntry.objects.filter(
        project=project, status=EntryStatus.APPROVED, cost_rate__isnull=False, day__lte=today
    ).order_by()
    time = list(approved.values_list("day").annotate(spent=Sum(COST)))
    by_milestone: dict[int, Decimal] = {}
    if series:
        by_milestone = dict(
            approved.filter(task__milestone__isnull=False)
            .values_list("task__milestone_id")
            .annotate(spent=Sum(COST))
        )
    expenses = list(
        Expense.objects.filter(project=project, day__lte=today)
        .order_by()
        .values_list("day")
        .annotate(amount=Sum("amount"))
    )
    bac = budget.work if budget else ev.ZERO
    costs = ev.spread_budget(bac, [task.estimate for task in tasks])
    planned, earned = ev.planned_now(tasks, costs, today), ev.earned_now(tasks, costs)
    return Reads(budget, tasks, costs, planned, earned, time, expenses, by_milestone)


# -- what pages read ------------------------------------------------------------------------


def _value(project: Project, reads: Reads, today: dt.date) -> ProjectValue:
    budget = reads.budget
    bac = budget.work if budget else ev.ZERO
    return ProjectValue(
        currency=project.currency,
        today=today,
        has_budget=budget is not None,
        has_baseline=bool(reads.tasks),
        budget=budget.agreed if budget else ev.ZERO,
        figures=Figures(
            bac=ev.cents(bac),
            pv=ev.cents(sum(reads.planned, ev.ZERO)),
            ev=ev.cents(sum(reads.earned, ev.ZERO)),
            ac=ev.cents(reads.actual(today)),
        ),
        shared=budget.shared if budget else False,
        alerted=budget.alerted if budget else [],
    )


def value_summary(*, project: Project, today: dt.date) -> ProjectValue:
    """The project's figures at `today`, without series or milestones (five queries;
    one for a project without a budget, where the overview's card and the report's
    section have nothing to show)."""
    budget = _budget(project)
    if budget is None:
        return _value(project, Reads(None, [], [], [], [], [], []), today)
    return _value(project, _reads(project, budget, today, series=False), today)


def project_value(*, project: Project, today: dt.date) -> ProjectValue:
    """The figures, each milestone's and the weekly series of the charts (seven queries)."""
    reads = _reads(project, _budget(project), today, series=True)
    value = _value(project, reads, today)
    value.milestones = _milestones(project, reads)
    value.points = _points(reads, value, today)
    return value


def _milestones(project: Project, reads: Reads) -> list[MilestoneValue]:
    sums = ev.by_milestone(reads.tasks, reads.costs, reads.planned, reads.earned)
    spent = reads.time_by_milestone
    rows = []
    for pk, key, name, due in (
        Milestone.objects.filter(project=project)
        .order_by("due_date", "id")
        .values_list("id", "key", "name", "due_date")
    ):
        if pk in sums:
            bac, pv, earned = sums[pk]
            actual = ev.cents(spent.get(pk, ev.ZERO))
            rows.append(MilestoneValue(key, name, due, Figures(bac, pv, earned, actual)))
    return rows


def _points(reads: Reads, value: ProjectValue, today: dt.date) -> list[Point]:
    if not reads.tasks:
        return []
    starts = [task.start for task in reads.tasks]
    first = min(starts + [day for day, _c in reads.time] + [day for day, _a in reads.expenses])
    last = max(max(task.finish for task in reads.tasks), today)
    days = ev.week_ends(first, last, today, MOST_POINTS)
    planned = ev.planned_values(reads.tasks, reads.costs, days)
    earned = ev.earned_by_day(reads.tasks, reads.costs, days)
    actual = ev.cumulative(reads.time + reads.expenses, days)
    budget = value.budget or value.figures.bac
    points = []
    for day, pv, earned_then, ac in zip(days, planned, earned, actual, strict=True):
        past = day <= today
        points.append(
            Point(
                day,
                pv,
                (value.figures.ev if day == today else earned_then) if past else None,
                ac if past else None,
                budget - ac if past else None,
                budget - pv,
            )
        )
    return points


# -- the client's summary -------------------------------------------------------------------


@dataclass(slots=True)
class ClientBudget:
    """What the client may see of the budget: never a rate nor anyone's time."""

    currency: str
    agreed: Decimal
    changes: Decimal  # the approved change requests' total
    spent: Decimal
    forecast: Decimal | None


def client_budget(*, project: Project, today: dt.date) -> ClientBudget | None:
    """The budget's summary for the portal, None unless the manager shares it
    (one query then; seven when shared)."""
    if not Budget.objects.filter(project=project, share_with_client=True).exists():
        return None
    value = value_summary(project=project, today=today)
    changes = BudgetChange.objects.filter(
        budget__project=project, kind=BudgetChange.Kind.CHANGE_REQUEST
    ).aggregate(total=Sum("amount"))["total"]
    return ClientBudget(
        project.currency,
        value.budget,
        changes or ev.ZERO,
        value.figures.ac,
        value.figures.eac,
    )


def figures_json(figures: Figures) -> dict[str, str | None]:
    """The figures as the API and the frozen report give them: money in cents
    and indices to two places, as text; None when not known."""

    def text(amount: Decimal | None) -> str | None:
        return None if amount is None else str(amount.quantize(ev.CENT))

    return {
        "bac": text(figures.bac),
        "pv": text(figures.pv),
        "ev": text(figures.ev),
        "ac": text(figures.ac),
        "sv": text(figures.sv),
        "cv": text(figures.cv),
        "spi": text(figures.spi),
        "cpi": text(figures.cpi),
        "eac": text(figures.eac),
        "etc": text(figures.etc),
        "vac": text(figures.vac),
    }
