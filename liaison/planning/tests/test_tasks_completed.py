"""Task.completed_at: when a task became done (what status reports count),
cleared when it is reopened."""

import pytest
from django.utils import timezone

from liaison.core.locking import StaleEdit
from liaison.planning.models import Task
from liaison.planning.services.tasks import task_create, task_transition, task_update

Status = Task.Status


def _reload(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


def test_a_task_created_done_is_completed_now(project, manager):
    before = timezone.now()
    task = task_create(project=project, by=manager, title="Already done", status=Status.DONE)
    assert before <= _reload(task).completed_at <= timezone.now()


@pytest.mark.parametrize("status", [Status.TODO, Status.IN_PROGRESS, Status.BLOCKED])
def test_a_task_created_open_is_not_completed(project, manager, status):
    task = task_create(project=project, by=manager, title="Open", status=status)
    assert _reload(task).completed_at is None


def test_an_update_to_done_completes_and_a_reopening_clears(project, manager):
    task = task_create(project=project, by=manager, title="Work")
    before = timezone.now()
    done = task_update(task=task, by=manager, version=task.version, status=Status.DONE)
    assert before <= done.completed_at <= timezone.now()
    assert _reload(task).completed_at == done.completed_at

    reopened = task_update(task=task, by=manager, version=done.version, status=Status.IN_PROGRESS)
    assert reopened.completed_at is None
    assert _reload(task).completed_at is None


def test_editing_a_done_task_keeps_when_it_was_completed(project, manager):
    task = task_create(project=project, by=manager, title="Work", status=Status.DONE)
    completed = _reload(task).completed_at
    saved = task_update(task=task, by=manager, version=task.version, title="Work, renamed")
    assert saved.completed_at == completed
    again = task_update(task=task, by=manager, version=saved.version, status=Status.DONE)
    assert again.completed_at == completed  # no change of status, no new date


def test_the_board_move_completes_and_reopens(project, member):
    task = task_create(project=project, by=member, title="Card")
    task_transition(task=task, by=member, status=Status.DONE)
    first = _reload(task).completed_at
    assert first is not None
    task_transition(task=task, by=member, status=Status.BLOCKED)
    assert _reload(task).completed_at is None
    task_transition(task=task, by=member, status=Status.DONE)
    assert _reload(task).completed_at >= first


def test_a_stale_update_leaves_completed_at_alone(project, manager):
    task = task_create(project=project, by=manager, title="Work")
    with pytest.raises(StaleEdit):
        task_update(task=task, by=manager, version=task.version + 5, status=Status.DONE)
    assert _reload(task).completed_at is None
