"""`make run` in a fresh clone, the way a small firm starts Liaison and leaves it
running: it sets everything up, serves with gunicorn and the huey worker with
DEBUG off and compressed, far-future-cached static files, logs one line per
request and per job, and a TERM to `make` leaves no process behind.

Minutes long (dependencies, migrations, demo data, static files): marked
`slow_run`, left out of `make test`; `uv run pytest -m slow_run` runs it, and
CI does once."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.slow_run,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc"),
]

ROOT = Path(settings.BASE_DIR)
START_SECONDS = 300  # a fresh clone: sync, translations, migrations, demo data, static
# Variables of the shell running the tests that must not reach the fresh install.
NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "HOST",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "HUEY_IMMEDIATE",
    "SECRET_KEY",  # the suite's own (pyproject): the clone's `make run` writes one
    "VIRTUAL_ENV",
    "UV_PROJECT_ENVIRONMENT",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def ask_for_a_password_reset(base: str, email: str) -> None:
    """A job on purpose: the reset e-mail goes out through the worker."""
    form_url = f"{base}/accounts/password/reset/"
    with urllib.request.urlopen(form_url, timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        page = response.read()
    csrf = next(c.split(";")[0] for c in cookies if c.startswith("csrftoken="))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email}).encode()
    request = urllib.request.Request(form_url, data=body, headers={"Cookie": csrf})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200  # the redirect to "check your mail", followed


def session_processes(session: int) -> list[str]:
    """The live processes of a session, as "pid command" lines."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (FileNotFoundError, ProcessLookupError):
            continue
        state, session_id = fields[0], int(fields[3])
        if session_id == session and state != "Z":
            found.append(f"{stat.parent.name} {command}")
    return found


def wait_until_served(url: str, make: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert make.poll() is None, f"make run exited:\n{log.read_text()[-3000:]}"
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    pytest.fail(f"make run did not serve in {START_SECONDS} s:\n{log.read_text()[-3000:]}")


def wait_for_in(log: Path, pattern: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not re.search(pattern, log.read_text()):
        time.sleep(1)


@pytest.fixture
def make_run(tmp_path):
    """Clones the repository, starts `make run` in it (its own session, so every
    process it starts can be found) and yields (make, base URL, log file)."""
    clone = tmp_path / "liaison"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    port = free_port()
    env = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    env = {name: value for name, value in env.items() if not name.startswith("LIAISON_")}
    env.update(PORT=str(port), LIAISON_VAR_DIR=str(tmp_path / "var"))
    log = tmp_path / "make-run.log"
    with log.open("w") as output:
        make = subprocess.Popen(
            ["make", "run"],
            cwd=clone,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield make, f"http://127.0.0.1:{port}", log
    finally:
        if session_processes(make.pid):
            os.killpg(make.pid, signal.SIGKILL)  # the group this test started
        make.wait(timeout=30)


def test_make_run_in_a_fresh_clone_serves_as_kept_running_and_stops_cleanly(make_run):
    make, base, log = make_run
    wait_until_served(f"{base}/accounts/login/", make, log)

    # Our 404 page, never Django's debug page with the URL list.
    status, _, body = get(f"{base}/no-such-page/")
    assert status == 404
    assert b"Page not found" in body
    assert b"URLconf" not in body and b"Traceback" not in body

    # The stylesheet under its hashed name, compressed, cached for a year or more.
    _, _, page = get(f"{base}/accounts/login/")
    stylesheet = re.search(rb'href="(/static/liaison/liaison\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page does not link the hashed stylesheet"
    status, headers, _ = get(base + stylesheet.group(1).decode(), **{"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") in {"br", "gzip"}
    max_age = re.search(r"max-age=(\d+)", headers.get("Cache-Control", ""))
    assert max_age and int(max_age.group(1)) >= 365 * 24 * 3600

    # An e-mail goes through the worker: one line per job, not two.
    ask_for_a_password_reset(base, "pm@demo.test")
    wait_for_in(log, r"INFO huey: Executing", seconds=120)

    make.send_signal(signal.SIGTERM)
    make.wait(timeout=60)
    deadline = time.monotonic() + 10
    while session_processes(make.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_processes(make.pid) == []

    output = log.read_text()
    assert '"GET /no-such-page/ HTTP/1.1" 404' in output  # one line per request
    jobs = Counter(re.findall(r"INFO huey: Executing (\S+: \S+)", output))
    assert jobs, "no job ran"
    assert set(jobs.values()) == {1}, "a job's line printed twice"


@pytest.mark.parametrize(
    ("variables", "loads"),
    [
        ([], True),  # on 127.0.0.1: a try-out, with the demo
        (["HOST=0.0.0.0"], False),  # the office network: empty, the first-run link
        (["HOST=0.0.0.0", "DEMO=1"], True),
        (["DEMO=0"], False),
    ],
)
def test_the_demo_is_loaded_only_where_nobody_else_reaches_it(variables, loads):
    """`make -n` prints what `make demo` would run, running nothing."""
    env = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    env.pop("DEMO", None)
    dry_run = subprocess.run(
        ["make", "-n", "demo", *variables], cwd=ROOT, env=env, capture_output=True, text=True
    )
    recipe = next(line for line in dry_run.stdout.splitlines() if "demo_data" in line)
    assert ('[ "1" != 1 ]' in recipe) is loads, recipe
