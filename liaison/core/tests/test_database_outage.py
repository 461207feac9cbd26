"""PostgreSQL refusing connections for 10 s under a real gunicorn (issue 13):
the server reaches the test database through a TCP proxy on 127.0.0.1, which
the test closes (every open connection cut, new ones refused) and opens again.
During the outage each page answers 503 "try again in a moment" and the API
JSON with `code`; once the database is back the next request succeeds (a kept
connection broken by the outage is health-checked and replaced).
Seconds long: marked `faults`, left out of `make test`; `make faults` runs it.
SQLite is a file, not a server: nothing to cut off, so skipped there."""

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection

from conftest import NOW, free_port

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]
OUTAGE_SECONDS = 10
WAIT = 60


class Proxy:
    """127.0.0.1:port → the database server; `down()` refuses, `up()` serves again."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.pipes: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def up(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self) -> None:
        assert self.listener is not None
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.listener.close()
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.shutdown(socket.SHUT_RDWR)
            pipe.close()
        self.pipes.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                near, _ = listener.accept()
            except OSError:
                return
            far = socket.create_connection(self.target)
            self.pipes += [near, far]
            for source, sink in ((near, far), (far, near)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


def _get(url: str, cookie: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def served(tmp_path):
    """gunicorn (DEBUG off) on the test database through the proxy."""
    db = connection.settings_dict
    proxy = Proxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.up()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "LIAISON_VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
    }
    command = [sys.executable, "-m", "gunicorn", "liaison.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--threads", "2", "--no-control-socket"]
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stderr=log.open("w"), stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + WAIT
    while True:
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=5).close()
            break
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
    try:
        yield base, proxy
    finally:
        server.terminate()
        server.wait(timeout=WAIT)
        print(log.read_text())  # shown when the test fails
        if proxy.listener is not None and proxy.listener.fileno() != -1:
            proxy.down()


def test_a_database_outage_answers_503_then_serves_again(served, login, manager):
    base, proxy = served
    cookie = login(manager).cookies["sessionid"].value
    # The server keeps the real clock, weeks past the tests' pinned one.
    Session.objects.filter(session_key=cookie).update(expire_date=NOW + dt.timedelta(days=365))
    status, page = _get(f"{base}/", cookie)
    assert status == 200 and manager.display_name in page.decode()
    proxy.down()
    answers = []
    until = time.monotonic() + OUTAGE_SECONDS
    while time.monotonic() < until:
        answers.append(_get(f"{base}/", cookie))
        answers.append(_get(f"{base}/api/v1/projects", cookie))
        time.sleep(0.5)
    assert {status for status, _ in answers} == {503}
    pages = [body.decode() for _, body in answers[::2]]
    assert all("The database is unavailable." in page for page in pages)
    assert all(b'"code": "database_unavailable"' in body for _, body in answers[1::2])
    proxy.up()
    status, page = _get(f"{base}/", cookie)
    assert status == 200 and manager.display_name in page.decode()
