"""The issue services: raising, editing, the lifecycle and its rules, the
project's rows only, and who is told."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from conftest import TODAY
from liaison.collab.models import Attachment, Notification
from liaison.controls.models import Issue
from liaison.controls.services.issue_lifecycle import (
    issue_reopen,
    issue_transition,
    issue_verify,
)
from liaison.controls.services.issues import issue_attach, issue_update
from liaison.controls.tests.factories import (
    make_issue,
    make_issue_raised_by_client,
    make_issue_resolved,
)
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.planning.tests.factories import make_milestone, make_task
from liaison.requirements.tests.factories import make_requirement

Status = Issue.Status


def _events(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("event", flat=True))


def test_raising_gives_the_next_key_and_records_it(project, manager, member):
    first = make_issue(project, member, owner=manager, severity="minor")
    second = make_issue(project, member)
    assert (first.key, second.key) == ("ISS-1", "ISS-2")
    assert first.raised_by == member and not first.raised_by_client
    assert first.status == Status.OPEN and not first.client_visible
    assert Activity.objects.filter(target_id=first.pk, verb="created").exists()
    assert "issue.assigned" in _events(manager)


def test_a_critical_issue_tells_the_manager(project, manager, member):
    make_issue(project, member, severity="critical")
    make_issue(project, member, severity="major")
    assert _events(manager).count("issue.raised") == 1


def test_the_client_raises_with_a_file_and_always_sees_it(project, manager, client_user):
    upload = SimpleUploadedFile("shot.txt", b"the pick list", content_type="text/plain")
    issue = make_issue_raised_by_client(project, client_user, upload=upload)
    assert issue.raised_by_client and issue.client_visible
    assert Attachment.objects.filter(target_id=issue.pk, name="shot.txt").exists()
    assert "issue.raised" in _events(manager)
    issue = issue_update(issue=issue, by=manager, version=issue.version, client_visible=False)
    assert issue.client_visible


def test_the_client_raises_no_dispute(project, client_user):
    with pytest.raises(InvalidInput) as refused:
        make_issue_raised_by_client(project, client_user, kind="dispute")
    assert refused.value.field == "kind"


def test_the_team_may_record_a_client_contact_as_the_raiser(project, manager, client_user):
    issue = make_issue(project, manager, raised_by=client_user)
    assert issue.raised_by_client and issue.client_visible


def test_where_found_is_the_projects_own_rows(project, manager, foreign_project):
    own = make_requirement(project)
    issue = make_issue(project, manager, requirement=own, found_in="UAT round 1")
    assert issue.requirement == own
    foreign_rows = {
        "requirement": make_requirement(foreign_project),
        "milestone": make_milestone(foreign_project),
        "task": make_task(foreign_project),
    }
    for field, row in foreign_rows.items():
        with pytest.raises(InvalidInput) as refused:
            make_issue(project, manager, **{field: row})
        assert (refused.value.field, refused.value.code) == (field, "not_in_project")
    assert Issue.objects.filter(project=project).count() == 1


def test_the_owner_is_on_the_team(project, manager, client_user, outsider):
    for person in (client_user, outsider):
        with pytest.raises(InvalidInput) as refused:
            make_issue(project, manager, owner=person)
        assert refused.value.field == "owner"


def test_a_stale_edit_is_refused(project, manager, member):
    issue = make_issue(project, member)
    issue_update(issue=issue, by=manager, version=issue.version, severity="critical")
    with pytest.raises(StaleEdit):
        issue_update(issue=issue, by=member, version=issue.version, title="Other")


def test_observers_and_clients_do_not_edit(project, member, observer, client_user):
    issue = make_issue(project, member)
    with pytest.raises(PermissionDenied):
        issue_update(issue=issue, by=observer, version=issue.version, title="No")
    with pytest.raises(PermissionDenied):
        issue_update(issue=issue, by=client_user, version=issue.version, title="No")


def test_resolving_needs_the_root_cause_and_the_solution(project, member):
    issue = make_issue(project, member)
    issue = issue_transition(issue=issue, by=member, status=Status.IN_PROGRESS)
    with pytest.raises(InvalidInput) as refused:
        issue_transition(issue=issue, by=member, status=Status.RESOLVED, solution="Fixed")
    assert refused.value.code == "root_cause_required"
    with pytest.raises(InvalidInput) as refused:
        issue_transition(issue=issue, by=member, status=Status.RESOLVED, root_cause="A bug")
    assert refused.value.code == "solution_required"
    resolved = issue_transition(
        issue=issue, by=member, status=Status.RESOLVED, root_cause="A bug", solution="Fixed"
    )
    assert resolved.status == Status.RESOLVED and resolved.resolved_by == member


def test_moves_that_skip_are_refused(project, member):
    issue = make_issue(project, member)
    for status in (Status.CLOSED, "nonsense"):
        with pytest.raises(InvalidInput) as refused:
            issue_transition(issue=issue, by=member, status=status)
        assert refused.value.code == "bad_transition"


def test_only_the_raiser_verifies(project, manager, member, client_user):
    issue = make_issue_raised_by_client(project, client_user)
    issue = make_issue_resolved(project, member, issue=issue)
    assert "issue.resolved" in _events(client_user)
    for other in (manager, member):
        with pytest.raises(InvalidInput) as refused:
            issue_verify(issue=issue, by=other)
        assert refused.value.code == "not_raiser"
    verified = issue_verify(issue=issue, by=client_user, version=issue.version)
    assert verified.status == Status.VERIFIED and verified.verified_by == client_user
    assert "issue.verified" in _events(member)
    closed = issue_transition(issue=verified, by=member, status=Status.CLOSED)
    assert closed.status == Status.CLOSED and closed.closed_at is not None


def test_reopening_keeps_the_history(project, member, client_user):
    issue = make_issue_resolved(
        project, member, issue=make_issue_raised_by_client(project, client_user)
    )
    with pytest.raises(InvalidInput) as refused:
        issue_reopen(issue=issue, by=client_user, reason="  ")
    assert refused.value.code == "reason_required"
    reopened = issue_reopen(issue=issue, by=client_user, reason="Still sorted by SKU")
    assert reopened.status == Status.OPEN and reopened.reopen_count == 1
    assert reopened.root_cause  # what was tried stays on record
    again = make_issue_resolved(project, member, issue=reopened)
    again = issue_transition(issue=again, by=member, status=Status.OPEN, reason="No")
    assert again.reopen_count == 2
    verbs = Activity.objects.filter(target_id=issue.pk).values_list("verb", flat=True)
    assert list(verbs).count("reopened") == 2


def test_only_the_team_or_the_raiser_reopens(project, member, observer, client_user):
    issue = make_issue_resolved(project, member, client_visible=True)
    for person in (observer, client_user):
        with pytest.raises(PermissionDenied):
            issue_reopen(issue=issue, by=person, reason="Not fixed")
    assert Issue.objects.get(pk=issue.pk).status == Status.RESOLVED


def test_the_client_attaches_only_to_what_they_see(project, member, client_user):
    hidden = make_issue(project, member)
    upload = SimpleUploadedFile("a.txt", b"x", content_type="text/plain")
    with pytest.raises(InvalidInput):
        issue_attach(issue=hidden, by=client_user, upload=upload)
    shown = make_issue(project, member, client_visible=True)
    assert issue_attach(issue=shown, by=client_user, upload=upload).name == "a.txt"


def test_a_foreign_user_cannot_touch_an_issue(project, member, foreign_project):
    issue = make_issue(project, member)
    with pytest.raises(Http404):
        issue_update(issue=issue, by=foreign_project.manager, version=issue.version, title="x")


def test_due_dates_are_checked(project, member):
    with pytest.raises(InvalidInput):
        make_issue(project, member, due_date=dt.date(9999, 1, 1))
    assert make_issue(project, member, due_date=TODAY - dt.timedelta(days=3)).is_overdue
