"""Browser fixtures for the tests marked `browser`: Playwright's sync API driving
Debian's Chromium against pytest-django's live server.

    @pytest.mark.browser
    def test_something(page, live_server):
        page.goto(live_server.url + "/")
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from liaison.core.processes import CHROMIUM_ARGS

# Debian's own build; `playwright install` is never needed (nor possible offline).
CHROMIUM = os.environ.get("LIAISON_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
TIMEOUT_MS = 5_000


class _OneRequestAtATimeOnSharedSQLite(ThreadedWSGIServer):
    """The live server's threads share the test's one connection when the test
    database is in-memory SQLite (connections_override). Two requests at once
    on that connection interleave their savepoints ("no such savepoint"), the
    request answers 503 and the connection is left inside a broken atomic
    block for every later test of the worker. So on a shared connection the
    application runs one request at a time; PostgreSQL keeps real concurrency."""

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        return super().set_app(one_at_a_time)


LiveServerThread.server_class = _OneRequestAtATimeOnSharedSQLite


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        # CI installs Chromium, so there a missing browser is a failure, not a skip.
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps its asyncio loop "running" in this thread for
    # as long as it is started, so Django would refuse every ORM call the test
    # (and pytest-django's database set-up and flush) makes from here with
    # SynchronousOnlyOperation. Nothing here is really async: the ORM is only
    # ever used from this thread and the live server's threads, never from
    # inside the loop, so the check is safely switched off for the session.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """What the page's Content-Security-Policy refused, as Chromium reported it."""
    return []


@pytest.fixture
def page(browser, live_server, csp_violations):
    """A fresh English-speaking browser context per test, relative URLs resolve
    against the live server (which brings a transactional database with it).
    The test fails if the page's Content-Security-Policy refused anything: a
    script or style the policy blocks is a feature broken for real users."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(
        locale="en-US", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.on("console", lambda message: _note_violation(message, csp_violations))
    yield tab
    context.close()
    assert not csp_violations, f"the Content-Security-Policy refused: {csp_violations}"


def _note_violation(message, violations: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        violations.append(message.text)


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto) on a free loopback port, for the session."""
    from liaison.tests.s3 import S3Server

    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings):
    """A fresh bucket, and Django's default storage on it (as STORAGE_URL sets it)."""
    from liaison.tests.s3 import Bucket

    bucket = Bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": bucket.backend()}
    return bucket
