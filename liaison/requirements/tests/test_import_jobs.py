"""Imports whose worker dies: the lease, the sweep, the status page, the upload's
deletion, and an import that fails half-way saving nothing."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from conftest import NOW
from liaison.core.models import Activity
from liaison.projects.models import KeyCounter
from liaison.requirements import import_jobs
from liaison.requirements.jobs import expire_dead_imports, run_import
from liaison.requirements.models import ImportJob, Requirement, RequirementRevision
from liaison.requirements.services import requirement_create
from liaison.requirements.tests.factories import row, workbook

DIED = "The worker stopped while importing; nothing was saved. Try again."
NEVER_STARTED = "No worker started the import in time; nothing was saved. Try again."


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(job) runs the import as a worker does: outside the test's transaction
    its commits happen, so what waits on them (deleting the upload) runs too."""

    def _run(job: ImportJob) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            run_import(job.pk)  # huey is immediate in tests

    return _run


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_LEASE_SECONDS = 120
    settings.JOB_QUEUE_LIMIT_SECONDS = 3600


def _job(project, by, *, status="queued", data: bytes | None = None, **fields) -> ImportJob:
    data = data if data is not None else workbook(row("Scan labels"))
    job = ImportJob.objects.create(
        project=project,
        by=by,
        file=ContentFile(data, name="requirements.xlsx"),
        status=status,
        **fields,
    )
    assert job.file.storage.exists(job.file.name)
    return job


def _ago(seconds: int) -> dt.datetime:
    return NOW - dt.timedelta(seconds=seconds)


def _file_gone(job: ImportJob, name: str) -> bool:
    job.refresh_from_db()
    return job.file.name == "" and not job.file.storage.exists(name)


def _counts(project) -> tuple[int, int, int]:
    counter = KeyCounter.objects.filter(project=project, prefix="REQ").first()
    return (
        Requirement.objects.filter(project=project).count(),
        RequirementRevision.objects.filter(requirement__project=project).count(),
        counter.last if counter else 0,
    )


# -- the status page ------------------------------------------------------------------------


def test_a_job_whose_heartbeat_is_older_than_the_lease_shows_failed_with_the_reason(
    login, manager, project
):
    job = _job(project, manager, status="running", total=400, done=200, heartbeat_at=_ago(121))
    name = job.file.name
    page = login(manager).get(f"/p/OWN/requirements/import/{job.pk}/").content.decode()
    assert "The import stopped: nothing was saved." in page
    assert DIED in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    assert 'href="/p/OWN/requirements/import/"' in page  # try again
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.finished_at is not None
    assert _file_gone(job, name)


def test_a_running_job_within_its_lease_keeps_running(login, manager, project):
    job = _job(project, manager, status="running", total=400, done=200, heartbeat_at=_ago(100))
    page = login(manager).get(f"/p/OWN/requirements/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert DIED not in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert job.file.storage.exists(job.file.name)


# -- the sweep ------------------------------------------------------------------------------


def test_the_sweep_fails_dead_jobs_and_spares_live_ones(project, manager, member):
    dead = _job(project, manager, status="running", heartbeat_at=_ago(600))
    lost = _job(project, member, status="queued")
    ImportJob.objects.filter(pk=lost.pk).update(created_at=_ago(3601))
    live = _job(project, manager, status="running", heartbeat_at=_ago(10))
    waiting = _job(project, manager, status="queued")
    names = {job.pk: job.file.name for job in (dead, lost, live, waiting)}

    assert expire_dead_imports.call_local() == 2  # the periodic task's body

    for job, reason in ((dead, DIED), (lost, NEVER_STARTED)):
        assert _file_gone(job, names[job.pk])
        assert job.status == ImportJob.Status.FAILED
        assert job.stopped_reason == reason
    for job, status in ((live, "running"), (waiting, "queued")):
        job.refresh_from_db()
        assert job.status == status
        assert job.file.storage.exists(names[job.pk])


def test_the_sweep_deletes_files_that_ended_jobs_left_behind(project, manager):
    """A worker killed between ending its job and deleting the upload."""
    ended = _job(project, manager, status="done", finished_at=NOW)
    name = ended.file.name
    assert import_jobs.import_jobs_expire() == 0
    assert _file_gone(ended, name)
    assert ended.status == ImportJob.Status.DONE


def test_a_worker_starting_an_expired_job_does_nothing(project, manager):
    job = _job(project, manager, status="queued")
    ImportJob.objects.filter(pk=job.pk).update(created_at=_ago(3601))
    import_jobs.import_jobs_expire()
    run_import(job.pk)
    job.refresh_from_db()
    assert job.stopped_reason == NEVER_STARTED
    assert not Requirement.objects.exists()


# -- real runs ------------------------------------------------------------------------------


def test_a_finished_run_deletes_its_file(project, manager, run):
    job = _job(project, manager, data=workbook(row("Scan labels"), row("Print pick lists")))
    name = job.file.name
    run(job)
    assert _file_gone(job, name)
    assert (job.status, job.done) == (ImportJob.Status.DONE, 2)
    assert job.heartbeat_at is not None


def test_a_refused_run_deletes_its_file(project, manager, run):
    job = _job(project, manager, data=workbook(row("Bad", Cost=9)))
    name = job.file.name
    run(job)
    assert _file_gone(job, name)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["column"] == "Cost"
    assert job.stopped_reason == ""  # a report about the file, not a stopped job


def test_an_import_that_fails_midway_saves_nothing(project, manager, monkeypatch, run):
    """The rows and revisions are inserted, then the audit row fails: all of it is
    rolled back, the key counter included, and the job ends with its file gone."""
    requirement_create(project=project, by=manager, title="Already there")
    before = _counts(project)

    saved_before_failing = []

    def broken_audit(**kwargs):
        saved_before_failing.append(Requirement.objects.filter(project=project).count())
        raise RuntimeError("disk full")

    monkeypatch.setattr("liaison.requirements.transfer.activity_record", broken_audit)
    job = _job(project, manager, data=workbook(row("One"), row("Two"), row("Three")))
    name = job.file.name
    run(job)  # huey records the error; the job must end all the same
    assert saved_before_failing == [before[0] + 3]  # it did fail midway
    assert _counts(project) == before
    assert not Activity.objects.filter(verb="imported").exists()
    assert _file_gone(job, name)
    assert job.stopped_reason.startswith("The import stopped on an unexpected error")


def test_a_slow_worker_whose_lease_was_taken_saves_nothing(project, manager, monkeypatch, run):
    """The sweep failed the job while the worker was still parsing: when the worker
    gets to saving, its rows are rolled back and the job stays failed."""
    from liaison.requirements import jobs

    real_parse = jobs.parse_rows

    def parse_then_stall(rows, progress):
        parsed = real_parse(rows, progress)
        ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=_ago(600))
        assert import_jobs.import_jobs_expire() == 1
        return parsed

    monkeypatch.setattr(jobs, "parse_rows", parse_then_stall)
    job = _job(project, manager, data=workbook(row("One")))
    run(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.stopped_reason == DIED
    assert _counts(project) == (0, 0, 0)
