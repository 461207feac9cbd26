"""Which rows travel in a backup: every table of every installed app, found from
the models (`apps.get_models()`), nothing listed by hand, except the few below
that belong to one running instance and mean nothing in another."""

from django.apps import apps
from django.db import models

# Left out of the archive, and cleared from the instance a restore fills.
SKIPPED: dict[str, str] = {
    "sessions.session": ("sign-ins, signed with this instance's SECRET_KEY; people sign in again"),
    "accounts.usersession": "which sign-ins are whose: they end with the sessions",
    "accounts.loginfailure": "sign-in throttling: failed attempts of the last minutes",
    "accounts.setuptoken": "first-run links, which open only an instance with no organization",
    "core.outgoingmail": (
        "the outbox: mail this instance sent or is sending, with the sign-in links"
        " it holds; a restored copy mails nobody again"
    ),
}

# Columns the database writes itself (a PostgreSQL trigger, core 0011): left
# out of the archive; the restoring database writes them again from the row.
DERIVED: dict[str, tuple[str, ...]] = {"core.searchentry": ("search_vector",)}

# Rows `migrate` makes in every database (post_migrate). A restore replaces them
# with the archive's, ids included: generic references (the activity log's
# target, comments, notifications, attachments) store content type ids.
MIGRATE_MADE = ("auth.permission", "contenttypes.contenttype")

# What the archive does not hold, whatever the tables (the README says it too).
NOT_IN_ARCHIVE = (
    "SECRET_KEY and the environment file (deploy/liaison.env): back them up apart",
    "the job queue (huey: var/huey.sqlite3 or Redis): a webhook delivery still "
    "pending travels, and the restored worker's sweep queues it again; the outbox "
    "stays behind, so no mail is sent again",
    "the cache (the liaison_cache table or Redis): it fills again",
    "collected static files (var/static): `make setup` builds them",
)


def travelling_models() -> list[type[models.Model]]:
    """Every concrete table of the installed apps, many-to-many tables included
    (they travel as rows of their own), minus SKIPPED; in the apps' order."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in SKIPPED
    ]


def skipped_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower in SKIPPED
    ]


def row_fields(model: type[models.Model]) -> list[str]:
    """The names the serializer writes for each row: the model's own columns. The
    primary key goes apart ("pk"), and many-to-many fields are left out: their
    table is a model of its own in `travelling_models()` (serializing them on the
    row would ask one query per row)."""
    derived = DERIVED.get(model._meta.label_lower, ())
    return [field.name for field in model._meta.local_fields if field.name not in derived]


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [field for field in model._meta.local_fields if isinstance(field, models.FileField)]
