"""A smoke test of the benchmark: the generator and one scenario on a tiny data
set. The real numbers come from `make bench`, never from the test suite."""

from django.http import HttpResponse
from django.test import RequestFactory

from liaison.accounts.models import User
from liaison.bench.data import (
    BENCH_CODE,
    CLIENT_EMAIL,
    DETAIL_TASK,
    MANAGER_EMAIL,
    PASSWORD,
    TINY,
    build,
    is_loaded,
)
from liaison.bench.runner import Scenario, Session, format_table, measure
from liaison.bench.scenarios import SCENARIOS, _import_workbook
from liaison.core.middleware import QueryCountMiddleware
from liaison.core.models import KeyCounter
from liaison.planning.models import Dependency, Milestone, MilestoneReview, PlanBaseline, Task
from liaison.planning.scheduling import schedule
from liaison.planning.selectors.plan import plan_items, work_calendar
from liaison.planning.services.tasks import task_create
from liaison.projects.models import Project
from liaison.requirements.models import Baseline, Requirement, RequirementRevision
from liaison.requirements.selectors import baseline_diff
from liaison.requirements.services import content_hash


def test_bench_data_builds_the_tiny_data_set(db):
    counts = build(TINY)
    assert is_loaded()
    assert counts["projects"] == TINY.projects == Project.objects.count()
    assert counts["users"] == TINY.users
    bench = Project.objects.get(code=BENCH_CODE)
    assert bench.memberships.filter(role="client").count() == 1
    # The project's own log (the plan adds a few lines on the tasks).
    assert bench.activities.filter(target_type__model="project").count() == TINY.bench_activities


def test_bench_data_has_requirements_and_signed_baselines(db):
    counts = build(TINY)
    bench = Project.objects.get(code=BENCH_CODE)
    requirements = Requirement.objects.filter(project=bench)
    assert counts["requirements"] == TINY.bench_requirements == requirements.count()
    numbers = sorted(int(r.key.removeprefix("REQ-")) for r in requirements)
    assert numbers == list(range(1, TINY.bench_requirements + 1))
    assert requirements.filter(client_visible=False).exists()
    assert requirements.values("status").distinct().count() >= 4
    # Revision 1 each, and the counter where the service would have left it.
    assert RequirementRevision.objects.filter(requirement__project=bench, number=1).count() == (
        TINY.bench_requirements
    )
    assert KeyCounter.objects.get(project=bench, prefix="REQ").last == TINY.bench_requirements
    baselines = {b.number: b for b in Baseline.objects.filter(project=bench)}
    assert sorted(baselines) == [1, 2, 3]
    for baseline in baselines.values():
        assert baseline.status == Baseline.Status.SIGNED
        assert baseline.content_hash == content_hash(baseline.content)
    diff = baseline_diff(baselines[2], baselines[3])
    assert len(diff.added) == 5
    assert diff.changed and not diff.removed


def test_bench_data_has_a_consistent_plan(db):
    counts = build(TINY)
    bench = Project.objects.get(code=BENCH_CODE)
    tasks = Task.objects.filter(project=bench)
    assert tasks.count() == TINY.bench_tasks
    small = TINY.projects - 1
    assert counts["tasks"] == TINY.bench_tasks + small * TINY.tasks_per_project
    assert counts["milestones"] == TINY.bench_milestones + small * TINY.milestones_per_project
    assert sorted(t.number for t in tasks) == list(range(1, TINY.bench_tasks + 1))
    assert all(t.key == f"T-{t.number}" for t in tasks)
    assert not tasks.filter(milestone__isnull=True).exists()
    assert tasks.filter(start_date__isnull=False, due_date__isnull=False).count() == (
        TINY.bench_dated_tasks
    )
    parents = tasks.filter(children__isnull=False).distinct()
    assert parents.count() == TINY.bench_parents
    assert all(p.children.count() == 4 and p.number <= 5 * TINY.bench_parents for p in parents)
    done = tasks.filter(status=Task.Status.DONE).count()
    assert 0.2 * TINY.bench_tasks <= done <= 0.5 * TINY.bench_tasks
    assert not tasks.filter(status=Task.Status.DONE).exclude(progress=100).exists()
    detail = tasks.get(key=DETAIL_TASK)
    assert detail.milestone_id

    # Links among dated tasks that the scheduler finds already respected.
    links = Dependency.objects.filter(project=bench)
    assert links.count() == TINY.bench_dependencies
    assert set(links.values_list("kind", flat=True)) >= {"FS", "SS"}
    assert not links.filter(predecessor__start_date__isnull=True).exists()
    items, plan_links = plan_items(bench)
    slots = schedule(items, plan_links, work_calendar(bench))
    assert len(slots) == TINY.bench_dated_tasks
    assert not [task_id for task_id, slot in slots.items() if slot.moved]

    # Keys continue where the data set stops.
    counters = dict(KeyCounter.objects.filter(project=bench).values_list("prefix", "last"))
    assert counters["T"] == TINY.bench_tasks and counters["M"] == TINY.bench_milestones
    other = Project.objects.get(code="P001")
    assert KeyCounter.objects.get(project=other, prefix="T").last == TINY.tasks_per_project
    assert other.tasks.count() == TINY.tasks_per_project
    task = task_create(project=bench, by=bench.manager, title="After the bench data")
    assert task.key == f"T-{TINY.bench_tasks + 1}"

    # Milestones: some accepted after a review, one awaiting the client.
    milestones = Milestone.objects.filter(project=bench)
    assert milestones.filter(status=Milestone.Status.ACCEPTED).exists()
    awaiting = milestones.get(status=Milestone.Status.SUBMITTED)
    assert awaiting.reviews.get().verdict == MilestoneReview.Verdict.PENDING
    for milestone in milestones.filter(status=Milestone.Status.ACCEPTED):
        assert milestone.reviews.filter(verdict="accepted").exists()
    assert all(len(m.criteria) == 3 and m.client_visible for m in milestones)

    # The plan baseline froze every dated task; some have slipped since.
    baseline = PlanBaseline.objects.get(project=bench)
    assert len(baseline.tasks) == TINY.bench_dated_tasks
    dated = tasks.filter(start_date__isnull=False)
    assert any(baseline.task_dates(t.pk) != (t.start_date, t.due_date) for t in dated)


def test_bench_planning_scenarios_answer_on_the_tiny_data_set(transactional_db, live_server):
    """Every plan scenario, once each: its address and method are right."""
    build(TINY)
    sessions = {}
    for who, email in (("manager", MANAGER_EMAIL), ("client", CLIENT_EMAIL)):
        sessions[who] = Session(live_server.url)
        sessions[who].login(email, PASSWORD)
        sessions[who].api_token(email, PASSWORD)
    planning = {
        "task_list_25",
        "task_list_100",
        "task_detail",
        "task_create_api",
        "tasks_api_100",
        "gantt_3_months",
        "gantt_2000",
        "board",
        "milestones",
        "workload",
        "portal_timeline",
    }
    scenarios = [s for s in SCENARIOS if s.name in planning]
    assert {s.name for s in scenarios} == planning
    for scenario in scenarios:
        row = measure(sessions[scenario.who], scenario, warmup=0, timed=1)
        assert row["requests"] == 1, scenario.name
    assert Task.objects.filter(title__startswith="Created by the bench").count() == 1


def test_bench_scenario_measures_over_http(transactional_db, live_server):
    build(TINY)
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    scenario = Scenario("project_overview", f"/p/{BENCH_CODE}/")
    row = measure(session, scenario, warmup=1, timed=3)
    assert row["requests"] == 3
    assert 0 < row["median_ms"] <= row["p95_ms"]
    assert "project_overview" in format_table({"project_overview": row})


def test_bench_import_scenario_uploads_and_waits_for_the_job(transactional_db, live_server):
    """The runner posts the workbook as multipart and polls until the job is
    done (huey runs jobs inline in tests)."""
    build(TINY)
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    scenario = Scenario(
        "import",
        f"/p/{BENCH_CODE}/requirements/import/",
        method="POST",
        upload=lambda number: _import_workbook(rows=20),
        expect=302,
        until='data-status="done"',
        rounds=(0, 2),
    )
    row = measure(session, scenario, warmup=5, timed=30)
    assert row["requests"] == 2
    assert Requirement.objects.filter(project__code=BENCH_CODE).count() == (
        TINY.bench_requirements + 40
    )


def test_query_count_middleware_reports_queries(db):
    def view(request):
        User.objects.count()
        User.objects.exists()
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Query-Count"] == "2"
