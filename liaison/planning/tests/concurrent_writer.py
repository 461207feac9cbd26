"""Several processes writing to the same project at once, for
test_concurrency.py: `python -m liaison.planning.tests.concurrent_writer
<start file> <jobs as JSON>`, each job `[job, project code, actor email,
arguments...]`.

This process sets Django up once and forks one writer per job, so the writers
are real processes with their own connections without each paying Django's
start (about two seconds of CPU apiece, most of the tests' time). Once set up,
each writer says so (a ready-<pid> file beside the start file), waits for the
start file (so that every writer begins together) and does its job through the
services. The last line printed is the writers' results as JSON, in the jobs'
order; a writer that crashed makes this process exit non-zero."""

import json
import os
import sys
import time
import traceback
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


def write(job: str, code: str, email: str, start: Path, *arguments: str) -> dict:
    from liaison.accounts.models import User
    from liaison.projects.models import Project

    project = Project.objects.get(code=code)
    by = User.objects.get(email=email)
    converted = [int(value) if value.isdigit() else value for value in arguments]
    wait_for(start)
    try:
        return JOBS[job](project, by, *converted)
    except Exception as error:  # reported to the test, which fails on it
        return {"error": f"{type(error).__name__}: {error}"}


def fork_writer(job: list[str], start: Path, out: Path) -> int:
    """A child process that does `job` and leaves its result in `out`."""
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        out.write_text(json.dumps(write(job[0], job[1], job[2], start, *job[3:])))
        status = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(status)


def main(start: str, jobs: str) -> None:
    django.setup()
    from django.db import connections
    from django.urls import get_resolver

    # What the jobs import, imported once here rather than in every writer.
    from liaison.core import locking  # noqa: F401
    from liaison.planning.services import tasks  # noqa: F401

    # The URL conf, which a task's search entry reverses its links in: built
    # here once, as a served process has it, not by each writer inside its
    # transaction (a second each, while the others waited for the lock).
    get_resolver().reverse_dict  # noqa: B018

    connections.close_all()  # each writer opens its own connection
    folder = Path(start).parent
    outs = {folder / f"result-{n}.json": job for n, job in enumerate(json.loads(jobs))}
    pids = [fork_writer(job, Path(start), out) for out, job in outs.items()]
    failed = [pid for pid in pids if os.waitpid(pid, 0)[1] != 0]
    if failed:
        sys.exit(f"writers {failed} crashed (their tracebacks above)")
    print(json.dumps([json.loads(out.read_text()) for out in outs]))


if __name__ == "__main__":
    main(*sys.argv[1:])
