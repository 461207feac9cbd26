"""The status reports API: the same rules as the pages, per role, with errors
that name their field and 409 on a stale edit."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.planning.services.tasks import task_create
from liaison.reports.models import StatusReport
from liaison.reports.services import report_update
from liaison.reports.tests.factories import last_monday, make_report
from liaison.tests.api_client import Api

JSON = "application/json"
REPORTS = "/projects/OWN/reports"


@pytest.fixture
def draft(project, manager):
    return make_report(project, manager, summary="On plan.")


@pytest.fixture
def published(project, manager):
    return make_report(
        project, manager, status="published", period_start=last_monday() - dt.timedelta(7)
    )


# -- reads --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "member", "observer", "owner"])
def test_the_team_lists_reports_drafts_included(request, draft, published, who):
    body = Api(request.getfixturevalue(who))("GET", REPORTS).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["key"], first["status"], first["period"]) == ("RPT-1", "draft", "weekly")
    assert first["period_start"] == draft.period_start.isoformat()
    assert "facts" not in first and "summary" not in first
    assert body["items"][1]["published_by"]["display_name"] == "manager"


def test_one_report_comes_with_its_facts(observer, project, manager, draft):
    task_create(project=project, by=manager, title="Live", client_visible=True)
    body = Api(observer)("GET", f"{REPORTS}/1").json()
    assert (body["key"], body["summary"], body["version"]) == ("RPT-1", "On plan.", 1)
    assert body["facts"]["tasks_total"] == 1  # live: a draft
    assert len(body["facts"]["weekly_completed"]) == 8
    assert body["facts"]["period_start"] == draft.period_start.isoformat()


def test_a_published_report_answers_its_frozen_facts(member, project, manager, published):
    # Counted if the facts were live: the client can see it.
    task_create(project=project, by=manager, title="After publication", client_visible=True)
    body = Api(member)("GET", f"{REPORTS}/{published.number}").json()
    assert body["status"] == "published"
    assert body["facts"] == published.data
    assert body["facts"]["tasks_total"] == 0


@pytest.mark.parametrize("who", ["client_user", "outsider"])
def test_clients_and_outsiders_get_404(request, draft, published, who):
    call = Api(request.getfixturevalue(who))
    assert call("GET", REPORTS).status_code == 404
    assert call("GET", f"{REPORTS}/{published.number}").status_code == 404
    assert call("POST", REPORTS, {"period_start": "2026-11-18"}).status_code == 404
    assert call("PATCH", f"{REPORTS}/1", {"version": 1, "title": "x"}).status_code == 404
    assert call("POST", f"{REPORTS}/1/publish", {"version": 1}).status_code == 404


def test_anonymous_callers_must_sign_in(draft):
    response = Api(None)("GET", REPORTS)
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


def test_unknown_reports_and_projects_are_404(manager, foreign_project, draft):
    call = Api(manager)
    assert call("GET", f"{REPORTS}/99").status_code == 404
    assert call("GET", f"{REPORTS}/99999999999999999999").status_code == 404
    assert call("GET", "/projects/FOREIGN/reports").status_code == 404


# -- writes -------------------------------------------------------------------------------


def test_the_manager_drafts_a_report(project, manager):
    response = Api(manager)(
        "POST", REPORTS, {"period": "monthly", "period_start": "2026-11-18", "summary": "Hi"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["key"], body["period"], body["status"]) == ("RPT-1", "monthly", "draft")
    assert (body["period_start"], body["period_end"]) == ("2026-11-01", "2026-11-30")
    assert (body["title"], body["summary"], body["health"]) == ("November 2026", "Hi", "green")
    assert body["facts"]["period_end"] == "2026-11-30"


@pytest.mark.parametrize("who", ["member", "observer"])
def test_members_and_observers_cannot_write(request, draft, who):
    call = Api(request.getfixturevalue(who))
    for method, path, data in [
        ("POST", REPORTS, {"period_start": "2026-11-18"}),
        ("PATCH", f"{REPORTS}/1", {"version": 1, "title": "x"}),
        ("POST", f"{REPORTS}/1/publish", {"version": 1}),
    ]:
        response = call(method, path, data)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), path
    assert StatusReport.objects.get().status == "draft"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period": "daily", "period_start": "2026-11-18"}, "period"),
        ({"period_start": "2026-13-01"}, "period_start"),
        ({"period_start": "18/11/2026"}, "period_start"),
        ({"period_start": "9999-01-01"}, "period_start"),
        ({"period_start": ""}, "period_start"),
    ],
)
def test_bad_input_answers_400_naming_the_field(project, manager, data, field):
    response = Api(manager)("POST", REPORTS, data)
    assert response.status_code == 400, response.content
    assert (response.json()["code"], response.json()["field"]) == ("invalid", field)


def test_a_blank_title_takes_the_default(project, manager):
    response = Api(manager)("POST", REPORTS, {"period_start": "2026-11-18", "title": "  "})
    assert (response.status_code, response.json()["title"]) == (201, "Week 47, 2026")


def test_a_second_report_for_a_period_answers_400_naming_the_first(manager, draft):
    response = Api(manager)("POST", REPORTS, {"period_start": draft.period_end.isoformat()})
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("report_exists", "period_start")
    assert "RPT-1" in body["message"]


def test_patch_changes_a_draft(manager, draft):
    response = Api(manager)(
        "PATCH", f"{REPORTS}/1", {"version": 1, "health": "amber", "concerns": "Test data late"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["health"], body["concerns"], body["version"]) == ("amber", "Test data late", 2)


def test_a_stale_patch_answers_409_with_what_changed(manager, draft):
    report_update(report=draft, by=manager, version=1, title="Pilot week")
    response = Api(manager)("PATCH", f"{REPORTS}/1", {"version": 1, "summary": "Mine"})
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["current_version"]) == ("stale_edit", 2)
    assert body["changes"] == [
        {"by": "manager", "field": "title", "label": "title", "value": "Pilot week"}
    ]


def test_patch_refuses_null_and_published_reports(manager, draft, published):
    call = Api(manager)
    response = call("PATCH", f"{REPORTS}/1", {"version": 1, "title": None})
    assert (response.status_code, response.json()["field"]) == (400, "title")
    response = call("PATCH", f"{REPORTS}/{published.number}", {"version": 1, "summary": "x"})
    assert (response.status_code, response.json()["code"]) == (400, "report_published")


def test_publish_freezes_and_answers_the_report(manager, client_user, draft):
    response = Api(manager)("POST", f"{REPORTS}/1/publish", {"version": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["version"]) == ("published", 2)
    assert body["published_by"]["email"] == manager.email
    assert StatusReport.objects.get().data == body["facts"]


def test_publish_needs_a_summary_and_the_current_version(manager, project):
    make_report(project, manager)
    call = Api(manager)
    response = call("POST", f"{REPORTS}/1/publish", {"version": 1})
    assert (response.status_code, response.json()["field"]) == (400, "summary")
    call("PATCH", f"{REPORTS}/1", {"version": 1, "summary": "Now written"})
    response = call("POST", f"{REPORTS}/1/publish", {"version": 1})
    assert response.status_code == 409


# -- queries do not grow with the data ----------------------------------------------------


def _grow(project, manager, n: int) -> None:
    """n more published reports (the list grows) and n more tasks finished in
    the draft's week (its live facts read them)."""
    oldest = StatusReport.objects.filter(project=project).order_by("period_start").first()
    start = oldest.period_start if oldest else last_monday()
    for week in range(1, n + 1):
        make_report(
            project,
            manager,
            status="published",
            period_start=start - dt.timedelta(weeks=week),
        )
        task_create(
            project=project, by=manager, title=f"Done {week}", status="done", client_visible=True
        )


# The list: token, user, roles, project, count, page. One report: its row and
# the draft's live facts (earned value's read only the budget when there is none).
@pytest.mark.parametrize(("path", "most"), [("", 6), ("/1", 25)])
def test_queries_do_not_grow_with_the_reports(
    project, manager, path, most, django_assert_max_num_queries
):
    api = Api(manager)
    make_report(project, manager, summary="The draft: its facts are live.")
    url = f"{REPORTS}{path}"

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            response = api.get(url)
        assert response.status_code == 200, response.content
        return len(context.captured_queries)

    api.get(url)  # warm caches (content types)
    _grow(project, manager, 2)
    with django_assert_max_num_queries(most):
        small = count()
    _grow(project, manager, 18)
    with django_assert_max_num_queries(most):
        large = count()
    assert small == large
    body = api.get(url).json()
    # What grew is what the page reads: 20 more reports listed, 20 more tasks counted.
    if path:
        assert body["facts"]["tasks_total"] == 20
    else:
        assert body["count"] == len(body["items"]) == 21  # the draft and 2 + 18 published


# -- the schema ---------------------------------------------------------------------------


def test_openapi_describes_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    prefix = "/api/v1/projects/{code}/reports"
    assert set(paths[prefix]) == {"get", "post"}
    assert set(paths[f"{prefix}/{{number}}"]) == {"get", "patch"}
    assert set(paths[f"{prefix}/{{number}}/publish"]) == {"post"}
    for path in (prefix, f"{prefix}/{{number}}", f"{prefix}/{{number}}/publish"):
        for method, operation in paths[path].items():
            assert operation["summary"] and operation["description"], (method, path)
            assert operation["tags"] == ["reports"]
    patch = paths[f"{prefix}/{{number}}"]["patch"]
    assert patch["responses"]["409"]["content"][JSON]["schema"]["$ref"].endswith("/Conflict")
    assert "report_exists" in paths[prefix]["post"]["description"]
    out = schema["components"]["schemas"]["ReportOut"]["properties"]
    assert out["status"]["enum"] == list(StatusReport.Status.values)
    assert "facts" in out
