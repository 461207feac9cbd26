"""Issues' section of a status report ("Problems"): the period's figures, the
client-visible rows it names, and the health it suggests."""

import datetime as dt

from conftest import NOW, TODAY
from liaison.controls.models import Issue
from liaison.controls.report_issues import SECTION, display
from liaison.controls.selectors.issue_report import issues_health, issues_report_facts
from liaison.controls.tests.factories import make_issue_row
from liaison.core.registry import registry
from liaison.core.reporting import AMBER, GREEN, RED

WEEK_START = TODAY - dt.timedelta(days=6)


def _facts(project):
    return issues_report_facts(project, WEEK_START, TODAY, NOW)


def test_the_section_is_registered():
    assert SECTION in registry.report_sections


def test_the_figures_and_the_rows_the_client_sees(project):
    make_issue_row(project, title="Shown", client_visible=True, severity="major")
    make_issue_row(project, title="Internal", severity="minor")
    make_issue_row(
        project,
        title="Fixed",
        client_visible=True,
        status=Issue.Status.RESOLVED,
        resolved_at=NOW - dt.timedelta(days=1),
    )
    facts = _facts(project)
    values = facts.values
    assert values["issues_opened"] == 3 and values["issues_resolved"] == 1
    assert values["issues_open"] == {"critical": 0, "major": 1, "minor": 1, "cosmetic": 0}
    assert [row["title"] for row in values["issues"]] == ["Shown", "Fixed"]
    assert facts.health == GREEN
    shown = display(values)
    assert shown["issues"][0]["severity_label"] == "Major"


def test_an_open_critical_issue_is_amber_an_overdue_one_red(project):
    make_issue_row(project, severity="critical", due_date=TODAY + dt.timedelta(days=3))
    assert _facts(project).health == AMBER
    make_issue_row(project, severity="critical", due_date=TODAY - dt.timedelta(days=1))
    facts = _facts(project)
    assert facts.health == RED and facts.values["issues_critical_overdue"] == 1


def test_the_health_rule():
    assert issues_health(critical_overdue=1, critical_open=1) == RED
    assert issues_health(critical_overdue=0, critical_open=2) == AMBER
    assert issues_health(critical_overdue=0, critical_open=0) == GREEN


def test_the_facts_take_two_queries_whatever_the_size(project, django_assert_num_queries):
    for _n in range(30):
        make_issue_row(project, client_visible=True)
    with django_assert_num_queries(2):
        _facts(project)
