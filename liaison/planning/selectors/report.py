"""The plan's section of a status report: progress, the tasks done and late,
the tasks completed per week, the milestones and the slip since the latest plan
baseline (registered in planning/apps.py, drawn by planning/report_section.py).

Five queries whatever the size of the plan, the counting done in SQL and every
list capped.
"""

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from liaison.core.reporting import AMBER, GREEN, MAX_LISTED, RED, SectionFacts, within_days
from liaison.planning.models import Milestone, MilestoneReview, PlanBaseline, Task
from liaison.planning.selectors.plan import work_calendar
from liaison.planning.selectors.rollup import progress_percent
from liaison.planning.selectors.variance import working_day_variance
from liaison.projects.models import Project

CHART_WEEKS = 8
LOOKAHEAD_DAYS = 30  # milestones coming up after the period
RED_SLIP_DAYS = 10

# What the section freezes, and what a report frozen before a value existed reads.
DEFAULTS: dict[str, Any] = {
    "progress_percent": 0,
    "tasks_total": 0,
    "tasks_done": 0,
    "tasks_completed_in_period": 0,
    "tasks_overdue": 0,
    # Client-visible tasks completed in the period: key, title, completed (date).
    "completed": [],
    # The weeks ending with the period's: week_start (a Monday), count.
    "weekly_completed": [],
    # Client-visible milestones due in the period or soon after, or accepted in
    # it: key, name, due, status (the value; the label is translated at render).
    "milestones": [],
    # Working days the plan's finish moved since the latest plan baseline
    # (positive: later); None without a baseline.
    "slip_days": None,
}
DATE_KEYS = {
    "completed": ("completed",),
    "weekly_completed": ("week_start",),
    "milestones": ("due",),
}


def chart_weeks(end: dt.date) -> list[dt.date]:
    """The Mondays of the CHART_WEEKS weeks ending with the one of `end`."""
    last = end - dt.timedelta(days=end.weekday())
    return [last - dt.timedelta(weeks=n) for n in range(CHART_WEEKS - 1, -1, -1)]


def _task_counts(
    project: Project, start: dt.date, end: dt.date, moment: dt.datetime
) -> dict[str, Any]:
    """One aggregate over every task: the counts the report shows (client-visible
    tasks only: the client reads them), the weighted progress of all the work,
    the latest due date, the completions per chart week, and the overdue tasks
    of the whole team (for the health suggestion only). Overdue is as of
    `moment`: due before its day and not completed by then."""
    visible = Q(client_visible=True)
    done = Q(status=Task.Status.DONE)
    finished = Q(completed_at__lt=moment) | (done & Q(completed_at__isnull=True))
    late = Q(due_date__lt=timezone.localdate(moment)) & ~finished
    weeks = {
        f"week_{n}": Count(
            "pk", filter=visible & within_days("completed_at", monday, monday + dt.timedelta(6))
        )
        for n, monday in enumerate(chart_weeks(end))
    }
    return Task.objects.filter(project=project).aggregate(
        total=Count("pk", filter=visible),
        done=Count("pk", filter=visible & done),
        completed=Count("pk", filter=visible & within_days("completed_at", start, end)),
        overdue=Count("pk", filter=visible & late),
        overdue_all=Count("pk", filter=late),
        **_progress_sums(),
        finish=Max("due_date"),
        **weeks,
    )


def _progress_sums() -> dict[str, Any]:
    """The aggregates _progress() weighs: every top-level task, its estimate and
    progress. A parent's own are its children's rolled up (selectors/rollup.py),
    so the project is weighed as a parent of its top-level tasks."""
    done = Q(status=Task.Status.DONE)
    top = Q(parent__isnull=True)
    estimated = top & Q(estimate_hours__gt=0)
    # A done task counts as finished whatever its last progress estimate said.
    progress = Case(When(done, then=Value(100)), default=F("progress"), output_field=IntegerField())
    return {
        "all": Count("pk", filter=top),
        "estimated": Count("pk", filter=estimated),
        "hours": Sum("estimate_hours", filter=estimated),
        "hours_done": Sum(F("estimate_hours") * progress, filter=estimated),
        "progress_unestimated": Sum(progress, filter=top & ~Q(estimate_hours__gt=0)),
    }


def project_progress(project: Project) -> int:
    """The weighted progress of all the work today, as a report's plan section
    counts it (one query): the portal's overview shows it."""
    return _progress(Task.objects.filter(project=project).aggregate(**_progress_sums()))


def _progress(counts: dict[str, Any]) -> int:
    """Percent done, each task weighted by its estimate; a task without one
    weighs as much as the average estimated task (or all alike without any):
    the roll-up's weighting (selectors/rollup.py)."""
    return progress_percent(
        hours=float(counts["hours"] or 0),
        estimated=counts["estimated"],
        hours_done=float(counts["hours_done"] or 0),
        unestimated=counts["all"] - counts["estimated"],
        progress_unestimated=int(counts["progress_unestimated"] or 0),
    )


def _completed(project: Project, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    rows = (
        Task.objects.filter(project=project, client_visible=True)
        .filter(within_days("completed_at", start, end))
        .order_by("completed_at", "number")
        .values_list("key", "title", "completed_at")[:MAX_LISTED]
    )
    return [
        {"key": key, "title": title, "completed": timezone.localdate(when)}
        for key, title, when in rows
    ]


def _milestones(project: Project, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    accepted_in_period = Exists(
        MilestoneReview.objects.filter(
            milestone=OuterRef("pk"), verdict=MilestoneReview.Verdict.ACCEPTED
        ).filter(within_days("decided_at", start, end))
    )
    soon = end + dt.timedelta(days=LOOKAHEAD_DAYS)
    rows = (
        Milestone.objects.filter(project=project, client_visible=True)
        .filter(
            Q(due_date__range=(start, soon))
            | accepted_in_period
            # still open and late from before: the reason the health may be red
            | (Q(due_date__lt=start) & ~Q(status=Milestone.Status.ACCEPTED))
        )
        .order_by("due_date", "id")
        .values_list("key", "name", "due_date", "status")[:MAX_LISTED]
    )
    return [
        {"key": key, "name": name, "due": due, "status": status} for key, name, due, status in rows
    ]


def _planned_finish(project: Project) -> dt.date | None:
    """The latest due date the newest plan baseline froze, or None without one."""
    frozen = (
        PlanBaseline.objects.filter(project=project)
        .order_by("-number")
        .values_list("tasks", "milestones")
        .first()
    )
    if frozen is None:
        return None
    tasks, milestones = frozen
    # ISO dates sort as strings: only the latest is parsed.
    dates = [dates[1] for dates in tasks.values()] + [due for due in milestones.values() if due]
    return dt.date.fromisoformat(max(dates)) if dates else None


def _slip_days(project: Project, finish: dt.date | None) -> int | None:
    """The plan's finish (its latest due date) against the latest plan baseline's,
    in working days."""
    planned = _planned_finish(project)
    if planned is None or finish is None:
        return None
    return working_day_variance(work_calendar(project), planned, finish)


def plan_health(*, milestones_overdue: int, slip_days: int | None, tasks_overdue: int) -> str:
    """Red: a milestone the client expects is late, or the plan slipped more than
    two weeks; amber: late tasks or any slip."""
    slip = slip_days or 0
    if milestones_overdue or slip > RED_SLIP_DAYS:
        return RED
    if tasks_overdue or slip > 0:
        return AMBER
    return GREEN


def plan_report_facts(
    project: Project, start: dt.date, end: dt.date, moment: dt.datetime
) -> SectionFacts:
    """The plan's facts of the days start..end: what the client can see, the
    progress of all the work; overdue as of `moment`."""
    tasks = _task_counts(project, start, end, moment)
    milestone_counts = Milestone.objects.filter(project=project).aggregate(
        finish=Max("due_date"),
        overdue=Count(
            "pk",
            filter=Q(client_visible=True, due_date__lt=timezone.localdate(moment))
            & ~Q(status=Milestone.Status.ACCEPTED),
        ),
    )
    finishes = [day for day in (tasks["finish"], milestone_counts["finish"]) if day]
    slip_days = _slip_days(project, max(finishes) if finishes else None)
    values = {
        "progress_percent": _progress(tasks),
        "tasks_total": tasks["total"],
        "tasks_done": tasks["done"],
        "tasks_completed_in_period": tasks["completed"],
        "tasks_overdue": tasks["overdue"],
        "completed": _completed(project, start, end),
        "weekly_completed": [
            {"week_start": monday, "count": tasks[f"week_{n}"]}
            for n, monday in enumerate(chart_weeks(end))
        ],
        "milestones": _milestones(project, start, end),
        "slip_days": slip_days,
    }
    health = plan_health(
        milestones_overdue=milestone_counts["overdue"],
        slip_days=slip_days,
        tasks_overdue=tasks["overdue_all"],
    )
    return SectionFacts(values, health)
