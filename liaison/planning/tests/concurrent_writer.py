"""One of several processes writing to the same project at once, for
test_concurrency.py: `python -m liaison.planning.tests.concurrent_writer
<job> <project code> <actor email> <start file> [arguments]`.

Once set up it says so (a ready-<pid> file beside the start file), waits for
the start file (so that every writer begins together), does its job through
the services, and prints what happened as JSON on its last line."""

import json
import os
import sys
import time
from pathlib import Path

import django


def wait_for(start: Path) -> None:
    (start.parent / f"ready-{os.getpid()}").touch()
    while not start.exists():
        time.sleep(0.005)


def create_tasks(project, by, count: int) -> dict:
    from liaison.planning.services.tasks import task_create

    keys = [
        task_create(project=project, by=by, title=f"Task by {by.email}").key for _ in range(count)
    ]
    return {"keys": keys}


def move_task(project, by, key: str, day: str, attempts: int) -> dict:
    """Move the task to start on `day`, as a person would: read, submit, and
    on a conflict read again and submit again."""
    import datetime as dt

    from liaison.core.locking import StaleEdit
    from liaison.planning.models import Task
    from liaison.planning.services.tasks import task_update

    start = dt.date.fromisoformat(day)
    conflicts = 0
    for _ in range(attempts):
        task = Task.objects.get(project=project, key=key)
        try:
            saved = task_update(
                task=task, by=by, version=task.version, start_date=start, due_date=start
            )
        except StaleEdit:
            conflicts += 1
            continue
        return {"moved": True, "version": saved.version, "conflicts": conflicts}
    return {"moved": False, "conflicts": conflicts}


def edit_from(project, by, key: str, version: int, title: str) -> dict:
    """Submit a form that was opened at `version`: saved, or refused as stale."""
    from liaison.core.locking import StaleEdit
    from liaison.planning.models import Task
    from liaison.planning.services.tasks import task_update

    task = Task.objects.get(project=project, key=key)
    try:
        task_update(task=task, by=by, version=version, title=title)
    except StaleEdit:
        return {"saved": False}
    return {"saved": True}


JOBS = {"create": create_tasks, "move": move_task, "edit": edit_from}


def main(job: str, code: str, email: str, start: str, *arguments: str) -> None:
    django.setup()
    from liaison.accounts.models import User
    from liaison.projects.models import Project

    project = Project.objects.get(code=code)
    by = User.objects.get(email=email)
    converted = [int(value) if value.isdigit() else value for value in arguments]
    wait_for(Path(start))
    try:
        result = JOBS[job](project, by, *converted)
    except Exception as error:  # reported to the test, which fails on it
        result = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
