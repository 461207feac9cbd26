"""The supervisor behind `manage.py serve` (`make run`): real processes, real
signals. Whatever stops it — a TERM, Ctrl-C, a child that dies, even a SIGKILL
of the supervisor itself — leaves no process behind."""

import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError, OutputWrapper

from liaison.core import serving

# A supervisor in a process of its own (signals are per process). Each argument
# is SIGNAL:python-code for one child: the signal that stops it, what it runs.
DRIVER = """
import os, signal, sys
from django.conf import settings
settings.configure(BASE_DIR=os.getcwd())  # all the supervisor reads
from liaison.core.serving import Supervisor

supervisor = Supervisor(
    env=dict(os.environ), say=lambda line: print(line, flush=True), kill_after=float(sys.argv[1])
)
for number, child in enumerate(sys.argv[2:]):
    stop, code = child.split(":", 1)
    command = [sys.executable, "-c", code]
    supervisor.start(f"child {number}", command, stop_signal=getattr(signal, stop))
print("started", *(c.pid for c in supervisor.children.values()), flush=True)
sys.exit(supervisor.run())
"""

SLEEPER = "import time; time.sleep(60)"
# Ignores TERM: only a kill ends it.
STUBBORN = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
# Says which signal reached it (huey's graceful stop is INT), and when it is
# ready to hear one: a signal before its handler is set would end it unheard.
TELLS_INT = (
    "import signal, sys, time\n"
    "def stop(signum, frame): print('child got', signal.Signals(signum).name, flush=True); "
    "sys.exit(0)\n"
    "signal.signal(signal.SIGINT, stop); signal.signal(signal.SIGTERM, stop)\n"
    "print('ready', flush=True); time.sleep(60)"
)
EXITS = "import sys, time; time.sleep(0.5); sys.exit(3)"


def alive(pid: int) -> bool:
    """Running, not a zombie nobody has reaped yet."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def supervise():
    """supervise(*children, kill_after=…) -> (driver process, children's pids)."""
    drivers, pids = [], []

    def _start(*children: str, kill_after: float = 5) -> tuple[subprocess.Popen, list[int]]:
        driver = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(kill_after), *children],
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            text=True,
        )
        drivers.append(driver)
        driver.ready = 0  # children's "ready" lines read so far (they share stdout)
        line = driver.stdout.readline().split()
        while line == ["ready"]:
            driver.ready += 1
            line = driver.stdout.readline().split()
        assert line[:1] == ["started"], line
        pids.extend(int(pid) for pid in line[1:])
        return driver, [int(pid) for pid in line[1:]]

    yield _start
    # Whatever a failed test left running.
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    for driver in drivers:
        driver.kill()
        driver.communicate()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
class TestSupervisor:
    def test_a_term_stops_every_child(self, supervise):
        driver, pids = supervise(f"SIGTERM:{SLEEPER}", f"SIGTERM:{SLEEPER}")
        driver.send_signal(signal.SIGTERM)
        assert driver.wait(timeout=10) == 0
        assert gone_within(pids, 1)

    def test_ctrl_c_stops_every_child_with_its_own_graceful_signal(self, supervise):
        driver, pids = supervise(f"SIGINT:{TELLS_INT}", f"SIGTERM:{SLEEPER}")
        if not driver.ready:
            assert driver.stdout.readline().strip() == "ready"
        driver.send_signal(signal.SIGINT)
        output, _ = driver.communicate(timeout=10)
        assert "child got SIGINT" in output
        assert gone_within(pids, 1)

    def test_a_child_deaf_to_term_is_killed(self, supervise):
        driver, pids = supervise(f"SIGTERM:{STUBBORN}", f"SIGTERM:{SLEEPER}", kill_after=1)
        time.sleep(0.3)  # the child has set its handler
        driver.send_signal(signal.SIGTERM)
        assert driver.wait(timeout=10) == 0
        assert gone_within(pids, 1)

    def test_a_child_that_dies_stops_the_rest_and_fails_the_whole(self, supervise):
        driver, pids = supervise(f"SIGTERM:{EXITS}", f"SIGTERM:{SLEEPER}")
        output, _ = driver.communicate(timeout=10)
        assert driver.returncode == 3
        assert "child 0 exited with code 3; stopping the rest." in output
        assert gone_within(pids, 1)

    def test_children_stop_even_when_the_supervisor_is_killed_outright(self, supervise):
        driver, pids = supervise(f"SIGTERM:{SLEEPER}", f"SIGINT:{TELLS_INT}")
        driver.kill()
        assert gone_within(pids, 5)


def test_served_children_run_without_debug_and_with_compressed_static(monkeypatch):
    monkeypatch.setenv("DEBUG", "1")  # a developer's shell does not leak into `make run`
    served = serving.served_environment(dev=False)
    assert served["DEBUG"] == "0" and served["LIAISON_SERVE"] == "1"
    monkeypatch.setenv("LIAISON_SERVE", "1")
    dev = serving.served_environment(dev=True)
    assert dev["DEBUG"] == "1" and "LIAISON_SERVE" not in dev


def test_gunicorn_is_sized_by_the_settings_and_logs_a_line_per_request(settings):
    settings.WEB_WORKERS, settings.WEB_THREADS = 3, 5
    command = serving.web_command(host="0.0.0.0", port=8123)
    assert command[1:4] == ["-m", "gunicorn", "liaison.wsgi"]

    def value(flag: str) -> str:
        return command[command.index(flag) + 1]

    assert value("--bind") == "0.0.0.0:8123"
    assert (value("--workers"), value("--threads")) == ("3", "5")
    assert value("--access-logfile") == "-"
    assert value("--logger-class") == "liaison.core.serving.GunicornLogger"


def test_the_serve_command_takes_the_options_the_makefile_and_units_give():
    command = load_command_class(get_commands()["serve"], "serve")
    parser = command.create_parser("manage.py", "serve")
    assert parser.parse_args(["--only", "web"]).only == "web"
    assert parser.parse_args(["--dev"]).dev is True
    with pytest.raises(CommandError, match="invalid choice"):
        parser.parse_args(["--only", "everything"])


@pytest.mark.django_db
def test_serve_prints_the_first_run_link_when_no_organization_exists():
    if "first_run_link" not in get_commands():
        pytest.skip("first_run_link arrives with the first-run set-up page")
    out = StringIO()
    command = load_command_class("liaison.core", "serve")
    command.stdout = OutputWrapper(out)
    command._print_first_run_link()
    assert "/setup/?token=" in out.getvalue()


def test_served_static_files_are_collected_when_missing(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    assert not serving.static_manifest_exists()
    (tmp_path / "staticfiles.json").write_text("{}")
    assert serving.static_manifest_exists()
