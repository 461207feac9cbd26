"""The outbox (core.models.OutgoingMail, core.outbox): a mail is stored with the
change that caused it, sent once by the job, tried again on failure, swept back
when its job was lost, and pruned once sent."""

import datetime as dt
import logging

import pytest
from django.db import transaction
from huey.contrib.djhuey import HUEY

from conftest import NOW
from liaison.core import outbox
from liaison.core.jobs import deliver_mail, sweep_mails
from liaison.core.mail import mail_queue, mail_suppressed
from liaison.core.models import OutgoingMail

Status = OutgoingMail.Status
pytestmark = pytest.mark.django_db


def _queue(person, **context) -> None:
    mail_queue(
        to=person, template="accounts/email/password_reset", context={"link": "L", **context}
    )


def _row(**fields) -> OutgoingMail:
    values = {"to": ["someone@test.example"], "subject": "Hello 你好", "text": "Body"}
    return OutgoingMail.objects.create(**{**values, "next_try_at": NOW, **fields})


def test_a_mail_is_stored_with_the_change_and_sent_after_commit(
    smtp_inbox, manager, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _queue(manager, project=project)
        (row,) = OutgoingMail.objects.all()
        assert row.status == Status.PENDING and smtp_inbox.messages == []
    row.refresh_from_db()
    assert (row.status, row.tries, row.last_error) == (Status.SENT, 1, "")
    assert (row.to, row.recipient, row.project) == ([manager.email], manager, project)
    (message,) = smtp_inbox.messages
    assert message["X-Envelope-To"] == manager.email
    assert message["Message-ID"] == outbox.message_id(row)


def test_a_rolled_back_change_leaves_no_mail(smtp_inbox, manager):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(manager)
        raise RuntimeError("the change fails after the mail was written")
    assert not OutgoingMail.objects.exists()
    assert smtp_inbox.messages == []


def test_suppressed_mail_is_not_even_stored(manager):
    with mail_suppressed():
        _queue(manager)
    assert not OutgoingMail.objects.exists()


def test_a_mail_is_sent_once_however_many_jobs_run_for_it(smtp_inbox):
    row = _row()
    deliver_mail(row.pk)
    deliver_mail(row.pk)  # a sweep's job after the original: the mail is not pending
    row.refresh_from_db()
    assert (row.status, row.tries) == (Status.SENT, 1)
    assert len(smtp_inbox.messages) == 1


def test_a_mail_another_worker_holds_is_left_to_it(smtp_inbox):
    """Two jobs for the same try (the original, late, and the sweep's): the
    first claims it, the second sends nothing; nor does a job of a try made."""
    row = _row()
    assert outbox._claim(row.pk, 1, NOW)
    assert outbox.mail_attempt(row.pk, 1) is None
    OutgoingMail.objects.filter(pk=row.pk).update(tries=3)
    assert outbox.mail_attempt(row.pk, 2) is None
    row.refresh_from_db()
    assert (row.status, row.tries) == (Status.PENDING, 3)
    assert smtp_inbox.messages == []


def test_a_failed_try_is_recorded_and_scheduled_again(smtp_down, caplog):
    row = _row()
    with caplog.at_level(logging.WARNING, logger="liaison.core.outbox"):
        deliver_mail(row.pk)
    row.refresh_from_db()
    assert (row.status, row.tries) == (Status.PENDING, 1)
    assert row.last_error.startswith("ConnectionRefusedError")
    (retry,) = HUEY.scheduled()
    assert retry.args == (row.pk, 2)
    # huey keeps its times naive, in UTC.
    assert abs(row.next_try_at - retry.eta.replace(tzinfo=dt.UTC)) < dt.timedelta(seconds=1)
    assert f"not sent (try 1), tried again in {outbox.MAIL_RETRY_DELAY} s" in caplog.text


def test_retries_wait_longer_each_time():
    delays = [outbox.retry_delay(tries) for tries in range(1, outbox.MAIL_RETRIES + 1)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3840, 7680]


def test_after_the_last_try_the_mail_has_failed_and_says_why(smtp_down, caplog):
    row = _row(tries=outbox.MAIL_RETRIES)
    with caplog.at_level(logging.ERROR, logger="liaison.core.outbox"):
        deliver_mail(row.pk, outbox.MAIL_RETRIES + 1)
    row.refresh_from_db()
    assert (row.status, row.tries, row.next_try_at) == (
        Status.FAILED,
        outbox.MAIL_RETRIES + 1,
        None,
    )
    assert row.last_error.startswith("ConnectionRefusedError")
    assert (
        f"Mail not delivered after {outbox.MAIL_RETRIES + 1} tries: 'Hello 你好' to "
        "['someone@test.example']: ConnectionRefusedError"
    ) in caplog.text
    assert HUEY.scheduled() == []


def test_the_sweep_queues_again_only_mail_whose_job_was_lost(
    smtp_inbox, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MAIL_SWEEP_SECONDS = 300
    lost = _row(next_try_at=NOW - dt.timedelta(seconds=301), tries=1)  # claimed, then killed
    being_sent = _row(next_try_at=NOW - dt.timedelta(seconds=200), tries=1)  # claimed lately
    retried_later = _row(next_try_at=NOW + dt.timedelta(seconds=60), tries=1)
    sent = _row(next_try_at=NOW - dt.timedelta(days=1), status=Status.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.mails_sweep(now=NOW) == [lost.pk]
        assert outbox.mails_sweep(now=NOW) == []  # claimed: a second sweep leaves it
    assert f"Mail queued again after a lost job: [{lost.pk}]" in caplog.text
    rows = {row.pk: (row.status, row.tries) for row in OutgoingMail.objects.all()}
    assert rows == {
        lost.pk: (Status.SENT, 2),
        being_sent.pk: (Status.PENDING, 1),
        retried_later.pk: (Status.PENDING, 1),
        sent.pk: (Status.SENT, 0),
    }
    assert len(smtp_inbox.messages) == 1


def test_sent_mail_is_pruned_after_a_week_and_failed_mail_after_a_month():
    def at(days: float) -> dt.datetime:
        return NOW - dt.timedelta(days=days)

    old_sent = _row(status=Status.SENT, sent_at=at(outbox.SENT_KEEP_DAYS + 0.1))
    new_sent = _row(status=Status.SENT, sent_at=at(outbox.SENT_KEEP_DAYS - 0.1))
    old_failed = _row(status=Status.FAILED)
    new_failed = _row(status=Status.FAILED)
    pending = _row()
    OutgoingMail.objects.filter(pk__in=[old_failed.pk, pending.pk]).update(
        created_at=at(outbox.FAILED_KEEP_DAYS + 0.1)
    )
    OutgoingMail.objects.filter(pk=new_failed.pk).update(
        created_at=at(outbox.FAILED_KEEP_DAYS - 0.1)
    )
    assert outbox.mails_prune(now=NOW) == 2
    left = set(OutgoingMail.objects.values_list("pk", flat=True))
    assert left == {new_sent.pk, new_failed.pk, pending.pk}
    assert old_sent.pk not in left


def test_the_periodic_job_sweeps_and_prunes(
    smtp_inbox, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_SWEEP_SECONDS = 300
    lost = _row(next_try_at=NOW - dt.timedelta(hours=1))
    old = _row(status=Status.SENT, sent_at=NOW - dt.timedelta(days=outbox.SENT_KEEP_DAYS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        sweep_mails.call_local()
    assert list(OutgoingMail.objects.values_list("pk", "status")) == [(lost.pk, Status.SENT)]
    assert not OutgoingMail.objects.filter(pk=old.pk).exists()
    assert len(smtp_inbox.messages) == 1
