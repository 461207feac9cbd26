"""People hear about what needs them, through a real SMTP server: what asks a
person to decide or act, and what answers their own request, is mailed by
default; a notification clears for everyone once what it asked for is done."""

import datetime as dt

import pytest

from conftest import TODAY
from liaison.changes.services.change_requests import change_request_from_client
from liaison.changes.services.decision import change_decide
from liaison.changes.services.lifecycle import change_transition
from liaison.changes.tests.factories import make_change, sent_change
from liaison.collab.models import Notification, NotificationPreference
from liaison.collab.notify import notifications_resolve
from liaison.collab.selectors import unread_notification_count
from liaison.communication.services.action_items import (
    action_item_complete,
    action_item_create,
    action_item_transition,
)
from liaison.planning.services.milestones import (
    milestone_decide,
)
from liaison.planning.tests.factories import submitted_milestone
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member
from liaison.reports.services import (
    report_acknowledge,
)
from liaison.reports.tests.factories import published_report
from liaison.requirements.services import (
    baseline_reject,
    baseline_sign,
    requirement_request,
    requirement_transition,
)
from liaison.requirements.tests.factories import agreed_requirement, proposed_baseline

IP = "203.0.113.7"
MET = {"met": True, "comment": ""}


@pytest.fixture
def second_client(project):
    return make_member(project, "buyer@customer.example", role=Membership.Role.CLIENT)


def _to(inbox, user) -> list:
    return [message for message in inbox.messages if message["X-Envelope-To"] == user.email]


def _baseline(project, manager):
    agreed_requirement(project, by=manager)
    return proposed_baseline(project)


def _team_asks(project, manager, client_user):
    """Everything the team puts before the client, in one go."""
    return {
        "baseline": _baseline(project, manager),
        "milestone": submitted_milestone(
            project, due_date=TODAY + dt.timedelta(days=30), criteria=["Scans work"], note=""
        ),
        "change": sent_change(project, manager),
        "item": action_item_create(
            project=project, by=manager, title="Send the floor plans", owner=client_user
        ),
        "report": published_report(project, by=manager),
    }


def _client_answers(asked, client_user):
    baseline_sign(baseline=asked["baseline"], by=client_user, full_name="Li Na", agreed=True, ip=IP)
    milestone_decide(milestone=asked["milestone"], by=client_user, accept=True, verdicts=[MET])
    change = asked["change"]
    change_decide(
        change=change,
        by=client_user,
        version=change.version,
        approve=True,
        full_name="Li Na",
        ip=IP,
    )
    action_item_complete(item=asked["item"], by=client_user)
    report_acknowledge(report=asked["report"], by=client_user)


# -- e-mail by default for what needs the person ------------------------------------------


def test_the_manager_is_mailed_for_each_of_the_clients_six_actions(
    smtp_inbox, project, manager, client_user, django_capture_on_commit_callbacks
):
    asked = _team_asks(project, manager, client_user)
    with django_capture_on_commit_callbacks(execute=True):
        change_request_from_client(
            project=project, by=client_user, title="Dark mode", description="Please."
        )
        _client_answers(asked, client_user)
    subjects = sorted(message["Subject"] for message in _to(smtp_inbox, manager))
    assert subjects == sorted(
        [
            "[OWN] client asks for a change: CR-2 Dark mode",
            "[OWN] client signed B1 Scope",
            "[OWN] client accepted M-1 Pilot",
            "[OWN] client approved CR-1 Add a barcode scanner",
            "[OWN] client completed ACT-1 Send the floor plans",
            f"[OWN] client acknowledged the status report {asked['report']}",
        ]
    )


def test_the_client_is_mailed_what_asks_them_to_decide_or_act(
    smtp_inbox, project, manager, client_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = _team_asks(project, manager, client_user)
    subjects = sorted(message["Subject"] for message in _to(smtp_inbox, client_user))
    assert subjects == sorted(
        [
            "[OWN] manager asks you to sign B1 Scope",
            "[OWN] manager asks you to accept M-1 Pilot",
            "[OWN] manager asks you to approve CR-1 Add a barcode scanner",
            "[OWN] manager gave you an action item: ACT-1 Send the floor plans",
            f"[OWN] manager published the status report {asked['report']}: "
            "please read and acknowledge it",
        ]
    )


def test_a_person_may_still_turn_the_email_of_an_action_kind_off(
    smtp_inbox, project, manager, client_user, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=manager, event="request", channel="inbox")
    with django_capture_on_commit_callbacks(execute=True):
        change_request_from_client(project=project, by=client_user, title="Dark", description="")
    assert _to(smtp_inbox, manager) == []
    assert Notification.objects.filter(recipient=manager, event="change.requested").exists()


# -- a notification clears when what it asks for is done -------------------------------------


def test_the_clients_bell_clears_once_every_decision_is_made(
    project, manager, client_user, second_client
):
    asked = _team_asks(project, manager, client_user)
    assert unread_notification_count(user=client_user) == 5  # four decisions and an item
    assert unread_notification_count(user=second_client) == 4  # the item is not theirs

    _client_answers(asked, client_user)

    assert unread_notification_count(user=client_user) == 0
    assert unread_notification_count(user=second_client) == 0  # decided by a colleague
    assert Notification.objects.filter(recipient=client_user).count() == 5  # kept, read


def test_a_rejection_or_a_withdrawal_clears_the_request_too(
    project, manager, client_user, second_client
):
    baseline = _baseline(project, manager)
    change = sent_change(project, manager)
    baseline_reject(baseline=baseline, by=second_client, comment="Missing a screen.", ip=IP)
    change_transition(change=change, by=manager, status="withdrawn", version=change.version)
    unread = Notification.objects.filter(recipient=client_user, read_at__isnull=True)
    # what is left is the news that no decision is needed any more
    assert [row.event for row in unread] == ["change.withdrawn"]
    assert not Notification.objects.filter(event="approval.needed", read_at__isnull=True).exists()


def test_the_managers_request_clears_when_the_change_is_declined(project, manager, client_user):
    change = change_request_from_client(project=project, by=client_user, title="X", description="")
    assert unread_notification_count(user=manager) == 1
    change_transition(
        change=change, by=manager, status="rejected", version=change.version, comment="Out of scope"
    )
    assert unread_notification_count(user=manager) == 0


@pytest.mark.parametrize("status", ["in_review", "rejected", "deferred"])
def test_a_clients_requested_requirement_clears_once_the_manager_moves_it(
    project, manager, client_user, status
):
    requirement = requirement_request(
        project=project, by=client_user, title="Export to PDF", body="For the auditors."
    )
    assert unread_notification_count(user=manager) == 1
    requirement_transition(requirement=requirement, by=manager, status=status)
    assert unread_notification_count(user=manager) == 0


def test_a_clients_requested_requirement_clears_once_a_change_confirms_it(
    project, manager, client_user
):
    requirement = requirement_request(
        project=project, by=client_user, title="Export to PDF", body="For the auditors."
    )
    change = sent_change(project, manager, requirements=[requirement])
    change_decide(
        change=change,
        by=client_user,
        version=change.version,
        approve=True,
        full_name="Li Na",
        ip=IP,
    )
    requirement.refresh_from_db()
    assert requirement.status == "confirmed"
    assert not Notification.objects.get(recipient=manager, event="requirement.requested").is_unread


def test_a_cancelled_action_item_clears_its_assignment(project, manager, member):
    item = action_item_create(project=project, by=manager, title="Draft", owner=member)
    assert unread_notification_count(user=member) == 1
    action_item_transition(item=item, by=manager, status="cancelled")
    assert unread_notification_count(user=member) == 0


def test_resolve_touches_only_the_named_events_of_that_object(project, manager, member):
    first = make_change(project, member, title="First")
    second = make_change(project, member, title="Second")
    assert notifications_resolve(target=first, events=["approval.needed"]) == 0
    assert notifications_resolve(target=first, events=["change.requested"]) == 1
    assert Notification.objects.get(target_id=second.pk).is_unread


def test_a_resolved_notification_leaves_the_digest(project, manager, client_user):
    client_user.daily_digest = True
    client_user.save(update_fields=["daily_digest"])
    baseline = _baseline(project, manager)
    (row,) = Notification.objects.filter(recipient=client_user)
    assert row.in_digest
    baseline_sign(baseline=baseline, by=client_user, full_name="Li Na", agreed=True, ip=IP)
    row.refresh_from_db()
    assert (row.in_digest, row.is_unread) == (False, False)
