"""Applying the scheduler to the database: after any change to dates or
dependencies, the tasks the plan pushes move in the same transaction."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notify
from liaison.core.activity import activity_record
from liaison.core.rules import check_date
from liaison.core.services import InvalidInput
from liaison.planning.models import Dependency, Task
from liaison.planning.scheduling import CycleError, blocking_link, schedule
from liaison.planning.selectors.plan import loop_message, plan_items, work_calendar
from liaison.planning.selectors.tasks import Move, schedule_preview
from liaison.projects.models import Project


def lock_plan(*, project: Project) -> None:
    """One plan change at a time per project: the push of one must see the other."""
    # The row's id is enough to hold the lock: no columns, no ordering to build.
    list(Project.objects.select_for_update().filter(pk=project.pk).values_list("pk"))


def check_start_allowed(*, task: Task, start: dt.date, due: dt.date) -> None:
    """Refuse dates its predecessors forbid, naming the dependency."""
    items, links = plan_items(task.project, replace={task.pk: (start, due)})
    calendar = work_calendar(task.project)
    try:
        link = blocking_link(items, links, calendar, item_id=task.pk, start=start)
    except CycleError as loop:  # a loop left by an import: said, not a server error
        raise InvalidInput(loop_message(loop.cycle), code="dependency_cycle") from loop
    if link is None:
        return
    dependency = (
        Dependency.objects.select_related("predecessor")
        .filter(predecessor_id=link.predecessor, successor_id=link.successor)
        .first()
    )
    assert dependency is not None  # the link is one of the project's dependencies
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


def reschedule(*, project: Project, by: User) -> list[Task]:
    """Push every task the dependencies require to move; record each move."""
    items, links = plan_items(project)
    try:
        slots = schedule(items, links, work_calendar(project))
    except CycleError as loop:
        raise InvalidInput(loop_message(loop.cycle), code="dependency_cycle") from loop
    except (OverflowError, ValueError) as overflow:  # pushed beyond the last date there is
        raise InvalidInput(
            _("This would push tasks beyond the year 9999."), code="date_overflow"
        ) from overflow
    moved_ids = [pk for pk, slot in slots.items() if slot.moved]
    if not moved_ids:
        return []
    now = timezone.now()
    diffs: dict[int, dict[str, list[str]]] = {}
    moved = list(
        Task.objects.filter(pk__in=moved_ids)
        .select_related("assignee", "project")
        .select_for_update(of=("self",))
    )
    for task in moved:
        slot, start, due = slots[task.pk], task.start_date, task.due_date
        assert start is not None and due is not None  # the scheduler moves dated tasks
        diff = diffs[task.pk] = {}
        if start != slot.start:
            diff["start_date"] = [start.isoformat(), slot.start.isoformat()]
        if due != slot.finish:
            diff["due_date"] = [due.isoformat(), slot.finish.isoformat()]
        task.start_date, task.due_date = slot.start, slot.finish
        task.version += 1
        task.updated_at = now
    Task.objects.bulk_update(moved, ["start_date", "due_date", "version", "updated_at"])
    for task in moved:
        activity_record(
            actor=by,
            verb="rescheduled",
            target=task,
            project=project,
            diff=diffs[task.pk],
            client_visible=task.client_visible,
        )
        _tell_assignee(task, by)
    return moved


def _tell_assignee(task: Task, by: User) -> None:
    """The plan moved somebody's work: they hear of it from Liaison, not by surprise."""
    if task.assignee is None:
        return
    notify(
        event="task.rescheduled",
        recipients=[task.assignee],
        actor=by,
        project=task.project,
        message=_("%(task)s moved to %(start)s – %(due)s, pushed by a change to the plan"),
        params={"task": task, "start": task.start_date, "due": task.due_date},
        url=reverse("planning:task", args=[task.project.code, task.key]),
    )


def check_dates_movable(*, task: Task) -> None:
    """The Gantt's gestures leave alone a task of a milestone the client accepted:
    its dates are part of what was accepted."""
    milestone = task.milestone
    if milestone is not None and milestone.is_closed:
        raise InvalidInput(
            _("%(task)s belongs to %(milestone)s, which the client accepted: its dates are locked.")
            % {"task": task.key, "milestone": milestone.key},
            field="start_date",
            code="milestone_accepted",
        )


def gesture_preview(*, task: Task, start: dt.date, due: dt.date) -> list[Move]:
    """What a drag or an arrow key on the Gantt would move, refused as its save
    (`task_move`) would be."""
    check_dates_movable(task=task)
    return task_move_preview(task=task, start=start, due=due)


def task_move_preview(*, task: Task, start: dt.date, due: dt.date) -> list[Move]:
    """What moving `task` to start..due would push, itself included, saving
    nothing; refused exactly as saving would be (a predecessor that forbids
    the start, a loop, dates out of range), so a preview never promises more."""
    check_date(start, "start_date")
    check_date(due, "due_date")
    if due < start:
        raise InvalidInput(_("The due date cannot be before the start."), field="due_date")
    check_start_allowed(task=task, start=start, due=due)
    try:
        return schedule_preview(task=task, start=start, due=due)
    except CycleError as loop:
        raise InvalidInput(loop_message(loop.cycle), code="dependency_cycle") from loop
