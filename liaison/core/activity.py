"""The append-only audit log: every service writes one row per change."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from liaison.core.models import Activity


def activity_record(
    *,
    actor,
    verb: str,
    target: models.Model,
    project=None,
    diff: dict | None = None,
    client_visible: bool = False,
) -> Activity:
    return Activity.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_label=str(target)[:300],
        project=project,
        diff=diff or {},
        client_visible=client_visible,
    )
