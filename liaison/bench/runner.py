"""Measure scenarios over real HTTP against a real server process.

Each scenario is requested sequentially: warm-up requests first, then timed
ones; we keep the median, the 95th percentile and the SQL query count the
server reports in its X-Query-Count header.
"""

import http.client
import json
import math
import re
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    who: str = "manager"  # manager, owner or client (see bench.data)
    method: str = "GET"
    # For POSTs: a function of the request number giving the JSON body.
    body: Callable[[int], object] | None = None
    expect: int = 200
    api: bool = False
    # For an upload: a function of the request number giving the .xlsx bytes,
    # posted as the form's "file" field (multipart, with the CSRF token).
    upload: Callable[[int], bytes] | None = None
    # For a request that starts a job: follow its redirect and poll that page
    # until it shows this text; the timing then covers the whole job.
    until: str = ""
    # (warm-up, timed) for a slow scenario, instead of the command's numbers.
    rounds: tuple[int, int] | None = None


class Session:
    """A signed-in browser-like HTTP client on one keep-alive connection."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        assert parts.hostname, base_url  # the bench serves on a host it names
        self.host, self.port = parts.hostname, parts.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), payload

    def login(self, email: str, password: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page answered {status}")
        form = urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "email": email, "password": password}
        ).encode()
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise RuntimeError(f"could not sign in as {email} (HTTP {status})")

    def api_token(self, email: str, password: str) -> None:
        body = json.dumps({"email": email, "password": password, "name": "bench"}).encode()
        status, _, payload = self.request(
            "POST",
            "/api/v1/auth/token",
            body=body,
            headers={"Content-Type": "application/json"},
        )
        if status != 201:
            raise RuntimeError(f"could not get an API token (HTTP {status})")
        self.token = json.loads(payload)["token"]


@dataclass
class Result:
    timings_ms: list[float] = field(default_factory=list)
    queries: int = 0

    def summary(self) -> dict:
        ordered = sorted(self.timings_ms)
        p95_index = max(0, math.ceil(0.95 * len(ordered)) - 1)  # nearest rank
        return {
            "median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[p95_index], 1),
            "queries": self.queries,
            "requests": len(ordered),
        }


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _prepare(session: Session, scenario: Scenario, number: int) -> tuple[bytes | None, dict]:
    headers = {"Accept": "application/json" if scenario.api else "text/html"}
    body = None
    if scenario.body is not None:
        body = json.dumps(scenario.body(number)).encode()
        headers["Content-Type"] = "application/json"
    if scenario.upload is not None:
        body, headers["Content-Type"] = multipart(
            {"csrfmiddlewaretoken": session.cookies["csrftoken"]},
            {"file": ("requirements.xlsx", scenario.upload(number))},
        )
    if scenario.api:
        headers["Authorization"] = f"Bearer {session.token}"
    return body, headers


def wait_until(session: Session, path: str, text: str, *, seconds: float = 120) -> None:
    """Poll a page the way its HTMX partial does, only more often, until it shows `text`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, _, page = session.request("GET", path, headers={"HX-Request": "true"})
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status} while waiting")
        if text.encode() in page:
            return
        time.sleep(0.1)
    raise RuntimeError(f"{path} did not show {text!r} within {seconds} s")


def measure(session: Session, scenario: Scenario, *, warmup: int, timed: int) -> dict:
    warmup, timed = scenario.rounds or (warmup, timed)
    result = Result()
    for number in range(warmup + timed):
        body, headers = _prepare(session, scenario, number)
        started = time.perf_counter()
        status, response_headers, _ = session.request(
            scenario.method, scenario.path, body=body, headers=headers
        )
        if status != scenario.expect:
            raise RuntimeError(f"{scenario.name}: HTTP {status}, expected {scenario.expect}")
        if scenario.until:
            wait_until(session, response_headers["Location"], scenario.until)
        elapsed = (time.perf_counter() - started) * 1000
        if number >= warmup:
            result.timings_ms.append(elapsed)
            result.queries = max(result.queries, int(response_headers.get("X-Query-Count", "-1")))
    return result.summary()


def format_table(results: dict[str, dict]) -> str:
    lines = [f"{'scenario':<24} {'median ms':>10} {'p95 ms':>10} {'queries':>8}"]
    for name, row in results.items():
        lines.append(f"{name:<24} {row['median_ms']:>10} {row['p95_ms']:>10} {row['queries']:>8}")
    return "\n".join(lines)
