"""A smoke test of the benchmark: the generator and one scenario on a tiny data
set. The real numbers come from `make bench`, never from the test suite."""

from django.http import HttpResponse
from django.test import RequestFactory

from liaison.accounts.models import User
from liaison.bench.data import BENCH_CODE, MANAGER_EMAIL, PASSWORD, TINY, build, is_loaded
from liaison.bench.runner import Scenario, Session, format_table, measure
from liaison.core.middleware import QueryCountMiddleware
from liaison.projects.models import Project


def test_bench_data_builds_the_tiny_data_set(db):
    counts = build(TINY)
    assert is_loaded()
    assert counts["projects"] == TINY.projects == Project.objects.count()
    assert counts["users"] == TINY.users
    bench = Project.objects.get(code=BENCH_CODE)
    assert bench.memberships.filter(role="client").count() == 1
    assert bench.activities.count() == TINY.bench_activities


def test_bench_scenario_measures_over_http(transactional_db, live_server):
    build(TINY)
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    scenario = Scenario("project_overview", f"/p/{BENCH_CODE}/")
    row = measure(session, scenario, warmup=1, timed=3)
    assert row["requests"] == 3
    assert 0 < row["median_ms"] <= row["p95_ms"]
    assert "project_overview" in format_table({"project_overview": row})


def test_query_count_middleware_reports_queries(db):
    def view(request):
        User.objects.count()
        User.objects.exists()
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Query-Count"] == "2"
