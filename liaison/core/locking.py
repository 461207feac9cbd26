"""Optimistic locking: an edit carries the version it started from, and a
service refuses it when somebody else saved in between (docs/architecture.md,
Optimistic locking and the audit log).

The refusal says what the other person changed: every audited write records
the version it produced, so the activity log since the editor's version is
exactly the change they have not seen.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from liaison.core.activity import activity_since, field_display
from liaison.core.models import VersionedModel


@dataclass(frozen=True)
class Change:
    """One field somebody else changed: who, which field (its label) and its value
    now as people read it; `name` and `raw` are the field's name and stored value,
    which the API answers with."""

    actor: str
    field: str
    value: object
    name: str = ""
    raw: object = None


class StaleEdit(Exception):
    code = "stale_edit"

    def __init__(self, *, current: models.Model, started_version: int) -> None:
        self.current = current
        self.started_version = started_version
        self.changes = changes_since(current, started_version)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if not self.changes:
            return _(
                "Someone else saved this in the meantime. Review the current values and save again."
            )
        listed = "; ".join(
            _("%(actor)s set %(field)s to “%(value)s”")
            % {"actor": change.actor, "field": change.field, "value": change.value}
            for change in self.changes
        )
        return _(
            "Someone else saved this while you were editing: %(changes)s. "
            "Review the current values and save again."
        ) % {"changes": listed}


def changes_since(current: models.Model, version: int) -> list[Change]:
    """The fields changed after `version`, newest value per field, read from the audit log."""
    latest: dict[str, Change] = {}
    for activity in activity_since(current, version):
        actor = str(activity.actor) if activity.actor else _("Someone")
        for name, (_old, new) in activity.diff.items():
            label, value = field_display(type(current), name, new)
            latest[name] = Change(actor=actor, field=str(label), value=value, name=name, raw=new)
    return list(latest.values())


def plain(value: object) -> object:
    """A JSON-safe, readable form of a field value for diffs and messages."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def version_of(row: models.Model) -> int:
    """A row's version: VersionedModel's field, or the user model's own (which
    the kernel cannot name)."""
    version: int = row.serializable_value("version")
    return version


def check_version(current: models.Model, version: int) -> None:
    if version_of(current) != version:
        raise StaleEdit(current=current, started_version=version)


def apply_fields(instance: models.Model, fields: dict[str, Any]) -> dict[str, list[object]]:
    """Set the given fields and return the diff {name: [old, new]} of those that changed."""
    diff: dict[str, list[object]] = {}
    for name, new in fields.items():
        old = getattr(instance, name)
        if _identity(old) != _identity(new):
            diff[name] = [plain(old), plain(new)]
            setattr(instance, name, new)
    return diff


def _identity(value: object) -> object:
    """What makes two values the same: a row's primary key (two people may share
    a name), else the plain value."""
    if isinstance(value, models.Model):
        return (type(value), value.pk)
    return plain(value)


def save_changes(instance: VersionedModel, diff: Iterable[str]) -> None:
    """Save only what changed (the names, or the diff keyed by them) and move the
    version on."""
    instance.version += 1
    instance.save(update_fields=[*diff, "version", "updated_at"])
