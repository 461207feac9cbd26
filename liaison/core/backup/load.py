"""Restoring an archive into an empty instance (`manage.py restore`).

In order, and nothing is written before the archive has passed every check:
1. every member is hashed and compared with the manifest (a damaged or altered
   archive is refused);
2. the archive's migrations must be this code's: an archive of another schema is
   restored with the Liaison version that made it, then upgraded;
3. the database must hold no data (what `migrate` makes aside); `migrate` and
   `createcachetable` then run, as `make migrate` does;
4. no file of the archive may be in the storage already with other content;
5. in one transaction: the content types and permissions `migrate` made give
   way to the archive's (ids kept, for generic references), the rows of each
   table go in by batches (foreign keys are checked at the end: Django makes
   them deferrable on PostgreSQL and SQLite), the references are checked, the
   PostgreSQL sequences are moved past the restored ids, and the files are
   written back through their field's storage. If anything fails the
   transaction rolls back and the files written are deleted: nothing is left
   half restored.
"""

import io
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.models.sql import InsertQuery

from liaison.core.backup.archive import (
    CHUNK,
    MANIFEST,
    BackupError,
    FileEntry,
    HashingReader,
    Manifest,
    PartEntry,
    contents,
    counted,
    open_for_reading,
    verify_archive,
)
from liaison.core.backup.snapshot import code_migrations
from liaison.core.backup.tables import MIGRATE_MADE, skipped_models, travelling_models

BATCH_ROWS = 1000

Say = Callable[[str], None]


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS, say: Say = print) -> Manifest:
    manifest = verify_archive(path)
    say(f"{path}: {contents(manifest)}, each as its manifest's SHA-256 says.")
    _check_schema(manifest, path)
    _refuse_data(using)
    call_command("migrate", database=using, interactive=False, verbosity=0)
    call_command("createcachetable", database=using, verbosity=0)
    _refuse_data(using)
    already_there = _files_already_there(manifest)
    written: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic(using=using):
            _clear_instance_rows(using)
            _load(path, manifest, using, written, already_there, say)
            _check_references(using)
            _reset_sequences(using)
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    ContentType.objects.clear_cache()
    return manifest


def _check_schema(manifest: Manifest, path: Path) -> None:
    ours, theirs = code_migrations(), manifest["migrations"]
    if ours == theirs:
        return
    missing, unknown = _difference(ours, theirs), _difference(theirs, ours)
    raise BackupError(
        f"{path} was written by Liaison {manifest['liaison_version']} at another schema "
        f"({len(missing)} migrations of this code not applied there, e.g. {missing[:3]}; "
        f"{len(unknown)} applied there unknown to this code, e.g. {unknown[:3]}). "
        "Restore it with the Liaison version that wrote it, then upgrade to this one."
    )


def _difference(these: dict[str, list[str]], those: dict[str, list[str]]) -> list[str]:
    return [
        f"{app}.{name}"
        for app, names in these.items()
        for name in names
        if name not in those.get(app, [])
    ]


def _refuse_data(using: str) -> None:
    """A restore fills an empty instance: it never merges into, or replaces, data."""
    tables = set(connections[using].introspection.table_names())
    holding = [
        model._meta.label_lower
        for model in travelling_models()
        if model._meta.label_lower not in MIGRATE_MADE
        and model._meta.db_table in tables
        and model._base_manager.using(using).exists()
    ]
    if holding:
        raise BackupError(
            f"The database is not empty ({', '.join(holding[:5])}"
            f"{', …' if len(holding) > 5 else ''} hold rows). A restore fills an empty "
            "instance only: point DATABASE_URL at a new database, MEDIA_ROOT at an empty "
            "folder (or STORAGE_URL at an empty bucket), and run it again. Nothing was restored."
        )


def _files_already_there(manifest: Manifest) -> set[str]:
    """The archive's files the storage holds already with the same bytes (left by an
    earlier attempt): not written again. Other content under one of its names is
    refused: it belongs to someone else."""
    same: set[str] = set()
    clashes: list[str] = []
    for entry in manifest["files"]:
        storage = _file_field(entry).storage
        if not storage.exists(entry["name"]):
            continue
        with storage.open(entry["name"], "rb") as handle:
            reader = HashingReader(handle)
            reader.drain()
        if (reader.size, reader.hexdigest()) == (entry["size"], entry["sha256"]):
            same.add(entry["member"])
        else:
            clashes.append(entry["name"])
    if clashes:
        raise BackupError(
            f"The storage already holds other files under the archive's names ({clashes[:3]}). "
            "Restore into an empty MEDIA_ROOT (or bucket). Nothing was restored."
        )
    return same


def _file_field(entry: FileEntry) -> models.FileField:
    try:
        app_label, model_name, field_name = entry["field"].split(".")
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    except (ValueError, LookupError) as error:
        raise BackupError(f"The archive names a file field this code lacks: {error}.") from None
    if not isinstance(field, models.FileField):
        raise BackupError(f"{entry['field']} is not a file field.")
    return field


def _clear_instance_rows(using: str) -> None:
    """The content types and permissions `migrate` made (the archive brings its own,
    with their ids), and the rows that belong to the empty instance (SKIPPED:
    sessions, sign-in failures, first-run links)."""
    for label in MIGRATE_MADE:
        apps.get_model(label)._base_manager.using(using).all().delete()
    for model in skipped_models():
        model._base_manager.using(using).all().delete()


def _load(
    path: Path,
    manifest: Manifest,
    using: str,
    written: list[tuple[Storage, str]],
    already_there: set[str],
    say: Say,
) -> None:
    """The archive's members in its order: the tables' rows, then the files; each
    hashed again as it is read, in case the archive changed since it was checked."""
    parts = {part["member"]: part for part in manifest["parts"]}
    files = {entry["member"]: entry for entry in manifest["files"]}
    with open_for_reading(path) as tar:
        for member in tar:
            handle = tar.extractfile(member)
            if handle is None or member.name == MANIFEST:
                continue
            reader = HashingReader(handle)
            if member.name in parts:
                part = parts[member.name]
                _load_part(reader, part, using)
                say(f"{part['model']}: {counted(part['rows'], 'row')}")
                expected = (part["size"], part["sha256"])
            elif member.name in files:
                _write_file(reader, files[member.name], written, already_there)
                expected = (files[member.name]["size"], files[member.name]["sha256"])
            else:
                expected = (-1, "")  # not in the manifest: the archive changed
            reader.drain()
            if (reader.size, reader.hexdigest()) != expected:
                raise BackupError(f"{path} changed while it was restored; nothing was restored.")


def _load_part(reader: HashingReader, part: PartEntry, using: str) -> None:
    try:
        model = apps.get_model(part["model"])
    except (ValueError, LookupError) as error:
        raise BackupError(f"The archive has rows of a model this code lacks: {error}.") from None
    text = io.TextIOWrapper(io.BufferedReader(reader, CHUNK), encoding="utf-8", newline="\n")
    batch: list[models.Model] = []
    count = 0
    try:
        for item in serializers.deserialize("jsonl", text, using=using):
            if type(item.object) is not model:
                raise BackupError(f"{part['member']} holds a row of {item.object._meta.label}.")
            batch.append(item.object)
            count += 1
            if len(batch) == BATCH_ROWS:
                _insert(model, batch, using)
                batch = []
    except DeserializationError as error:
        raise BackupError(f"{part['member']}: a row is not readable ({error}).") from None
    _insert(model, batch, using)
    if count != part["rows"]:
        raise BackupError(
            f"{part['member']} has {counted(count, 'row')}; its manifest says {part['rows']}."
        )


def _insert(model: type[models.Model], rows: list[models.Model], using: str) -> None:
    """The rows as they were, primary keys included: a raw insert, as loaddata's
    save(raw=True) does, takes each value as it is (auto_now, defaults and signals
    left out), but many rows per statement."""
    if not rows:
        return
    fields = list(model._meta.local_concrete_fields)
    # PostgreSQL takes at most 65,535 parameters a statement (SQLite's limit is in
    # bulk_batch_size already).
    size = min(connections[using].ops.bulk_batch_size(fields, rows), 60_000 // len(fields))
    for start in range(0, len(rows), max(1, size)):
        query = InsertQuery(model)
        query.insert_values(fields, rows[start : start + size], raw=True)
        query.get_compiler(using=using).execute_sql()


def _write_file(
    reader: HashingReader, entry: FileEntry, written: list[tuple[Storage, str]], already: set[str]
) -> None:
    if entry["member"] in already:
        return
    storage = _file_field(entry).storage
    content = File(io.BufferedReader(reader, CHUNK), name=entry["name"])
    content.size = entry["size"]
    saved = storage.save(entry["name"], content)
    written.append((storage, saved))
    if saved != entry["name"]:
        raise BackupError(f"The storage kept {entry['name']} as {saved}; nothing was restored.")


def _check_references(using: str) -> None:
    """Every foreign key resolves (checked now for a clear message, not at commit)."""
    try:
        connections[using].check_constraints()
    except IntegrityError as error:
        raise BackupError(f"The archive's rows do not hold together: {error}.") from None


def _reset_sequences(using: str) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids do not move: set
    each past its table's largest id. (SQLite needs nothing.)"""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), travelling_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
