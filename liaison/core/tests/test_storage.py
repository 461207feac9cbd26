"""STORAGE_URL read into Django's STORAGES (liaison.storage_url): the local
disk when unset, an S3-compatible bucket otherwise; and what a mistyped one says."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import NOW
from liaison.collab.attachments import attachment_add
from liaison.core.checks import files_reach_every_web_process
from liaison.core.jobs import delete_stray_files
from liaison.core.stored_files import stray_files_delete
from liaison.storage_url import presigned_origins, storage_backend


def test_no_storage_url_is_the_local_disk():
    assert storage_backend("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_url_with_every_option():
    backend = storage_backend(
        "s3://AKIA%2FX:se%2Fcret@liaison-files/prod/?endpoint_url=https://minio.example:9000"
        "&region=cn-north-1&addressing_style=path&signature_version=s3v4"
    )
    assert backend["BACKEND"] == "storages.backends.s3.S3Storage"
    options = backend["OPTIONS"]
    assert options["bucket_name"] == "liaison-files"
    assert options["location"] == "prod"
    assert options["endpoint_url"] == "https://minio.example:9000"
    assert options["region_name"] == "cn-north-1"
    assert options["addressing_style"] == "path"
    assert (options["access_key"], options["secret_key"]) == ("AKIA/X", "se/cret")
    assert options["file_overwrite"] is False and options["default_acl"] is None


def test_an_s3_url_without_keys_leaves_them_to_boto3():
    # Virtual-hosted addressing (as Aliyun OSS), keys from AWS_ACCESS_KEY_ID / …_SECRET_…
    options = storage_backend(
        "s3://files?addressing_style=virtual&endpoint_url=https://oss.example"
    )["OPTIONS"]
    assert "access_key" not in options and "secret_key" not in options
    assert options["location"] == "" and options["signature_version"] == "s3v4"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files", "use s3://BUCKET"),
        ("s3://", "use s3://BUCKET"),
        ("s3://files?endpoint=https://x.example", "unknown option 'endpoint'"),
    ],
)
def test_a_wrong_storage_url_stops_the_start_with_a_message(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        storage_backend(url)


def test_pre_signed_downloads_may_show_images_from_the_storage():
    minio = storage_backend("s3://files?endpoint_url=http://127.0.0.1:9000")
    assert presigned_origins(minio) == ["http://127.0.0.1:9000"]
    virtual = storage_backend(
        "s3://files?addressing_style=virtual&endpoint_url=https://oss.example"
    )
    assert presigned_origins(virtual) == ["https://oss.example", "https://*.oss.example"]


def test_check_deploy_warns_of_files_on_one_disk_behind_several_machines(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"  # the scale-out setup
    (warning,) = files_reach_every_web_process(None)
    assert warning.id == "liaison.core.W001" and "STORAGE_URL" in warning.hint
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_backend("s3://files?endpoint_url=http://127.0.0.1:9000"),
    }
    assert files_reach_every_web_process(None) == []
    settings.REDIS_URL = ""
    settings.STORAGES = {**settings.STORAGES, "default": storage_backend("")}
    assert files_reach_every_web_process(None) == []


def test_the_nightly_sweep_deletes_old_files_no_row_names_on_the_disk(
    project, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assert stray_files_delete(now=NOW) == []  # nothing stored yet: no folder
    kept = attachment_add(
        target=project, project=project, by=manager, upload=SimpleUploadedFile("a.txt", b"a")
    )
    stray = default_storage.save(
        "imports/2026/11/import-of-a-killed-worker.xlsx", ContentFile(b"x")
    )
    written = default_storage.get_modified_time(stray)
    assert stray_files_delete(now=written + dt.timedelta(days=2)) == [stray]
    assert default_storage.exists(kept.file.name) and not default_storage.exists(stray)
    delete_stray_files()  # the nightly job, at the pinned clock: nothing old enough
    assert default_storage.exists(kept.file.name)
