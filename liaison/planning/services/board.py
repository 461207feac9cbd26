"""Writes of the board: a parent's roll-up when a child changes, and the
columns' work-in-progress limits. A card's move is `tasks.task_transition`."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.services import InvalidInput
from liaison.planning.models import BoardLimits, Task
from liaison.planning.selectors.board import COLUMNS
from liaison.planning.selectors.rollup import Child, rolled_up
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

MAX_LIMIT = 999


def task_parents_roll_up(*, parent_id: int | None, by: User) -> None:
    """Bring a changed child's parent, and the parents above it, to the children's
    status and progress (selectors/rollup.py); each parent that changes gets a
    new version and an activity row naming `by`. Called inside the child's
    write, which holds the plan's lock (`lock_plan`)."""
    seen: set[int] = set()
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = (
            Task.objects.select_for_update(of=("self",)).select_related("project").get(pk=parent_id)
        )
        children = Task.objects.filter(parent_id=parent_id).values_list(
            "status", "progress", "estimate_hours"
        )
        rollup = rolled_up(Child(*row) for row in children)
        if rollup is None:  # its last child left: its own values stand again
            return
        diff = apply_fields(parent, rollup._asdict())
        if not diff:
            return  # nothing above it changes either
        saved = list(diff)
        if "status" in diff:
            parent.completed_at = timezone.now() if parent.status == Task.Status.DONE else None
            saved.append("completed_at")
        save_changes(parent, saved)
        activity_record(
            actor=by,
            verb="updated",
            target=parent,
            project=parent.project,
            diff=diff,
            client_visible=parent.client_visible,
        )
        parent_id = parent.parent_id


def check_not_rolled_up(*, task: Task, fields: dict[str, Any]) -> None:
    """A parent's status and progress are its children's: refuse setting them."""
    changing = [
        name
        for name in ("status", "progress")
        if name in fields and fields[name] != getattr(task, name)
    ]
    if changing and Task.objects.filter(parent_id=task.pk).exists():
        raise InvalidInput(
            _("This task's status and progress follow its sub-tasks: change those instead."),
            field=changing[0],
            code="rolled_up",
        )


@transaction.atomic
def board_limits_set(
    *, project: Project, by: User, version: int, limits: Mapping[str, int | None]
) -> BoardLimits:
    """Set the columns' work-in-progress limits (a column left out or None has
    none). `version` is the limits' the page showed: 0 when there were none."""
    access.require(by, Action.MANAGE, project)
    cleaned: dict[str, int] = {}
    for status, limit in limits.items():
        if status not in COLUMNS:
            raise InvalidInput(_("Choose one of the listed values."), field=status)
        if limit is None:
            continue
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(_("A limit is a whole number from 1 to 999."), field=status)
        cleaned[status] = limit
    board = BoardLimits.objects.select_for_update().filter(project=project).first()
    if board is None:
        board = BoardLimits.objects.create(project=project, version=0)  # saved below: 1
    check_version(board, version)
    diff = apply_fields(board, {"limits": cleaned})
    if diff or board.version == 0:
        save_changes(board, list(diff))
        activity_record(actor=by, verb="updated", target=board, project=project, diff=diff)
    return board
