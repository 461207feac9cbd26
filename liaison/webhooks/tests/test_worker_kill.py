"""A job worker killed in the middle of a webhook delivery (issue 13), with real
processes: a real huey consumer (`manage.py run_huey`) on a file queue in a
temporary data folder and the test's database (on SQLite a file copy, on
PostgreSQL the test database itself), a real endpoint that holds the request.

huey takes a job off its queue when it starts it, so the killed worker's job is
gone; the delivery row stays pending, and the next worker's sweep at its start
queues it again and delivers it (the endpoint then got it twice: at least once).
Seconds long: marked `faults`, left out of `make test`; `make faults` runs it."""

import signal
import time

import pytest

from liaison.tests.processes import WAIT, Install, until
from liaison.webhooks.models import Webhook, WebhookDelivery
from liaison.webhooks.tests.test_webhook_faults import HangingEndpoint

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
Status = WebhookDelivery.Status
STATUS = f"SELECT status FROM {WebhookDelivery._meta.db_table} WHERE id = %s"


def _status(install: Install, pk: int) -> str:
    rows = install.read(STATUS, (pk,))
    return rows[0][0] if rows else ""


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
        queued = install.run("shell", "-c", QUEUE_ONE.format(pk=hook.pk))
        pk = int(queued.strip().splitlines()[-1])
        # Started after the queue file exists: two processes creating it race.
        first = install.worker(WEBHOOK_TIMEOUT="30")
        until(lambda: endpoint.received == 1, "the worker did not post")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=WAIT)
        # The job left with the worker: nothing is queued, the row is pending.
        assert install.queued_jobs() == []
        assert _status(install, pk) == Status.PENDING
        endpoint.answer.set()
        time.sleep(1.5)  # the delivery is now over WEBHOOK_SWEEP_SECONDS overdue
        second = install.worker(WEBHOOK_SWEEP_SECONDS="1", WEBHOOK_TIMEOUT="30")
        try:
            until(lambda: _status(install, pk) == Status.DELIVERED, "the lost delivery stayed lost")
        finally:
            second.send_signal(signal.SIGTERM)
            _, errors = second.communicate(timeout=WAIT)
        install.take_back()
    assert "queued again after a lost job" in errors
    delivery = WebhookDelivery.objects.get(pk=pk)
    assert (delivery.status, delivery.status_code, delivery.error) == (Status.DELIVERED, 200, "")
    assert endpoint.received == 2 and endpoint.answered >= 1
