"""Liaison served the way it is kept running (`manage.py serve`): the commands that
start gunicorn, Django's development server and the huey worker, and a small
supervisor that starts them together and stops them together.

The supervisor exists because a shell `trap` around two background processes
did not survive `make`: a TERM to `make run` reached one of them and left the
other running. Here every signal that means "stop" (TERM, INT, HUP) is passed on
to each child as the signal that stops it gracefully, a child that lingers is
killed, and a child that dies stops the rest.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from django.conf import settings
from gunicorn.glogging import Logger

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# gunicorn finishes the requests under way within this many seconds; the
# supervisor waits a little longer before it kills what is left.
GRACEFUL_SECONDS = 10
KILL_AFTER_SECONDS = GRACEFUL_SECONDS + 5
# What stops each gracefully: gunicorn finishes its requests on TERM (INT would
# drop them); huey finishes the jobs under way on INT (TERM would drop them).
WEB_STOP_SIGNAL = signal.SIGTERM
WORKER_STOP_SIGNAL = signal.SIGINT
POLL_SECONDS = 0.2
# Linux's prctl(2) option: the signal a child gets when its parent dies.
PR_SET_PDEATHSIG = 1


class GunicornLogger(Logger):
    """gunicorn's lines in the shape of Django's (settings.LOGGING): time, level,
    where, what — one line per request."""

    error_fmt = "%(asctime)s %(levelname)s gunicorn: %(message)s"
    # logging's own, as Django's lines have it; gunicorn's stubs allow only a str,
    # while logging.Formatter takes None for its default.
    datefmt = None  # type: ignore[assignment]
    access_fmt = "%(asctime)s INFO request: %(message)s"


# remote address, request line, status, bytes, milliseconds
ACCESS_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def manage_py() -> list[str]:
    return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


def web_command(*, host: str, port: int) -> list[str]:
    """gunicorn, sized to the machine (settings.WEB_WORKERS × WEB_THREADS)."""
    return [
        *(sys.executable, "-m", "gunicorn", "liaison.wsgi"),
        *("--bind", f"{host}:{port}"),
        *("--workers", str(settings.WEB_WORKERS), "--threads", str(settings.WEB_THREADS)),
        # The app is loaded once and the workers forked from it: they share its
        # memory and start at once (wsgi.py loads every view for this).
        "--preload",
        *("--graceful-timeout", str(GRACEFUL_SECONDS)),
        # A worker is replaced now and then, so a slow leak never grows for months.
        *("--max-requests", "2000", "--max-requests-jitter", "200"),
        *("--logger-class", "liaison.core.serving.GunicornLogger"),
        *("--access-logfile", "-", "--access-logformat", ACCESS_FORMAT),
        # gunicorn's control socket sits at one path per user; two servers of one
        # user (a `make run` beside a test's) would take it from each other.
        "--no-control-socket",
    ]


def dev_web_command(*, host: str, port: int) -> list[str]:
    """Django's development server: reloads on every code change."""
    return [*manage_py(), "runserver", f"{host}:{port}"]


def worker_command() -> list[str]:
    return [
        *manage_py(),
        *("run_huey", "--workers", str(settings.JOB_WORKERS)),
        # Poll the SQLite queue every 0.1 s after work, backing off to 1 s when idle.
        *("--delay", "0.1", "--max-delay", "1"),
    ]


def collectstatic_command() -> list[str]:
    return [*manage_py(), "collectstatic", "--noinput", "-v0"]


def served_environment(*, dev: bool) -> dict[str, str]:
    """The children's environment: DEBUG on only for development; otherwise
    LIAISON_SERVE=1 (settings.SERVE: DEBUG off, hashed and compressed static
    files), whatever the shell that started us had exported."""
    env = dict(os.environ)
    if dev:
        env["DEBUG"] = "1"
        env.pop("LIAISON_SERVE", None)
    else:
        env["DEBUG"] = "0"
        env["LIAISON_SERVE"] = "1"
    return env


def static_manifest_exists() -> bool:
    return (Path(settings.STATIC_ROOT) / "staticfiles.json").exists()


def _stop_when_parent_dies() -> None:
    """Runs in the child before it starts: should the supervisor itself be
    killed outright (SIGKILL, no chance to pass anything on), the kernel sends
    the child a TERM, so nothing is left behind."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    """Starts named children, waits until one exits or a stop signal arrives,
    then stops them all. `run()` returns the exit code for the whole.

    From its creation on, a stop signal is noted rather than fatal, so one that
    arrives while the children start still stops them all."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        say: Callable[[str], None],
        kill_after: float = KILL_AFTER_SECONDS,
    ):
        self.env = env
        self.say = say
        self.kill_after = kill_after
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stop_signals: dict[str, int] = {}
        self.received: list[int] = []
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)

    def start(self, name: str, command: list[str], *, stop_signal: int = signal.SIGTERM) -> None:
        self.children[name] = subprocess.Popen(
            command,
            env=self.env,
            cwd=settings.BASE_DIR,
            preexec_fn=_stop_when_parent_dies if sys.platform == "linux" else None,
        )
        self.stop_signals[name] = stop_signal

    def run(self) -> int:
        code = self._wait_for_an_end()
        self.stop_all()
        return code

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.received.append(signum)

    def _wait_for_an_end(self) -> int:
        while not self.received:
            for name, child in self.children.items():
                if child.poll() is not None:
                    self.say(f"{name} exited with code {child.returncode}; stopping the rest.")
                    return child.returncode if child.returncode > 0 else 1
            time.sleep(POLL_SECONDS)
        return 0

    def stop_all(self) -> None:
        for name, child in self.children.items():
            if child.poll() is None:
                child.send_signal(self.stop_signals[name])
        deadline = time.monotonic() + self.kill_after
        for child in self.children.values():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
