"""The append-only audit log: every service writes one row per change."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.models import Activity

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise


def activity_record(
    *,
    actor: "AbstractBaseUser | AnonymousUser | None",
    verb: str,
    target: models.Model,
    project: models.Model | None = None,
    diff: dict[str, Any] | None = None,
    client_visible: bool = False,
) -> Activity:
    """Record a change. Call it after saving: the row keeps the version the
    change produced, which lets a stale edit say what it missed."""
    # The kernel names neither the user model nor Project (they live in layers
    # above it), while django-stubs types these foreign keys as those models.
    person: Any = actor if actor is not None and actor.is_authenticated else None
    place: Any = project
    return Activity.objects.create(
        actor=person,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_label=str(target)[:300],
        target_version=getattr(target, "version", None),
        project=place,
        diff=diff or {},
        client_visible=client_visible,
    )


def client_has_seen(target: models.Model) -> bool:
    """Whether the target was ever visible to the client: every change made while
    it was is in the log marked so (docs/architecture.md, Optimistic locking and
    the audit log: such rows are never deleted)."""
    return Activity.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        client_visible=True,
    ).exists()


def activity_since(target: models.Model, version: int) -> QuerySet[Activity]:
    """The changes to `target` made after it was at `version`, oldest first."""
    return (
        Activity.objects.filter(
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
            target_version__gt=version,
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def field_display(
    model: type[models.Model], name: str, value: object
) -> tuple["StrOrPromise", object]:
    """A field's label in the reader's language and a value as people read it
    (the label of a choice rather than its code)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field removed since: show its name
        return name, value
    if not isinstance(field, models.Field):  # a reverse relation has no label of its own
        return name, value
    if isinstance(value, bool):
        return field.verbose_name, _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return field.verbose_name, moment_display(value)
    if not field.choices:  # also keeps list values (acceptance criteria) away from a dict
        return field.verbose_name, value
    return field.verbose_name, dict(field.flatchoices).get(value, value)


def moment_display(value: str) -> str:
    """A time the log keeps as ISO 8601 (JSON has no datetime) as the pages write
    one, "2026-11-18 18:05", in the reader's zone; a value that is no time as is."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")
