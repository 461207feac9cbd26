"""`manage.py serve`: Liaison as it is kept running — gunicorn and the huey worker
together, DEBUG off, static files hashed and compressed (`make run`). `--dev`
serves with Django's development server instead, autoreload and DEBUG on
(`make dev`). `--only web` / `--only worker` becomes that one process, for a
service manager that watches each (the systemd units in deploy/)."""

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandParser

from liaison.core.serving import (
    WEB_STOP_SIGNAL,
    WORKER_STOP_SIGNAL,
    Supervisor,
    collectstatic_command,
    dev_web_command,
    served_environment,
    static_manifest_exists,
    web_command,
    worker_command,
)


class Command(BaseCommand):
    help = "Serve Liaison: the web server and the job worker, stopped together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Django's development server (autoreload, DEBUG on) instead of gunicorn.",
        )
        parser.add_argument(
            "--only",
            choices=("web", "worker"),
            help="Become this one process (for systemd units) instead of supervising both.",
        )
        parser.add_argument("--host", default=settings.HOST, help="Address to listen on.")
        parser.add_argument("--port", type=int, default=settings.PORT, help="Port to listen on.")

    def handle(
        self, *args: Any, dev: bool, only: str | None, host: str, port: int, **options: Any
    ) -> None:
        env = served_environment(dev=dev)
        web = (dev_web_command if dev else web_command)(host=host, port=port)
        if only == "worker":
            self._become(worker_command(), env)
        if not dev and not static_manifest_exists():
            # `make setup` collects them; a server started without it still works.
            subprocess.run(collectstatic_command(), env=env, cwd=settings.BASE_DIR, check=True)
        self._print_first_run_link()
        if only == "web":
            self._become(web, env)
        supervisor = Supervisor(env=env, say=self.stderr.write)
        supervisor.start("web server", web, stop_signal=WEB_STOP_SIGNAL)
        supervisor.start("job worker", worker_command(), stop_signal=WORKER_STOP_SIGNAL)
        self.stdout.write(f"Liaison is served at http://{host}:{port}/ — Ctrl-C stops it.")
        self.stdout.flush()
        code = supervisor.run()
        if code:
            raise SystemExit(code)

    def _print_first_run_link(self) -> None:
        """With no organization yet, the link that creates the first one."""
        if "first_run_link" in get_commands():
            call_command("first_run_link", stdout=self.stdout)

    def _become(self, command: list[str], env: dict[str, str]) -> None:
        """Replace this process, so a service manager signals the server itself."""
        self.stdout.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(command[0], command, env)
