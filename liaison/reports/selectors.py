"""Reads of status reports, and the facts a report shows for its period.

`report_facts` is what a report says besides the manager's narrative: it runs
a fixed number of queries (eleven) whatever the size of the project, with the
counting done in SQL and every list capped.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from liaison.changes.models import ChangeRequest
from liaison.communication.models import ActionItem, Interaction
from liaison.core.params import MAX_ID
from liaison.planning.models import Milestone, MilestoneReview, PlanBaseline, Task
from liaison.planning.selectors.plan import work_calendar
from liaison.planning.selectors.variance import working_day_variance
from liaison.projects.access import Audience
from liaison.projects.models import Project
from liaison.reports.models import StatusReport
from liaison.requirements.models import Baseline, Requirement

MAX_LISTED = 20  # rows per list in a report: it is read, not searched
CHART_WEEKS = 8
LOOKAHEAD_DAYS = 30  # milestones coming up after the period
RED_SLIP_DAYS = 10
# The narrative and the frozen facts: a list never shows them.
LONG_COLUMNS = ("data", "summary", "next_steps", "concerns", "acknowledgement")
CONFIRMED_OR_LATER = (
    Requirement.Status.CONFIRMED,
    Requirement.Status.IMPLEMENTED,
    Requirement.Status.VERIFIED,
)
DECIDED = (
    ChangeRequest.Status.APPROVED,
    ChangeRequest.Status.REJECTED,
    ChangeRequest.Status.IMPLEMENTED,
)
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

# The keys of list rows that hold dates: ISO strings in JSON, dates in memory.
_DATE_KEYS = {
    "completed": ("completed",),
    "weekly_completed": ("week_start",),
    "milestones": ("due",),
    "interactions": ("date",),
}


@dataclass(frozen=True)
class ReportFacts:
    """Everything a report shows besides the narrative. Lists hold plain dicts
    (dates as dates); `as_json` is what a published report freezes."""

    period_start: dt.date
    period_end: dt.date
    progress_percent: int = 0
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_completed_in_period: int = 0
    tasks_overdue: int = 0
    # Client-visible tasks completed in the period: key, title, completed (date).
    completed: list[dict[str, Any]] = field(default_factory=list)
    # The weeks ending with the period's: week_start (a Monday), count.
    weekly_completed: list[dict[str, Any]] = field(default_factory=list)
    # Client-visible milestones due in the period or soon after, or accepted in
    # it: key, name, due, status (the value; the label is translated at render).
    milestones: list[dict[str, Any]] = field(default_factory=list)
    # Working days the plan's finish moved since the latest plan baseline
    # (positive: later); None without a baseline.
    slip_days: int | None = None
    # Client-visible change requests decided or sent to the client in the period.
    changes: list[dict[str, Any]] = field(default_factory=list)
    changes_awaiting: int = 0
    interactions: list[dict[str, Any]] = field(default_factory=list)
    action_items_open: int = 0
    action_items_overdue: int = 0
    requirements_confirmed: int = 0
    baselines_signed: list[dict[str, Any]] = field(default_factory=list)
    suggested_health: str = Health.GREEN

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["period_start"] = self.period_start.isoformat()
        data["period_end"] = self.period_end.isoformat()
        for name, keys in _DATE_KEYS.items():
            data[name] = [_convert(row, keys, _iso) for row in data[name]]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ReportFacts":
        """Facts frozen by any version: keys it did not know take their defaults."""
        known = {f.name for f in fields(cls)}
        values = {name: value for name, value in data.items() if name in known}
        values["period_start"] = dt.date.fromisoformat(data["period_start"])
        values["period_end"] = dt.date.fromisoformat(data["period_end"])
        for name, keys in _DATE_KEYS.items():
            if name in values:
                values[name] = [_convert(row, keys, _parse_date) for row in values[name]]
        return cls(**values)


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _parse_date(value: object) -> object:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value


def _convert(
    row: dict[str, Any], keys: tuple[str, ...], convert: Callable[[object], object]
) -> dict[str, Any]:
    return {key: convert(value) if key in keys else value for key, value in row.items()}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _within(name: str, start: dt.date, end: dt.date) -> Q:
    """A datetime column within the days start..end (inclusive), in local time."""
    return Q(
        **{f"{name}__gte": _day_start(start), f"{name}__lt": _day_start(end + dt.timedelta(1))}
    )


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
    estimated = Q(estimate_hours__gt=0)
    finished = Q(completed_at__lt=moment) | (done & Q(completed_at__isnull=True))
    late = Q(due_date__lt=timezone.localdate(moment)) & ~finished
    # A done task counts as finished whatever its last progress estimate said.
    progress = Case(When(done, then=Value(100)), default=F("progress"), output_field=IntegerField())
    weeks = {
        f"week_{n}": Count(
            "pk", filter=visible & _within("completed_at", monday, monday + dt.timedelta(6))
        )
        for n, monday in enumerate(chart_weeks(end))
    }
    return Task.objects.filter(project=project).aggregate(
        total=Count("pk", filter=visible),
        done=Count("pk", filter=visible & done),
        completed=Count("pk", filter=visible & _within("completed_at", start, end)),
        overdue=Count("pk", filter=visible & late),
        overdue_all=Count("pk", filter=late),
        all=Count("pk"),
        estimated=Count("pk", filter=estimated),
        hours=Sum("estimate_hours", filter=estimated),
        hours_done=Sum(F("estimate_hours") * progress, filter=estimated),
        progress_unestimated=Sum(progress, filter=~estimated),
        finish=Max("due_date"),
        **weeks,
    )


def _progress(counts: dict[str, Any]) -> int:
    """Percent done, each task weighted by its estimate; a task without one
    weighs as much as the average estimated task (or all alike without any)."""
    hours = float(counts["hours"] or 0)
    unestimated = counts["all"] - counts["estimated"]
    weight: float = hours / counts["estimated"] if counts["estimated"] else 1.0
    total: float = hours + weight * unestimated
    if not total:
        return 0
    done = float(counts["hours_done"] or 0) + weight * float(counts["progress_unestimated"] or 0)
    return min(100, round(done / total))


def _completed(project: Project, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    rows = (
        Task.objects.filter(project=project, client_visible=True)
        .filter(_within("completed_at", start, end))
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
        ).filter(_within("decided_at", start, end))
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


def _changes(project: Project, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    decided = Q(status__in=DECIDED) & _within("decided_at", start, end)
    rows = (
        ChangeRequest.objects.filter(project=project, client_visible=True)
        .filter(decided | _within("sent_at", start, end))
        .order_by("number")
        .values("key", "title", "status")[:MAX_LISTED]
    )
    return [dict(row) for row in rows]


def _interactions(project: Project, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    rows = (
        Interaction.objects.filter(project=project, client_visible=True)
        .filter(_within("occurred_at", start, end))
        .order_by("occurred_at", "id")
        .values_list("key", "kind", "subject", "occurred_at")[:MAX_LISTED]
    )
    return [
        {"key": key, "kind": kind, "title": subject, "date": timezone.localdate(when)}
        for key, kind, subject, when in rows
    ]


def _baselines_signed(project: Project, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    rows = (
        Baseline.objects.filter(project=project, status=Baseline.Status.SIGNED)
        .filter(_within("decided_at", start, end))
        .order_by("number")
        .values("number", "title")[:MAX_LISTED]
    )
    return [dict(row) for row in rows]


def suggested_health(
    *, milestones_overdue: int, slip_days: int | None, tasks_overdue: int, changes_awaiting: int
) -> str:
    """Red: a milestone the client expects is late, or the plan slipped more than
    two weeks; amber: late tasks, any slip, or changes waiting on the client."""
    slip = slip_days or 0
    if milestones_overdue or slip > RED_SLIP_DAYS:
        return Health.RED
    if tasks_overdue or slip > 0 or changes_awaiting:
        return Health.AMBER
    return Health.GREEN


def report_facts(*, project: Project, start: dt.date, end: dt.date) -> ReportFacts:
    """The facts of the days start..end (inclusive), in the manager's time zone.
    Everything shown counts or names only what the client can see (the progress
    is of all the work); "overdue" is as of the period's end, or now for the
    current period. A fixed dozen queries, whatever the size of the project."""
    with timezone.override(project_zone(project)):
        return _facts(project, start, end)


def project_zone(project: Project) -> str:
    """The days of a report are the manager's: the same figures whoever looks,
    and whenever the job drafts it."""
    manager = project.manager
    return (manager.time_zone if manager else "") or settings.TIME_ZONE


def _facts(project: Project, start: dt.date, end: dt.date) -> ReportFacts:
    # A report of a past period counts what was late at its end, not today.
    moment = min(timezone.now(), _day_start(end + dt.timedelta(1)))
    as_of = timezone.localdate(moment)
    tasks = _task_counts(project, start, end, moment)
    milestone_counts = Milestone.objects.filter(project=project).aggregate(
        finish=Max("due_date"),
        overdue=Count(
            "pk",
            filter=Q(client_visible=True, due_date__lt=as_of)
            & ~Q(status=Milestone.Status.ACCEPTED),
        ),
    )
    finishes = [day for day in (tasks["finish"], milestone_counts["finish"]) if day]
    slip_days = _slip_days(project, max(finishes) if finishes else None)
    changes_awaiting = ChangeRequest.objects.filter(
        project=project, client_visible=True, status=ChangeRequest.Status.AWAITING_CLIENT
    ).count()
    open_items = Q(status=ActionItem.Status.OPEN)
    items = ActionItem.objects.filter(project=project, client_visible=True).aggregate(
        open=Count("pk", filter=open_items),
        overdue=Count("pk", filter=open_items & Q(due_date__lt=as_of)),
    )
    return ReportFacts(
        period_start=start,
        period_end=end,
        progress_percent=_progress(tasks),
        tasks_total=tasks["total"],
        tasks_done=tasks["done"],
        tasks_completed_in_period=tasks["completed"],
        tasks_overdue=tasks["overdue"],
        completed=_completed(project, start, end),
        weekly_completed=[
            {"week_start": monday, "count": tasks[f"week_{n}"]}
            for n, monday in enumerate(chart_weeks(end))
        ],
        milestones=_milestones(project, start, end),
        slip_days=slip_days,
        changes=_changes(project, start, end),
        changes_awaiting=changes_awaiting,
        interactions=_interactions(project, start, end),
        action_items_open=items["open"],
        action_items_overdue=items["overdue"],
        requirements_confirmed=Requirement.objects.filter(
            project=project, status__in=CONFIRMED_OR_LATER
        ).count(),
        baselines_signed=_baselines_signed(project, start, end),
        suggested_health=suggested_health(
            milestones_overdue=milestone_counts["overdue"],
            slip_days=slip_days,
            tasks_overdue=tasks["overdue_all"],
            changes_awaiting=changes_awaiting,
        ),
    )


def report_facts_for(report: StatusReport) -> ReportFacts:
    """A published report's frozen facts; a draft's, live."""
    if not report.is_draft and report.data:
        return ReportFacts.from_json(report.data)
    return report_facts(project=report.project, start=report.period_start, end=report.period_end)
