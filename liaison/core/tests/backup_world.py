"""What the backup tests share: extra databases beside the suite's own (a SQLite
file, or a PostgreSQL database named h_backup_… when one answers at
127.0.0.1:5432), archives read and rewritten, and a whole instance read back
for comparison."""

import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend

from liaison.core.backup.tables import DERIVED, travelling_models

POSTGRES = "postgres://postgres@127.0.0.1:5432/"
# As liaison/settings.py opens a SQLite database: WAL, writes under BEGIN IMMEDIATE.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


_EXTRA: dict[str, dict] = {}


def _connect(alias: str) -> None:
    """This thread's connection to an extra database. Made here, not named in the
    settings: Django's test case refuses an alias of the settings that the test
    did not declare, and allows connections made on the fly."""
    config = _EXTRA[alias]
    connections[alias] = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)


@contextmanager
def extra_database(alias: str, url: str) -> Iterator[str]:
    """`alias` names the database at `url` for as long as the block lasts (in this
    thread; another thread uses `in_this_thread`)."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    _EXTRA[alias] = connections.configure_settings({DEFAULT_DB_ALIAS: config})[DEFAULT_DB_ALIAS]
    try:
        with in_this_thread(alias):
            yield alias
    finally:
        del _EXTRA[alias]


@contextmanager
def in_this_thread(alias: str) -> Iterator[None]:
    _connect(alias)
    try:
        yield
    finally:
        connections[alias].close()
        del connections[alias]


def contents(using: str) -> dict[str, list[tuple]]:
    """Every row of every table that travels, every column but those the
    database derives (tables.DERIVED), by primary key."""
    return {
        model._meta.label_lower: list(
            model._base_manager.using(using).order_by("pk").values_list(*_stored_columns(model))
        )
        for model in travelling_models()
    }


def _stored_columns(model) -> list[str]:
    derived = DERIVED.get(model._meta.label_lower, ())
    return [f.attname for f in model._meta.local_concrete_fields if f.name not in derived]


def file_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in Path(root).rglob("*")
        if path.is_file()
    }


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        return json.loads(handle.read())


def rewrite(
    archive: Path, target: Path, change: Callable[[str, bytes], bytes], *, reseal: bool = False
) -> Path:
    """A copy of `archive` with each member's bytes passed through `change(name,
    data)`; `reseal` also rewrites the manifest's sizes and hashes to match, as a
    careful forger would."""
    with tarfile.open(archive, "r:gz") as old:
        members = [(m, old.extractfile(m).read()) for m in old.getmembers()]  # type: ignore[union-attr]
    changed = {member.name: change(member.name, data) for member, data in members}
    if reseal:
        manifest = json.loads(changed["manifest.json"])
        for entry in [*manifest["parts"], *manifest["files"]]:
            data = changed[entry["member"]]
            entry["size"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()
        changed["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as new:
        for member, _data in members:
            member.size = len(changed[member.name])
            new.addfile(member, io.BytesIO(changed[member.name]))
    return target


def table_names(using: str) -> list[str]:
    return connections[using].introspection.table_names()
