"""Background jobs of requirements: the Excel import."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from liaison.requirements.models import ImportJob
from liaison.requirements.transfer import ImportRefused, parse_rows, read_rows, save_rows


def _progress(job_id: int, done: int, total: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(done=done, total=total)


def _finish(job_id: int, status: str, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)


@db_task()
def run_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("project", "by").get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING)
    # The report is for the person who uploaded the file: in their language.
    with translation.override(job.by.language):
        try:
            _import(job)
        except Exception:
            # Whatever went wrong, the job ends (its page stops waiting) and
            # nothing is half-saved: save_rows is one transaction.
            problem = _("The import stopped on an unexpected error; nothing was saved.")
            _finish(
                job_id,
                ImportJob.Status.FAILED,
                errors=[{"row": 0, "column": "", "problem": problem}],
            )
            raise


def _import(job: ImportJob) -> None:
    with job.file.open("rb") as handle:
        data = handle.read()
    try:
        rows = parse_rows(read_rows(data), lambda done, total: _progress(job.pk, done, total))
    except ImportRefused as refused:
        errors = [problem.as_dict() for problem in refused.problems[:500]]
        _finish(job.pk, ImportJob.Status.FAILED, errors=errors)
        return
    try:
        count = save_rows(project=job.project, by=job.by, rows=rows)
    except (PermissionDenied, Http404):
        problem = _("You may no longer edit this project's requirements; nothing was saved.")
        _finish(
            job.pk, ImportJob.Status.FAILED, errors=[{"row": 0, "column": "", "problem": problem}]
        )
        return
    _finish(job.pk, ImportJob.Status.DONE, done=count, total=count)
