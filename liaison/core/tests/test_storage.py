"""STORAGE_URL read into Django's STORAGES (settings.storage_backend): the local
disk when unset, an S3-compatible bucket otherwise; and what a mistyped one says."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from liaison.core.checks import files_reach_every_web_process
from liaison.settings import presigned_origins, storage_backend


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
    # Aliyun OSS: virtual-hosted addressing, keys from AWS_ACCESS_KEY_ID / …_SECRET_…
    options = storage_backend(
        "s3://files?endpoint_url=https://oss-cn-hangzhou.aliyuncs.com&addressing_style=virtual"
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
    assert presigned_origins(minio) == ["http://127.0.0.1:9000", "http://*.127.0.0.1:9000"]
    assert presigned_origins(storage_backend("s3://files")) == ["https://*.amazonaws.com"]


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
