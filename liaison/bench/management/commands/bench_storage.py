"""`manage.py bench_storage`: a 10 MB file uploaded and downloaded through S3.

A real S3-compatible server (moto's, in a process of its own on a free loopback
port; moto is a development dependency), the demo data in a database of its
own, and gunicorn with STORAGE_URL on a fresh bucket: each round uploads the
file as an attachment of a conversation through the page's form, then
downloads it streamed through the web process, and through a second gunicorn
with STORAGE_DOWNLOADS=presigned (the redirect, then the bytes from the
storage). moto keeps objects in memory and is written in Python: the figures
say what Liaison adds and that nothing is held whole in a web process, not how
fast a real S3 is. Stops every process it starts."""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import boto3
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.bench.runner import Session, multipart
from liaison.core.processes import free_port, running, wait_for

# The demo's manager and its published password (demo/load.py; bench imports no demo).
MANAGER, PASSWORD = "pm@demo.test", "liaison-demo"
INTERACTION = "/p/ACME-WMS/communication/COM-1/"
SIZE = 10 * 1024 * 1024
# An accepted type (attachments read it from the content): a PDF of 10 MB.
CONTENT = b"%PDF-1.7\n" + os.urandom(SIZE - 16) + b"\n%%EOF\n"


class Command(BaseCommand):
    help = "Measure a 10 MB upload and download through S3 (moto) against gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=5)

    def handle(self, *args, rounds: int, **options):
        with tempfile.TemporaryDirectory(prefix="liaison-bench-storage-") as folder:
            results = self._bench(Path(folder), rounds)
        report = {"size_bytes": SIZE, "rounds": rounds, "results": results}
        out = Path(settings.VAR_DIR) / "bench" / "storage.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2))
        self.stdout.write(f"{'10 MB through S3':<24} {'median ms':>10} {'max ms':>10} {'MB/s':>8}")
        for name, row in results.items():
            self.stdout.write(
                f"{name:<24} {row['median_ms']:>10} {row['max_ms']:>10} {row['mb_per_s']:>8}"
            )
        self.stdout.write(f"\nWritten to {out}")

    def _bench(self, folder: Path, rounds: int) -> dict[str, dict[str, float]]:
        s3_port = free_port()
        moto = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)]
        with running(moto, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as server:
            wait_for(s3_port, server)
            env = self._install(folder, f"http://127.0.0.1:{s3_port}")
            with self._gunicorn(env) as streamed, self._gunicorn(env, presigned=True) as signed:
                return self._rounds(streamed, signed, rounds)

    def _install(self, folder: Path, endpoint: str) -> dict[str, str]:
        """The demo on a database of its own, its files in a new bucket."""
        (folder / "static").mkdir()  # as `make setup` makes it
        bucket = f"bench-{uuid.uuid4().hex[:8]}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        ).create_bucket(Bucket=bucket)
        env = {
            **os.environ,
            "LIAISON_VAR_DIR": str(folder),
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "STORAGE_URL": f"s3://bench:bench@{bucket}?endpoint_url={endpoint}"
            "&region=us-east-1&addressing_style=path",
            "DEBUG": "0",
            "HUEY_IMMEDIATE": "1",
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        for command in (["migrate", "-v0"], ["createcachetable"], ["demo_data"]):
            subprocess.run([*manage, *command], env=env, check=True, stdout=subprocess.DEVNULL)
        return env

    def _gunicorn(self, env: dict[str, str], *, presigned: bool = False) -> Any:
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "liaison.wsgi", "-w", "2", "-t", "120"]
        command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
        extra = {"STORAGE_DOWNLOADS": "presigned"} if presigned else {}
        process = running(command, env={**env, **extra}, cwd=settings.BASE_DIR)
        return _Served(process, port)

    def _rounds(self, streamed: "_Served", signed: "_Served", rounds: int) -> dict:
        timings: dict[str, list[float]] = {"upload": [], "download": [], "download_presigned": []}
        for number in range(rounds + 1):  # the first round warms up
            attachment = streamed.upload(timings["upload"] if number else [])
            streamed.download(attachment, timings["download"] if number else [])
            signed.download(attachment, timings["download_presigned"] if number else [])
        return {
            name: {
                "median_ms": round(statistics.median(values), 1),
                "max_ms": round(max(values), 1),
                "mb_per_s": round(SIZE / 1e6 / (statistics.median(values) / 1000), 1),
            }
            for name, values in timings.items()
        }


class _Served:
    """A gunicorn on `port` and the manager signed in to it."""

    def __init__(self, process: Any, port: int):
        self._process, self.port = process, port

    def __enter__(self) -> "_Served":
        server = self._process.__enter__()
        wait_for(self.port, server)
        self.session = Session(f"http://127.0.0.1:{self.port}")
        self.session.login(MANAGER, PASSWORD)
        return self

    def __exit__(self, *exc: object) -> None:
        self._process.__exit__(*exc)

    def upload(self, timings: list[float]) -> int:
        body, content_type = multipart(
            {"csrfmiddlewaretoken": self.session.cookies["csrftoken"]},
            {"file": ("floor-plans.pdf", CONTENT)},
        )
        started = time.perf_counter()
        status, _, _ = self.session.request(
            "POST", f"{INTERACTION}attachments/", body=body, headers={"Content-Type": content_type}
        )
        timings.append((time.perf_counter() - started) * 1000)
        if status != 302:
            raise CommandError(f"the upload answered HTTP {status}")
        _, _, page = self.session.request("GET", INTERACTION)
        return max(int(found) for found in re.findall(rb"/p/ACME-WMS/attachments/(\d+)/", page))

    def download(self, attachment: int, timings: list[float]) -> None:
        started = time.perf_counter()
        path = f"/p/ACME-WMS/attachments/{attachment}/"
        status, headers, body = self.session.request("GET", path)
        if status == 302:  # pre-signed: the bytes come from the storage
            with urllib.request.urlopen(headers["Location"], timeout=120) as fetched:
                body = fetched.read()
        timings.append((time.perf_counter() - started) * 1000)
        if body != CONTENT:
            raise CommandError(f"the download answered HTTP {status} without the file")
