"""Fixtures shared by the whole suite: an organization with a project, a
foreign organization with its own project, and one user for every role."""

import datetime as dt
import hashlib
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import zlib
from contextlib import contextmanager, suppress
from pathlib import Path

import django
import pytest
import time_machine
from django.apps import apps
from django.core import management
from django.db import DatabaseError, connection
from django.db.backends.postgresql.creation import DatabaseCreation as PostgresCreation
from django.db.backends.sqlite3.creation import DatabaseCreation as SQLiteCreation
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from huey.contrib.djhuey import HUEY

from liaison.accounts.models import Organization, OrgMembership, User
from liaison.accounts.tests.factories import make_user
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_member, make_project

# The `tiny_bench` fixture: the bench's TINY data set, built once per process.
pytest_plugins = ["liaison.bench.tests.tiny"]

# Jobs run inline in tests, right where on_commit fires them.
HUEY.immediate = True

# "Today" for every test: a fixed day, so no test can depend on the real date by
# accident. LIAISON_TEST_TODAY=YYYY-MM-DD runs the suite on another day (CI runs
# the date-heavy apps on a Monday at a year's turn and on a leap day too).
TODAY = dt.date.fromisoformat(os.environ.get("LIAISON_TEST_TODAY", "2026-11-18"))
NOW = dt.datetime.combine(TODAY, dt.time(10), tzinfo=dt.UTC)  # when each test starts


# The longest test files, longest first, run before the rest. A worker runs a
# whole file (--dist loadfile); left in xdist's order (most tests first) these
# few-test, minutes-long files came last and one ran alone while the other worker
# idled: replayed from a timed run of the suite on two workers, the last worker
# ended 2,276 s in with xdist's order, 1,915 s with this one (the whole run's
# average of the two: 1,908 s). A file not listed keeps its place, after these.
LONGEST_FIRST = (
    "liaison/tests/test_access_matrix.py",
    "liaison/tests/test_api_fuzz.py",
    "liaison/tests/test_form_fuzz.py",
    "liaison/tests/test_hostile_content.py",
    "liaison/core/tests/test_bad_input_lists.py",
    "liaison/core/tests/test_backup.py",
    "liaison/core/tests/test_bad_input_api.py",
    "liaison/tests/test_foreign_ids.py",
    "liaison/core/tests/test_backup_refusals.py",
    "liaison/bench/tests/test_bench.py",
    "liaison/planning/tests/test_concurrency.py",
    "liaison/core/tests/test_model_moves.py",
)


# The test database: `migrate` takes about 12 s of CPU, and CI makes a test
# database a dozen times (each xdist worker of `make test` on both databases,
# of the three days of `make test-dates`, `-m slow_run`, `make faults` on both).
# The first one on a machine runs the migrations and keeps what they made under
# a name from a digest of them (every migration file of every app, Django's and
# SQLite's versions): on SQLite a file in the temporary folder, which the next
# ones copy into their in-memory database (SQLite's backup API, milliseconds);
# on PostgreSQL a database the next ones are created from (CREATE DATABASE …
# TEMPLATE). A changed migration makes a new one, so the database a test
# starts with is always what the migrations make.
MIGRATED = Path(tempfile.gettempdir()) / "liaison-test-db"


def _migrations_digest() -> str:
    digest = hashlib.sha256(f"{django.__version__} {sqlite3.sqlite_version}".encode())
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        for path in sorted(Path(config.path).glob("migrations/*.py")):
            digest.update(f"{config.label}/{path.name}".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _instead_of_migrate(replacement):
    """create_test_db's `migrate` replaced (it imports call_command when called)."""
    original = management.call_command

    def call_command(name, *args, **options):
        if name != "migrate":
            return original(name, *args, **options)
        return replacement(lambda: original(name, *args, **options))

    management.call_command = call_command
    try:
        yield
    finally:
        management.call_command = original


def _sqlite_create_test_db(create):
    def create_test_db(self, *args, **kwargs):
        if not self.is_in_memory_db(self._get_test_db_name()):
            return create(self, *args, **kwargs)
        template = MIGRATED / f"{_migrations_digest()}.sqlite3"

        def migrate_or_copy(migrate) -> None:
            self.connection.ensure_connection()
            if template.exists():
                with sqlite3.connect(template) as source:
                    source.backup(self.connection.connection)
                return
            migrate()
            MIGRATED.mkdir(exist_ok=True)
            partial = template.with_suffix(f".{os.getpid()}.partial")
            with sqlite3.connect(partial) as target:
                self.connection.connection.backup(target)
            partial.replace(template)  # whole or not at all: another process may read it

        with _instead_of_migrate(migrate_or_copy):
            return create(self, *args, **kwargs)

    return create_test_db


def _postgres_create_test_db(create):
    def create_test_db(self, *args, **kwargs):
        template = f"liaison_migrated_{_migrations_digest()}"
        with self._nodb_cursor() as cursor:
            exists = self._database_exists(cursor, template)
        if not exists:
            name = create(self, *args, **kwargs)
            self.connection.close()  # a database with a session open is no template
            with self._nodb_cursor() as cursor, suppress(DatabaseError):  # another made it
                cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
            return name
        test = self.connection.settings_dict["TEST"]
        test["TEMPLATE"] = template
        try:
            with _instead_of_migrate(lambda migrate: None):
                return create(self, *args, **kwargs)
        finally:
            del test["TEMPLATE"]

    return create_test_db


SQLiteCreation.create_test_db = _sqlite_create_test_db(SQLiteCreation.create_test_db)
PostgresCreation.create_test_db = _postgres_create_test_db(PostgresCreation.create_test_db)


def pytest_collection_modifyitems(items):
    """LONGEST_FIRST's files first (pyproject's --no-loadscope-reorder keeps
    the order); the order of the tests inside a file is unchanged."""
    rank = {path: n for n, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(autouse=True)
def _pinned_clock():
    """The clock starts at 10:00 UTC on TODAY and ticks on from there."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """A cheap hasher for the fixtures' users (sign-in still checks passwords),
    cookies that outlive the pinned clock, and the default language: the last
    request's language stays active in the thread, which would leak into the
    next test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The browser keeps the real date: cookies that expire on the pinned clock
    # would be dropped at once, so they last for the browser session instead.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def org(db) -> Organization:
    return Organization.objects.create(name="Brightline", slug="brightline")


@pytest.fixture
def other_org(db) -> Organization:
    return Organization.objects.create(name="Elsewhere", slug="elsewhere")


@pytest.fixture
def owner(org) -> User:
    return make_user("owner@test.example", org=org, org_role=OrgMembership.Role.OWNER)


@pytest.fixture
def manager(org) -> User:
    return make_user("manager@test.example", org=org)


@pytest.fixture
def project(org, manager) -> Project:
    return make_project(
        org, manager, "OWN", start_date=None, end_date=None, status=Project.Status.ACTIVE
    )


@pytest.fixture
def member(project, org) -> User:
    return make_member(project, "member@test.example", org=org)


@pytest.fixture
def observer(project, org) -> User:
    return make_member(project, "observer@test.example", role=Membership.Role.OBSERVER, org=org)


@pytest.fixture
def client_user(project) -> User:
    """A person at the customer: no organization, client of `project`."""
    return make_member(project, "client@customer.example", role=Membership.Role.CLIENT)


@pytest.fixture
def outsider(org) -> User:
    """Staff of the same organization with no role in `project`."""
    return make_user("outsider@test.example", org=org)


@pytest.fixture
def deactivated(project, org) -> User:
    user = make_member(project, "gone@test.example", org=org)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@pytest.fixture
def foreign_project(other_org) -> Project:
    """A project of another organization, which nobody above may see."""
    foreign_manager = make_user("boss@elsewhere.example", org=other_org)
    return make_project(other_org, foreign_manager, "FOREIGN", status=Project.Status.ACTIVE)


@pytest.fixture
def role_users(owner, manager, member, observer, client_user, outsider, deactivated) -> dict:
    """Every role by name; "anonymous" is None."""
    return {
        "owner": owner,
        "manager": manager,
        "member": member,
        "observer": observer,
        "client": client_user,
        "outsider": outsider,
        "anonymous": None,
        "deactivated": deactivated,
    }


@pytest.fixture
def login(client):
    """login(user) signs the test client in (None stays anonymous) and returns it."""

    def _login(user: User | None):
        if user is not None:
            client.force_login(user) if user.is_active else _login_inactive(client, user)
        return client

    return _login


def _login_inactive(client, user: User) -> None:
    """A deactivated user's old session: Django must treat it as anonymous."""
    user.is_active = True
    client.force_login(user)
    user.is_active = False


@pytest.fixture
def count_queries():
    """count_queries(client, url, headers) is the number of queries one GET of
    `url` runs (which must succeed)."""

    def _count(client, url: str, headers: dict | None = None) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, headers=headers or {})
        assert response.status_code == 200, url
        return len(context.captured_queries)

    return _count


@pytest.fixture
def pdf_text():
    """pdf_text(pdf) is the PDF's text through poppler's pdftotext; without it,
    the inflated streams, which hold the metadata (a content hash) but not the
    glyphs."""

    def _text(pdf: bytes) -> str:
        if shutil.which("pdftotext"):
            result = subprocess.run(
                ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
            )
            return result.stdout.decode()
        streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
        return b"".join(zlib.decompress(stream) for stream in streams).decode("latin-1")

    return _text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    """What the real SMTP server received, as parsed e-mail messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port; Django sends to it."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Django sends to a loopback port where nothing listens yet; `up()` starts
    a real SMTP server there and returns its inbox. huey's queue starts and ends
    empty (the retries a failed send schedules)."""
    from aiosmtpd.controller import Controller

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    controllers = []

    def up() -> _Inbox:
        inbox = _Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return inbox

    HUEY.flush()
    yield up
    HUEY.flush()
    for controller in controllers:
        controller.stop()
