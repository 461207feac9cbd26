"""Milestone services: the team's writes and the client's acceptance, round by round."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404

from liaison.collab.models import Notification
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, MilestoneReview
from liaison.planning.services.milestones import (
    milestone_create,
    milestone_decide,
    milestone_delete,
    milestone_submit,
    milestone_transition,
    milestone_update,
)
from liaison.planning.tests.factories import DUE, make_milestone, submitted_milestone

Status = Milestone.Status
Verdict = MilestoneReview.Verdict


def _refusal(call) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value


MET = {"met": True, "comment": ""}


# -- create and update -----------------------------------------------------------------


def test_create_numbers_keys_and_cleans_the_lists(project, manager):
    first = make_milestone(project)
    second = milestone_create(
        project=project,
        by=manager,
        name="  Go-live  ",
        due_date=DUE,
        criteria="Site live\n\n  Users trained  \n",
        deliverables="Runbook | https://docs.liaison.test/run\nTraining slides",
    )
    assert (first.key, second.key) == ("M-1", "M-2")
    assert second.name == "Go-live"
    assert second.criteria == ["Site live", "Users trained"]
    assert second.deliverables == [
        {"title": "Runbook", "url": "https://docs.liaison.test/run"},
        {"title": "Training slides", "url": ""},
    ]
    assert second.status == Status.PLANNED and second.client_visible


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"due_date": None}, "due_date"),
        ({"deliverables": "Report | javascript:alert(1)"}, "deliverables"),
        ({"deliverables": "Report | ftp://files.example.test/r.pdf"}, "deliverables"),
        ({"deliverables": " | https://docs.liaison.test"}, "deliverables"),
        ({"criteria": "\n".join(f"C{n}" for n in range(51))}, "criteria"),
    ],
)
def test_create_refuses_bad_input_beside_its_field(project, fields, field):
    error = _refusal(lambda: make_milestone(project, **fields))
    assert error.field == field
    assert not Milestone.objects.exists()


def test_only_managers_create_and_edit(project, member, observer, outsider):
    with pytest.raises(PermissionDenied):
        milestone_create(project=project, by=member, name="Pilot", due_date=DUE)
    milestone = make_milestone(project)
    with pytest.raises(PermissionDenied):
        milestone_update(milestone=milestone, by=observer, version=milestone.version, name="x")
    with pytest.raises(Http404):
        milestone_update(milestone=milestone, by=outsider, version=milestone.version, name="x")


def test_update_refuses_a_stale_version(project, manager):
    milestone = make_milestone(project)
    milestone_update(milestone=milestone, by=manager, version=1, name="Pilot site")
    with pytest.raises(StaleEdit) as caught:
        milestone_update(milestone=milestone, by=manager, version=1, name="Other")
    assert "Pilot site" in caught.value.message
    assert Milestone.objects.get().name == "Pilot site"


def test_criteria_and_deliverables_are_frozen_while_the_client_judges(project, manager):
    milestone = submitted_milestone(project)
    error = _refusal(
        lambda: milestone_update(
            milestone=milestone, by=manager, version=milestone.version, criteria=["Other"]
        )
    )
    assert (error.field, error.code) == ("criteria", "milestone_frozen")
    # The rest stays editable: a new due date is not what the client judges.
    moved = milestone_update(
        milestone=milestone, by=manager, version=milestone.version, due_date=DUE.replace(day=8)
    )
    assert moved.due_date == DUE.replace(day=8)
    assert moved.criteria == ["Scans work", "Labels print"]


# -- submitting ------------------------------------------------------------------------


def test_submit_needs_criteria_and_client_visibility(project, manager):
    bare = make_milestone(project, criteria=[])
    assert _refusal(lambda: milestone_submit(milestone=bare, by=manager)).code == "no_criteria"
    hidden = make_milestone(project, client_visible=False)
    error = _refusal(lambda: milestone_submit(milestone=hidden, by=manager))
    assert error.code == "not_client_visible"
    assert not MilestoneReview.objects.exists()


def test_submit_freezes_a_numbered_round_and_asks_the_client(project, manager, client_user):
    milestone = submitted_milestone(project, note="Ready for you")
    review = milestone.reviews.get()
    assert milestone.status == Status.SUBMITTED
    assert (review.round, review.verdict, review.note) == (1, Verdict.PENDING, "Ready for you")
    assert review.criteria == ["Scans work", "Labels print"]
    assert review.submitted_by == manager
    notice = Notification.objects.get(recipient=client_user)
    assert notice.event == "approval.needed"
    assert notice.url == "/portal/p/OWN/milestones/M-1/"
    # Submitted twice: refused, still one round.
    assert _refusal(lambda: milestone_submit(milestone=milestone, by=manager)).code == (
        "transition_not_allowed"
    )
    assert milestone.reviews.count() == 1


def test_withdrawing_marks_the_round_withdrawn_and_the_next_round_is_numbered(project, manager):
    milestone = submitted_milestone(project)
    milestone_transition(
        milestone=milestone, by=manager, status=Status.IN_PROGRESS, version=milestone.version
    )
    assert Milestone.objects.get().status == Status.IN_PROGRESS
    assert MilestoneReview.objects.get().verdict == Verdict.WITHDRAWN
    milestone_update(
        milestone=milestone,
        by=manager,
        version=Milestone.objects.get().version,
        criteria=["Scans work", "Labels print", "Manual written"],
    )
    milestone_submit(milestone=milestone, by=manager)
    rounds = list(MilestoneReview.objects.order_by("round").values_list("round", "verdict"))
    assert rounds == [(1, Verdict.WITHDRAWN), (2, Verdict.PENDING)]
    assert MilestoneReview.objects.get(round=2).criteria[-1] == "Manual written"


def test_accepted_milestones_do_not_move_by_hand(project, manager, client_user):
    milestone = submitted_milestone(project)
    milestone_decide(milestone=milestone, by=client_user, accept=True, verdicts=[MET, MET])
    for status in (Status.PLANNED, Status.IN_PROGRESS, Status.REJECTED):
        error = _refusal(
            lambda s=status: milestone_transition(milestone=milestone, by=manager, status=s)
        )
        assert error.code == "transition_not_allowed"


# -- the client's decision -------------------------------------------------------------


def test_accepting_needs_every_criterion_met(project, client_user):
    milestone = submitted_milestone(project)
    error = _refusal(
        lambda: milestone_decide(
            milestone=milestone,
            by=client_user,
            accept=True,
            verdicts=[MET, {"met": False, "comment": "Blurry"}],
        )
    )
    assert error.code == "criteria_not_met"
    error = _refusal(
        lambda: milestone_decide(
            milestone=milestone, by=client_user, accept=True, verdicts=[MET, {"met": None}]
        )
    )
    assert (error.field, error.code) == ("criterion-1", "verdicts_incomplete")
    assert Milestone.objects.get().status == Status.SUBMITTED


def test_a_criterion_not_met_needs_a_comment(project, client_user):
    milestone = submitted_milestone(project)
    error = _refusal(
        lambda: milestone_decide(
            milestone=milestone,
            by=client_user,
            accept=False,
            verdicts=[{"met": False, "comment": "  "}, MET],
        )
    )
    assert (error.field, error.code) == ("criterion-0", "comment_required")
    assert "Scans work" in error.message


def test_accepting_records_who_when_and_where(project, manager, client_user):
    milestone = submitted_milestone(project)
    review = milestone_decide(
        milestone=milestone,
        by=client_user,
        accept=True,
        verdicts=[MET, {"met": True, "comment": "Nice labels"}],
        comment="Well done",
        ip="203.0.113.9",
    )
    assert Milestone.objects.get().status == Status.ACCEPTED
    review.refresh_from_db()
    assert review.verdict == Verdict.ACCEPTED
    assert review.verdicts == [
        {"criterion": "Scans work", "met": True, "comment": ""},
        {"criterion": "Labels print", "met": True, "comment": "Nice labels"},
    ]
    assert (review.comment, review.decided_by, review.decided_ip) == (
        "Well done",
        client_user,
        "203.0.113.9",
    )
    assert review.decided_at is not None
    assert Notification.objects.filter(recipient=manager, event="milestone.decided").exists()


def test_rejecting_with_reasons_reopens_and_tells_the_manager(project, manager, client_user):
    milestone = submitted_milestone(project)
    milestone_decide(
        milestone=milestone,
        by=client_user,
        accept=False,
        verdicts=[MET, {"met": False, "comment": "Labels smudge"}],
        comment="Nearly there",
    )
    assert Milestone.objects.get().status == Status.REJECTED
    review = MilestoneReview.objects.get()
    assert review.verdict == Verdict.REJECTED
    assert review.unmet == [{"criterion": "Labels print", "met": False, "comment": "Labels smudge"}]
    notice = Notification.objects.get(recipient=manager, event="milestone.decided")
    assert "rejected" in notice.text
    assert notice.url == "/p/OWN/milestones/M-1/"
    # The team fixes it and asks again: round 2.
    milestone_transition(milestone=milestone, by=manager, status=Status.IN_PROGRESS)
    milestone_submit(milestone=milestone, by=manager)
    assert list(MilestoneReview.objects.values_list("round", flat=True)) == [2, 1]


def test_rejecting_with_every_criterion_met_needs_a_comment(project, client_user):
    milestone = submitted_milestone(project)
    error = _refusal(
        lambda: milestone_decide(
            milestone=milestone, by=client_user, accept=False, verdicts=[MET, MET]
        )
    )
    assert (error.field, error.code) == ("comment", "comment_required")
    milestone_decide(
        milestone=milestone, by=client_user, accept=False, verdicts=[MET, MET], comment="Not yet"
    )
    assert Milestone.objects.get().status == Status.REJECTED


def test_only_the_client_decides(project, manager, member, outsider, client_user):
    milestone = submitted_milestone(project)
    for user in (manager, member):
        with pytest.raises(PermissionDenied):
            milestone_decide(milestone=milestone, by=user, accept=True, verdicts=[MET, MET])
    with pytest.raises(Http404):
        milestone_decide(milestone=milestone, by=outsider, accept=True, verdicts=[MET, MET])
    assert MilestoneReview.objects.get().verdict == Verdict.PENDING


def test_only_a_milestone_awaiting_acceptance_can_be_decided(project, manager, client_user):
    planned = make_milestone(project)
    error = _refusal(
        lambda: milestone_decide(milestone=planned, by=client_user, accept=True, verdicts=[])
    )
    assert error.code == "not_submitted"
    milestone = submitted_milestone(project, name="Second")
    milestone_decide(milestone=milestone, by=client_user, accept=True, verdicts=[MET, MET])
    error = _refusal(
        lambda: milestone_decide(
            milestone=milestone, by=client_user, accept=False, verdicts=[MET, MET], comment="No"
        )
    )
    assert error.code == "not_submitted"
    # Withdrawn: nothing to decide either.
    third = submitted_milestone(project, name="Third")
    milestone_transition(milestone=third, by=manager, status=Status.IN_PROGRESS)
    error = _refusal(
        lambda: milestone_decide(milestone=third, by=client_user, accept=True, verdicts=[MET, MET])
    )
    assert error.code == "not_submitted"


def test_submission_and_decision_are_in_the_clients_activity(project, manager, client_user):
    milestone = submitted_milestone(project)
    milestone_decide(milestone=milestone, by=client_user, accept=True, verdicts=[MET, MET])
    rows = Activity.objects.filter(
        target_type=ContentType.objects.get_for_model(Milestone), target_id=milestone.pk
    ).order_by("id")
    assert [(row.verb, row.client_visible) for row in rows] == [
        ("created", True),
        ("submitted", True),
        ("accepted", True),
    ]
    internal = make_milestone(project, name="Internal", client_visible=False)
    assert not Activity.objects.get(verb="created", target_id=internal.pk).client_visible


# -- deleting --------------------------------------------------------------------------


def test_delete_keeps_milestones_the_client_was_asked_about(project, manager, member):
    loose = make_milestone(project, name="Loose", client_visible=False)
    with pytest.raises(PermissionDenied):
        milestone_delete(milestone=loose, by=member)
    milestone_delete(milestone=loose, by=manager)
    asked = submitted_milestone(project)
    assert _refusal(lambda: milestone_delete(milestone=asked, by=manager)).code == "has_reviews"
    shown = make_milestone(project, name="Shown")
    assert _refusal(lambda: milestone_delete(milestone=shown, by=manager)).code == "client_visible"
    assert list(Milestone.objects.values_list("key", flat=True)) == ["M-2", "M-3"]
