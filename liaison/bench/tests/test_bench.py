"""A smoke test of the benchmark: the generator and one scenario on a tiny data
set. The real numbers come from `make bench`, never from the test suite."""

from django.http import HttpResponse
from django.test import RequestFactory

from liaison.accounts.models import User
from liaison.bench.data import BENCH_CODE, MANAGER_EMAIL, PASSWORD, TINY, build, is_loaded
from liaison.bench.runner import Scenario, Session, format_table, measure
from liaison.bench.scenarios import _import_workbook
from liaison.core.middleware import QueryCountMiddleware
from liaison.core.models import KeyCounter
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
    assert bench.activities.count() == TINY.bench_activities


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
