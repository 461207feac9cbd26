"""The quality plan and checks: standards kept in order by the manager, checks
with their findings, a finding opening an issue linked back, the failed
check told to the manager, stale versions refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from conftest import TODAY
from liaison.collab.models import Notification
from liaison.controls.models import QualityStandard
from liaison.controls.services import quality as services
from liaison.core.locking import StaleEdit
from liaison.core.services import InvalidInput
from liaison.planning.tests.factories import make_milestone

pytestmark = pytest.mark.django_db


def _standards(project):
    return list(
        QualityStandard.objects.filter(project=project)
        .order_by("position", "id")
        .values_list("title", flat=True)
    )


def _plan(project):
    for title in ("Fast scans", "No data loss", "Readable labels"):
        services.quality_standard_create(project=project, by=project.manager, title=title)


def test_the_manager_keeps_the_standards_in_order(project):
    _plan(project)
    last = QualityStandard.objects.get(title="Readable labels")
    services.quality_standard_move(
        standard=last, by=project.manager, version=last.version, direction="up"
    )
    assert _standards(project) == ["Fast scans", "Readable labels", "No data loss"]
    first = QualityStandard.objects.get(title="Fast scans")
    moved = services.quality_standard_move(
        standard=first, by=project.manager, version=first.version, direction="up"
    )
    assert moved.version == first.version  # already first: nothing moves
    services.quality_standard_delete(standard=first, by=project.manager, version=first.version)
    assert _standards(project) == ["Readable labels", "No data loss"]


def test_a_member_does_not_change_the_plan(project, member):
    with pytest.raises(PermissionDenied):
        services.quality_standard_create(project=project, by=member, title="Fast")


def test_a_standard_needs_a_title_and_its_version(project):
    with pytest.raises(InvalidInput) as refused:
        services.quality_standard_create(project=project, by=project.manager, title="  ")
    assert refused.value.code == "title_required"
    standard = services.quality_standard_create(
        project=project, by=project.manager, title="Fast", method="Load test before each release"
    )
    services.quality_standard_update(
        standard=standard, by=project.manager, version=standard.version, criterion="p95 < 2 s"
    )
    with pytest.raises(StaleEdit):
        services.quality_standard_update(
            standard=standard, by=project.manager, version=standard.version, title="Slow"
        )


def test_a_check_keeps_its_findings_one_per_line(project, member):
    standard = services.quality_standard_create(project=project, by=project.manager, title="Fast")
    check = services.quality_check_create(
        project=project,
        by=member,
        kind="test_run",
        standard=standard,
        checked_on=TODAY,
        result="partial",
        findings="Slow on Wi-Fi\n\n  Labels   smudge  \n",
    )
    assert check.key == "QC-1" and check.checked_by == member
    assert [f.text for f in check.findings.all()] == ["Slow on Wi-Fi", "Labels smudge"]
    assert not Notification.objects.filter(event="quality.check_failed").exists()


def test_a_failed_check_tells_the_manager(project, member, manager):
    services.quality_check_create(
        project=project, by=member, checked_on=TODAY, result="fail", kind="audit"
    )
    assert Notification.objects.get(event="quality.check_failed").recipient == manager


def test_a_check_refuses_what_is_not_the_projects(project, foreign_project, observer):
    foreign = make_milestone(foreign_project)
    with pytest.raises(InvalidInput) as refused:
        services.quality_check_create(
            project=project, by=project.manager, checked_on=TODAY, result="pass", milestone=foreign
        )
    assert refused.value.code == "not_in_project"
    with pytest.raises(InvalidInput) as refused:
        services.quality_check_create(
            project=project,
            by=project.manager,
            checked_on=TODAY,
            result="pass",
            checked_by=observer,
        )
    assert refused.value.code == "not_on_team"
    with pytest.raises(InvalidInput):
        services.quality_check_create(
            project=project, by=project.manager, checked_on=dt.date(9999, 1, 1), result="pass"
        )


def test_a_finding_opens_an_issue_linked_back(project, member):
    milestone = make_milestone(project)
    check = services.quality_check_create(
        project=project,
        by=member,
        checked_on=TODAY,
        result="partial",
        milestone=milestone,
        findings="Labels smudge",
    )
    finding = check.findings.get()
    issue = services.quality_finding_raise_issue(
        finding=finding, by=member, kind="problem", severity="minor"
    )
    finding.refresh_from_db()
    assert finding.issue == issue
    assert (issue.kind, issue.severity, issue.milestone, issue.title) == (
        "problem",
        "minor",
        milestone,
        "Labels smudge",
    )
    assert issue.found_in.startswith("QC-1")
    with pytest.raises(InvalidInput) as refused:
        services.quality_finding_raise_issue(finding=finding, by=member)
    assert refused.value.code == "issue_exists"


def test_an_observer_records_no_check(project, observer):
    with pytest.raises(PermissionDenied):
        services.quality_check_create(project=project, by=observer, checked_on=TODAY, result="pass")


def test_a_check_update_is_versioned(project, member):
    check = services.quality_check_create(
        project=project, by=member, checked_on=TODAY, result="pass"
    )
    saved = services.quality_check_update(
        check=check, by=member, version=check.version, result="fail"
    )
    assert saved.version == check.version + 1
    assert Notification.objects.filter(event="quality.check_failed").count() == 1
    with pytest.raises(StaleEdit):
        services.quality_check_update(check=check, by=member, version=check.version, notes="x")
