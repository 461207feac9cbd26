"""`make loadtest`: Liaison served as in production (`manage.py serve`: gunicorn
and the job worker, DEBUG off, LIAISON_ENV=production) on a PostgreSQL database
and a Redis database of the load test's own, and many signed-in people at once
(bench/load.py). Stops every process it starts.

The database is a fresh copy of a template that holds the bench data (built once,
minutes; copied in seconds), so every run starts from the same rows and runs
compare. Redis's database is emptied first: the cache and the job queue start empty.
"""

import concurrent.futures
import json
import os
import secrets
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

from liaison.bench.data import DATA_VERSION
from liaison.bench.load import (
    CLIENT_MIX,
    TEAM_MIX,
    SimUser,
    cast,
    format_report,
    roster,
    run_load,
    verdict,
    write_share,
)
from liaison.core.processes import free_port, running, wait_for
from liaison.core.serving import manage_py

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/liaison_loadtest"
# A Redis database number of its own: flushing it touches no one else's.
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
GC_POLICIES = {
    "production": "frozen after loading, threshold 50,000 (liaison/wsgi.py)",
    "python": "Python's own: nothing frozen, threshold 700",
}
# Sign-ins hash a password each; a few at a time start the run sooner.
SIGN_IN_THREADS = 8


class Command(BaseCommand):
    help = "Load test: many signed-in people at once against `manage.py serve` (PostgreSQL, Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=32, help="Simulated people (32).")
        parser.add_argument("--seconds", type=float, default=60, help="Measured seconds (60).")
        parser.add_argument("--warmup", type=float, default=5, help="Seconds not measured (5).")
        parser.add_argument(
            "--think-ms",
            type=float,
            default=1000,
            help="Mean pause after each action (1000; 0: none, the server's capacity).",
        )
        parser.add_argument(
            "--database",
            default=os.environ.get("LOAD_DB") or DEFAULT_DB,
            help=f"PostgreSQL database to create afresh (LOAD_DB; {DEFAULT_DB}).",
        )
        parser.add_argument(
            "--redis",
            default=os.environ.get("LOAD_REDIS") or DEFAULT_REDIS,
            help=f"Redis database to empty and use (LOAD_REDIS; {DEFAULT_REDIS}).",
        )
        parser.add_argument(
            "--workers", type=int, help=f"gunicorn workers (WEB_WORKERS: {settings.WEB_WORKERS})."
        )
        parser.add_argument(
            "--threads",
            type=int,
            help=f"Threads per worker (WEB_THREADS: {settings.WEB_THREADS}); 1 is the sync worker.",
        )
        parser.add_argument("--gc", choices=sorted(GC_POLICIES), default="production")
        parser.add_argument("--p95-target", type=float, default=250, help="Milliseconds (250).")
        parser.add_argument("--json", type=Path, help="Also write the figures here.")
        parser.add_argument(
            "--rebuild-data", action="store_true", help="Build the template database anew."
        )

    def handle(self, *args, **options):
        if urlsplit(options["database"]).scheme not in ("postgres", "postgresql"):
            raise CommandError("The load test runs on PostgreSQL: --database postgres://…")
        load_dir = Path(settings.VAR_DIR) / "loadtest"
        (load_dir / "static").mkdir(parents=True, exist_ok=True)
        postgres = self._fresh_database(options["database"], load_dir, options["rebuild_data"])
        self._empty_redis(options["redis"])
        workers = options["workers"] or settings.WEB_WORKERS
        threads = options["threads"] or settings.WEB_THREADS
        port = free_port()
        env = self._server_env(options, load_dir, port, workers, threads)
        serve = [*manage_py(), "serve", "--host", "127.0.0.1", "--port", str(port)]
        config = {
            "users": options["users"],
            "seconds": options["seconds"],
            "warmup": options["warmup"],
            "think_ms": options["think_ms"],
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "gc": options["gc"],
            "database": f"PostgreSQL {postgres}",
            "redis": options["redis"],
            "cpus": os.cpu_count(),
        }
        self.stdout.write(self._header(config))
        with (
            (load_dir / "server.log").open("w") as log,
            running(
                serve, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT
            ) as server,
        ):
            wait_for(port, server, seconds=300)  # the first start collects the static files
            report = self._run(f"http://127.0.0.1:{port}", options, server.pid)
        passed, line = verdict(report, p95_target_ms=options["p95_target"])
        self.stdout.write(format_report(report))
        self.stdout.write(
            f"CPU, in % of one core ({os.cpu_count()} cores): the server "
            f"{report.get('server_cpu_percent', '?')}, the load generator "
            f"{report['generator_cpu_percent']}, the whole machine "
            f"{report.get('machine_cpu_percent', '?')}; the server's CPU per request: "
            f"{report.get('server_cpu_ms_per_request', '?')} ms. Writes: "
            f"{report['write_percent']} % of the requests. The server's log: "
            f"{load_dir / 'server.log'}"
        )
        self.stdout.write(line)
        result = {"config": config, **report, "passed": passed}
        for path in filter(None, (load_dir / "latest.json", options["json"])):
            path.write_text(json.dumps(result, indent=2))
        if not passed:
            raise SystemExit(1)

    def _header(self, config: dict) -> str:
        clients = sum(person.client for person in cast(["t"], ["c"], config["users"]))
        return (
            f"Load test: {config['users']} people ({config['users'] - clients} team, {clients} "
            f"client) for {config['seconds']:g} s after {config['warmup']:g} s of warm-up, "
            f"think time {config['think_ms']:g} ms; writes: {write_share(TEAM_MIX):.0%} of the "
            f"team's actions, {write_share(CLIENT_MIX):.0%} of the clients'.\n"
            f"Server: manage.py serve (LIAISON_ENV=production, DEBUG off): gunicorn "
            f"{config['worker_class']}, {config['workers']} workers × {config['threads']} "
            f"threads, --preload; gc {GC_POLICIES[config['gc']]}; {config['database']}; "
            f"Redis {config['redis']} (cache, job queue)."
        )

    def _fresh_database(self, url: str, load_dir: Path, rebuild: bool) -> str:
        """The database anew, copied from the template (built when missing); returns
        the server's version."""
        parts = urlsplit(url)
        name = parts.path.lstrip("/")
        template = f"{name}_template_v{DATA_VERSION}"
        admin = parts._replace(path="/postgres").geturl()
        try:
            with psycopg.connect(admin, autocommit=True) as db:
                if rebuild:
                    db.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(template))
                    )
                if not db.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [template]
                ).fetchone():
                    self.stdout.write(f"Building the template database {template} (minutes, once)…")
                    db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
        except psycopg.OperationalError as error:
            raise CommandError(f"PostgreSQL at {parts.hostname}:{parts.port}: {error}") from None
        # Migrations that came since, the data if missing: quick when done.
        data_env = {
            **os.environ,
            "DATABASE_URL": parts._replace(path=f"/{template}").geturl(),
            "LIAISON_VAR_DIR": str(load_dir),
            "SECRET_KEY": settings.SECRET_KEY,
        }
        for variable in ("LIAISON_ENV", "REDIS_URL", "HUEY_IMMEDIATE"):
            data_env.pop(variable, None)
        subprocess.run([*manage_py(), "loadtest_data"], env=data_env, check=True)
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            db.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
            version = db.execute("SHOW server_version").fetchone()
        return version[0] if version else "?"

    def _empty_redis(self, url: str) -> None:
        try:
            redis.Redis.from_url(url).flushdb()
        except redis.ConnectionError as error:
            raise CommandError(f"Redis at {url}: {error}") from None

    def _server_env(self, options, load_dir: Path, port: int, workers: int, threads: int) -> dict:
        """Production's settings (deploy/liaison.env) on this machine: plain HTTP on
        the loopback (HTTPS=0, as on an office network), the load test's own
        database, Redis database and data folder."""
        env = {
            **os.environ,
            "LIAISON_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "HTTPS": "0",
            "DATABASE_URL": options["database"],
            "REDIS_URL": options["redis"],
            "LIAISON_VAR_DIR": str(load_dir),
            "WEB_WORKERS": str(workers),
            "WEB_THREADS": str(threads),
        }
        for variable in ("DEBUG", "QUERY_COUNT_HEADER", "HUEY_IMMEDIATE", "GUNICORN_CMD_ARGS"):
            env.pop(variable, None)
        if options["gc"] == "python":
            env["GUNICORN_CMD_ARGS"] = "--config python:liaison.bench.gc_python_default"
        return env

    def _run(self, base_url: str, options, server_pid: int) -> dict:
        team, clients = roster(base_url)
        people = cast(team, clients, options["users"])
        users = [
            SimUser(base_url, person, slot=n, slots=len(people), think_s=options["think_ms"] / 1000)
            for n, person in enumerate(people)
        ]
        tokens: dict[str, str] = {}
        with concurrent.futures.ThreadPoolExecutor(SIGN_IN_THREADS) as pool:
            list(pool.map(lambda user: user.sign_in(tokens), users))
        return run_load(
            users, warmup=options["warmup"], seconds=options["seconds"], server_pid=server_pid
        )
