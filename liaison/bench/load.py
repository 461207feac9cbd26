"""`make loadtest`: many signed-in people at once against a served Liaison.

Each simulated person has their own session on their own keep-alive connection
(bench.runner.Session) and loops over a weighted mix of what a team member or a
client contact does all day: pages, the API, and writes (about one request in
seven). The mix's request kinds are measured separately and together.

Each person pauses after each answer, a second on average (between half and
one and a half, so the people do not fall into step): a brisk pace for a person,
who reads a page for longer. `--think-ms 0` takes the pause away: each person
asks again the moment an answer arrives, so the throughput is what the server
can do at most, and the latency what 32 requests always in flight cost.

The people are threads of one process: they spend their time waiting on
sockets, so one process with http.client generates the load on a few percent of
one core (the report says how much), leaving the cores to the server.
"""

import json
import math
import os
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.client import HTTPException, RemoteDisconnected
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth.hashers import make_password
from django.db import transaction

from liaison.accounts.models import User
from liaison.bench.data import BENCH_CODE, FULL, MANAGER_EMAIL, PASSWORD, Size
from liaison.bench.runner import Session
from liaison.bench.scenarios import THREE_MONTHS
from liaison.projects.models import Membership, Project

P = f"/p/{BENCH_CODE}"
PORTAL = f"/portal/p/{BENCH_CODE}"
API = f"/api/v1/projects/{BENCH_CODE}"
# The words task titles are made of (bench.data), what people search for.
SEARCH_WORDS = ("receiving", "picking", "shipping", "inventory", "erp", "mobile")
# The status a board move sets, from the one the task has.
NEXT_STATUS = {"todo": "in_progress", "in_progress": "done", "done": "todo", "blocked": "todo"}
# A share of the team's sessions and of the clients': three team members to
# one client contact, the bench project's own proportion of people (20 to 8).
CLIENT_SHARE = 0.25
# The bench project's client contacts the load test signs in: bench-client-0 of
# the bench data and load-client-1… (add_client_contacts).
CLIENT_CONTACTS = 8
# Errors the report lists in full; the rest are counted.
ERRORS_SHOWN = 5


# -- the people ------------------------------------------------------------------------


@transaction.atomic
def add_client_contacts(total: int = CLIENT_CONTACTS) -> int:
    """The client's people on the bench project: the bench data has one, a client
    company has several (a sponsor, a project lead, key users). Returns how many
    were added; none when they are there already."""
    bench = Project.objects.get(code=BENCH_CODE)
    emails = [f"load-client-{n}@bench.test" for n in range(1, total)]
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(PASSWORD)  # hashed once, as the bench data does
    added = User.objects.bulk_create(
        User(email=email, display_name=f"Client contact {n}", password=password)
        for n, email in enumerate(emails, start=1)
        if email not in known
    )
    Membership.objects.bulk_create(
        Membership(project=bench, user=user, role=Membership.Role.CLIENT) for user in added
    )
    return len(added)


@dataclass(frozen=True)
class Person:
    email: str
    client: bool


def roster(base_url: str) -> tuple[list[str], list[str]]:
    """The bench project's team (its manager first) and client contacts, as its
    manager reads them from the API."""
    manager = Session(base_url)
    manager.api_token(MANAGER_EMAIL, PASSWORD)
    status, _, page = manager.request(
        "GET",
        f"{API}/members?limit=200",
        headers={"Authorization": f"Bearer {manager.token}", "Accept": "application/json"},
    )
    if status != 200:
        raise RuntimeError(f"the members of {BENCH_CODE}: HTTP {status}")
    members = sorted(json.loads(page)["items"], key=lambda m: (m["role"] != "manager", m["id"]))
    editors = (Membership.Role.MANAGER, Membership.Role.MEMBER)
    team = [m["user"]["email"] for m in members if m["role"] in editors]
    clients = sorted(m["user"]["email"] for m in members if m["role"] == Membership.Role.CLIENT)
    return team, clients


def cast(team_emails: Sequence[str], client_emails: Sequence[str], users: int) -> list[Person]:
    """`users` sessions, a quarter of them clients (at least one when there are
    two or more), each list's people taken in turn: beyond its people, one person
    has two sessions (two tabs, a laptop and a phone)."""
    clients = min(users - 1, max(1, round(users * CLIENT_SHARE))) if users > 1 else 0
    team = [Person(team_emails[n % len(team_emails)], False) for n in range(users - clients)]
    return team + [Person(client_emails[n % len(client_emails)], True) for n in range(clients)]


# -- one simulated person ------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    started: float  # time.monotonic()
    ms: float
    status: int  # 0: no answer (the error says why)
    ok: bool
    path: str
    error: str = ""


class SimUser:
    """One signed-in person on their own connection, recording every request."""

    def __init__(
        self,
        base_url: str,
        person: Person,
        *,
        slot: int,
        slots: int,
        size: Size = FULL,
        think_s: float = 0.0,
        seed: int = 0,
    ):
        self.person = person
        self.session = Session(base_url)
        # This person moves only tasks whose number is `slot` modulo `slots`:
        # no two people move one task, so no move meets another's newer version.
        self.slot, self.slots = slot, slots
        self.size = size
        self.think_s = think_s
        self.rng = random.Random(seed * 1009 + slot)
        self.samples: list[Sample] = []

    def sign_in(self, tokens: dict[str, str]) -> None:
        """The session by the sign-in form; a team member also has an API token
        (one per person, shared by their sessions)."""
        self.session.login(self.person.email, PASSWORD)
        if self.person.client:
            return
        if self.person.email not in tokens:
            self.session.api_token(self.person.email, PASSWORD)
            tokens[self.person.email] = self.session.token
        self.session.token = tokens[self.person.email]

    def send(
        self,
        kind: str,
        path: str,
        *,
        method: str = "GET",
        form: dict[str, str] | None = None,
        body: object = None,
        htmx: bool = False,
        expect: int = 200,
    ) -> bytes | None:
        """One request, timed and recorded; the answer's body when it is the one
        expected, else None (the action stops there)."""
        headers, payload = self._prepare(path, form, body, htmx)
        started = time.monotonic()
        try:
            status, page = self._request(method, path, payload, headers)
        except (OSError, HTTPException) as error:
            self.session.connection.close()
            self._record(kind, started, 0, path, f"{type(error).__name__}: {error}")
            return None
        self._record(kind, started, status, path, "" if status == expect else f"not {expect}")
        return page if status == expect else None

    def _prepare(
        self, path: str, form: dict[str, str] | None, body: object, htmx: bool
    ) -> tuple[dict[str, str], bytes | None]:
        headers = {"Accept": "text/html"}
        payload = None
        if path.startswith("/api/"):
            headers = {
                "Accept": "application/json",
                "Authorization": f"Bearer {self.session.token}",
            }
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if form is not None:
            fields = {"csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""), **form}
            payload = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
        return headers, payload

    def _request(
        self, method: str, path: str, payload: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        """A browser's keep-alive rule: a connection the server closed while it
        was idle (keep-alive timeout, a worker replaced after --max-requests)
        fails before any answer; the request is sent again on a new one."""
        reused = self.session.connection.sock is not None
        try:
            status, _, page = self.session.request(method, path, body=payload, headers=headers)
        except (RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            if not reused:
                raise
            self.session.connection.close()
            status, _, page = self.session.request(method, path, body=payload, headers=headers)
        return status, page

    def _record(self, kind: str, started: float, status: int, path: str, error: str) -> None:
        ms = (time.monotonic() - started) * 1000
        self.samples.append(Sample(kind, started, ms, status, not error, path, error))

    def run_until(self, deadline: float) -> None:
        mix = CLIENT_MIX if self.person.client else TEAM_MIX
        weights = [action.weight for action in mix]
        while time.monotonic() < deadline:
            action = self.rng.choices(mix, weights)[0]
            action.run(self, action.name)
            if self.think_s:
                time.sleep(self.think_s * self.rng.uniform(0.5, 1.5))

    # What the actions pick: a task of the plan, a task of this person's own
    # share (undated, so the Gantt's plan stays as it was), a published report.
    def any_task(self) -> str:
        return f"T-{self.rng.randint(1, self.size.bench_tasks)}"

    def own_task(self) -> str:
        first = self.size.bench_dated_tasks + 1
        numbers = range(
            first + (self.slot - first) % self.slots, self.size.bench_tasks + 1, self.slots
        )
        return f"T-{self.rng.choice(numbers)}"

    def published_report(self) -> int:
        return self.rng.randint(1, self.size.bench_reports - 1)  # the last is a draft

    def text(self) -> str:
        return f"Load test note {self.slot}-{len(self.samples)}: checked with the warehouse team."


# -- the mix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """What a person does next; `name` is also the kind its request is measured
    under (a board move's read of the card is a kind of its own)."""

    name: str
    weight: int
    run: Callable[[SimUser, str], object]
    write: bool = False


def page(path: str | Callable[[SimUser], str], *, htmx: bool = False):
    def run(user: SimUser, kind: str) -> object:
        return user.send(kind, path(user) if callable(path) else path, htmx=htmx)

    return run


def _create_task(user: SimUser, kind: str) -> None:
    body = {"title": f"Load test task {user.slot}", "milestone": "M-10", "estimate_hours": 4}
    user.send(kind, f"{API}/tasks", method="POST", body=body, expect=201)


def _comment_task(user: SimUser, kind: str) -> None:
    path = f"{P}/tasks/{user.any_task()}/comments/"
    user.send(kind, path, method="POST", form={"body": user.text()}, expect=302)


def _move_task(user: SimUser, kind: str) -> None:
    """The board's drag: the card's version and status as the board read them,
    then the HTMX post that answers with the board's columns."""
    key = user.own_task()
    found = user.send(f"{kind}_read", f"{API}/tasks/{key}")
    if found is None:
        return
    task = json.loads(found)
    form = {"status": NEXT_STATUS[task["status"]], "version": str(task["version"])}
    user.send(kind, f"{P}/tasks/{key}/status/", method="POST", form=form, htmx=True)


def _read_notifications(user: SimUser, kind: str) -> None:
    user.send(kind, "/notifications/read/", method="POST", form={}, expect=302)


def _client_comment(user: SimUser, kind: str) -> None:
    user.send(kind, f"{PORTAL}/comments/", method="POST", form={"body": user.text()}, expect=302)


def _client_report_comment(user: SimUser, kind: str) -> None:
    path = f"{PORTAL}/reports/{user.published_report()}/comments/"
    user.send(kind, path, method="POST", form={"body": user.text()}, expect=302)


def _client_acknowledge(user: SimUser, kind: str) -> None:
    """The latest report, the one the client is asked to acknowledge: once; a
    second time answers the same redirect with a message."""
    path = f"{PORTAL}/reports/{user.size.bench_reports - 1}/acknowledge/"
    user.send(kind, path, method="POST", form={"comment": ""}, expect=302)


# A team member's day: mostly the project, its tasks and the board; one action
# in six writes (a move is two requests, its read of the card counted as a read).
TEAM_MIX = (
    Action("dashboard", 6, page("/")),
    Action("project_overview", 10, page(f"{P}/")),
    Action("task_list", 12, page(lambda u: f"{P}/tasks/?page={u.rng.randint(1, 5)}")),
    Action(
        "task_search", 6, page(lambda u: f"{P}/tasks/?q={u.rng.choice(SEARCH_WORDS)}", htmx=True)
    ),
    Action("task_detail", 14, page(lambda u: f"{P}/tasks/{u.any_task()}/")),
    Action("board", 5, page(f"{P}/board/")),
    Action("gantt_3_months", 4, page(f"{P}/plan/?{THREE_MONTHS}")),
    Action("notifications", 7, page("/notifications/")),
    Action(
        "tasks_api_100", 5, page(lambda u: f"{API}/tasks?limit=100&offset={u.rng.randint(0, 50)}")
    ),
    Action("interactions", 4, page(f"{P}/communication/")),
    Action("milestones", 3, page(f"{P}/milestones/")),
    Action("requirements", 3, page(f"{P}/requirements/")),
    Action("changes", 3, page(f"{P}/changes/")),
    Action("activity", 2, page(f"{P}/activity/")),
    Action("task_create_api", 4, _create_task, write=True),
    Action("task_comment", 5, _comment_task, write=True),
    Action("task_move", 4, _move_task, write=True),
    Action("notifications_read", 3, _read_notifications, write=True),
)

# A client contact's: the portal's pages, the weekly reports, and a word now and then.
CLIENT_MIX = (
    Action("portal_home", 12, page("/portal/")),
    Action("portal_project", 22, page(f"{PORTAL}/")),
    Action("portal_timeline", 12, page(f"{PORTAL}/timeline/")),
    Action("portal_report", 12, page(lambda u: f"{PORTAL}/reports/{u.published_report()}/")),
    Action("portal_changes", 8, page(f"{PORTAL}/changes/")),
    Action("portal_interactions", 8, page(f"{PORTAL}/communication/")),
    Action("portal_requirements", 8, page(f"{PORTAL}/requirements/")),
    Action("portal_notifications", 6, page("/notifications/")),
    Action("portal_comment", 7, _client_comment, write=True),
    Action("portal_report_comment", 3, _client_report_comment, write=True),
    Action("portal_acknowledge", 2, _client_acknowledge, write=True),
)
WRITE_KINDS = {action.name for action in TEAM_MIX + CLIENT_MIX if action.write}


def write_share(mix: Sequence[Action]) -> float:
    """The share of a mix's actions that write."""
    return sum(a.weight for a in mix if a.write) / sum(a.weight for a in mix)


# -- the figures ---------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (runner.Result's p95 rule): the smallest value
    with at least `share` of the values at or below it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Figures:
    requests: int = 0
    errors: int = 0
    timings_ms: list[float] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.requests += 1
        self.errors += not sample.ok
        self.timings_ms.append(sample.ms)

    def row(self) -> dict:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "p50_ms": round(percentile(self.timings_ms, 0.50), 1),
            "p95_ms": round(percentile(self.timings_ms, 0.95), 1),
            "p99_ms": round(percentile(self.timings_ms, 0.99), 1),
            "max_ms": round(max(self.timings_ms, default=0.0), 1),
        }


def summarize(samples: Sequence[Sample], *, since: float, seconds: float) -> dict:
    """The measured window's figures, overall and per kind. A request counts when
    it started after the warm-up (`since`); an error counts whenever it happened."""
    overall, kinds = Figures(), defaultdict[str, Figures](Figures)
    errors = [s for s in samples if not s.ok]
    for sample in samples:
        if sample.started >= since:
            overall.add(sample)
            kinds[sample.kind].add(sample)
    return {
        "requests": overall.requests,
        "seconds": round(seconds, 1),
        "throughput_rps": round(overall.requests / seconds, 1) if seconds else 0.0,
        "overall": {**overall.row(), "errors": len(errors)},
        "kinds": {kind: kinds[kind].row() for kind in sorted(kinds)},
        "first_errors": [
            {"status": s.status, "path": s.path, "kind": s.kind, "error": s.error}
            for s in sorted(errors, key=lambda s: s.started)[:ERRORS_SHOWN]
        ],
    }


def verdict(report: dict, *, p95_target_ms: float) -> tuple[bool, str]:
    errors, p95 = report["overall"]["errors"], report["overall"]["p95_ms"]
    reasons = []
    if errors:
        reasons.append(f"{errors} errors")
    if p95 > p95_target_ms:
        reasons.append(f"p95 {p95:g} ms > {p95_target_ms:g} ms")
    target = f"target: zero errors and p95 ≤ {p95_target_ms:g} ms"
    if reasons:
        return False, f"FAIL: {', '.join(reasons)} ({target})"
    return True, f"PASS: 0 errors, p95 {p95:g} ms ({target})"


def format_report(report: dict) -> str:
    overall = report["overall"]
    lines = [
        f"Requests: {report['requests']} in {report['seconds']} s = "
        f"{report['throughput_rps']} req/s, {overall['errors']} errors",
        f"Latency: p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms, "
        f"p99 {overall['p99_ms']} ms, max {overall['max_ms']} ms",
        "",
        f"{'kind':<24}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}",
    ]
    for kind, row in report["kinds"].items():
        lines.append(
            f"{kind:<24}{row['requests']:>9}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['p99_ms']:>9}{row['errors']:>8}"
        )
    for error in report["first_errors"]:
        lines.append(f"error: {error['status'] or '-'} {error['path']} ({error['error']})")
    return "\n".join(lines)


# -- the run -------------------------------------------------------------------------------


def machine_cpu() -> tuple[float, float] | None:
    """(busy, total) clock ticks of the whole machine so far (Linux's /proc/stat)."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    values = [float(v) for v in first[1:9]]  # user nice system idle iowait irq softirq steal
    return sum(values) - values[3] - values[4], sum(values)


def tree_cpu(root: int) -> float | None:
    """Clock ticks a process and its descendants used so far (Linux's /proc): each
    live one's own and its reaped children's (a gunicorn worker replaced after
    --max-requests counts in its master's)."""
    parents, ticks = {}, {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        pid = int(entry.parent.name)
        parents[pid] = int(fields[1])
        ticks[pid] = sum(float(v) for v in fields[11:15])  # utime stime cutime cstime
    if root not in ticks:
        return None
    tree, grown = {root}, True
    while grown:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grown = bool(found)
    return sum(ticks[pid] for pid in tree)


class CpuMeter:
    """Who used the cores meanwhile, in percent of one core: this process (the
    load generator), the server's process tree, the whole machine (other work
    on a shared machine shows as the difference)."""

    def __init__(self, server_pid: int | None):
        self.server_pid = server_pid
        self.started = time.monotonic()
        self.own = time.process_time()
        self.machine = machine_cpu()
        self.server = tree_cpu(server_pid) if server_pid else None

    def percentages(self) -> dict[str, float]:
        wall = time.monotonic() - self.started
        hertz = os.sysconf("SC_CLK_TCK")
        figures = {"generator_cpu_percent": 100 * (time.process_time() - self.own) / wall}
        machine = machine_cpu()
        if self.machine and machine:
            share = (machine[0] - self.machine[0]) / max(machine[1] - self.machine[1], 1.0)
            figures["machine_cpu_percent"] = 100 * share * (os.cpu_count() or 1)
        server = tree_cpu(self.server_pid) if self.server_pid else None
        if self.server is not None and server is not None:
            figures["server_cpu_percent"] = 100 * (server - self.server) / hertz / wall
        return {name: round(value, 1) for name, value in figures.items()}


def run_load(
    users: Sequence[SimUser], *, warmup: float, seconds: float, server_pid: int | None = None
) -> dict:
    """Every person in their own thread for `warmup` + `seconds`; the figures of
    the last `seconds`, with the CPU the generator, the server and the machine used."""
    start = time.monotonic()
    since, deadline = start + warmup, start + warmup + seconds
    threads = [threading.Thread(target=u.run_until, args=(deadline,), daemon=True) for u in users]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, since - time.monotonic()))
    meter = CpuMeter(server_pid)
    for thread in threads:
        thread.join()
    cpu = meter.percentages()
    samples = [sample for user in users for sample in user.samples]
    report = summarize(samples, since=since, seconds=time.monotonic() - since)
    counted = [s for s in samples if s.started >= since]
    writes = sum(s.kind in WRITE_KINDS for s in counted)
    report |= cpu | {"write_percent": round(100 * writes / max(len(counted), 1), 1)}
    if "server_cpu_percent" in cpu and counted:
        # What a request costs the server, whatever else the machine was doing:
        # the figure that compares configurations on a shared machine.
        cpu_ms = cpu["server_cpu_percent"] * 10 * report["seconds"] / len(counted)
        report["server_cpu_ms_per_request"] = round(cpu_ms, 1)
    return report
