"""The plan in a few numbers, for the project's overview."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from liaison.planning.models import Milestone, Task
from liaison.projects.access import Audience
from liaison.projects.models import Project

NEXT_MILESTONES = 3


@dataclass(frozen=True)
class PlanSummary:
    tasks: int
    done: int
    overdue: int
    next_milestones: list[Milestone]

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.tasks) if self.tasks else 0


def plan_summary(*, project: Project, audience: Audience) -> PlanSummary:
    """Two queries whatever the size of the plan."""
    not_done = ~Q(status=Task.Status.DONE)
    counts = (
        Task.objects.for_audience(audience)
        .filter(project=project)
        .aggregate(
            tasks=Count("pk"),
            done=Count("pk", filter=Q(status=Task.Status.DONE)),
            overdue=Count("pk", filter=not_done & Q(due_date__lt=timezone.localdate())),
        )
    )
    upcoming = (
        Milestone.objects.for_audience(audience)
        .filter(project=project)
        .exclude(status=Milestone.Status.ACCEPTED)
        .order_by("due_date", "id")[:NEXT_MILESTONES]
    )
    return PlanSummary(**counts, next_milestones=list(upcoming))
