"""Optimistic locking: an edit carries the version it started from, and a
service refuses it when somebody else saved in between (design §6)."""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """The row changed since the edit began. `changes` names what the other
    person changed, as (field label, current value) pairs, for the message."""

    code = "stale_edit"

    def __init__(self, *, current: models.Model, started_from: dict | None = None):
        self.current = current
        self.changes = changed_fields(current, started_from or {})
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if not self.changes:
            return _(
                "Someone else saved this in the meantime. Review the current values and save again."
            )
        listed = "; ".join(f"{label}: {value}" for label, value in self.changes)
        return _(
            "Someone else saved this in the meantime (now %(changes)s). "
            "Review the current values and save again."
        ) % {"changes": listed}


def plain(value):
    """A JSON-safe, readable form of a field value for diffs and messages."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def changed_fields(current: models.Model, started_from: dict) -> list[tuple[str, object]]:
    """Fields whose current value differs from what the editor started from."""
    changes = []
    for name, old in started_from.items():
        field = current._meta.get_field(name)
        now = getattr(current, name)
        if plain(now) != plain(old):
            changes.append((str(field.verbose_name), plain(now)))
    return changes


def check_version(current: models.Model, version: int, started_from: dict | None = None) -> None:
    if current.version != version:
        raise StaleEdit(current=current, started_from=started_from)


def apply_fields(instance: models.Model, fields: dict) -> dict[str, list]:
    """Set the given fields and return the diff {name: [old, new]} of those that changed."""
    diff = {}
    for name, new in fields.items():
        old = getattr(instance, name)
        if plain(old) != plain(new):
            diff[name] = [plain(old), plain(new)]
            setattr(instance, name, new)
    return diff


def save_changes(instance: models.Model, diff: dict) -> None:
    """Save only what changed and move the version on."""
    instance.version += 1
    instance.save(update_fields=[*diff, "version", "updated_at"])
