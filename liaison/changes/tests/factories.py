"""Change requests for tests.

make_change and sent_change go through the services, as the team works;
change_row writes straight to the table, in any state, with the next free key.

make_change(project, manager)                          # CR-n, submitted
sent_change(project, manager)                          # assessed, awaiting the client
change_row(project, status="approved", decided_at=at)  # no audit trail, no mail
schedule_line(task, start, due)                        # one of schedule_changes
chain_plan(project, manager)                           # a plan to change, worked out by hand
"""

import datetime as dt

from liaison.changes.models import ChangeRequest
from liaison.changes.services.change_requests import change_create
from liaison.changes.services.lifecycle import change_transition
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.tasks import task_create
from liaison.projects.keys import next_number
from liaison.projects.models import Project


def make_change(project, by, **fields) -> ChangeRequest:
    """A submitted change raised by `by` (a manager or member); fields as change_create takes."""
    return change_create(project=project, by=by, **{"title": "Add a barcode scanner", **fields})


def sent_change(project, by, **fields) -> ChangeRequest:
    """A change assessed and sent to the client by `by` (a manager): awaiting their decision.
    Needs nothing else: the effort and a scope impact are filled in unless given."""
    change = make_change(
        project,
        by,
        **{"effort_hours": 16, "scope_impact": "One more screen.", **fields},
    )
    change = change_transition(
        change=change, by=by, status=ChangeRequest.Status.ASSESSING, version=change.version
    )
    return change_transition(
        change=change, by=by, status=ChangeRequest.Status.AWAITING_CLIENT, version=change.version
    )


def schedule_line(task, start: dt.date, due: dt.date) -> dict:
    """One line of a change's schedule_changes: `task` to run from start to due."""
    return {"task": task.key, "start": start.isoformat(), "due": due.isoformat()}


def change_row(project, **fields) -> ChangeRequest:
    """A change request written to the table, in any state: "Change n"."""
    number = next_number(project=project, prefix="CR")
    return ChangeRequest.objects.create(
        project=project,
        key=f"CR-{number}",
        number=number,
        **{"title": f"Change {number}", **fields},
    )


# A plan small enough to work out by hand (January 2027, Monday the 4th; the
# 13th is a holiday): T-1 → T-2 → T-3 → T-4, finish to start; T-3 and T-4 make
# milestone M-1, due Friday the 15th; T-5 stands alone.
def day(number: int) -> dt.date:
    return dt.date(2027, 1, number)


def chain_plan(project, by) -> dict:
    Project.objects.filter(pk=project.pk).update(holidays=[day(13).isoformat()])
    project.refresh_from_db()
    m1 = milestone_create(project=project, by=by, name="Pilot", due_date=day(15))
    dates = {1: (4, 5), 2: (6, 8), 3: (11, 12), 4: (14, 15), 5: (4, 6)}
    tasks = {
        number: task_create(
            project=project,
            by=by,
            title=f"Step {number}",
            start_date=day(start),
            due_date=day(due),
            milestone=m1 if number in (3, 4) else None,
            client_visible=number != 2,
        )
        for number, (start, due) in dates.items()
    }
    for number in (1, 2, 3):
        dependency_create(
            project=project, by=by, predecessor=tasks[number], successor=tasks[number + 1]
        )
    return {"m1": m1, **{f"t{number}": task for number, task in tasks.items()}}
