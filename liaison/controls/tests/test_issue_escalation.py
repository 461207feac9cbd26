"""Escalation: the path the manager sets, the steps by hand and by the daily
job (one level a day, none skipped, the last level the end), and who is told."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from conftest import NOW, TODAY
from liaison.accounts.models import OrgMembership
from liaison.accounts.tests.factories import make_user
from liaison.collab.models import Notification
from liaison.controls.issue_jobs import escalate_issues
from liaison.controls.models import Issue, IssueEscalation
from liaison.controls.services.issue_escalation import (
    escalation_levels_set,
    issue_escalate,
    issues_escalate_due,
)
from liaison.controls.tests.factories import make_issue, make_issue_path, make_issue_resolved
from liaison.core.registry import registry
from liaison.core.services import InvalidInput

PAST = TODAY - dt.timedelta(days=2)


@pytest.fixture
def heads(org):
    """The delivery head and the sponsor: people of the firm, on no project."""
    return [
        make_user("head@test.example", org=org, display_name="Delivery Head"),
        make_user("sponsor@test.example", org=org, display_name="Sponsor"),
    ]


@pytest.fixture
def path(project, manager, heads):
    return make_issue_path(project, [manager, *heads])


def _levels(issue: Issue) -> list[int]:
    return list(issue.escalations.order_by("level").values_list("level", flat=True))


def test_the_manager_sets_the_path_of_firm_people(project, manager, member, heads, client_user):
    levels = escalation_levels_set(
        project=project, by=manager, levels=[("Project manager", manager), ("Head", heads[0])]
    )
    assert [(level.level, level.person) for level in levels] == [(1, manager), (2, heads[0])]
    with pytest.raises(InvalidInput) as refused:
        escalation_levels_set(project=project, by=manager, levels=[("Client", client_user)])
    assert refused.value.code == "not_in_organization"
    with pytest.raises(PermissionDenied):
        escalation_levels_set(project=project, by=member, levels=[])
    assert project.escalation_levels.count() == 2


def test_by_hand_one_level_at_a_time_to_the_top(project, member, path, heads):
    issue = make_issue(project, member)
    for expected in (1, 2, 3):
        step = issue_escalate(issue=issue, by=member, note="Stuck")
        assert step.level == expected and step.reason == IssueEscalation.Reason.MANUAL
    assert _levels(issue) == [1, 2, 3]
    with pytest.raises(InvalidInput) as refused:
        issue_escalate(issue=issue, by=member)
    assert refused.value.code == "escalation_at_top"
    assert Notification.objects.filter(recipient=heads[1], event="issue.escalated").exists()
    assert Issue.objects.get(pk=issue.pk).escalation_level == 3


def test_no_path_no_escalation(project, member):
    issue = make_issue(project, member)
    with pytest.raises(InvalidInput) as refused:
        issue_escalate(issue=issue, by=member)
    assert refused.value.code == "no_escalation_path"


def test_a_resolved_issue_is_not_escalated(project, member, path):
    issue = make_issue_resolved(project, member)
    with pytest.raises(InvalidInput) as refused:
        issue_escalate(issue=issue, by=member)
    assert refused.value.code == "not_open"


def test_observers_do_not_escalate(project, member, observer, path):
    issue = make_issue(project, member)
    with pytest.raises(PermissionDenied):
        issue_escalate(issue=issue, by=observer)


def test_the_job_climbs_one_level_a_day_and_never_twice_a_day(project, member, path, heads):
    overdue = make_issue(project, member, due_date=PAST)
    blocked = make_issue(project, member, blocked=True)
    on_time = make_issue(project, member, due_date=TODAY + dt.timedelta(days=5))
    assert issues_escalate_due(today=TODAY) == 2
    assert issues_escalate_due(today=TODAY) == 0  # run again the same day
    assert _levels(overdue) == [1] and _levels(blocked) == [1] and _levels(on_time) == []
    reasons = dict(IssueEscalation.objects.values_list("issue_id", "reason"))
    assert reasons == {overdue.pk: "overdue", blocked.pk: "blocked"}
    Issue.objects.filter(pk__in=[overdue.pk, blocked.pk]).update(
        escalated_at=NOW - dt.timedelta(days=1)
    )
    for day in range(1, 5):
        issues_escalate_due(today=TODAY + dt.timedelta(days=day))
        Issue.objects.update(escalated_at=NOW - dt.timedelta(days=1))
    assert _levels(overdue) == [1, 2, 3]  # the last level is the end of the path
    assert IssueEscalation.objects.get(issue=overdue, level=2).person == heads[0]


def test_the_job_is_a_registered_reminder(project, member, path):
    make_issue(project, member, due_date=PAST)
    assert escalate_issues in registry.reminders
    assert escalate_issues(NOW) == 1


def test_a_deactivated_head_stays_on_the_path(project, member, path, heads):
    """The step is recorded (the path says who); nobody inactive is told."""
    OrgMembership.objects.filter(user=heads[0]).delete()
    issue = make_issue(project, member)
    issue_escalate(issue=issue, by=member)
    assert issue_escalate(issue=issue, by=member).person == heads[0]


def test_an_escalation_reaches_the_projects_chat_rooms(project, member, path, settings):
    """Escalations and new critical issues are kinds with a room topic: a
    project's webhooks take them (webhooks/delivery.py)."""
    from liaison.webhooks.models import Webhook, WebhookDelivery

    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    Webhook.objects.create(
        project=project, name="Room", url="http://127.0.0.1:9/hook", format="generic"
    )
    issue = make_issue(project, member, severity="critical")
    issue_escalate(issue=issue, by=member)
    events = set(WebhookDelivery.objects.values_list("event", flat=True))
    assert {"issue.raised", "issue.escalated"} <= events
