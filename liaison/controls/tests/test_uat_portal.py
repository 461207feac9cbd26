"""The client's acceptance tests in the portal: the rounds opened to them (never
a draft), one round's cases marked passed or failed and sent together, a
failure raising a defect the client sees, a stale page refused, the PDF."""

import pytest
from django.urls import reverse

from liaison.controls.models import Issue, UatCase, UatRound
from liaison.controls.selectors.quality import uat_round_get
from liaison.controls.services.uat import uat_case_add, uat_round_open
from liaison.controls.tests.factories import make_uat_milestone, make_uat_round
from liaison.projects.access import CLIENT

TAB = reverse("portal:uat-rounds", args=["OWN"])


def _url(name: str, number: int) -> str:
    return reverse(name, args=["OWN", f"UAT-{number}"])


def _form(round_, failed=(), **extra) -> dict:
    data = {"version": round_.version}
    for case in round_.case_rows:
        data[f"result_{case.pk}"] = "failed" if case.position in failed else "passed"
    return {**data, **extra}


@pytest.mark.parametrize(("role", "status"), [("client", 200), ("manager", 404), ("member", 404)])
def test_the_portal_is_the_clients(login, project, role_users, role, status):
    make_uat_round(project, opened=True)
    http = login(role_users[role])
    assert http.get(TAB).status_code == status
    assert http.get(_url("portal:uat-round", 1)).status_code == status


def test_a_draft_stays_with_the_team(login, project, client_user):
    make_uat_round(project)
    http = login(client_user)
    assert 'data-round="1"' not in http.get(TAB).content.decode()
    assert http.get(_url("portal:uat-round", 1)).status_code == 404


def test_the_client_sends_results_and_a_failure_becomes_their_defect(login, project, client_user):
    round_ = make_uat_round(project, opened=True)
    http = login(client_user)
    assert (
        'data-uat-round="1"' in http.get(reverse("portal:project", args=["OWN"])).content.decode()
    )
    page = http.get(_url("portal:uat-round", 1)).content.decode()
    assert 'id="uat-results"' in page and 'id="case-2-failed"' in page
    failed = round_.case_rows[1]
    data = _form(
        round_,
        failed=(2,),
        **{f"note_{failed.pk}": "The label is blank", f"severity_{failed.pk}": "minor"},
    )
    response = http.post(_url("portal:uat-results", 1), data)
    assert response.status_code == 302
    defect = Issue.objects.get()
    assert (defect.raised_by, defect.kind, defect.severity) == (client_user, "defect", "minor")
    page = http.get(_url("portal:uat-round", 1)).content.decode()
    assert 'data-passed="4" data-failed="1"' in page
    assert f'data-issue="{defect.key}"' in page and 'id="uat-results"' not in page
    assert http.get(reverse("portal:issue", args=["OWN", defect.key])).status_code == 200


def test_every_case_needs_a_result_and_nothing_is_kept_without_all(login, project, client_user):
    round_ = make_uat_round(project, opened=True)
    http = login(client_user)
    data = _form(round_, failed=(1,))
    del data[f"result_{round_.case_rows[4].pk}"]
    response = http.post(_url("portal:uat-results", 1), data)
    assert response.status_code == 200
    assert "Mark it passed or failed." in response.content.decode()
    assert not Issue.objects.exists() and not UatCase.objects.exclude(result="").exists()


def test_a_round_changed_since_the_page_was_read_is_refused(login, project, client_user):
    milestone = make_uat_milestone(project)
    round_ = make_uat_round(project, milestone=milestone)
    # The client's page is older than the round: the version moved on since.
    stale = round_.version
    uat_case_add(round=round_, by=project.manager, version=stale, title="Reprint")
    fresh = UatRound.objects.get()
    uat_round_open(round=fresh, by=project.manager, version=fresh.version)
    current = uat_round_get(project=project, audience=CLIENT, number=1)
    data = _form(current)
    data["version"] = stale
    response = login(client_user).post(_url("portal:uat-results", 1), data)
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    assert UatRound.objects.get().is_open


def test_the_client_downloads_the_results(login, project, client_user, pdf_text):
    round_ = make_uat_round(project, opened=True)
    http = login(client_user)
    http.post(_url("portal:uat-results", 1), _form(round_))
    response = http.get(_url("portal:uat-round-pdf", 1))
    assert response["Content-Disposition"] == 'attachment; filename="OWN-UAT-1.pdf"'
    assert "Scans work" in pdf_text(response.content)


def test_the_round_page_query_count_does_not_grow(
    login, project, client_user, django_assert_max_num_queries
):
    round_ = make_uat_round(project, opened=True)
    http = login(client_user)
    with django_assert_max_num_queries(30) as small:
        assert http.get(_url("portal:uat-round", 1)).status_code == 200
    queries = len(small.captured_queries)
    for n in range(20):
        UatCase.objects.create(round_id=round_.pk, position=10 + n, title=f"Case {n}")
    with django_assert_max_num_queries(queries):
        assert http.get(_url("portal:uat-round", 1)).status_code == 200


def test_the_client_sees_the_requirements_they_verified(login, project, client_user):
    round_ = make_uat_round(project, opened=True)
    http = login(client_user)
    http.post(_url("portal:uat-results", 1), _form(round_, failed=(3,)))
    verified = http.get(reverse("portal:requirement", args=["OWN", "REQ-2"])).content.decode()
    assert 'data-mark="verified_by_client"' in verified
    failed = http.get(reverse("portal:requirement", args=["OWN", "REQ-1"])).content.decode()
    assert 'data-mark="verified_by_client"' not in failed
