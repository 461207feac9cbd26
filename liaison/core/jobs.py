"""Background jobs of the kernel: one try at sending a mail of the outbox, the
sweep that queues again a mail whose job was lost with a killed worker, and the
nightly deletion of stored files no row names."""

from django.db import close_old_connections
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task


# huey ships no type hints, so its decorators are untyped.
@db_task()  # type: ignore[untyped-decorator]
def deliver_mail(mail_id: int, try_number: int = 1) -> None:
    """One try; on failure the job schedules the next one after a growing delay
    (core.outbox.retry_delay), then the mail has failed."""
    from liaison.core.outbox import mail_attempt  # it queues this job

    delay = mail_attempt(mail_id, try_number)
    if delay is not None:
        deliver_mail.schedule(args=(mail_id, try_number + 1), delay=delay)


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def sweep_mails() -> None:
    """Every five minutes: pending mail long overdue is queued again, and sent
    mail past its keeping time is deleted."""
    from liaison.core.outbox import mails_prune, mails_sweep

    now = timezone.now()
    mails_sweep(now=now)
    mails_prune(now=now)


@db_periodic_task(crontab(hour="3", minute="40"))  # type: ignore[untyped-decorator]
def delete_stray_files() -> None:
    """Every night: stored files no row names, a day old (core.stored_files)."""
    from liaison.core.stored_files import stray_files_delete

    stray_files_delete(now=timezone.now())


@HUEY.on_startup()  # type: ignore[untyped-decorator]
def sweep_mails_at_startup() -> None:
    """A worker that starts (again, after a kill) sweeps at once. Each worker
    thread runs this; the sweep's claim queues a mail once."""
    from liaison.core.outbox import mails_sweep

    try:
        mails_sweep(now=timezone.now())
    finally:
        close_old_connections()
