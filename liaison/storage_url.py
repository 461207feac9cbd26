"""STORAGE_URL read into Django's STORAGES entry, and where its pre-signed
downloads lead (for the pages' image policy). Apart from the settings so that the
tests and the S3 test server read a URL exactly as a deployment does."""

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# The S3-compatible servers' options STORAGE_URL's query may set (README "Storage").
S3_URL_OPTIONS = {
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "addressing_style": "addressing_style",
    "signature_version": "signature_version",
}


def storage_backend(url: str) -> dict[str, Any]:
    """STORAGE_URL: empty for this machine's disk (MEDIA_ROOT), or an S3-compatible
    bucket, s3://[KEY:SECRET@]BUCKET[/PREFIX]?endpoint_url=…&region=…&addressing_style=path
    (AWS, MinIO, Ceph, Aliyun OSS, Tencent COS). Without a key in the URL, boto3
    finds one as usual (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, a
    machine role)."""
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(f"STORAGE_URL={url!r}: use s3://BUCKET?endpoint_url=…")
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    if unknown := sorted(query.keys() - S3_URL_OPTIONS.keys()):
        raise ImproperlyConfigured(
            f"STORAGE_URL: unknown option {unknown[0]!r} (known: {', '.join(S3_URL_OPTIONS)})"
        )
    options: dict[str, Any] = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "signature_version": "s3v4",
        **{S3_URL_OPTIONS[name]: value for name, value in query.items()},
        # Our names are random already; never replace a stored file (as on disk).
        "file_overwrite": False,
        "default_acl": None,  # the bucket's own: private
        # A file read for a download or a backup spools to a temporary file past 2 MB.
        "max_memory_size": 2 * 1024 * 1024,
    }
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def presigned_origins(backend: dict[str, Any]) -> list[str]:
    """Where pre-signed downloads lead, so that an image attached and shown in a
    page loads from there: the endpoint's server, and with virtual-hosted
    addressing the bucket as its subdomain."""
    options = backend["OPTIONS"]
    parts = urlsplit(options["endpoint_url"])
    origin = f"{parts.scheme}://{parts.netloc}"
    if options.get("addressing_style") == "virtual":
        return [origin, f"{parts.scheme}://*.{parts.netloc}"]
    return [origin]
