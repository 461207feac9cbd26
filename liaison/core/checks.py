"""System checks of the settings that `manage.py check --deploy` prints."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.files, deploy=True)
def files_reach_every_web_process(app_configs: Any, **kwargs: Any) -> list[CheckWarning]:
    """With Redis, web processes may run on several machines (README "Scale-out");
    files on one machine's disk would then be missing on the others."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if not settings.REDIS_URL or not backend.endswith("FileSystemStorage"):
        return []
    return [
        CheckWarning(
            f"Uploaded files are on this machine's disk ({settings.MEDIA_ROOT}): web "
            "processes on other machines will not find them.",
            hint="Set STORAGE_URL to an S3-compatible bucket (README, Storage), or "
            "mount MEDIA_ROOT on a volume every machine shares.",
            id="liaison.core.W001",
        )
    ]
