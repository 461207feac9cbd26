"""A job worker killed while it sends a mail (issue 13), with real processes: the
password-reset form run in another process (as the web server does) writes the
mail into the outbox, a real huey consumer (`manage.py run_huey`) sends it to a
real SMTP server (aiosmtpd) that holds the DATA phase: it has the message and
does not answer. The worker is killed there.

huey took the job off its queue when it started it, so the job is gone with the
worker; the outbox row stays pending (claimed, one try counted), and the next
worker's sweep at its start queues its next try once it is MAIL_SWEEP_SECONDS
old: the mail arrives. The server saw the message twice but accepted it once; had the kill
come after its "250 OK" and before the row said "sent", the mail would arrive
twice, with the same Message-ID (at least once, core.outbox).
Seconds long: marked `faults`, left out of `make test`; `make faults` runs it."""

import asyncio
import email
import signal
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller

from conftest import free_port
from liaison.core.models import OutgoingMail
from liaison.tests.processes import WAIT, Install, until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
Status = OutgoingMail.Status
ROW = f"SELECT status, tries, last_error FROM {OutgoingMail._meta.db_table} WHERE id = %s"
RESET = (
    "from liaison.accounts.forms import QueuedPasswordResetForm\n"
    "from liaison.core.models import OutgoingMail\n"
    "form = QueuedPasswordResetForm({{'email': '{email}'}})\n"
    "assert form.is_valid()\n"
    "form.save(domain_override='liaison.example.test')\n"
    "print(OutgoingMail.objects.get().pk)\n"
)


class HoldingServer:
    """A real SMTP server that holds the first message it is given, answering
    nothing, and accepts the ones after it."""

    def __init__(self):
        self.seen: list[email.message.EmailMessage] = []  # every DATA received
        self.accepted: list[email.message.EmailMessage] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.seen.append(message)
        if len(self.seen) == 1:
            await asyncio.sleep(WAIT)  # the client waits for an answer that never comes
            return "451 Held too long"
        self.accepted.append(message)
        return "250 OK"

    def __enter__(self) -> "HoldingServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def test_a_worker_killed_while_sending_loses_no_mail(tmp_path, manager):
    with HoldingServer() as smtp:
        install = Install(tmp_path)
        pk = int(install.run("shell", "-c", RESET.format(email=manager.email)).split()[-1])
        mail_server = f"smtp://127.0.0.1:{smtp.controller.port}?timeout=30"
        # Started after the queue file exists: two processes creating it race.
        first = install.worker(EMAIL_URL=mail_server)
        until(lambda: len(smtp.seen) == 1, "the worker did not send")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=WAIT)
        # The job left with the worker: nothing is queued, the mail is pending.
        assert install.queued_jobs() == []
        assert install.read(ROW, (pk,)) == [(Status.PENDING, 1, "")]
        time.sleep(1.5)  # the worker took the mail over MAIL_SWEEP_SECONDS ago
        second = install.worker(EMAIL_URL=mail_server, MAIL_SWEEP_SECONDS="1")
        try:
            until(lambda: install.read(ROW, (pk,))[0][0] == Status.SENT, "the mail stayed lost")
        finally:
            second.send_signal(signal.SIGTERM)
            _, errors = second.communicate(timeout=WAIT)
    assert f"Mail queued again after a lost job: [{pk}]" in errors
    assert install.read(ROW, (pk,)) == [(Status.SENT, 2, "")]
    (held, again) = smtp.seen
    assert smtp.accepted == [again]
    assert again["To"] == manager.email
    assert "/accounts/password/reset/" in again.get_body(("plain",)).get_content()
    assert again["Message-ID"] == held["Message-ID"]  # one mail, tried twice
