"""`make bench`: serve the app with gunicorn and a huey worker on the bench
database and measure every scenario over HTTP. Stops every process it starts."""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from liaison.bench.data import CLIENT_EMAIL, DATA_VERSION, MANAGER_EMAIL, OWNER_EMAIL, PASSWORD
from liaison.bench.runner import Session, format_table, measure
from liaison.bench.scenarios import SCENARIOS
from liaison.core.processes import free_port, running, wait_for


class Command(BaseCommand):
    help = "Benchmark the pages and API over HTTP against a gunicorn server."

    def add_arguments(self, parser):
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument("--timed", type=int, default=30)
        parser.add_argument("--only", nargs="*", help="Scenario names to run.")

    def handle(self, *args, warmup: int, timed: int, only: list[str] | None, **options):
        bench_dir = Path(settings.VAR_DIR) / "bench"
        # Its own data folder, prepared as `make setup` prepares var/.
        (bench_dir / "static").mkdir(parents=True, exist_ok=True)
        sqlite_file = bench_dir / f"bench-v{DATA_VERSION}.sqlite3"
        database = os.environ.get("BENCH_DB") or f"sqlite:///{sqlite_file}"
        env = {
            **os.environ,
            # The bench's own files: its huey queue, uploads and cache stay apart
            # from a development server's (whose worker would take our jobs).
            "LIAISON_VAR_DIR": str(bench_dir),
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": database,
            "DEBUG": "0",
            "QUERY_COUNT_HEADER": "1",
            "LOGIN_FAILURE_LIMIT": "1000",
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*manage, "createcachetable"], env=env, check=True)
        subprocess.run([*manage, "bench_data", "--if-missing"], env=env, check=True)
        # A data set built before the search had no index: written once.
        subprocess.run([*manage, "search_rebuild", "--if-empty"], env=env, check=True)

        port = free_port()
        gunicorn = [sys.executable, "-m", "gunicorn", "liaison.wsgi", "-w", "2"]
        gunicorn += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
        # Jobs (the Excel import) run where they run in production: in a worker.
        with (
            running([*manage, "run_huey", "--workers", "1", "--quiet"], env=env),
            running(gunicorn, env=env, cwd=settings.BASE_DIR) as server,
        ):
            wait_for(port, server)
            results = self._run(f"http://127.0.0.1:{port}", warmup, timed, only)
        report = {
            "scenarios": results,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "database": database.split(":", 1)[0],
            },
            "data": "bench_data FULL (see liaison/bench/data.py)",
            "requests": {"warmup": warmup, "timed": timed},
        }
        (bench_dir / "latest.json").write_text(json.dumps(report, indent=2))
        self.stdout.write(format_table(results))
        self.stdout.write(f"\nWritten to {bench_dir / 'latest.json'}")

    def _run(self, base_url: str, warmup: int, timed: int, only) -> dict:
        sessions = {}
        for who, email in (
            ("manager", MANAGER_EMAIL),
            ("owner", OWNER_EMAIL),
            ("client", CLIENT_EMAIL),
        ):
            session = Session(base_url)
            session.login(email, PASSWORD)
            session.api_token(email, PASSWORD)
            sessions[who] = session
        results = {}
        for scenario in SCENARIOS:
            if only and scenario.name not in only:
                continue
            results[scenario.name] = measure(
                sessions[scenario.who], scenario, warmup=warmup, timed=timed
            )
            self.stdout.write(f"  {scenario.name}: {results[scenario.name]}")
        return results
