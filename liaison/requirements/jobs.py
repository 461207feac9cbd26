"""Background jobs of requirements: the Excel import, and the sweep that ends
imports whose worker died (the lease rules are in requirements.import_jobs)."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from liaison.requirements import import_jobs
from liaison.requirements.import_jobs import LeaseLost, job_problem
from liaison.requirements.models import ImportJob
from liaison.requirements.transfer import ImportRefused, parse_rows, read_rows

logger = logging.getLogger(__name__)


@db_task()
def run_import(job_id: int) -> None:
    job = import_jobs.import_job_claim(job_id=job_id)
    if job is None:
        return  # expired while it waited, or another worker has it
    # The report is for the person who uploaded the file: in their language.
    with translation.override(job.by.language):
        try:
            _import(job)
        except LeaseLost:
            # The sweep took the job while this worker was slow: it is already
            # failed with its reason, and the rows were rolled back.
            logger.warning("import %s lost its lease; nothing saved", job_id)
        except Exception:
            # Whatever went wrong, the job ends (its page stops waiting) and
            # nothing is half-saved: the rows are saved in one transaction.
            problem = _("The import stopped on an unexpected error; nothing was saved.")
            import_jobs.import_job_fail(job_id=job_id, errors=job_problem(problem))
            raise


def _import(job: ImportJob) -> None:
    with job.file.open("rb") as handle:
        data = handle.read()

    def progress(done: int, total: int) -> None:
        import_jobs.import_job_progress(job_id=job.pk, done=done, total=total)

    try:
        rows = parse_rows(read_rows(data), progress)
    except ImportRefused as refused:
        errors = [problem.as_dict() for problem in refused.problems[:500]]
        import_jobs.import_job_fail(job_id=job.pk, errors=errors)
        return
    try:
        import_jobs.import_job_complete(job=job, rows=rows)
    except (PermissionDenied, Http404):
        problem = _("You may no longer edit this project's requirements; nothing was saved.")
        import_jobs.import_job_fail(job_id=job.pk, errors=job_problem(problem))


@db_periodic_task(crontab(minute="*/5"))
def expire_dead_imports() -> int:
    """Every five minutes: imports whose worker died are failed, their files deleted."""
    return import_jobs.import_jobs_expire()
