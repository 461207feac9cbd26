"""The load test's pieces: its figures, its mix, its people, and every action of
the mix against a live server on the tiny data set. The real figures come from
`make loadtest`, never from the suite."""

import os

from liaison.bench.data import TINY
from liaison.bench.load import (
    CLIENT_CONTACTS,
    CLIENT_MIX,
    TEAM_MIX,
    WRITE_KINDS,
    Person,
    Sample,
    SimUser,
    add_client_contacts,
    cast,
    format_report,
    percentile,
    roster,
    run_load,
    summarize,
    verdict,
    write_share,
)
from liaison.collab.models import Comment
from liaison.planning.models import Task
from liaison.reports.models import StatusReport


def sample(kind: str, ms: float, *, started: float = 10.0, ok: bool = True) -> Sample:
    return Sample(kind, started, ms, 200 if ok else 500, ok, f"/{kind}/", "" if ok else "not 200")


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(100, 0, -1)]  # 100 … 1, unsorted on purpose
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile([7.0], 0.99) == 7
    assert percentile([], 0.95) == 0


def test_summary_counts_the_measured_window_and_every_error():
    samples = [
        sample("board", 900, started=1.0),  # warm-up: not timed
        sample("board", 40, started=1.5, ok=False),  # warm-up, but an error counts
        *(sample("board", ms) for ms in (10, 20, 30, 40)),
        sample("task_detail", 5),
        sample("task_detail", 50, ok=False),
    ]
    report = summarize(samples, since=5.0, seconds=2.0)
    assert report["requests"] == 6
    assert report["throughput_rps"] == 3.0
    assert report["overall"]["errors"] == 2
    assert report["overall"]["max_ms"] == 50
    assert report["kinds"]["board"] == {
        "requests": 4,
        "errors": 0,
        "p50_ms": 20,
        "p95_ms": 40,
        "p99_ms": 40,
        "max_ms": 40,
    }
    assert report["kinds"]["task_detail"]["errors"] == 1
    assert [e["path"] for e in report["first_errors"]] == ["/board/", "/task_detail/"]
    text = format_report(report)
    assert "task_detail" in text and "error: 500 /board/ (not 200)" in text


def test_verdict_wants_no_error_and_p95_within_the_target():
    report = summarize([sample("board", ms) for ms in (100, 200)], since=0, seconds=1)
    assert verdict(report, p95_target_ms=250) == (
        True,
        "PASS: 0 errors, p95 200 ms (target: zero errors and p95 ≤ 250 ms)",
    )
    passed, line = verdict(report, p95_target_ms=150)
    assert not passed and line.startswith("FAIL: p95 200 ms > 150 ms")
    broken = summarize([sample("board", 10, ok=False)], since=0, seconds=1)
    assert verdict(broken, p95_target_ms=250)[1].startswith("FAIL: 1 errors")


def test_the_mix_writes_a_realistic_share_and_names_each_kind_once():
    assert 0.10 <= write_share(TEAM_MIX) <= 0.20
    assert 0.10 <= write_share(CLIENT_MIX) <= 0.20
    names = [action.name for action in TEAM_MIX + CLIENT_MIX]
    assert len(names) == len(set(names))
    assert {"task_create_api", "task_move", "portal_acknowledge"} <= WRITE_KINDS
    assert "board" not in WRITE_KINDS


def test_the_cast_is_a_quarter_clients_each_person_in_turn():
    team, clients = ["pm", "a", "b"], ["c0", "c1"]
    people = cast(team, clients, 8)
    assert [p.email for p in people if not p.client] == ["pm", "a", "b", "pm", "a", "b"]
    assert [p.email for p in people if p.client] == ["c0", "c1"]
    assert sum(p.client for p in cast(team, clients, 32)) == 8
    assert [p.client for p in cast(team, clients, 2)] == [False, True]
    assert cast(team, clients, 1) == [Person("pm", False)]


def test_each_person_moves_only_undated_tasks_of_their_own():
    users = [
        SimUser("http://127.0.0.1:9", Person("pm", False), slot=n, slots=3, size=TINY)
        for n in range(3)
    ]
    shares = [{user.own_task() for _ in range(300)} for user in users]
    assert not shares[0] & shares[1] and not shares[1] & shares[2] and not shares[0] & shares[2]
    numbers = {int(key.removeprefix("T-")) for share in shares for key in share}
    assert min(numbers) > TINY.bench_dated_tasks and max(numbers) <= TINY.bench_tasks


def test_every_action_of_the_mix_answers_and_two_people_run_without_error(tiny_bench, live_server):
    """The tiny data set and its client contacts on a live server: each action of
    both mixes once, as a team member and a client contact, then the two of them
    at once for a second and a half."""
    assert add_client_contacts() == CLIENT_CONTACTS - 1
    assert add_client_contacts() == 0  # already there
    team, clients = roster(live_server.url)
    assert len(team) == TINY.bench_members and len(clients) == CLIENT_CONTACTS
    users = [
        SimUser(live_server.url, person, slot=n, slots=2, size=TINY)
        for n, person in enumerate(cast(team, clients, 2))
    ]
    tokens: dict[str, str] = {}
    for user in users:
        user.sign_in(tokens)
    team_member, client = users
    comments = Comment.objects.count()
    for user, mix in ((team_member, TEAM_MIX), (client, CLIENT_MIX)):
        for action in mix:
            action.run(user, action.name)
    errors = [(s.kind, s.status, s.path) for s in team_member.samples + client.samples if not s.ok]
    assert errors == []
    kinds = {s.kind for s in team_member.samples + client.samples}
    assert kinds == {a.name for a in TEAM_MIX + CLIENT_MIX} | {"task_move_read"}
    # The writes landed: a task, three comments, a move, the latest report acknowledged.
    assert Task.objects.filter(title="Load test task 0").count() == 1
    assert Comment.objects.count() == comments + 3
    assert Task.objects.filter(version__gt=1, number__gt=TINY.bench_dated_tasks).exists()
    latest = StatusReport.objects.get(number=TINY.bench_reports - 1)
    assert latest.status == StatusReport.Status.ACKNOWLEDGED

    # The live server is a thread of this process: its "server" is this process.
    report = run_load(users, warmup=0.2, seconds=1.5, server_pid=os.getpid())
    assert report["requests"] > 0
    assert report["overall"]["errors"] == 0, report["first_errors"]
    assert report["generator_cpu_percent"] > 0 and report["server_cpu_percent"] > 0
    assert report["machine_cpu_percent"] > 0 and report["write_percent"] >= 0
    assert report["server_cpu_ms_per_request"] > 0
    assert set(report["kinds"]) <= kinds
