"""Sending the outbox (core.models.OutgoingMail): one try per job, the job
naming its try and claiming it so that two workers never send the same mail,
retried with a growing delay, swept back onto the queue when a killed worker
lost its job, and pruned once sent.

At least once: a worker killed after the mail server accepted a mail and
before the row says so leaves it pending, and the sweep sends it again. The
mail keeps its Message-ID across tries, so mail programs can tell the second
copy for what it is."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from liaison.core.jobs import deliver_mail
from liaison.core.mail import message_build
from liaison.core.models import OutgoingMail

logger = logging.getLogger(__name__)
Status = OutgoingMail.Status

# A mail server that is down or refuses is tried again after 1, 2, 4, … 128
# minutes (about 4 h 15 min in all); then the mail has failed: logged, and
# listed for the organization's owners and admins (projects:undelivered-mail).
MAIL_RETRIES = 8
MAIL_RETRY_DELAY = 60
# A sent mail is kept a week, to answer "did it go out?"; not longer: its text
# holds sign-in links (password resets, invitations). A failed one stays listed
# for a month, long enough for the admins to see it and act.
SENT_KEEP_DAYS = 7
FAILED_KEEP_DAYS = 30
SWEEP_BATCH = 500


def retry_delay(tries: int) -> int:
    """Seconds before the next try after `tries` failed ones."""
    return int(MAIL_RETRY_DELAY * 2 ** (tries - 1))


def _claim(mail_id: int, try_number: int, now: dt.datetime) -> bool:
    """Take a pending mail for its try number `try_number`: one conditional
    update, so of two jobs for the same try (the original, late, and the
    sweep's) one sends it, and a job for a try already made does nothing. The
    claim's time is kept: a mail claimed MAIL_SWEEP_SECONDS ago and still
    pending lost its worker (a send takes seconds: EMAIL_TIMEOUT)."""
    return bool(
        OutgoingMail.objects.filter(pk=mail_id, status=Status.PENDING, tries=try_number - 1).update(
            tries=try_number, next_try_at=now
        )
    )


def message_id(mail: OutgoingMail) -> str:
    """The same on every try of one mail (a header of our own, RFC 5322)."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<liaison.{mail.pk}.{int(mail.created_at.timestamp())}@{domain}>"


def mail_attempt(mail_id: int, try_number: int) -> int | None:
    """Send a pending mail once, as its try `try_number`, and record what
    happened. Returns the seconds to wait before the next try, or None when
    there is none (sent, failed for good, or not this job's to send). No
    transaction is held while the mail server talks."""
    if not _claim(mail_id, try_number, timezone.now()):
        return None
    mail = OutgoingMail.objects.get(pk=mail_id)
    headers = {**mail.headers, "Message-ID": message_id(mail)}
    message = message_build(
        to=mail.to, subject=mail.subject, text=mail.text, html=mail.html, headers=headers
    )
    try:
        message.send()
    # Whatever the transport raises (refused, timed out, bad address, TLS), the
    # row records it and the mail is tried again: the worker must not die of it.
    except Exception as failure:
        return _failed(mail, f"{type(failure).__name__}: {failure}"[:500])
    OutgoingMail.objects.filter(pk=mail_id).update(
        status=Status.SENT, sent_at=timezone.now(), next_try_at=None, last_error=""
    )
    return None


def _failed(mail: OutgoingMail, error: str) -> int | None:
    rows = OutgoingMail.objects.filter(pk=mail.pk)
    if mail.tries <= MAIL_RETRIES:
        delay = retry_delay(mail.tries)
        next_try = timezone.now() + dt.timedelta(seconds=delay)
        rows.update(last_error=error, next_try_at=next_try)
        logger.warning(
            "Mail %s to %s not sent (try %s), tried again in %s s: %s",
            mail.pk, mail.to, mail.tries, delay, error,
        )  # fmt: skip
        return delay
    rows.update(status=Status.FAILED, last_error=error, next_try_at=None)
    logger.error(
        "Mail not delivered after %s tries: %r to %s: %s", mail.tries, mail.subject, mail.to, error
    )
    return None


def mails_sweep(*, now: dt.datetime) -> list[int]:
    """Queue again each pending mail whose try was due, or was claimed by a
    worker, more than MAIL_SWEEP_SECONDS ago: its job was lost with a killed
    worker (huey takes a job off the queue when it starts it). Each row is
    claimed by a conditional update, so two sweeps at once queue it once; the
    job is for the mail's next try, so of it and a late original one sends."""
    cutoff = now - dt.timedelta(seconds=settings.MAIL_SWEEP_SECONDS)
    stuck = OutgoingMail.objects.filter(status=Status.PENDING, next_try_at__lt=cutoff)
    rows = stuck.order_by("next_try_at").values_list("pk", "next_try_at", "tries")
    swept = []
    for pk, due, tries in rows[:SWEEP_BATCH]:
        claimed = OutgoingMail.objects.filter(pk=pk, status=Status.PENDING, next_try_at=due)
        if claimed.update(next_try_at=now):
            swept.append((pk, tries + 1))
    if swept:
        logger.warning("Mail queued again after a lost job: %s", [pk for pk, _try in swept])
        transaction.on_commit(lambda: [deliver_mail(pk, number) for pk, number in swept])
    return [pk for pk, _try in swept]


def mails_prune(*, now: dt.datetime) -> int:
    """Delete the mail sent more than SENT_KEEP_DAYS ago and the failed mail
    older than FAILED_KEEP_DAYS; returns how many rows went."""
    sent = OutgoingMail.objects.filter(
        status=Status.SENT, sent_at__lt=now - dt.timedelta(days=SENT_KEEP_DAYS)
    )
    failed = OutgoingMail.objects.filter(
        status=Status.FAILED, created_at__lt=now - dt.timedelta(days=FAILED_KEEP_DAYS)
    )
    return sent.delete()[0] + failed.delete()[0]


def mail_send_again(mail_id: int) -> bool:
    """A failed mail back in the outbox with its tries counted afresh, queued
    once the caller's transaction commits. False when it had not failed (it
    was sent again already). Its last error stays until a try succeeds."""
    again = OutgoingMail.objects.filter(pk=mail_id, status=Status.FAILED).update(
        status=Status.PENDING, tries=0, next_try_at=timezone.now()
    )
    if again:
        transaction.on_commit(lambda: deliver_mail(mail_id, 1))
    return bool(again)
