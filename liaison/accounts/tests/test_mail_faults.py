"""A mail server that is down (issue 13), with a real SMTP server (aiosmtpd) on a
port that first refuses connections: the person's action succeeds anyway, the
failed send is logged and scheduled again by huey, and the mail arrives once
the server is up; the last failed try says the mail is lost."""

import logging

import pytest
from aiosmtpd.controller import Controller
from huey.contrib.djhuey import HUEY

from conftest import _Inbox, free_port
from liaison.core.mail import MAIL_RETRIES, send_email


@pytest.fixture
def smtp_down(settings):
    """Django sends to a loopback port where nothing listens yet; `up()` starts
    a real SMTP server there and returns its inbox."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    controllers = []

    def up() -> _Inbox:
        inbox = _Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return inbox

    HUEY.flush()
    yield up
    HUEY.flush()
    for controller in controllers:
        controller.stop()


@pytest.fixture
def huey_log(caplog):
    """huey's own logger does not propagate (settings.LOGGING): listen to it directly."""
    huey = logging.getLogger("huey")
    huey.addHandler(caplog.handler)
    yield caplog
    huey.removeHandler(caplog.handler)


def _mail_retries() -> list:
    return [task for task in HUEY.scheduled() if task.name.endswith("send_email")]


def test_smtp_down_the_action_succeeds_and_the_mail_arrives_when_it_is_up(
    smtp_down, huey_log, client, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": manager.email})
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/password/reset/sent/")
    assert "ConnectionRefusedError" in huey_log.text
    (retry,) = _mail_retries()
    assert retry.retries == MAIL_RETRIES - 1 and retry.eta is not None
    inbox = smtp_down()
    # As the consumer's scheduler does when the retry's time comes.
    (due,) = HUEY.read_schedule(retry.eta)
    HUEY.execute(due, timestamp=due.eta)
    (message,) = inbox.messages
    assert message["X-Envelope-To"] == manager.email
    assert "/accounts/password/reset/" in message.get_body(("plain",)).get_content()
    assert _mail_retries() == []


def test_the_last_failed_try_says_the_mail_is_lost(smtp_down, caplog):
    last = send_email.s(to=["someone@test.example"], subject="Hello", text="Body")
    last.retries = 0
    with caplog.at_level(logging.ERROR, logger="liaison.core.mail"):
        HUEY.execute(last)
    assert f"Mail lost after {MAIL_RETRIES + 1} tries: 'Hello' to ['someone@test.example']" in (
        caplog.text
    )
    assert _mail_retries() == []
