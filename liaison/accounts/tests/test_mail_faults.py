"""A mail server that is down (issue 13), with a real SMTP server (aiosmtpd) on a
port that first refuses connections: the person's action succeeds anyway, the
failed try is recorded on the outbox row and scheduled again, and the mail
arrives once the server is up."""

import datetime as dt
import logging

import time_machine
from huey.contrib.djhuey import HUEY

from liaison.core.models import OutgoingMail

Status = OutgoingMail.Status


def _mail_retries() -> list:
    return [task for task in HUEY.scheduled() if task.name.endswith("deliver_mail")]


def test_smtp_down_the_action_succeeds_and_the_mail_arrives_when_it_is_up(
    smtp_down, caplog, client, manager, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.WARNING, logger="liaison.core.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/accounts/password/reset/", {"email": manager.email})
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/password/reset/sent/")
    assert "ConnectionRefusedError" in caplog.text
    (row,) = OutgoingMail.objects.all()
    assert (row.status, row.tries, row.recipient) == (Status.PENDING, 1, manager)
    assert row.last_error.startswith("ConnectionRefusedError")
    (retry,) = _mail_retries()
    inbox = smtp_down()
    # As the consumer's scheduler does when the retry's time comes (huey's
    # times are naive, in UTC).
    with time_machine.travel(retry.eta.replace(tzinfo=dt.UTC), tick=False):
        (due,) = HUEY.read_schedule(retry.eta)
        HUEY.execute(due, timestamp=due.eta)
    (message,) = inbox.messages
    assert message["X-Envelope-To"] == manager.email
    assert "/accounts/password/reset/" in message.get_body(("plain",)).get_content()
    assert _mail_retries() == []
    row.refresh_from_db()
    assert (row.status, row.tries, row.last_error) == (Status.SENT, 2, "")
