"""Files in an S3-compatible bucket (STORAGE_URL) on a real S3 server started by
the suite on loopback (moto in server mode, liaison/tests/s3.py): attachments
uploaded, downloaded (streamed, or through a pre-signed address issued only
after the access check) and cleaned up; an import's upload deleted when the
import ends; a backup of the bucket restored into a fresh one."""

import datetime as dt
import hashlib
import io
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from liaison.collab import attachments
from liaison.collab.attachments import attachment_add
from liaison.collab.models import Attachment
from liaison.communication.tests.factories import interaction_row
from liaison.core.stored_files import stray_files_delete
from liaison.core.tests.backup_world import contents, manifest_of
from liaison.requirements.jobs import run_import
from liaison.requirements.models import ImportJob, Requirement
from liaison.requirements.services import requirement_import_start
from liaison.requirements.tests.factories import row, workbook
from liaison.tests.s3 import Bucket

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _add(project, by, name, content, *, client_visible=True):
    return attachment_add(
        target=interaction_row(project, client_visible=client_visible),
        project=project,
        by=by,
        upload=SimpleUploadedFile(name, content),
    )


def _download(http, project, attachment, *, portal=False):
    route = "portal:attachment" if portal else "communication:attachment"
    return http.get(reverse(route, args=[project.code, attachment.pk]))


def test_an_uploaded_attachment_is_an_object_in_the_bucket(login, project, member, s3_bucket):
    interaction_row(project, client_visible=True)
    http = login(member)
    upload = SimpleUploadedFile("plan.csv", b"a,b\n1,2\n")
    response = http.post(
        reverse("communication:attachment-upload", args=[project.code, "COM-1"]), {"file": upload}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert s3_bucket.object_keys() == [attachment.file.name]
    assert attachment.file.name.startswith("attachments/")
    assert s3_bucket.read(attachment.file.name) == b"a,b\n1,2\n"


def test_a_download_streams_from_the_bucket_with_the_safe_headers(
    login, project, manager, observer, client_user, s3_bucket
):
    pdf = _add(project, manager, "会议纪要.pdf", PDF)
    png = _add(project, manager, "board.png", PNG)
    response = _download(login(observer), project, pdf)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    response = _download(login(client_user), project, png, portal=True)
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PNG


def test_an_object_gone_from_the_bucket_is_404(login, project, manager, s3_bucket, settings):
    attachment = _add(project, manager, "a.pdf", PDF)
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=attachment.file.name)
    assert _download(login(manager), project, attachment).status_code == 404
    settings.STORAGE_DOWNLOADS = "presigned"
    response = _download(login(manager), project, attachment)
    assert response.status_code == 404 and "Location" not in response


def test_an_attachment_whose_row_fails_leaves_no_object(project, manager, s3_bucket, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the activity log is unavailable")

    monkeypatch.setattr(attachments, "activity_record", broken)
    with pytest.raises(RuntimeError):
        _add(project, manager, "a.pdf", PDF)
    assert not Attachment.objects.exists()
    assert s3_bucket.object_keys() == []


# -- pre-signed downloads --------------------------------------------------------------


def test_a_pre_signed_download_redirects_to_a_short_lived_address(
    login, project, manager, client_user, s3_bucket, s3_server, settings
):
    settings.STORAGE_DOWNLOADS = "presigned"
    settings.PRESIGNED_URL_SECONDS = 30
    attachment = _add(project, manager, "会议纪要.pdf", PDF)
    for user, portal in ((manager, False), (client_user, True)):
        response = _download(login(user), project, attachment, portal=portal)
        assert response.status_code == 302
        assert response["Cache-Control"] == "private, no-store"
        address = response["Location"]
        assert address.startswith(f"{s3_server.endpoint}/{s3_bucket.name}/attachments/")
        assert "X-Amz-Signature=" in address and "X-Amz-Expires=30" in address
        # The storage serves the bytes with the type and name the view would have sent.
        with urllib.request.urlopen(address, timeout=10) as fetched:
            assert fetched.read() == PDF
            assert fetched.headers["Content-Type"] == "application/pdf"
            assert fetched.headers["Content-Disposition"].startswith("attachment;")
            assert "filename*=utf-8''%E4%BC%9A" in fetched.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("role", "client_visible"),
    [("outsider", True), ("client_user", False), ("observer", None)],
)
def test_no_pre_signed_address_without_access(
    request, login, project, manager, foreign_project, s3_bucket, settings, role, client_visible
):
    """An outsider, the client on an internal conversation's file, and a team
    member of another project get 404 and no address."""
    settings.STORAGE_DOWNLOADS = "presigned"
    if client_visible is None:  # the observer is of `project`; the file is the foreign one's
        attachment = _add(foreign_project, foreign_project.manager, "a.pdf", PDF)
        target_project = foreign_project
    else:
        attachment = _add(project, manager, "a.pdf", PDF, client_visible=client_visible)
        target_project = project
    http = login(request.getfixturevalue(role))
    for portal in (False, True):
        response = _download(http, target_project, attachment, portal=portal)
        assert response.status_code == 404
        assert "Location" not in response and s3_bucket.name not in response.content.decode()


# -- an import's upload -------------------------------------------------------------------


def test_an_imports_upload_is_deleted_from_the_bucket_when_it_ends(
    project, manager, s3_bucket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = requirement_import_start(
            project=project,
            by=manager,
            upload=SimpleUploadedFile("reqs.xlsx", workbook(row("Scan labels"))),
        )
    assert s3_bucket.object_keys() == [job.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.file.name == ""
    assert Requirement.objects.filter(project=project, title="Scan labels").exists()
    assert s3_bucket.object_keys() == []


# -- backup and restore ----------------------------------------------------------------


def _object_hashes(bucket: Bucket) -> dict[str, str]:
    return {key: hashlib.sha256(bucket.read(key)).hexdigest() for key in bucket.object_keys()}


def test_a_backup_holds_the_buckets_objects_and_restores_them_into_a_fresh_bucket(
    transactional_db, project, manager, s3_server, s3_bucket, empty_database, settings, tmp_path
):
    _add(project, manager, "scope.pdf", PDF)
    _add(project, manager, "会议纪要.txt", "验收标准已确认。\n".encode())
    archive = tmp_path / "liaison.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    source_objects = _object_hashes(s3_bucket)
    assert len(source_objects) == 2
    manifest = manifest_of(archive)
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == source_objects

    fresh = Bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": fresh.backend()}
    target = empty_database("sqlite", migrated=False)
    call_command("restore", str(archive), "--database", target, stdout=io.StringIO())
    assert _object_hashes(fresh) == source_objects
    assert contents(target)["collab.attachment"] == contents("default")["collab.attachment"]


# -- stray files ------------------------------------------------------------------------


def test_the_nightly_sweep_deletes_only_old_objects_no_row_names(project, manager, s3_bucket):
    kept = _add(project, manager, "a.pdf", PDF)
    stray = default_storage.save("attachments/2026/11/left-by-a-rollback.pdf", ContentFile(PDF))
    written = default_storage.get_modified_time(stray)
    assert stray_files_delete(now=written + dt.timedelta(hours=1)) == []  # maybe in progress
    assert stray_files_delete(now=written + dt.timedelta(days=2)) == [stray]
    assert s3_bucket.object_keys() == [kept.file.name]
