"""Faults on the way to a webhook (issue 13), against a real local HTTP server:
an endpoint that takes the connection and never answers costs one try of
WEBHOOK_TIMEOUT seconds, the delivery log says so on the webhook's page, the
retry is scheduled by the job and succeeds once the endpoint answers; the sweep
queues again a delivery whose job was lost (a killed worker: test_worker_kill.py
does that with real processes) and only such a delivery."""

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from huey.contrib.djhuey import HUEY

from conftest import NOW, free_port
from liaison.webhooks.delivery import deliveries_queue, deliveries_sweep
from liaison.webhooks.jobs import deliver_webhook
from liaison.webhooks.models import Webhook, WebhookDelivery

Status = WebhookDelivery.Status


class HangingEndpoint:
    """Takes each POST and answers only once `answer` is set (a request that
    came before waits up to 10 s, long after the client gave up)."""

    def __init__(self):
        self.answer = threading.Event()
        self.received = 0
        self.answered = 0
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                endpoint.received += 1
                if not endpoint.answer.wait(10):
                    return
                # Counted before the answer leaves: the client may read it and
                # the test look at the count before this thread runs on.
                endpoint.answered += 1
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    endpoint.answered -= 1  # the client has gone

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.answer.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hanging(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_TIMEOUT = 1
    with HangingEndpoint() as endpoint:
        yield endpoint


def _pending(project, url: str) -> WebhookDelivery:
    hook = Webhook.objects.create(project=project, name="Room", url=url, format="generic")
    (delivery,) = deliveries_queue(
        [hook], event="comment", text="Hello", url="https://l.example.test/", language="en"
    )
    return delivery


def test_a_hanging_endpoint_times_out_shows_why_and_the_retry_delivers(
    hanging, login, project, manager
):
    HUEY.flush()
    delivery = _pending(project, hanging.url)
    deliver_webhook(delivery.pk)  # immediate mode: the first try runs now
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.status_code) == (Status.PENDING, 1, None)
    assert delivery.error == "No answer within 1 s (WEBHOOK_TIMEOUT)."
    assert delivery.finished_at is None and delivery.next_try_at is not None
    assert hanging.received == 1 and hanging.answered == 0
    page = login(manager).get(f"/p/OWN/webhooks/{delivery.webhook_id}/").content.decode()
    assert "No answer within 1 s (WEBHOOK_TIMEOUT)." in page
    # The retry policy's first wait (30 s) is on huey's schedule; the endpoint
    # recovers and the scheduled try delivers.
    (retry,) = [task for task in HUEY.scheduled() if task.args == (delivery.pk,)]
    assert retry.eta is not None
    hanging.answer.set()
    # As the consumer's scheduler does when the retry's time comes.
    (due,) = HUEY.read_schedule(retry.eta)
    HUEY.execute(due, timestamp=due.eta)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.status_code) == (Status.DELIVERED, 2, 200)
    assert delivery.error == "" and delivery.next_try_at is None
    assert [task for task in HUEY.scheduled() if task.args == (delivery.pk,)] == []
    HUEY.flush()


def test_the_sweep_queues_a_lost_delivery_once(
    hanging, settings, project, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_SWEEP_SECONDS = 900
    hanging.answer.set()
    lost = _pending(project, hanging.url)
    waiting = _pending(project, hanging.url)
    fresh = _pending(project, hanging.url)
    now = NOW + dt.timedelta(minutes=1)
    long_ago = now - dt.timedelta(hours=1)
    WebhookDelivery.objects.filter(pk=lost.pk).update(next_try_at=long_ago)
    # A retry due in 10 minutes is waiting on huey's schedule, not lost.
    WebhookDelivery.objects.filter(pk=waiting.pk).update(
        attempts=3, next_try_at=now + dt.timedelta(minutes=10)
    )
    WebhookDelivery.objects.filter(pk=fresh.pk).update(next_try_at=now - dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep(now=now) == [lost.pk]
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (Status.DELIVERED, 1)
    assert hanging.answered == 1
    # Swept once: a second sweep at the same moment finds nothing.
    assert deliveries_sweep(now=now) == []
    statuses = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert statuses[waiting.pk] == statuses[fresh.pk] == Status.PENDING
