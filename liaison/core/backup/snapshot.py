"""One consistent read of the whole database while people keep working.

A backup reads table after table for seconds or minutes while requests and jobs
write. Read outside a transaction, a task added meanwhile could be in the
archive without the activity row written with it, or point at a project read
before it existed. Inside one snapshot every query sees the database as it was
at one instant — the state some committed transaction left — so the archive is
one the application could have had, with every reference resolving.

- PostgreSQL: a REPEATABLE READ transaction takes its snapshot at its first
  query and keeps it to the end; READ ONLY says it writes nothing. Writers are
  never blocked (MVCC), and the reader never fails on what they do.
- SQLite: the settings put the file in WAL mode. A read transaction started with
  a plain (deferred) BEGIN reads the WAL up to the point where its first read
  began and no further, while writers keep appending. Liaison's connections open
  their transactions with BEGIN IMMEDIATE (the settings' transaction_mode), which
  takes the write lock: the snapshot switches that off for its own transaction,
  so a backup never stops the app from writing. (Without WAL, a reader would
  block writers for the backup's length; the settings always turn WAL on.)
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader

from liaison.core.backup.archive import BackupError


@contextmanager
def read_snapshot(using: str) -> Iterator[None]:
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A backup must start its own transaction, outside any other.")
    connection.ensure_connection()
    sqlite_mode = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite":
        connection.transaction_mode = None  # type: ignore[attr-defined]  # a deferred BEGIN
    try:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # Must be the transaction's first statement.
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                else:
                    # SQLite's snapshot starts with the first read.
                    cursor.execute("SELECT count(*) FROM django_migrations")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = sqlite_mode  # type: ignore[attr-defined]


def applied_migrations(using: str) -> dict[str, list[str]]:
    """The migrations of this code's graph applied in the database, by app (the
    last of each is its schema)."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    applied = loader.applied_migrations or {}
    return _by_app(key for key in loader.graph.nodes if key in applied)


def code_migrations() -> dict[str, list[str]]:
    """Every migration of this code: what a database has once migrated."""
    return _by_app(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _by_app(keys: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for app, name in sorted(keys):
        grouped.setdefault(app, []).append(name)
    return grouped
