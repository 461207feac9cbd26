"""The life of an import job, written only here.

A worker claims a queued job, renews its lease with every progress step and
ends it. A job whose worker died (killed, out of memory, the machine restarted)
renews nothing: the periodic sweep, or its status page when someone looks,
finds the lease expired and fails the job with a reason the uploader reads.
A worker that comes back after its lease was taken saves nothing: the rows and
the job's "done" are one transaction that checks the lease first. However a
job ends, its uploaded file is deleted.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.requirements.models import ImportJob
from liaison.requirements.transfer import save_rows

logger = logging.getLogger(__name__)
Status = ImportJob.Status


class LeaseLost(Exception):
    """The job was ended (expired) while this worker still ran it: stop, save nothing."""


def job_problem(problem: str) -> list[dict]:
    """A failure of the job itself, not of a row of the file."""
    return [{"row": 0, "column": "", "problem": problem}]


def import_job_claim(*, job_id: int) -> ImportJob | None:
    """Take a queued job for this worker; None when it is not queued any more
    (expired while waiting, or already taken)."""
    taken = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, heartbeat_at=timezone.now()
    )
    return ImportJob.objects.select_related("project", "by").get(pk=job_id) if taken else None


def import_job_progress(*, job_id: int, done: int, total: int) -> None:
    """Report progress and renew the lease; raises LeaseLost if it was taken."""
    renewed = ImportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        done=done, total=total, heartbeat_at=timezone.now()
    )
    if not renewed:
        raise LeaseLost(job_id)


@transaction.atomic
def import_job_complete(*, job: ImportJob, rows: list[dict]) -> int:
    """Save the rows and mark the job done, all or nothing: if the lease was
    taken meanwhile, the rows are rolled back with it."""
    count = save_rows(project=job.project, by=job.by, rows=rows)
    if not _end(job.pk, Status.DONE, done=count, total=count):
        raise LeaseLost(job.pk)
    return count


@transaction.atomic
def import_job_fail(*, job_id: int, errors: list[dict]) -> bool:
    """End a running job as failed with its report; False if it had ended already."""
    return _end(job_id, Status.FAILED, errors=errors)


def _end(job_id: int, status: str, **fields) -> bool:
    ended = ImportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        status=status, finished_at=timezone.now(), **fields
    )
    if ended:
        transaction.on_commit(lambda: _discard_upload(job_id))
    return bool(ended)


def _discard_upload(job_id: int) -> None:
    """Delete the stored file, then forget its name: a crash in between leaves a
    name the sweep deletes again (deleting a missing file is harmless)."""
    name = ImportJob.objects.filter(pk=job_id).values_list("file", flat=True).first()
    if name:
        ImportJob._meta.get_field("file").storage.delete(name)
        ImportJob.objects.filter(pk=job_id).update(file="")


# -- expiry -------------------------------------------------------------------------


def _limits(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The oldest heartbeat a running job may have, and the oldest queued job."""
    return (
        now - dt.timedelta(seconds=settings.JOB_LEASE_SECONDS),
        now - dt.timedelta(seconds=settings.JOB_QUEUE_LIMIT_SECONDS),
    )


def _stale(now: dt.datetime) -> Q:
    beat, wait = _limits(now)
    return Q(status=Status.RUNNING, heartbeat_at__lt=beat) | Q(
        status=Status.QUEUED, created_at__lt=wait
    )


def _is_stale(job: ImportJob, now: dt.datetime) -> bool:
    """_stale for a row already read."""
    beat, wait = _limits(now)
    if job.status == Status.RUNNING:
        return job.heartbeat_at is not None and job.heartbeat_at < beat
    return job.status == Status.QUEUED and job.created_at < wait


def _expiry_reason(job: ImportJob) -> str:
    # Stored as text, so in the uploader's language like the rest of the report.
    with translation.override(job.by.language):
        if job.status == Status.QUEUED:
            return _("No worker started the import in time; nothing was saved. Try again.")
        return _("The worker stopped while importing; nothing was saved. Try again.")


def _expire(job: ImportJob, now: dt.datetime) -> bool:
    # The staleness is checked again in the update itself: a worker that renewed
    # its lease a moment ago keeps its job.
    expired = ImportJob.objects.filter(_stale(now), pk=job.pk).update(
        status=Status.FAILED, finished_at=now, errors=job_problem(_expiry_reason(job))
    )
    if expired:
        logger.warning("import %s expired (was %s)", job.pk, job.status)
        _discard_upload(job.pk)
    return bool(expired)


def import_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """The periodic sweep: fail every job whose worker died, and delete the uploads
    that ended jobs still hold. Returns how many jobs it failed."""
    now = now or timezone.now()
    expired = sum(
        _expire(job, now) for job in ImportJob.objects.filter(_stale(now)).select_related("by")
    )
    ended = ImportJob.objects.filter(status__in=(Status.DONE, Status.FAILED)).exclude(file="")
    for job_id in ended.values_list("pk", flat=True):
        _discard_upload(job_id)
    return expired


def import_job_check_lease(*, job: ImportJob) -> ImportJob:
    """For the status page: a job whose worker died is shown failed at once,
    not after the next sweep."""
    now = timezone.now()
    if _is_stale(job, now) and _expire(job, now):
        job.refresh_from_db()
    return job
