"""Writes of tasks. A change of dates pushes the tasks that depend on it."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notify
from liaison.core import search
from liaison.core.activity import activity_record, client_has_seen
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.planning.models import Dependency, Milestone, Task
from liaison.planning.services.board import check_not_rolled_up, task_parents_roll_up
from liaison.planning.services.schedule import (
    check_dates_movable,
    check_start_allowed,
    lock_plan,
    reschedule,
)
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Membership, Project
from liaison.requirements.models import Requirement

EDITABLE_FIELDS = (
    "title",
    "description",
    "parent",
    "milestone",
    "requirements",
    "assignee",
    "start_date",
    "due_date",
    "estimate_hours",
    "progress",
    "status",
    "order",
    "rank",
    "client_visible",
)
MAX_ESTIMATE = Decimal("10000")
# What a parent's roll-up reads of its children (selectors/rollup.py).
ROLLED_UP_FROM = {"status", "progress", "estimate_hours", "parent"}
# What a swimlane stands for (selectors/board.py, LANES): a drop into another sets it.
LANE_FIELDS = ("assignee", "milestone")
RANK_GAP = 1024  # room left between two cards on the board, so most moves change one row


# -- cleaning -------------------------------------------------------------------


def _clean_numbers(fields: dict[str, Any]) -> None:
    if "progress" in fields:
        progress = fields["progress"]
        if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100:
            raise InvalidInput(_("Progress is a percentage from 0 to 100."), field="progress")
    if fields.get("estimate_hours") is not None:
        try:
            estimate = Decimal(str(fields["estimate_hours"]))
        except InvalidOperation:
            raise InvalidInput(_("Give the estimate in hours."), field="estimate_hours") from None
        if not estimate.is_finite() or not Decimal(0) <= estimate <= MAX_ESTIMATE:
            raise InvalidInput(
                _("The estimate is between 0 and 10,000 hours."), field="estimate_hours"
            )
        fields["estimate_hours"] = estimate.quantize(Decimal("0.1"))
    if "order" in fields and (not isinstance(fields["order"], int) or fields["order"] < 0):
        raise InvalidInput(_("The order is a whole number from 0."), field="order")


def _check_dates(start: dt.date | None, due: dt.date | None) -> None:
    check_date(start, "start_date")
    check_date(due, "due_date")
    if start and due and due < start:
        raise InvalidInput(_("The due date cannot be before the start."), field="due_date")


def _check_parent(project: Project, parent: Task | None, task: Task | None) -> None:
    if parent is None:
        return
    if parent.project_id != project.pk:
        raise InvalidInput(_("The parent must be a task of this project."), field="parent")
    # Walk up in one query per level; WBS trees are a few levels deep.
    ancestor: Task | None = parent
    while ancestor is not None:
        if task is not None and ancestor.pk == task.pk:
            raise InvalidInput(_("A task cannot be inside itself."), field="parent")
        ancestor = ancestor.parent


def _check_links(project: Project, fields: dict[str, Any]) -> None:
    milestone = fields.get("milestone")
    if milestone is not None and (
        not isinstance(milestone, Milestone) or milestone.project_id != project.pk
    ):
        raise InvalidInput(_("The milestone must be one of this project."), field="milestone")
    for requirement in fields.get("requirements") or ():
        if not isinstance(requirement, Requirement) or requirement.project_id != project.pk:
            raise InvalidInput(_("Link requirements of this project only."), field="requirements")
    assignee = fields.get("assignee")
    if (
        assignee is not None
        and not Membership.objects.filter(
            project=project,
            user=assignee,
            role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
        ).exists()
    ):
        raise InvalidInput(
            _("Assign the task to a manager or member of the project."), field="assignee"
        )


def _clean(project: Project, fields: dict[str, Any], task: Task | None = None) -> dict[str, Any]:
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()[:300]
        if not fields["title"]:
            raise InvalidInput(_("A task needs a title."), field="title")
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "status" in fields and fields["status"] not in Task.Status.values:
        raise InvalidInput(_("Choose one of the listed values."), field="status")
    _clean_numbers(fields)
    start = fields.get("start_date", task.start_date if task else None)
    due = fields.get("due_date", task.due_date if task else None)
    _check_dates(start, due)
    _check_parent(project, fields.get("parent"), task)
    _check_links(project, fields)
    if fields.get("status") == Task.Status.DONE and "progress" not in fields:
        fields["progress"] = 100  # done is done, whatever the last estimate of progress
    return fields


def _mark_completion(task: Task) -> list[str]:
    """Keep when the task became done, what status reports count as finished in
    their period; reopening it clears the mark. The fields it changed."""
    done = task.status == Task.Status.DONE
    if done == (task.completed_at is not None):
        return []
    task.completed_at = timezone.now() if done else None
    return ["completed_at"]


# -- writes ---------------------------------------------------------------------


def _notify_assignee(task: Task, by: User) -> None:
    if task.assignee_id:
        notify(
            event="task.assigned",
            recipients=[task.assignee],
            actor=by,
            project=task.project,
            message=_("%(actor)s assigned %(task)s to you"),
            params={"actor": by, "task": task},
            url=task.get_absolute_url(),
        )


@transaction.atomic
def task_create(*, project: Project, by: User, **fields: Any) -> Task:
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    fields = _clean(project, {"title": "", **fields})
    requirements = fields.pop("requirements", None) or []
    lock_plan(project=project)
    number = next_number(project=project, prefix="T")
    task = Task(project=project, key=f"T-{number}", number=number, **fields)
    _mark_completion(task)
    task.save()
    search.index(task)
    if requirements:
        task.requirements.set(requirements)
    activity_record(
        actor=by, verb="created", target=task, project=project, client_visible=task.client_visible
    )
    task_parents_roll_up(parent_id=task.parent_id, by=by)
    _notify_assignee(task, by)
    return task


def _requirements_diff(task: Task, requirements: list[Requirement]) -> dict[str, list[object]]:
    before = sorted(task.requirements.all(), key=lambda r: r.pk)
    after = sorted(set(requirements), key=lambda r: r.pk)
    if [r.pk for r in before] == [r.pk for r in after]:
        return {}
    task.requirements.set(after)
    return {"requirements": [", ".join(r.key for r in before), ", ".join(r.key for r in after)]}


@transaction.atomic
def task_update(*, task: Task, by: User, version: int, **fields: Any) -> Task:
    """Change a task; new dates push its successors in the same transaction."""
    project = task.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    lock_plan(project=project)
    locked = Task.objects.select_for_update(of=("self",)).select_related("project").get(pk=task.pk)
    check_version(locked, version)
    fields = _clean(project, fields, locked)
    check_not_rolled_up(task=locked, fields=fields)
    requirements = fields.pop("requirements", None)
    old_assignee = locked.assignee_id
    old_parent = locked.parent_id
    diff = apply_fields(locked, fields)
    if requirements is not None:
        diff.update(_requirements_diff(locked, requirements))
    if not diff:
        return locked
    dates_changed = "start_date" in diff or "due_date" in diff
    start, due = locked.start_date, locked.due_date
    if dates_changed and start is not None and due is not None:  # is_scheduled
        check_start_allowed(task=locked, start=start, due=due)
    saved = [name for name in diff if name != "requirements"]
    if "status" in diff:
        saved += _mark_completion(locked)
    save_changes(locked, saved)
    search.index_changed(locked, saved)
    # A card's rank is only its place in a board column: a number nobody reads,
    # and the client would see it as a change to the task. Not recorded.
    recorded = {name: change for name, change in diff.items() if name != "rank"}
    if recorded:
        activity_record(
            actor=by,
            verb="updated",
            target=locked,
            project=project,
            diff=recorded,
            client_visible=locked.client_visible,
        )
    if ROLLED_UP_FROM.intersection(diff):
        task_parents_roll_up(parent_id=locked.parent_id, by=by)
    if "parent" in diff:
        task_parents_roll_up(parent_id=old_parent, by=by)
    if dates_changed:
        reschedule(project=project, by=by)
    if locked.assignee_id != old_assignee:
        _notify_assignee(locked, by)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def task_move(*, task: Task, by: User, version: int, start: dt.date, due: dt.date) -> Task:
    """The Gantt's drag or arrow keys: new dates, the successors pushed, in one
    transaction; refused for a task of an accepted milestone."""
    check_dates_movable(task=task)
    return task_update(task=task, by=by, version=version, start_date=start, due_date=due)


def _board_rank(task: Task, status: str, after: Task | None) -> int:
    """The rank that puts `task` right after `after` in the column of `status`
    (first without one). When the neighbours leave no room, the cards up to
    `after` move up together in one UPDATE (a card's rank is only its place:
    no version, no audit row for the others)."""
    column = Task.objects.filter(project_id=task.project_id, status=status).exclude(pk=task.pk)
    if after is not None:
        column = column.filter(Q(rank__gt=after.rank) | Q(rank=after.rank, number__gt=after.number))
    following = column.order_by("rank", "number").values_list("rank", flat=True)[:1]
    below = following[0] if following else None
    if after is None:
        return 0 if below is None else below - RANK_GAP
    if below is None:
        return after.rank + RANK_GAP
    if below - after.rank >= 2:
        return (after.rank + below) // 2
    shift = after.rank - below + 2 * RANK_GAP
    Task.objects.filter(project_id=task.project_id, status=status).exclude(pk=task.pk).filter(
        Q(rank__lt=after.rank) | Q(rank=after.rank, number__lte=after.number)
    ).update(rank=F("rank") - shift)
    return below - RANK_GAP


def _check_milestone_open(milestone: Milestone | None) -> None:
    """A task neither joins nor leaves a milestone the client accepted: what
    they accepted stays as it was (its tasks' dates too: check_dates_movable)."""
    if milestone is not None and milestone.is_closed:
        raise InvalidInput(
            _("The client accepted %(milestone)s: its tasks stay as they were.")
            % {"milestone": milestone.key},
            field="milestone",
            code="milestone_accepted",
        )


def _lane_fields(task: Task, lane: Mapping[str, Any]) -> dict[str, Any]:
    """What a drop into another swimlane changes: the lane's assignee or
    milestone where it is not the task's already. Who may be assigned is
    task_update's rule (_check_links), applied only to a real change, so a card
    of someone who left the project still moves within their lane."""
    only_editable(lane, LANE_FIELDS)
    changed = {
        name: value
        for name, value in lane.items()
        if getattr(task, f"{name}_id") != (value.pk if value is not None else None)
    }
    if "milestone" in changed:
        _check_milestone_open(task.milestone)
        _check_milestone_open(changed["milestone"])
    return changed


@transaction.atomic
def task_transition(
    *,
    task: Task,
    by: User,
    status: str,
    version: int | None = None,
    placed: bool = False,
    after: Task | None = None,
    lane: Mapping[str, Any] | None = None,
) -> Task:
    """The board's move: only the status (and progress for done) changes and,
    when `placed`, the card's place in its column: right after `after`, or
    first without one (an `after` no longer in that column counts as none).
    `lane`, a drop into another swimlane: {"assignee": person or None} or
    {"milestone": milestone or None}, set in the same write, audited and
    versioned with the move."""
    if version is None:
        version = Task.objects.values_list("version", flat=True).get(pk=task.pk)
    fields: dict[str, Any] = {"status": status}
    if placed or lane:
        access.require(by, Action.EDIT, task.project)
    if lane:
        fields.update(_lane_fields(task, lane))
    if placed:
        lock_plan(project=task.project)
        if after is not None and (after.project_id != task.project_id or after.status != status):
            after = None
        fields["rank"] = _board_rank(task, status, after)
    return task_update(task=task, by=by, version=version, **fields)


@transaction.atomic
def task_delete(*, task: Task, by: User, version: int | None = None) -> None:
    """Delete a task the client never saw; its children move up one level.
    With a version, a task changed since then is not deleted."""
    project = task.project
    access.require(by, Action.EDIT, project)
    lock_plan(project=project)  # its parent's roll-up reads the siblings
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if version is not None:
        check_version(locked, version)
    if locked.client_visible or client_has_seen(locked):
        raise InvalidInput(
            _("The client has seen this task, so it stays on record. Mark it done instead."),
            code="client_visible",
        )
    Task.objects.filter(parent=locked).update(parent=locked.parent)
    links = Dependency.objects.filter(Q(predecessor=locked) | Q(successor=locked))
    for link in links.select_related("predecessor", "successor"):
        activity_record(actor=by, verb="unlinked", target=link, project=project)
    activity_record(actor=by, verb="deleted", target=locked, project=project)
    search.unindex(locked)
    locked.delete()
    task_parents_roll_up(parent_id=locked.parent_id, by=by)
