"""Applying the scheduler to the database: after any change to dates or
dependencies, the tasks the plan pushes move in the same transaction."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.services import InvalidInput
from liaison.planning.models import Dependency, Task
from liaison.planning.scheduling import CycleError, blocking_link, schedule
from liaison.planning.selectors.plan import plan_items, work_calendar
from liaison.projects.models import Project


def lock_plan(project: Project) -> None:
    """One plan change at a time per project: the push of one must see the other."""
    Project.objects.select_for_update().filter(pk=project.pk).first()


def loop_message(cycle: list[int]) -> str:
    keys = dict(Task.objects.filter(pk__in=set(cycle)).values_list("pk", "key"))
    return _("This would make a loop: %(loop)s.") % {
        "loop": " → ".join(keys.get(pk, "?") for pk in cycle)
    }


def check_start_allowed(task: Task, start: dt.date, due: dt.date) -> None:
    """Refuse dates its predecessors forbid, naming the dependency."""
    items, links = plan_items(task.project, replace={task.pk: (start, due)})
    calendar = work_calendar(task.project)
    link = blocking_link(items, links, calendar, item_id=task.pk, start=start)
    if link is None:
        return
    dependency = (
        Dependency.objects.select_related("predecessor")
        .filter(predecessor_id=link.predecessor, successor_id=link.successor)
        .first()
    )
    raise InvalidInput(
        _("%(task)s cannot start then: it depends on %(other)s (%(kind)s, lag %(lag)s days).")
        % {
            "task": task.key,
            "other": dependency.predecessor.key,
            "kind": dependency.get_kind_display(),
            "lag": dependency.lag_days,
        },
        field="start_date",
        code="dependency_violated",
    )


def reschedule(project: Project, by: User) -> list[Task]:
    """Push every task the dependencies require to move; record each move."""
    items, links = plan_items(project)
    try:
        slots = schedule(items, links, work_calendar(project))
    except CycleError as loop:
        raise InvalidInput(loop_message(loop.cycle), code="dependency_cycle") from loop
    moved_ids = [pk for pk, slot in slots.items() if slot.moved]
    if not moved_ids:
        return []
    now = timezone.now()
    moved = list(Task.objects.filter(pk__in=moved_ids).select_for_update())
    for task in moved:
        slot = slots[task.pk]
        diff = {}
        if task.start_date != slot.start:
            diff["start_date"] = [task.start_date.isoformat(), slot.start.isoformat()]
        if task.due_date != slot.finish:
            diff["due_date"] = [task.due_date.isoformat(), slot.finish.isoformat()]
        task.start_date, task.due_date = slot.start, slot.finish
        task.version += 1
        task.updated_at = now
        task._diff = diff
    Task.objects.bulk_update(moved, ["start_date", "due_date", "version", "updated_at"])
    for task in moved:
        activity_record(
            actor=by,
            verb="rescheduled",
            target=task,
            project=project,
            diff=task._diff,
            client_visible=task.client_visible,
        )
    return moved
