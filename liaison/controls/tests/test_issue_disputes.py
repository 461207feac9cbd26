"""Disputes: both positions, the agreed outcome the manager records, and the
client's confirmation with their typed name."""

import pytest
from django.core.exceptions import PermissionDenied

from liaison.collab.models import Notification
from liaison.controls.models import Issue
from liaison.controls.services.issue_disputes import (
    issue_client_position,
    issue_outcome_confirm,
    same_name,
)
from liaison.controls.services.issues import issue_update
from liaison.controls.tests.factories import make_issue
from liaison.core.locking import StaleEdit
from liaison.core.services import InvalidInput


@pytest.fixture
def dispute(project, member):
    return make_issue(
        project, member, kind=Issue.Kind.DISPUTE, title="Who pays the audit", our_position="You"
    )


def test_a_dispute_is_always_client_visible(dispute):
    assert dispute.client_visible


def test_the_client_writes_their_position(dispute, client_user, manager):
    saved = issue_client_position(
        issue=dispute, by=client_user, position="The team", version=dispute.version
    )
    assert saved.client_position == "The team"
    assert Notification.objects.filter(recipient=manager, event="dispute.position").exists()
    with pytest.raises(InvalidInput) as refused:
        issue_client_position(issue=saved, by=client_user, position=" ", version=saved.version)
    assert refused.value.code == "position_required"


def test_only_the_manager_records_the_outcome(dispute, member, manager, client_user):
    with pytest.raises(PermissionDenied):
        issue_update(issue=dispute, by=member, version=dispute.version, agreed_outcome="Half")
    saved = issue_update(issue=dispute, by=manager, version=dispute.version, agreed_outcome="Half")
    assert saved.awaits_confirmation
    assert Notification.objects.filter(
        recipient=client_user, event="dispute.outcome_agreed"
    ).exists()


def test_the_client_confirms_with_their_own_name(dispute, manager, client_user):
    dispute = issue_update(
        issue=dispute, by=manager, version=dispute.version, agreed_outcome="Half each"
    )
    with pytest.raises(InvalidInput) as refused:
        issue_outcome_confirm(
            issue=dispute, by=client_user, full_name="Someone Else", version=dispute.version
        )
    assert (refused.value.field, refused.value.code) == ("full_name", "name_mismatch")
    with pytest.raises(StaleEdit):
        issue_outcome_confirm(issue=dispute, by=client_user, full_name="client", version=1)
    confirmed = issue_outcome_confirm(
        issue=dispute,
        by=client_user,
        full_name="  CLIENT ",
        version=dispute.version,
        ip="127.0.0.1",
    )
    assert confirmed.confirmed_by == client_user and confirmed.confirmed_at is not None
    assert (confirmed.confirmed_name, confirmed.confirmed_ip) == ("CLIENT", "127.0.0.1")
    assert Notification.objects.filter(recipient=manager, event="dispute.confirmed").exists()
    with pytest.raises(InvalidInput) as refused:
        issue_outcome_confirm(
            issue=confirmed, by=client_user, full_name="client", version=confirmed.version
        )
    assert refused.value.code == "dispute_confirmed"


def test_nothing_to_confirm_without_an_outcome(dispute, client_user):
    with pytest.raises(InvalidInput) as refused:
        issue_outcome_confirm(
            issue=dispute, by=client_user, full_name="client", version=dispute.version
        )
    assert refused.value.code == "no_agreed_outcome"


def test_a_new_outcome_needs_a_new_confirmation(dispute, manager, client_user):
    dispute = issue_update(issue=dispute, by=manager, version=dispute.version, agreed_outcome="A")
    dispute = issue_outcome_confirm(
        issue=dispute, by=client_user, full_name="client", version=dispute.version
    )
    dispute = issue_update(issue=dispute, by=manager, version=dispute.version, agreed_outcome="B")
    assert dispute.confirmed_at is None and dispute.awaits_confirmation


def test_the_team_does_not_confirm(dispute, manager):
    dispute = issue_update(issue=dispute, by=manager, version=dispute.version, agreed_outcome="A")
    with pytest.raises(PermissionDenied):
        issue_outcome_confirm(
            issue=dispute, by=manager, full_name="manager", version=dispute.version
        )


def test_a_problem_is_no_dispute(project, member, client_user):
    issue = make_issue(project, member, client_visible=True)
    with pytest.raises(InvalidInput) as refused:
        issue_client_position(issue=issue, by=client_user, position="x", version=issue.version)
    assert refused.value.code == "not_a_dispute"


def test_names_match_whatever_the_spacing_or_case():
    assert same_name(typed=" Li  Wei ", name="li wei") and same_name(typed="李伟", name="李伟")
    assert not same_name(typed="Li", name="Li Wei")
