"""Real processes on the test's database, for the fault tests (marker `faults`):
a huey worker (`manage.py run_huey`), gunicorn as `manage.py serve` starts it,
and a look at what the processes are doing.

The processes share the test's database: on PostgreSQL the test database
itself; on SQLite, whose test database lives in memory, a file copy the
processes open and the test reads with `Install.read` (and copies back into
its own database with `take_back` for the ORM's assertions at the end)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from huey import SqliteHuey

from conftest import free_port
from liaison.core.serving import web_command

WAIT = 60  # seconds a step may take on a busy machine before the test gives up


def until(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


class Install:
    """The test's database and a data folder of its own, shared with processes."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.sqlite_file = folder / "shared.sqlite3" if connection.vendor == "sqlite" else None
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file) as target:
                connection.connection.backup(target)

    def environment(self, **extra: str) -> dict[str, str]:
        if self.sqlite_file:
            url = f"sqlite:///{self.sqlite_file}"
        else:
            db = connection.settings_dict
            url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
        return {
            **env,
            "DATABASE_URL": url,
            "LIAISON_VAR_DIR": str(self.folder),
            "DJANGO_SETTINGS_MODULE": "liaison.settings",
            "HUEY_IMMEDIATE": "0",
            "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            **extra,
        }

    def manage(self, *args: str, **extra: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.environment(**extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str, **extra: str) -> str:
        """A management command run to its end; its output."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.environment(**extra),
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def worker(self, **extra: str) -> subprocess.Popen:
        # No periodic jobs: one due at a minute's turn would join the queue.
        command = ("run_huey", "--workers", "1", "--no-periodic", "--delay", "0.1")
        return self.manage(*command, "--max-delay", "0.5", **extra)

    def read(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of a query on the shared database (placeholders: %s)."""
        if not self.sqlite_file:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        with sqlite3.connect(self.sqlite_file, timeout=10) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    def queued_jobs(self) -> list[str]:
        queue = SqliteHuey("liaison", filename=str(self.folder / "huey.sqlite3"))
        return [repr(job) for job in queue.storage.enqueued_items()] + [
            repr(job) for job in queue.storage.scheduled_items()
        ]

    def take_back(self) -> None:
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file) as source:
                source.backup(connection.connection)


class Gunicorn:
    """The web server as `manage.py serve` runs it (core.serving.web_command),
    with one worker process so the test knows which one serves it; its log in
    the data folder."""

    def __init__(self, install: Install, *, name: str = "gunicorn", **extra: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = install.folder / f"{name}.log"  # a name each when several run
        command = [*web_command(host="127.0.0.1", port=self.port), "--workers", "1"]
        env = install.environment(DEBUG="0", ALLOWED_HOSTS="127.0.0.1", **extra)
        self.master = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        until(self._serves, "gunicorn did not start")

    def _serves(self) -> bool:
        assert self.master.poll() is None, self.log.read_text()
        try:
            urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=5).close()
        except OSError:
            return False
        return True

    def workers(self) -> list[int]:
        """The master's children: its worker processes."""
        return [pid for pid in _pids() if _parent(pid) == self.master.pid]

    def kill_worker(self) -> int:
        (worker,) = self.workers()
        os.kill(worker, signal.SIGKILL)
        return worker

    def stop(self) -> str:
        self.master.terminate()
        self.master.wait(timeout=WAIT)
        return self.log.read_text()


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    # pid (comm) state ppid …: the command may hold spaces and parentheses.
    return int(stat.rpartition(")")[2].split()[1])


def sleeping_in(pid: int) -> set[str]:
    """The kernel functions the threads of a process sleep in (Linux's
    /proc/<pid>/task/<thread>/wchan): `hrtimer_nanosleep` for one waiting in
    nanosleep(2), as SQLite's busy handler does between its tries for a lock.
    Empty when the process is gone."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return set()
    waits = set()
    for thread in threads:
        try:
            waits.add(Path(f"/proc/{pid}/task/{thread}/wchan").read_text())
        except OSError:  # the thread ended meanwhile
            continue
    return waits
