"""Tasks and milestones for tests, made through the services (keys, audit trail).

make_task(project)                                         # T-n "Design", undated
make_task(project, title="Build", start_date=day, due_date=day, assignee=member)
make_task(project, completed_at=at(END), status="done")    # done at a given time
make_milestone(project)                                    # M-n "Pilot", due DUE, two criteria
submitted_milestone(project, name="Go-live")               # awaiting the client
reject_milestone(milestone, by=client_user)                # "Labels print" not met
bulk_tasks(project, 250)                                   # many rows, fast, for query counts
"""

import datetime as dt

from conftest import TODAY
from liaison.accounts.models import User
from liaison.planning.models import Milestone, Task
from liaison.planning.services.milestones import (
    milestone_create,
    milestone_decide,
    milestone_submit,
)
from liaison.planning.services.tasks import task_create
from liaison.projects.keys import next_key
from liaison.projects.models import Project
from liaison.projects.tests.factories import make_teammates

DUE = dt.date(2031, 2, 3)  # a Monday, far enough ahead not to be overdue
CRITERIA = ["Scans work", "Labels print"]


def make_task(
    project: Project,
    *,
    by: User | None = None,
    completed_at: dt.datetime | None = None,
    **fields,
) -> Task:
    """A task written by `by` (the manager unless given); fields as task_create
    takes. `completed_at` backdates when a done task was finished."""
    task = task_create(project=project, by=by or project.manager, **{"title": "Design", **fields})
    if completed_at is not None:
        Task.objects.filter(pk=task.pk).update(completed_at=completed_at)
        task.completed_at = completed_at
    return task


def make_milestone(project: Project, *, by: User | None = None, **fields) -> Milestone:
    """A planned, client-visible milestone with CRITERIA, due DUE unless given;
    fields as milestone_create takes."""
    return milestone_create(
        project=project,
        by=by or project.manager,
        **{"name": "Pilot", "due_date": DUE, "criteria": CRITERIA, **fields},
    )


def submit_milestone(milestone: Milestone, *, note: str = "Please check the scanners") -> Milestone:
    """`milestone` submitted by its project's manager, as it reads afterwards."""
    milestone_submit(milestone=milestone, by=milestone.project.manager, note=note)
    return Milestone.objects.get(pk=milestone.pk)


def submitted_milestone(project: Project, *, note: str = "Please check the scanners", **fields):
    """A new milestone awaiting the client's decision; fields as make_milestone takes."""
    return submit_milestone(make_milestone(project, **fields), note=note)


def reject_milestone(
    milestone: Milestone, *, by: User, comment: str = "", ip: str = "198.51.100.7"
) -> None:
    """The client (`by`) rejects a submitted milestone with CRITERIA: the first
    met, the second not ("Labels smudge")."""
    milestone_decide(
        milestone=milestone,
        by=by,
        accept=False,
        verdicts=[{"met": True, "comment": ""}, {"met": False, "comment": "Labels smudge"}],
        comment=comment,
        ip=ip,
    )


def bulk_tasks(project: Project, count: int) -> list[Task]:
    """`count` tasks with assignees, milestones, parents, dates (some overdue)
    and every status, written in bulk (the read pages only need rows)."""
    people = make_teammates(project, 3)
    milestones = [
        Milestone.objects.create(
            project=project, key=next_key(project=project, prefix="M"), name="Phase", due_date=DUE
        )
        for _ in range(2)
    ]
    first = (
        Task.objects.filter(project=project)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    past = TODAY - dt.timedelta(days=3)
    statuses = Task.Status.values
    rows = [
        Task(
            project=project,
            key=f"T-{number}",
            number=number,
            title=f"Task {number}",
            description="Long text " * 50,
            assignee=people[number % 3] if number % 4 else None,
            milestone=milestones[number % 2] if number % 3 else None,
            start_date=past if number % 2 else None,
            due_date=past if number % 2 else None,
            estimate_hours=number % 9,
            progress=number % 100,
            status=statuses[number % 4],
            order=number % 5,
            client_visible=number % 2 == 0,
        )
        for number in range(first, first + count)
    ]
    made = Task.objects.bulk_create(rows)
    parent = made[0]
    Task.objects.filter(pk__in=[task.pk for task in made[1::2]]).update(parent=parent)
    return made
