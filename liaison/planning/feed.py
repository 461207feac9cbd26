"""Planning's part of a person's calendar feed (core.registry.FeedSource):
the milestones of their projects, and the open tasks assigned to them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.core.calendar import FeedEvent, FeedScope, absolute_url, clip, describe, event_uid
from liaison.core.registry import FeedSource
from liaison.planning.models import Milestone, Task
from liaison.projects import access


def _milestone_event(milestone: Milestone, url: str) -> FeedEvent:
    project = milestone.project
    return FeedEvent(
        uid=event_uid("milestone", milestone.pk),
        summary=f"{project.code} {milestone.key} {milestone.name}",
        start=milestone.due_date,
        end=milestone.due_date,
        url=url,
        description=describe(
            f"{project.code} · {project.name}",
            _("Milestone: %(status)s") % {"status": milestone.get_status_display()},
            clip(milestone.description),
            url,
        ),
        modified=milestone.updated_at,
    )


def _url(name: str, milestone: Milestone) -> str:
    return absolute_url(reverse(name, args=[milestone.project.code, milestone.key]))


def milestone_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The team's view: every milestone of the projects the user works on."""
    rows = (
        Milestone.objects.filter(project__in=scope.projects, due_date__gte=scope.since)
        .select_related("project")
        .order_by("due_date", "id")[:limit]
    )
    return [
        _milestone_event(milestone, _url("planning:milestone", milestone)) for milestone in rows
    ]


def client_milestone_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The client's view: the milestones shown in the portal, linked to the portal."""
    rows = (
        Milestone.objects.for_audience(access.CLIENT)
        .filter(project__in=scope.projects, due_date__gte=scope.since)
        .select_related("project")
        .order_by("due_date", "id")[:limit]
    )
    return [_milestone_event(milestone, _url("portal:milestone", milestone)) for milestone in rows]


def task_events(scope: FeedScope, limit: int) -> list[FeedEvent]:
    """The open tasks assigned to the user that have a due date (the start, when
    missing, is the due date), by due date."""
    rows = (
        Task.objects.filter(
            project__in=scope.projects,
            assignee=scope.user,
            due_date__isnull=False,
            due_date__gte=scope.since,
        )
        .exclude(status=Task.Status.DONE)
        .select_related("project")
        .order_by("due_date", "number", "id")[:limit]
    )
    events = []
    for task in rows:
        project, due = task.project, task.due_date
        assert due is not None  # the query takes dated tasks only
        url = absolute_url(reverse("planning:task", args=[project.code, task.key]))
        start = task.start_date if task.start_date and task.start_date <= due else None
        events.append(
            FeedEvent(
                uid=event_uid("task", task.pk),
                summary=f"{project.code} {task.key} {task.title}",
                start=start or due,
                end=due,
                url=url,
                description=describe(
                    f"{project.code} · {project.name}",
                    _("Task: %(status)s, %(progress)s%% done")
                    % {"status": task.get_status_display(), "progress": task.progress},
                    clip(task.description),
                    url,
                ),
                modified=task.updated_at,
            )
        )
    return events


# Tasks are the team's work: a client's feed has none.
SOURCES = (
    FeedSource("milestones", order=10, team=milestone_events, client=client_milestone_events),
    FeedSource("tasks", order=20, team=task_events),
)
