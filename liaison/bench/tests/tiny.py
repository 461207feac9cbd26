"""The TINY bench data set for the tests that need it: built once per test
process, then copied into each test's database with SQLite's backup API
(milliseconds, where a build takes seconds). On PostgreSQL each test builds it.

For transactional tests only (`transactional_db`, which `live_server` needs):
SQLite copies into a database without an open transaction, and the live
server reads committed rows."""

import sqlite3

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from liaison.bench.data import TINY, build

_snapshot: tuple[sqlite3.Connection, dict] | None = None


@pytest.fixture
def tiny_bench(transactional_db) -> dict:
    """The TINY data in the test database; build()'s counts."""
    global _snapshot
    if connection.vendor != "sqlite":
        return build(TINY)
    connection.ensure_connection()
    if _snapshot is None:
        counts = build(TINY)
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _snapshot = (copy, counts)
        return dict(counts)
    copy, counts = _snapshot
    copy.backup(connection.connection)
    # The copy's content types are those of the first build; the flushes since
    # made new rows, which the manager's cache may still hold.
    ContentType.objects.clear_cache()
    return dict(counts)
