"""The web process killed in the middle of publishing a status report (issue 13),
with real processes: gunicorn as `manage.py serve` runs it, on the test's
database, the manager signed in, mail to a real SMTP server (aiosmtpd).

The publish is held inside its transaction by a real lock the test takes from
its own connection, and the gunicorn worker serving it is killed there:

- PostgreSQL: the test locks the outbox table (`LOCK TABLE … IN EXCLUSIVE
  MODE`: reads go on, writes wait). The publish has locked and updated the
  report, written the activity line and the client's notification, and waits
  to store the client's mail, the last thing it writes; the test sees it
  waiting in pg_stat_activity. Killed there, the server never sends COMMIT:
  once the lock is gone its backend finds the client gone and PostgreSQL
  rolls everything back.
- SQLite: one writer at a time, taken when a transaction begins (`BEGIN
  IMMEDIATE`, settings.py), so a lock can hold a publish only before its first
  write: the test holds a write transaction on the shared file and the
  publish waits in SQLite's busy handler (the worker sleeps in nanosleep,
  /proc/…/wchan). Nothing was written when it is killed; what a killed writer
  did write is never seen either (the WAL ignores frames of a transaction
  without its commit).

Then: nothing of the publish is left (a draft, no frozen facts, no activity,
no notification, no mail), the person got a broken connection (a proxy in
front says 502), gunicorn has a new worker and says it lost one, the page
shows the draft with its publish button, and publishing again does it all,
once. Seconds long: marked `faults`, left out of `make test`; `make faults`
runs it."""

import datetime as dt
import http.client
import re
import sqlite3
import threading
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection

from conftest import NOW
from liaison.collab.models import Notification
from liaison.core.models import Activity, OutgoingMail
from liaison.reports.models import StatusReport
from liaison.reports.tests.factories import make_report
from liaison.tests.processes import WAIT, Gunicorn, Install, sleeping_in, until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
OUTBOX = OutgoingMail._meta.db_table
WAITING_FOR_THE_OUTBOX = (
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    " AND wait_event_type = 'Lock' AND query LIKE %s"
)
LEFT = {
    "report": f"SELECT status, published_at FROM {StatusReport._meta.db_table} WHERE id = %s",
    "activity": f"SELECT count(*) FROM {Activity._meta.db_table} WHERE verb = 'published'",
    "notification": f"SELECT count(*) FROM {Notification._meta.db_table}"
    " WHERE event = 'report.published'",
    "mail": f"SELECT count(*) FROM {OUTBOX}",
}


class Browser:
    """A person's browser: cookies kept, a new connection per request (the
    server may have lost the last one), redirects not followed."""

    def __init__(self, base: str, session: str):
        self.port = int(base.rsplit(":", 1)[1])
        self.cookies = {"sessionid": session}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        link = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            link.request(method, path, body=body, headers=headers)
            response = link.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, value = header.split(";", 1)[0].split("=", 1)
                self.cookies[name] = value
            return response.status, response.read().decode()
        finally:
            link.close()

    def publish_form(self, path: str) -> dict[str, str]:
        """The publish button's form, as the report page shows it."""
        status, page = self.request("GET", path)
        assert status == 200 and "Publish to the client" in page, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        version = re.search(r'name="version" value="(\d+)"', page)
        assert token and version, page
        return {"csrfmiddlewaretoken": token.group(1), "version": version.group(1)}


@contextmanager
def held_database(install: Install):
    """The lock that holds the publish (see the module's docstring)."""
    if install.sqlite_file:
        db = sqlite3.connect(install.sqlite_file, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            db.execute("ROLLBACK")
            db.close()
        return
    # A connection of its own: the test's reads go on beside it.
    db = connection.get_new_connection(connection.get_connection_params())
    try:
        db.execute(f'LOCK TABLE "{OUTBOX}" IN EXCLUSIVE MODE')
        yield
    finally:
        db.rollback()
        db.close()


def _publish_is_held(install: Install, worker: int) -> int | None:
    """The held publish's PostgreSQL backend (SQLite: the worker's pid)."""
    if install.sqlite_file:
        return worker if "hrtimer_nanosleep" in sleeping_in(worker) else None
    rows = install.read(WAITING_FOR_THE_OUTBOX, (f'INSERT INTO "{OUTBOX}"%',))
    return rows[0][0] if rows else None


def _left(install: Install, report: StatusReport) -> dict:
    return {
        name: install.read(sql, (report.pk,) if "%s" in sql else ())[0]
        for name, sql in LEFT.items()
    }


def test_a_web_process_killed_mid_publish_leaves_a_draft_that_publishes_again(
    tmp_path, login, project, manager, client_user, smtp_inbox
):
    report = make_report(project, manager, summary="On track; the pilot starts Monday.")
    session = login(manager).cookies["sessionid"].value
    # The server keeps the real clock, past the tests' pinned one.
    Session.objects.filter(session_key=session).update(expire_date=NOW + dt.timedelta(days=3650))
    install = Install(tmp_path)
    server = Gunicorn(
        install, HUEY_IMMEDIATE="1", EMAIL_URL=f"smtp://127.0.0.1:{settings.EMAIL_PORT}"
    )
    try:
        browser = Browser(server.base, session)
        detail = report.get_absolute_url()
        form = browser.publish_form(detail)
        (worker,) = server.workers()
        outcome: list[object] = []

        def publish() -> None:
            try:
                outcome.append(browser.request("POST", f"{detail}publish/", form))
            except OSError as failure:
                outcome.append(failure)

        with held_database(install):
            clicked = threading.Thread(target=publish)
            clicked.start()
            until(lambda: _publish_is_held(install, worker), "the publish was not held")
            backend = _publish_is_held(install, worker)
            server.kill_worker()
            clicked.join(timeout=WAIT)
        if not install.sqlite_file:
            gone = "SELECT count(*) FROM pg_stat_activity WHERE pid = %s"
            until(lambda: install.read(gone, (backend,)) == [(0,)], "the backend lived on")

        # The person's request broke off; nothing of the publish is left.
        (broken,) = outcome
        assert isinstance(broken, ConnectionError), broken
        assert _left(install, report) == {
            "report": (StatusReport.Status.DRAFT, None),
            "activity": (0,),
            "notification": (0,),
            "mail": (0,),
        }
        assert smtp_inbox.messages == []
        # gunicorn replaced the worker and said so in its log.
        until(lambda: server.workers() not in ([], [worker]), "no new worker")
        assert f"Worker (pid:{worker}) was sent SIGKILL!" in server.log.read_text()

        # The page shows the draft with its button; publishing again works.
        form = browser.publish_form(detail)
        status, _page = browser.request("POST", f"{detail}publish/", form)
        assert status == 302
        status, page = browser.request("GET", detail)
        assert status == 200 and f"{report.key} is published." in page
    finally:
        log = server.stop()
        print(log)  # shown when the test fails
    install.take_back()
    report.refresh_from_db()
    assert report.status == StatusReport.Status.PUBLISHED and report.data
    assert Activity.objects.filter(verb="published").count() == 1
    (told,) = Notification.objects.filter(event="report.published")
    assert told.recipient == client_user
    (mail,) = OutgoingMail.objects.all()
    assert (mail.status, mail.recipient, mail.tries) == (OutgoingMail.Status.SENT, client_user, 1)
    (message,) = smtp_inbox.messages
    assert message["X-Envelope-To"] == client_user.email
