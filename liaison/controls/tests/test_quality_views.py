"""The team's quality pages per role: the plan with its standards, checks and
rounds; a check whose finding opens an issue; a UAT round prepared, edited and
opened to the client; the results' PDF; query counts that do not grow."""

import pytest
from django.urls import reverse

from conftest import TODAY
from liaison.controls.models import QualityCheck, QualityFinding, UatCase, UatRound
from liaison.controls.services import quality as quality_services
from liaison.controls.services.uat import uat_results_submit
from liaison.controls.tests.factories import all_results, make_uat_milestone, make_uat_round

PLAN = reverse("controls:quality", args=["OWN"])


def _round_url(name: str, number: int = 1, code: str = "OWN") -> str:
    return reverse(name, args=[code, f"UAT-{number}"])


def _check(project, by, **fields) -> QualityCheck:
    return quality_services.quality_check_create(
        project=project,
        by=by,
        **{"checked_on": TODAY, "result": "partial", "findings": "Labels smudge", **fields},
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("member", 200), ("observer", 200), ("client", 404), ("outsider", 404)],
)
def test_who_sees_the_pages(login, project, manager, role_users, role, status):
    _check(project, manager)
    make_uat_round(project)
    http = login(role_users[role])
    assert http.get(PLAN).status_code == status
    assert http.get(reverse("controls:quality-check", args=["OWN", 1])).status_code == status
    assert http.get(_round_url("controls:uat-round")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("manager", 200), ("member", 403), ("observer", 403), ("client", 404)]
)
def test_only_the_manager_prepares_rounds_and_the_plan(login, project, role_users, role, status):
    http = login(role_users[role])
    assert http.get(reverse("controls:uat-round-create", args=["OWN"])).status_code == status
    assert http.get(reverse("controls:quality-standard-create", args=["OWN"])).status_code == status


def test_unknown_numbers_and_foreign_projects_are_404(login, project, manager, foreign_project):
    http = login(manager)
    assert http.get(reverse("controls:quality", args=["FOREIGN"])).status_code == 404
    assert http.get(reverse("controls:quality-check", args=["OWN", 9])).status_code == 404
    assert http.get(_round_url("controls:uat-round", 9)).status_code == 404
    foreign_round = make_uat_round(foreign_project)
    url = reverse("controls:uat-round", args=["FOREIGN", foreign_round.key])
    assert http.get(url).status_code == 404


def test_the_manager_writes_the_plan(login, project, manager):
    http = login(manager)
    url = reverse("controls:quality-standard-create", args=["OWN"])
    response = http.post(url, {"title": "Response time < 2 s", "method": "Load test"})
    assert response.status_code == 302
    page = http.get(PLAN).content.decode()
    assert "Response time &lt; 2 s" in page and "Load test" in page
    assert "Name the standard." in http.post(url, {"title": ""}).content.decode()


def test_a_member_records_a_check_and_opens_an_issue_from_a_finding(login, project, member):
    http = login(member)
    response = http.post(
        reverse("controls:quality-check-create", args=["OWN"]),
        {
            "kind": "test_run",
            "checked_on": TODAY.isoformat(),
            "result": "fail",
            "findings": "Scans take 3 s\nLabels smudge",
        },
    )
    assert response.status_code == 302
    check = QualityCheck.objects.get()
    finding = QualityFinding.objects.get(text="Scans take 3 s")
    url = reverse("controls:quality-finding-issue", args=["OWN", finding.pk])
    assert http.post(url, {"kind": "defect", "severity": "critical"}).status_code == 302
    finding.refresh_from_db()
    page = http.get(reverse("controls:quality-check", args=["OWN", check.number])).content.decode()
    assert f'data-issue="{finding.issue.key}"' in page


def test_a_round_is_prepared_edited_and_opened(login, project, manager, client_user):
    make_uat_milestone(project)
    http = login(manager)
    milestone = project.milestones.get()
    response = http.post(
        reverse("controls:uat-round-create", args=["OWN"]), {"milestone": milestone.pk}
    )
    assert response.status_code == 302
    round_ = UatRound.objects.get()
    page = http.get(_round_url("controls:uat-round")).content.decode()
    assert page.count("data-case=") == 5 and 'id="uat-open"' in page
    response = http.post(
        _round_url("controls:uat-case-add"),
        {"title": "Reprint a label", "requirement": "REQ-2", "version": round_.version},
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    stale = http.post(
        _round_url("controls:uat-case-add"), {"title": "Again", "version": round_.version - 1}
    )
    assert "Someone else saved" in stale.content.decode()
    unknown = http.post(
        _round_url("controls:uat-case-add"),
        {"title": "Again", "requirement": "REQ-99", "version": round_.version},
    )
    assert "No requirement REQ-99" in unknown.content.decode()
    assert http.post(_round_url("controls:uat-round-open"), {"version": round_.version})
    round_.refresh_from_db()
    assert round_.is_open and UatCase.objects.filter(round=round_).count() == 6
    page = http.get(_round_url("controls:uat-round")).content.decode()
    assert 'id="uat-open"' not in page and 'id="uat-waiting"' in page


def test_the_results_and_their_pdf(login, project, manager, client_user, pdf_text):
    round_ = make_uat_round(project, opened=True)
    uat_results_submit(
        round=round_,
        by=client_user,
        version=round_.version,
        results=all_results(round_, failed=(2,), note="标签打印模糊"),
    )
    http = login(manager)
    page = http.get(_round_url("controls:uat-round")).content.decode()
    assert 'data-passed="4" data-failed="1"' in page and 'data-issue="ISS-1"' in page
    response = http.get(_round_url("controls:uat-round-pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "UAT-1" in text and "Labels print" in text and "标签打印模糊" in text and "ISS-1" in text


def test_the_requirement_shows_it_was_verified_by_the_client(login, project, manager, client_user):
    round_ = make_uat_round(project, opened=True)
    uat_results_submit(
        round=round_,
        by=client_user,
        version=round_.version,
        results=all_results(round_, failed=(3,)),
    )
    http = login(manager)
    detail = http.get(reverse("requirements:detail", args=["OWN", "REQ-2"])).content.decode()
    assert 'data-mark="verified_by_client"' in detail
    failed = http.get(reverse("requirements:detail", args=["OWN", "REQ-1"])).content.decode()
    assert 'data-mark="verified_by_client"' not in failed
    listed = http.get(reverse("requirements:list", args=["OWN"])).content.decode()
    assert listed.count('data-mark="verified_by_client"') == 1


def test_the_overview_card_shows_the_last_results(login, project, manager, client_user):
    _check(project, manager, result="fail")
    round_ = make_uat_round(project, opened=True)
    uat_results_submit(
        round=round_, by=client_user, version=round_.version, results=all_results(round_)
    )
    page = login(manager).get(reverse("home:overview", args=["OWN"])).content.decode()
    assert 'id="overview-quality"' in page
    assert 'data-result="fail"' in page and 'data-passed="5" data-failed="0"' in page


def test_plan_query_count_does_not_grow(login, project, manager, django_assert_max_num_queries):
    http = login(manager)
    _check(project, manager)
    make_uat_round(project)
    with django_assert_max_num_queries(30) as small:
        assert http.get(PLAN).status_code == 200
    queries = len(small.captured_queries)
    for n in range(10):
        quality_services.quality_standard_create(project=project, by=manager, title=f"S{n}")
        _check(project, manager, findings="a\nb\nc")
    make_uat_round(project, milestone=project.milestones.get())
    with django_assert_max_num_queries(queries):
        assert http.get(PLAN).status_code == 200


def test_round_query_count_does_not_grow(login, project, manager, django_assert_max_num_queries):
    http = login(manager)
    round_ = make_uat_round(project)
    with django_assert_max_num_queries(30) as small:
        assert http.get(_round_url("controls:uat-round")).status_code == 200
    queries = len(small.captured_queries)
    for n in range(20):
        UatCase.objects.create(round_id=round_.pk, position=10 + n, title=f"Case {n}")
    with django_assert_max_num_queries(queries):
        assert http.get(_round_url("controls:uat-round")).status_code == 200
