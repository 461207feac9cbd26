"""A parent's status and progress roll up from its children (selectors/rollup.py,
kept by the task services), a card's place in its column (rank), and the
columns' work-in-progress limits (services/board.py)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.planning.models import BoardLimits, Task
from liaison.planning.selectors.report import project_progress
from liaison.planning.selectors.rollup import Child, Rollup, rolled_up, rolled_up_tree
from liaison.planning.services.board import board_limits_set
from liaison.planning.services.tasks import RANK_GAP, task_delete, task_transition, task_update
from liaison.planning.tests.factories import make_task


def _fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


# -- the rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["done", "done"], "done"),
        (["done", "in_progress", "todo"], "in_progress"),
        (["blocked", "in_progress"], "in_progress"),
        (["done", "todo"], "todo"),
        (["blocked", "done"], "todo"),
        (["todo"], "todo"),
    ],
)
def test_a_parents_status_follows_its_children(statuses, expected):
    rollup = rolled_up(Child(status, 0, None) for status in statuses)
    assert rollup is not None and rollup.status == expected


def test_progress_is_weighted_by_the_estimates_as_the_report_weighs_it():
    children = [
        Child("in_progress", 50, Decimal("30")),  # 15 of 30 hours
        Child("done", 10, Decimal("10")),  # done counts as 100 %: 10 of 10
        Child("todo", 0, None),  # weighs as the average estimated child: 0 of 20
    ]
    assert rolled_up(children) == Rollup("in_progress", round(25 / 60 * 100))
    assert rolled_up([Child("todo", 40, None), Child("todo", 60, None)]) == Rollup("todo", 50)
    assert rolled_up([]) is None


# -- kept by the services -------------------------------------------------------------


@pytest.fixture
def tree(project, manager):
    top = make_task(project, title="Release")
    phase = make_task(project, title="Phase", parent=top, estimate_hours=10)
    build = make_task(project, title="Build", parent=phase, estimate_hours=30)
    test = make_task(project, title="Test", parent=phase, estimate_hours=10)
    return {"top": top, "phase": phase, "build": build, "test": test}


def test_a_childs_move_rolls_up_every_parent_above_it_audited(tree, manager):
    build, top = tree["build"], tree["top"]
    before = _fresh(top).version
    task_update(
        task=build, by=manager, version=_fresh(build).version, status="in_progress", progress=50
    )
    phase, top = _fresh(tree["phase"]), _fresh(top)
    assert (phase.status, phase.progress) == ("in_progress", round(15 / 40 * 100))
    assert (top.status, top.progress) == ("in_progress", phase.progress)
    assert top.version == before + 1  # a stale edit of the parent is refused, as any
    row = Activity.objects.filter(target_id=top.pk, verb="updated").latest("pk")
    assert row.actor == manager
    assert row.diff["status"] == ["todo", "in_progress"]
    for child in ("build", "test"):
        task_transition(task=tree[child], by=manager, status="done")
    top = _fresh(top)
    assert (top.status, top.progress) == ("done", 100)
    assert top.completed_at is not None
    task_transition(task=tree["test"], by=manager, status="todo")
    assert _fresh(top).status == "todo" and _fresh(top).completed_at is None


def test_a_parent_does_not_take_a_status_of_its_own(tree, manager):
    phase = tree["phase"]
    with pytest.raises(InvalidInput) as refused:
        task_transition(task=phase, by=manager, status="done", version=_fresh(phase).version)
    assert refused.value.code == "rolled_up"
    with pytest.raises(InvalidInput):
        task_update(task=phase, by=manager, version=_fresh(phase).version, progress=80)
    # Its other fields, and its place on the board, stay its own.
    task_update(
        task=phase, by=manager, version=_fresh(phase).version, title="Phase 1", status="todo"
    )
    assert _fresh(phase).title == "Phase 1"


def test_a_new_moved_or_deleted_child_rolls_its_parents_up(project, manager, tree):
    for child in ("build", "test"):
        task_transition(task=tree[child], by=manager, status="done")
    assert _fresh(tree["phase"]).status == "done"
    extra = make_task(project, title="Docs", parent=tree["phase"])  # a new child: to do
    assert _fresh(tree["phase"]).status == "todo"
    other = make_task(project, title="Elsewhere", status="done")
    task_update(task=extra, by=manager, version=_fresh(extra).version, parent=other)
    assert _fresh(tree["phase"]).status == "done"  # it left: the phase is done again
    assert _fresh(other).status == "todo"  # and its new parent is to do
    task_delete(task=_fresh(extra), by=manager)
    assert _fresh(other).status == "todo"  # its last child left: its own status stands


def test_the_report_weighs_the_top_level_tasks_with_the_same_rule(project, manager, tree):
    task_update(task=tree["build"], by=manager, version=_fresh(tree["build"]).version, progress=50)
    loose = make_task(project, title="Loose end", estimate_hours=10)
    task_transition(task=loose, by=manager, status="done")
    top = _fresh(tree["top"])  # no estimate: weighs as the average estimated top task
    assert project_progress(project) == round((10 * 100 + 10 * top.progress) / 20)


# -- a card's place -------------------------------------------------------------------


@pytest.fixture
def column(project, manager):
    return [make_task(project, title=title) for title in ("A", "B", "C")]


def _order(status: str = "todo") -> list[str]:
    return list(
        Task.objects.filter(status=status)
        .order_by("rank", "number")
        .values_list("title", flat=True)
    )


def test_a_card_goes_after_the_card_named_or_first(manager, column):
    a, b, c = column
    task_transition(task=c, by=manager, status="todo", placed=True, after=None)
    assert _order() == ["C", "A", "B"]
    task_transition(task=a, by=manager, status="todo", placed=True, after=_fresh(b))
    assert _order() == ["C", "B", "A"]
    task_transition(task=c, by=manager, status="todo", placed=True, after=_fresh(a))
    assert _order() == ["B", "A", "C"]
    # After the last card: a gap on, one row changes.
    assert _fresh(c).rank == _fresh(a).rank + RANK_GAP
    task_transition(task=b, by=manager, status="in_progress", placed=True, after=None)
    task_transition(task=a, by=manager, status="in_progress", placed=True, after=_fresh(b))
    assert _order("in_progress") == ["B", "A"]
    assert _order() == ["C"]


def test_a_move_between_cards_without_room_shifts_the_ones_above(manager, column):
    a, b, c = column  # all rank 0: ordered by number
    task_transition(task=c, by=manager, status="todo", placed=True, after=_fresh(a))
    assert _order() == ["A", "C", "B"]
    versions = {task.title: _fresh(task).version for task in column}
    task_transition(task=b, by=manager, status="todo", placed=True, after=_fresh(a))
    assert _order() == ["A", "B", "C"]
    # The card moved has a new version and an activity row; the others only moved up.
    assert _fresh(a).version == versions["A"] and _fresh(c).version == versions["C"]
    assert _fresh(b).version == versions["B"] + 1


def test_a_stale_move_changes_nothing(manager, member, column):
    _a, b, _c = column
    stale = _fresh(b).version
    task_update(task=b, by=member, version=stale, title="B2")
    with pytest.raises(StaleEdit):
        task_transition(task=b, by=manager, status="done", version=stale, placed=True, after=None)
    assert _order() == ["A", "B2", "C"]
    assert _fresh(b).status == "todo"


# -- work-in-progress limits ----------------------------------------------------------


def test_managers_set_the_limits_and_a_stale_form_is_refused(project, manager, member):
    limits = board_limits_set(
        project=project, by=manager, version=0, limits={"in_progress": 3, "blocked": None}
    )
    assert limits.limits == {"in_progress": 3}
    assert Activity.objects.filter(target_id=limits.pk, verb="updated").exists()
    with pytest.raises(StaleEdit):
        board_limits_set(project=project, by=manager, version=0, limits={"todo": 9})
    board_limits_set(project=project, by=manager, version=limits.version, limits={"todo": 9})
    assert BoardLimits.objects.get(project=project).limits == {"todo": 9}
    with pytest.raises(PermissionDenied):
        board_limits_set(project=project, by=member, version=2, limits={})


@pytest.mark.parametrize(
    "limits",
    [{"todo": 0}, {"todo": 1000}, {"todo": "3"}, {"todo": True}, {"archived": 2}],
)
def test_a_limit_is_a_whole_number_of_a_column(project, manager, limits):
    with pytest.raises(InvalidInput):
        board_limits_set(project=project, by=manager, version=0, limits=limits)
    assert not BoardLimits.objects.exists()


def test_a_whole_plan_in_memory_rolls_up_from_the_deepest_parents():
    def row(pk, parent, status="todo", progress=0, estimate=None):
        return {
            "pk": pk,
            "parent_id": parent,
            "status": status,
            "progress": progress,
            "estimate_hours": estimate,
        }

    rows = [
        row(1, None, "blocked", 5),  # its own values are the stale ones
        row(2, 1),
        row(3, 2, "done"),
        row(4, 2, "done"),
        row(5, 1, "in_progress", 50),
        row(6, 99),  # its parent is not among the rows: a top-level row here
    ]
    assert rolled_up_tree(rows) == {
        2: Rollup("done", 100),
        1: Rollup("in_progress", 75),
    }


def test_the_migration_rolls_up_the_plans_that_existed(project, manager):
    migration = importlib.import_module("liaison.planning.migrations.0005_board")
    parent = make_task(project, title="Phase", order=3)
    child = make_task(project, title="Step", parent=parent, status="done")
    # As rows were before the roll-up: the parent left behind.
    Task.objects.filter(pk=parent.pk).update(status="todo", progress=0, completed_at=None)
    migration.ranks_and_roll_ups(apps, None)
    parent = _fresh(parent)
    assert (parent.status, parent.progress, parent.rank) == ("done", 100, 3)
    assert parent.completed_at is not None
    assert _fresh(child).status == "done"
