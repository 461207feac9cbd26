"""Writing an archive (`manage.py backup`): the rows inside one snapshot, table by
table in pages of CHUNK_ROWS, each table spooled to a temporary file and
streamed into the archive; then the files the rows name, read through their
field's storage (so any storage works, S3-compatible ones too); the manifest
last. Memory stays flat whatever the size of the instance."""

import datetime as dt
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from liaison.core.backup.archive import (
    FILES_DIR,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ROWS_DIR,
    BackupError,
    FileEntry,
    Manifest,
    MissingFile,
    PartEntry,
    add_bytes,
    add_member,
    liaison_version,
)
from liaison.core.backup.snapshot import applied_migrations, read_snapshot
from liaison.core.backup.tables import (
    NOT_IN_ARCHIVE,
    SKIPPED,
    file_fields,
    row_fields,
    travelling_models,
)

CHUNK_ROWS = 2000

TableDone = Callable[[PartEntry], None]


class StoredFile(NamedTuple):
    field: models.FileField
    label: str  # app_label.model_name.field_name
    name: str


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to the millisecond; a backup keeps every
    microsecond, so a restored row is the row that was saved."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def write_backup(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, on_table: TableDone | None = None
) -> Manifest:
    """Write the archive to `path` (readable by its owner only: it holds password
    hashes and webhook secrets). It appears there complete or not at all."""
    if path.exists():
        raise BackupError(f"{path} exists already; choose another --output.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w|gz") as tar:
            manifest = _write(tar, using, on_table or (lambda part: None))
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return manifest


def _write(tar: tarfile.TarFile, using: str, on_table: TableDone) -> Manifest:
    files: dict[tuple[str, str], StoredFile] = {}
    parts: list[PartEntry] = []
    with read_snapshot(using):
        created = timezone.now()
        migrations = applied_migrations(using)
        for index, model in enumerate(travelling_models(), start=1):
            member = f"{ROWS_DIR}{index:04d}-{model._meta.label_lower}.jsonl"
            parts.append(_dump_table(tar, model, using, member, files, created.timestamp()))
            on_table(parts[-1])
    stored, missing = _add_files(tar, files.values(), created.timestamp())
    manifest: Manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "liaison_version": liaison_version(),
        "created_at": created.isoformat(),
        "database": connections[using].vendor,
        "migrations": migrations,
        "parts": parts,
        "files": stored,
        "missing_files": missing,
        "skipped": SKIPPED,
        "not_included": list(NOT_IN_ARCHIVE),
    }
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    add_bytes(tar, MANIFEST, data, created.timestamp())
    return manifest


def _dump_table(
    tar: tarfile.TarFile,
    model: type[models.Model],
    using: str,
    member: str,
    files: dict[tuple[str, str], StoredFile],
    mtime: float,
) -> PartEntry:
    """One table as JSON Lines, by primary key; note the files its rows name."""
    label = model._meta.label_lower
    with_files = [(field, f"{label}.{field.name}") for field in file_fields(model)]
    count = 0

    def rows() -> Iterator[models.Model]:
        nonlocal count
        for row in model._base_manager.using(using).order_by("pk").iterator(CHUNK_ROWS):
            count += 1
            for field, field_label in with_files:
                name = field.value_from_object(row).name
                if name:
                    files.setdefault((field_label, name), StoredFile(field, field_label, name))
            yield row

    with tempfile.TemporaryFile() as spool:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="\n")
        serializers.serialize(
            "jsonl", rows(), stream=text, fields=row_fields(model), cls=ExactJSONEncoder
        )
        text.flush()
        text.detach()  # the spool stays open
        size = spool.tell()
        spool.seek(0)
        size, sha256 = add_member(tar, member, spool, size, mtime)
    return {"model": label, "member": member, "rows": count, "size": size, "sha256": sha256}


def _add_files(
    tar: tarfile.TarFile, stored_files: Iterable[StoredFile], mtime: float
) -> tuple[list[FileEntry], list[MissingFile]]:
    """Each file once, through its field's storage. A file gone from the storage
    (deleted since the snapshot, or lost before) is listed as missing."""
    entries: list[FileEntry] = []
    missing: list[MissingFile] = []
    for stored in sorted(stored_files, key=lambda stored: (stored.label, stored.name)):
        storage = stored.field.storage
        member = f"{FILES_DIR}{stored.label}/{stored.name}"
        try:
            if not storage.exists(stored.name):
                raise FileNotFoundError(stored.name)
            handle = storage.open(stored.name, "rb")
        except FileNotFoundError:
            missing.append({"field": stored.label, "name": stored.name})
            continue
        with handle:
            size, sha256 = add_member(tar, member, handle, handle.size, mtime)
        entries.append(
            {
                "field": stored.label,
                "name": stored.name,
                "member": member,
                "size": size,
                "sha256": sha256,
            }
        )
    return entries, missing
