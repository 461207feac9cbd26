"""Quality's section of a status report: the period's checks (every one for the
team, the shared ones for the client), the last UAT round's counts, and the
health it suggests — amber for a failed check of the period or a failed case
whose defect is not resolved yet."""

import datetime as dt

import pytest

from conftest import NOW, TODAY
from liaison.controls.models import Issue
from liaison.controls.report_quality import SECTION, display, quality_report_facts
from liaison.controls.services.issue_lifecycle import issue_transition
from liaison.controls.services.quality import quality_check_create
from liaison.controls.services.uat import uat_results_submit
from liaison.controls.tests.factories import all_results, make_uat_round
from liaison.core.registry import registry
from liaison.core.reporting import AMBER, GREEN
from liaison.reports.pdf import report_pdf
from liaison.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db
WEEK_START = TODAY - dt.timedelta(days=6)


def _facts(project):
    return quality_report_facts(project, WEEK_START, TODAY, NOW + dt.timedelta(hours=1))


def _check(project, result, **fields):
    return quality_check_create(
        project=project, by=project.manager, checked_on=TODAY, result=result, **fields
    )


def test_the_section_is_registered():
    assert SECTION in registry.report_sections


def test_the_period_checks_and_the_client_version(project):
    _check(project, "pass", client_visible=True)
    _check(project, "partial")
    quality_check_create(
        project=project,
        by=project.manager,
        checked_on=WEEK_START - dt.timedelta(days=1),
        result="fail",
    )
    facts = _facts(project)
    shown = display(facts.values)
    assert [row["key"] for row in shown["quality_check_rows"]] == ["QC-2", "QC-1"]
    assert [row["key"] for row in shown["quality_check_client_rows"]] == ["QC-1"]
    assert shown["quality_check_rows"][0]["result_label"] == "Partial"
    assert facts.health == GREEN  # the failed check is of the week before


def test_a_failed_check_of_the_period_is_amber(project):
    _check(project, "fail")
    assert _facts(project).health == AMBER


def test_a_failed_case_is_amber_until_its_defect_is_resolved(project, client_user):
    round_ = make_uat_round(project, opened=True)
    uat_results_submit(
        round=round_,
        by=client_user,
        version=round_.version,
        results=all_results(round_, failed=(2,)),
    )
    facts = _facts(project)
    assert facts.values["quality_uat"] == {
        "number": 1,
        "milestone": "Pilot",
        "passed": 4,
        "failed": 1,
    }
    assert facts.values["quality_uat_unresolved"] == 1 and facts.health == AMBER
    defect = Issue.objects.get()
    issue_transition(
        issue=defect,
        by=project.manager,
        status="resolved",
        version=defect.version,
        root_cause="The sort key",
        solution="Sort by bin",
    )
    facts = _facts(project)
    assert facts.values["quality_uat_unresolved"] == 0 and facts.health == GREEN


def test_the_team_page_shows_every_check_the_pdf_the_shared_ones(login, project, manager, pdf_text):
    """The PDF is the client's version, as the portal is."""
    _check(project, "pass", client_visible=True, notes="x")
    _check(project, "fail")
    report = make_report(project, manager, period_start=TODAY - dt.timedelta(days=TODAY.weekday()))
    page = login(manager).get(f"/p/OWN/reports/{report.number}/").content.decode()
    assert 'data-check="1"' in page and 'data-check="2"' in page
    text = pdf_text(report_pdf(report, language="zh-hans"))
    assert "QC-1" in text and "QC-2" not in text
