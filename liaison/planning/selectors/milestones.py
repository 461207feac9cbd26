"""Reads of milestones and their acceptance record."""

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from liaison.planning.models import Milestone, MilestoneReview, Task
from liaison.projects.access import Audience
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class TaskCounts(TypedDict):
    """What milestone_list() counts on each milestone."""

    task_count: int
    done_count: int


def milestone_list(
    *, project: Project, audience: Audience
) -> "QuerySet[WithAnnotations[Milestone, TaskCounts]]":
    """Milestones by due date, with their task counts as this audience sees them."""
    visible = Q(tasks__client_visible=True) if audience.is_client else Q()
    return (
        Milestone.objects.for_audience(audience)
        .filter(project=project)
        .annotate(
            task_count=Count("tasks", filter=visible),
            done_count=Count("tasks", filter=visible & Q(tasks__status=Task.Status.DONE)),
        )
        .order_by("due_date", "id")
    )


def milestone_get(*, project: Project, audience: Audience, key: str) -> Milestone:
    milestone = (
        Milestone.objects.for_audience(audience)
        .filter(project=project, key=key)
        .select_related("project")
        .first()
    )
    if milestone is None:
        raise Http404
    return milestone


def milestone_reviews(*, milestone: Milestone) -> QuerySet[MilestoneReview]:
    """Every round of acceptance, newest first, with who submitted and decided."""
    return milestone.reviews.select_related("submitted_by", "decided_by").order_by("-round")


def milestones_awaiting(*, project: Project) -> QuerySet[Milestone]:
    """What the client is asked to accept now."""
    return Milestone.objects.filter(
        project=project, client_visible=True, status=Milestone.Status.SUBMITTED
    ).order_by("due_date")


def next_milestone(*, project: Project) -> Milestone | None:
    """The client-visible milestone the client waits for next: the earliest
    due one not yet accepted (one query), for the portal's overview."""
    found = (
        Milestone.objects.filter(project=project, client_visible=True, due_date__isnull=False)
        .exclude(status=Milestone.Status.ACCEPTED)
        .only("key", "name", "due_date", "status", "project_id")
        .order_by("due_date", "id")[:1]
    )
    return found[0] if found else None
