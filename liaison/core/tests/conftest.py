"""Fixtures of the backup tests (test_backup*.py): empty databases beside the
suite's own, a SQLite file or a PostgreSQL database named h_backup_…"""

import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command

from liaison.core.tests.backup_world import POSTGRES, extra_database


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory, django_db_blocker) -> Path:
    """A migrated SQLite file, copied for each test that needs an empty instance."""
    path = tmp_path_factory.mktemp("backup") / "migrated.sqlite3"
    with django_db_blocker.unblock(), extra_database("h_backup_template", f"sqlite:///{path}"):
        call_command("migrate", database="h_backup_template", verbosity=0)
    return path


@pytest.fixture(scope="session")
def postgres_databases(django_db_blocker) -> Iterator[Callable[[], str]]:
    """new() → the URL of an empty, migrated PostgreSQL database h_backup_… (a copy
    of one migrated once); every one is dropped at the end."""
    try:
        admin = psycopg.connect(POSTGRES + "postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    names: list[str] = []

    def create(template: str | None = None) -> str:
        names.append(f"h_backup_{uuid.uuid4().hex[:12]}")
        admin.execute(
            f'CREATE DATABASE "{names[-1]}"' + (f' TEMPLATE "{template}"' if template else "")
        )
        return POSTGRES + names[-1]

    template_url = create()
    with django_db_blocker.unblock(), extra_database("h_backup_template", template_url):
        call_command("migrate", database="h_backup_template", verbosity=0)
    template = names[-1]
    yield lambda: create(template)
    for name in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def empty_database(transactional_db, request, tmp_path) -> Iterator[Callable[..., str]]:
    """empty_database(kind, migrated=True) → the alias of a new, empty database:
    "sqlite" (a file; with migrated=False not even migrated) or "postgresql"
    (skipped without a server). The aliases go before the suite's database is
    torn down."""
    stack = ExitStack()

    def make(kind: str, *, migrated: bool = True) -> str:
        if kind == "sqlite":
            path = tmp_path / f"{uuid.uuid4().hex}.sqlite3"
            if migrated:
                shutil.copy(request.getfixturevalue("migrated_sqlite"), path)
            url = f"sqlite:///{path}"
        else:
            url = request.getfixturevalue("postgres_databases")()
        return stack.enter_context(extra_database(f"h_backup_{uuid.uuid4().hex[:8]}", url))

    with stack:
        yield make
