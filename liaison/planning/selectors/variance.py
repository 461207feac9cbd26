"""Schedule variance: how far the plan moved since its latest plan baseline.

Variance is counted in working days on the project's calendar (a task due
Monday instead of the Friday before slipped one day, not three): positive is
late, negative early. Every read here is a fixed number of queries.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.planning.scheduling import WorkCalendar
from liaison.planning.selectors.plan import work_calendar
from liaison.projects.models import Project

MOST_SLIPPED = 20


def latest_plan_baseline(*, project: Project) -> PlanBaseline | None:
    """The reference for variance: the newest plan baseline (one query)."""
    return (
        PlanBaseline.objects.filter(project=project)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )


def plan_baseline_list(*, project: Project) -> list[PlanBaseline]:
    """Every plan baseline, newest first, with who froze it (one query)."""
    return list(
        PlanBaseline.objects.filter(project=project)
        .select_related("created_by")
        .order_by("-number")
    )


def working_day_variance(calendar: WorkCalendar, planned: dt.date, current: dt.date) -> int:
    """Working days from the planned date to the current one (positive: later)."""
    return calendar.index(current) - calendar.index(planned)


def milestone_variances(
    *, project: Project, milestones: Iterable[Milestone], baseline: PlanBaseline | None
) -> dict[int, int]:
    """Milestone id → variance of its due date against `baseline`, for the
    milestones the baseline knows (no query: the baseline is already loaded)."""
    if baseline is None:
        return {}
    calendar = work_calendar(project)
    variances = {}
    for milestone in milestones:
        planned = baseline.milestone_due(milestone.pk)
        if planned is not None:
            variances[milestone.pk] = working_day_variance(calendar, planned, milestone.due_date)
    return variances


@dataclass(frozen=True)
class TaskSlip:
    """One task's due date against the baseline's."""

    key: str
    title: str
    baseline_due: dt.date
    current_due: dt.date
    variance: int  # working days, positive: late


@dataclass
class PlanVariance:
    """The plan against one baseline: how many tasks are late, early or on
    plan, the ones no longer dated (or deleted), and the most slipped."""

    baseline: PlanBaseline
    late: int = 0
    early: int = 0
    on_plan: int = 0
    unplanned: int = 0
    most_slipped: list[TaskSlip] = field(default_factory=list)


def plan_variance(
    *, project: Project, baseline: PlanBaseline, limit: int = MOST_SLIPPED
) -> PlanVariance:
    """Every task frozen in `baseline` against its current due date (one query)."""
    calendar = work_calendar(project)
    frozen = {int(pk): dates for pk, dates in baseline.tasks.items() if str(pk).isdecimal()}
    current = {
        pk: (key, title, due)
        for pk, key, title, due in Task.objects.filter(project=project).values_list(
            "pk", "key", "title", "due_date"
        )
        if pk in frozen
    }
    summary = PlanVariance(baseline=baseline)
    slips = []
    for pk, dates in frozen.items():
        row = current.get(pk)
        if row is None or row[2] is None:
            summary.unplanned += 1
            continue
        key, title, due = row[0], row[1], row[2]
        planned = dt.date.fromisoformat(dates[1])
        variance = working_day_variance(calendar, planned, due)
        if variance > 0:
            summary.late += 1
            slips.append(TaskSlip(key, title, planned, due, variance))
        elif variance < 0:
            summary.early += 1
        else:
            summary.on_plan += 1
    slips.sort(key=lambda slip: (-slip.variance, slip.current_due, slip.key))
    summary.most_slipped = slips[:limit]
    return summary
