"""Writers at the same moment, as real processes against the real database
file or server (issue 13): keys stay unique and gap-free, a stale edit is
refused, every step lands in the activity log, and SQLite never answers
"database is locked". On SQLite the suite's in-memory database is copied to a
file for the writers and their result copied back; on PostgreSQL they share
the test database."""

import itertools
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from liaison.core.models import Activity
from liaison.planning.models import Task
from liaison.planning.services.tasks import task_create

WRITERS = 8
pytestmark = pytest.mark.django_db(transaction=True)


class Writers:
    """Start writers on the test's database, release them together, collect
    what each did."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.start = folder / "start"
        self.sqlite_file = folder / "shared.sqlite3" if connection.vendor == "sqlite" else None

    def run(self, jobs: list[list[str]]) -> list[dict]:
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file) as target:
                connection.connection.backup(target)
        process = self._spawn(jobs)
        self._release(len(jobs), process)
        out, err = process.communicate(timeout=120)
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file) as source:
                source.backup(connection.connection)
        assert process.returncode == 0, err
        return json.loads(out.strip().splitlines()[-1])

    def _spawn(self, jobs: list[list[str]]) -> subprocess.Popen:
        """One process that sets Django up and forks a writer per job."""
        module = "liaison.planning.tests.concurrent_writer"
        command = [sys.executable, "-m", module, str(self.start), json.dumps(jobs)]
        return subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=self._environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _environment(self) -> dict[str, str]:
        if self.sqlite_file:
            url = f"sqlite:///{self.sqlite_file}"
        else:
            db = connection.settings_dict
            url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        return {
            **os.environ,
            "DATABASE_URL": url,
            "LIAISON_VAR_DIR": str(self.folder),
            "DJANGO_SETTINGS_MODULE": "liaison.settings",
        }

    def _release(self, count: int, process: subprocess.Popen) -> None:
        """Open the start line once every writer has set up Django; a set-up
        that died says why instead of waiting out the deadline."""
        deadline = time.monotonic() + 120
        while len(list(self.folder.glob("ready-*"))) < count:
            if process.poll() is not None:
                _out, err = process.communicate()
                pytest.fail(f"the writers exited before starting: {err.decode()[-2000:]}")
            assert time.monotonic() < deadline, "the writers did not start"
            time.sleep(0.02)
        self.start.touch()


@pytest.fixture
def writers(tmp_path) -> Writers:
    return Writers(tmp_path)


def test_eight_writers_creating_tasks_get_unique_gap_free_keys(writers, project, manager, member):
    per_writer = 5
    people = [manager.email, member.email] * (WRITERS // 2)
    results = writers.run([["create", project.code, email, str(per_writer)] for email in people])

    assert [result for result in results if "error" in result] == []
    keys = [key for result in results for key in result["keys"]]
    total = WRITERS * per_writer
    assert sorted(keys, key=lambda key: int(key[2:])) == [f"T-{n}" for n in range(1, total + 1)]
    assert Task.objects.filter(project=project).count() == total
    created = Activity.objects.filter(project=project, verb="created", target_type__model="task")
    assert created.count() == total


def test_eight_writers_moving_one_task_end_in_a_serial_order(writers, project, manager):
    task = task_create(project=project, by=manager, title="Pour the foundations")
    days = [f"2027-03-{day:02d}" for day in range(1, WRITERS + 1)]
    jobs = [["move", project.code, manager.email, task.key, day, "50"] for day in days]
    results = writers.run(jobs)

    assert [result for result in results if "error" in result] == []
    assert all(result["moved"] for result in results)
    task.refresh_from_db()
    assert task.version == 1 + WRITERS  # one step per writer, none lost
    steps = Activity.objects.filter(target_id=task.pk, verb="updated").order_by("id")
    assert steps.count() == WRITERS
    # Each step starts where the one before it ended: a serial order.
    moves = [step.diff["start_date"] for step in steps]
    assert sorted(move[1] for move in moves) == days
    for before, after in itertools.pairwise(moves):
        assert after[0] == before[1]
    assert task.start_date.isoformat() == moves[-1][1]


def test_two_edits_from_the_same_version_one_wins_one_is_refused(writers, project, manager, member):
    task = task_create(project=project, by=manager, title="Survey the site")
    jobs = [
        ["edit", project.code, manager.email, task.key, str(task.version), "Survey the north site"],
        ["edit", project.code, member.email, task.key, str(task.version), "Survey the south site"],
    ]
    results = writers.run(jobs)

    assert sorted(result["saved"] for result in results) == [False, True]
    task.refresh_from_db()
    winner = 0 if results[0]["saved"] else 1
    assert task.title == jobs[winner][-1]
    assert task.version == 2
