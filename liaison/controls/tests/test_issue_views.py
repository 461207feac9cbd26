"""The team's issue pages per role: the list with its filters and chips, the
detail with its moves, the form (a stale edit refused), escalation, and query
counts that do not grow with the number of issues."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import TODAY
from liaison.controls.models import Issue
from liaison.controls.tests.factories import (
    make_issue,
    make_issue_path,
    make_issue_raised_by_client,
    make_issue_resolved,
    make_issue_row,
)


def _list(code="OWN", **query) -> str:
    url = reverse("controls:issues", args=[code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _url(name: str, key: str, code: str = "OWN") -> str:
    return reverse(name, args=[code, key])


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("member", 200), ("observer", 200), ("client", 404), ("outsider", 404)],
)
def test_who_sees_the_pages(login, project, manager, role_users, role, status):
    issue = make_issue(project, manager)
    http = login(role_users[role])
    assert http.get(_list()).status_code == status
    assert http.get(_url("controls:issue", issue.key)).status_code == status
    assert http.get(reverse("controls:issue-escalation", args=["OWN"])).status_code == status


def test_a_foreign_project_and_an_unknown_key_are_404(login, project, manager, foreign_project):
    http = login(manager)
    assert http.get(_list("FOREIGN")).status_code == 404
    assert http.get(_url("controls:issue", "ISS-99")).status_code == 404


def test_the_list_filters_and_counts(login, project, manager, member, client_user):
    make_issue(project, member, title="Scanner freezes", severity="critical", blocked=True)
    make_issue(project, member, title="Late labels", due_date=TODAY - dt.timedelta(days=1))
    make_issue_raised_by_client(project, client_user, title="Totals wrong")
    make_issue_resolved(project, member, title="Fixed one")
    http = login(manager)
    page = http.get(_list()).content.decode()
    assert "Scanner freezes" in page and "Totals wrong" in page and "Fixed one" not in page
    assert "3 issues" in page
    for query, expected in [
        ({"severity": "critical"}, {"Scanner freezes"}),
        ({"blocked": "1"}, {"Scanner freezes"}),
        ({"overdue": "1"}, {"Late labels"}),
        ({"client": "1"}, {"Totals wrong"}),
        ({"status": "resolved"}, {"Fixed one"}),
        ({"q": "ISS-2"}, {"Late labels"}),
        ({"kind": "defect"}, {"Totals wrong"}),
    ]:
        page = http.get(_list(**query)).content.decode()
        shown = set(re.findall(r'data-key="(ISS-\d+)"', page))
        titles = {i.title for i in Issue.objects.filter(key__in=shown)}
        assert titles == expected, query


def test_the_member_raises_one_and_the_observer_may_not(login, project, member, observer):
    response = login(member).post(
        reverse("controls:issue-create", args=["OWN"]),
        {"title": "Scanner freezes", "kind": "defect", "severity": "major", "priority": "high"},
    )
    assert response.status_code == 302
    assert Issue.objects.get(key="ISS-1").raised_by == member
    assert login(observer).get(reverse("controls:issue-create", args=["OWN"])).status_code == 403


def test_a_foreign_key_is_refused_beside_its_field(login, project, manager, foreign_project):
    from liaison.requirements.tests.factories import make_requirement

    foreign = make_requirement(foreign_project, title="Hidden one")
    response = login(manager).post(
        reverse("controls:issue-create", args=["OWN"]),
        {"title": "X", "kind": "defect", "severity": "major", "priority": "low",
         "requirement": foreign.key},
    )  # fmt: skip
    assert response.status_code == 200
    assert "No requirement" in response.content.decode() and not Issue.objects.exists()


def test_a_stale_edit_is_refused_with_the_standard_message(login, project, manager, member):
    issue = make_issue(project, member)
    data = {"title": "Mine", "kind": "problem", "severity": "major", "priority": "normal",
            "version": issue.version}  # fmt: skip
    assert login(manager).post(_url("controls:issue-edit", issue.key), data).status_code == 302
    response = login(member).post(_url("controls:issue-edit", issue.key), {**data, "title": "Hers"})
    assert response.status_code == 200
    assert "Review the current values and save again" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).title == "Mine"


def test_resolving_on_the_page_asks_for_the_root_cause(login, project, member):
    issue = make_issue(project, member)
    url = _url("controls:issue-transition", issue.key)
    http = login(member)
    response = http.post(url, {"status": "resolved", "version": issue.version, "solution": "x"})
    assert response.status_code == 400 and "root cause" in response.content.decode()
    response = http.post(
        url, {"status": "resolved", "version": issue.version, "root_cause": "y", "solution": "x"}
    )
    assert response.status_code == 302
    assert Issue.objects.get(pk=issue.pk).status == "resolved"


def test_the_detail_shows_the_escalation_steps(login, project, manager, member):
    make_issue_path(project, [manager])
    issue = make_issue(project, member)
    http = login(member)
    assert (
        http.post(_url("controls:issue-escalate", issue.key), {"note": "Late"}).status_code == 302
    )
    page = http.get(_url("controls:issue", issue.key)).content.decode()
    assert 'data-level="1"' in page and "Project manager" in page


def test_the_manager_sets_the_path_on_the_settings_page(login, project, manager, member):
    url = reverse("controls:issue-escalation", args=["OWN"])
    data = {"title_1": "Project manager", "person_1": manager.pk}
    assert login(member).post(url, data).status_code == 403
    assert login(manager).post(url, data).status_code == 302
    assert project.escalation_levels.get().person == manager


def test_list_query_count_does_not_grow(login, project, manager, django_assert_max_num_queries):
    http = login(manager)
    for n in range(3):
        make_issue_row(project, owner=manager, client_visible=n % 2 == 0)
    with django_assert_max_num_queries(30) as small:
        assert http.get(_list(per_page=100)).status_code == 200
    for _n in range(60):
        make_issue_row(project, owner=manager, severity="critical", due_date=TODAY)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert http.get(_list(per_page=100)).status_code == 200


def test_detail_query_count_does_not_grow(
    login, project, manager, member, django_assert_max_num_queries
):
    make_issue_path(project, [manager, member])
    issue = make_issue(project, member)
    http = login(manager)
    with django_assert_max_num_queries(40) as small:
        assert http.get(_url("controls:issue", issue.key)).status_code == 200
    queries = len(small.captured_queries)  # each request clears the log: count it now
    for _n in range(2):
        http.post(_url("controls:issue-escalate", issue.key), {"note": "x"})
        http.post(_url("controls:issue-comment", issue.key), {"body": "More"})
    with django_assert_max_num_queries(queries):
        assert http.get(_url("controls:issue", issue.key)).status_code == 200


def test_the_overview_card_counts_open_issues_by_severity(login, project, manager, member):
    make_issue(project, member, severity="critical", due_date=TODAY - dt.timedelta(days=1))
    make_issue(project, member, severity="minor")
    page = login(manager).get(reverse("home:overview", args=["OWN"])).content.decode()
    assert 'id="overview-issues"' in page and "critical issue is overdue" in page
