"""A job worker killed in the middle of a webhook delivery (issue 13), with real
processes: a real huey consumer (`manage.py run_huey`) on a file queue in a
temporary data folder and the test's database (on SQLite a file copy, on
PostgreSQL the test database itself), a real endpoint that holds the request.

huey takes a job off its queue when it starts it, so the killed worker's job is
gone; the delivery row stays pending, and the next worker's sweep at its start
queues it again and delivers it (the endpoint then got it twice: at least once).
Seconds long: marked `faults`, left out of `make test`; `make faults` runs it."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from huey import SqliteHuey

from liaison.webhooks.models import Webhook, WebhookDelivery
from liaison.webhooks.tests.test_webhook_faults import HangingEndpoint

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
Status = WebhookDelivery.Status
WAIT = 60  # seconds a step may take on a busy machine before the test gives up


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


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

    def worker(self, **extra: str) -> subprocess.Popen:
        # No periodic jobs: one due at a minute's turn would join the queue.
        command = ("run_huey", "--workers", "1", "--no-periodic", "--delay", "0.1")
        return self.manage(*command, "--max-delay", "0.5", **extra)

    def status(self, pk: int) -> str:
        if not self.sqlite_file:
            return WebhookDelivery.objects.get(pk=pk).status
        with sqlite3.connect(self.sqlite_file, timeout=10) as db:
            row = db.execute(
                "SELECT status FROM core_webhookdelivery WHERE id = ?", (pk,)
            ).fetchone()
        return row[0] if row else ""

    def queued_jobs(self) -> list[str]:
        queue = SqliteHuey("liaison", filename=str(self.folder / "huey.sqlite3"))
        return [repr(job) for job in queue.storage.enqueued_items()] + [
            repr(job) for job in queue.storage.scheduled_items()
        ]

    def take_back(self) -> None:
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file) as source:
                source.backup(connection.connection)


QUEUE_ONE = (
    "from liaison.webhooks.delivery import deliveries_queue\n"
    "from liaison.webhooks.models import Webhook\n"
    "(row,) = deliveries_queue([Webhook.objects.get(pk={pk})], event='comment', text='Hello',"
    " url='https://l.example.test/', language='en')\n"
    "print(row.pk)\n"
)


def test_a_killed_worker_loses_no_webhook_delivery(tmp_path, project):
    with HangingEndpoint() as endpoint:
        hook = Webhook.objects.create(project=project, name="Room", url=endpoint.url)
        install = Install(tmp_path)
        # The delivery is queued by another process (as the web server does),
        # with the real clock; the worker posts and the endpoint holds the request.
        queuing = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", QUEUE_ONE.format(pk=hook.pk)],
            cwd=settings.BASE_DIR,
            env=install.environment(),
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
        assert queuing.returncode == 0, queuing.stderr
        pk = int(queuing.stdout.strip().splitlines()[-1])
        # Started after the queue file exists: two processes creating it race.
        first = install.worker(WEBHOOK_TIMEOUT="30")
        _until(lambda: endpoint.received == 1, "the worker did not post")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=WAIT)
        # The job left with the worker: nothing is queued, the row is pending.
        assert install.queued_jobs() == []
        assert install.status(pk) == Status.PENDING
        endpoint.answer.set()
        time.sleep(1.5)  # the delivery is now over WEBHOOK_SWEEP_SECONDS overdue
        second = install.worker(WEBHOOK_SWEEP_SECONDS="1", WEBHOOK_TIMEOUT="30")
        try:
            _until(lambda: install.status(pk) == Status.DELIVERED, "the lost delivery stayed lost")
        finally:
            second.send_signal(signal.SIGTERM)
            _, errors = second.communicate(timeout=WAIT)
        install.take_back()
    assert "queued again after a lost job" in errors
    delivery = WebhookDelivery.objects.get(pk=pk)
    assert (delivery.status, delivery.status_code, delivery.error) == (Status.DELIVERED, 200, "")
    assert endpoint.received == 2 and endpoint.answered >= 1
