"""Baselines: what a proposal freezes, the client's signature and rejection,
and the field-by-field diff of two baselines."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from liaison.collab.models import Notification
from liaison.core.services import InvalidInput
from liaison.projects.models import Project
from liaison.requirements import selectors
from liaison.requirements.baseline_content import baseline_content, content_hash
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.services import (
    baseline_propose,
    baseline_reject,
    baseline_sign,
    requirement_create,
    requirement_request,
    requirement_transition,
    requirement_update,
)
from liaison.requirements.tests.factories import (
    agreed_requirement,
    proposed_baseline,
    rejected_baseline,
    signed_baseline,
)

Status = Baseline.Status


def _keys(baseline: Baseline) -> list[str]:
    return [row["key"] for row in baseline.content["requirements"]]


def _sign(baseline, by, **overrides) -> Baseline:
    fields = {"full_name": "Claire Client", "agreed": True, "ip": "203.0.113.7", **overrides}
    return baseline_sign(baseline=baseline, by=by, **fields)


# -- proposing -------------------------------------------------------------------------


def test_propose_freezes_only_agreed_client_visible_requirements(project, manager):
    scan = agreed_requirement(
        project, by=manager, title="Scan labels", acceptance_criteria=["Reads EAN-13"]
    )
    agreed_requirement(project, by=manager, title="Internal load test", client_visible=False)
    requirement_create(project=project, by=manager, title="Still a draft")
    built = agreed_requirement(project, by=manager, title="Print pick lists")
    requirement_transition(requirement=built, by=manager, status="implemented")
    dropped = agreed_requirement(project, by=manager, title="Fax orders")
    requirement_transition(requirement=dropped, by=manager, status="deferred")

    baseline = baseline_propose(project=project, by=manager, title="  Phase 1 ", note="Please sign")

    assert (baseline.number, baseline.title, baseline.status) == (1, "Phase 1", Status.PROPOSED)
    assert (baseline.proposed_by, baseline.note) == (manager, "Please sign")
    assert _keys(baseline) == [scan.key, built.key]
    frozen = baseline.content["requirements"][0]
    assert frozen["title"] == "Scan labels"
    assert frozen["acceptance_criteria"] == ["Reads EAN-13"]
    assert frozen["status"] == "confirmed"
    assert baseline.content["project"]["code"] == "OWN"
    assert baseline.content_hash == content_hash(baseline.content)
    assert len(baseline.content_hash) == 64


def test_baselines_are_numbered_one_two_three(project, manager):
    agreed_requirement(project, by=manager, title="Scan labels")
    numbers = [proposed_baseline(project, title=f"Round {n}").number for n in range(3)]
    assert numbers == [1, 2, 3]


def test_a_new_proposal_supersedes_the_pending_one_only(project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    first = signed_baseline(project, by=client_user)
    second = proposed_baseline(project)
    third = proposed_baseline(project)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.SIGNED  # a signature is never undone by a new proposal
    assert second.status == Status.SUPERSEDED
    assert third.status == Status.PROPOSED
    assert list(selectors.baselines_awaiting(project=project)) == [third]


def test_nothing_agreed_and_visible_means_nothing_to_sign(project, manager):
    requirement_create(project=project, by=manager, title="Still a draft")
    agreed_requirement(project, by=manager, title="Internal only", client_visible=False)
    with pytest.raises(InvalidInput) as refused:
        baseline_propose(project=project, by=manager, title="Scope")
    assert refused.value.code == "empty_baseline"
    assert not Baseline.objects.exists()


def test_a_baseline_needs_a_title(project, manager):
    agreed_requirement(project, by=manager, title="Scan labels")
    with pytest.raises(InvalidInput) as refused:
        baseline_propose(project=project, by=manager, title="  ")
    assert refused.value.field == "title"


def test_only_a_manager_proposes(project, manager, member, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    for person in (member, client_user):
        with pytest.raises(PermissionDenied):
            baseline_propose(project=project, by=person, title="Scope")
    assert not Baseline.objects.exists()


def test_proposing_asks_the_client_to_sign(project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = proposed_baseline(project)
    notification = Notification.objects.get(recipient=client_user)
    assert notification.event == "approval.needed"
    assert notification.url == f"/portal/p/OWN/baselines/{baseline.number}/"
    assert not Notification.objects.filter(recipient=manager).exists()


# -- signing and rejecting -------------------------------------------------------------------


def test_signing_records_name_time_ip_and_hash_and_tells_the_manager(project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = proposed_baseline(project)
    frozen_hash = baseline.content_hash

    _sign(baseline, client_user, full_name="  Claire Client ")

    baseline.refresh_from_db()
    assert baseline.status == Status.SIGNED
    assert (baseline.signed_name, baseline.signed_ip) == ("Claire Client", "203.0.113.7")
    assert baseline.decided_by == client_user
    assert baseline.decided_at is not None
    assert baseline.content_hash == frozen_hash == content_hash(baseline.content)
    notification = Notification.objects.get(recipient=manager, event="baseline.decided")
    assert "signed" in notification.text
    assert notification.url == f"/p/OWN/baselines/{baseline.number}/"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"full_name": "   "}, "full_name"), ({"agreed": False}, "agreed")],
)
def test_signing_needs_a_typed_name_and_the_ticked_statement(
    project, manager, client_user, overrides, field
):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = proposed_baseline(project)
    with pytest.raises(InvalidInput) as refused:
        _sign(baseline, client_user, **overrides)
    assert refused.value.field == field
    baseline.refresh_from_db()
    assert baseline.status == Status.PROPOSED


def test_rejecting_needs_a_comment_and_tells_the_manager(project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = proposed_baseline(project)
    with pytest.raises(InvalidInput) as refused:
        baseline_reject(baseline=baseline, by=client_user, comment=" \n ", ip=None)
    assert refused.value.field == "comment"

    baseline_reject(baseline=baseline, by=client_user, comment="Add the night shift.", ip="::1")

    baseline.refresh_from_db()
    assert baseline.status == Status.REJECTED
    assert (baseline.rejection_comment, baseline.signed_ip) == ("Add the night shift.", "::1")
    assert baseline.signed_name == ""
    notification = Notification.objects.get(recipient=manager, event="baseline.decided")
    assert "rejected" in notification.text


@pytest.mark.parametrize("state", ["signed", "rejected", "superseded"])
def test_a_decided_baseline_cannot_be_signed_or_rejected(project, manager, client_user, state):
    agreed_requirement(project, by=manager, title="Scan labels")
    if state == "signed":
        baseline = signed_baseline(project, by=client_user)
    elif state == "rejected":
        baseline = rejected_baseline(project, by=client_user)
    else:
        baseline = proposed_baseline(project)
        proposed_baseline(project)
    before = Baseline.objects.values().get(pk=baseline.pk)

    for decide in (
        lambda: _sign(baseline, client_user, full_name="Someone Else"),
        lambda: baseline_reject(baseline=baseline, by=client_user, comment="Again", ip=None),
    ):
        with pytest.raises(InvalidInput) as refused:
            decide()
        assert refused.value.code == "baseline_decided"
    assert Baseline.objects.values().get(pk=baseline.pk) == before


def test_the_team_cannot_sign_for_the_client(project, manager, member, owner, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = proposed_baseline(project)
    for person in (manager, member, owner):
        with pytest.raises(PermissionDenied):
            _sign(baseline, person)
        with pytest.raises(PermissionDenied):
            baseline_reject(baseline=baseline, by=person, comment="No", ip=None)
    baseline.refresh_from_db()
    assert baseline.status == Status.PROPOSED


def test_a_baseline_whose_content_was_altered_cannot_be_signed(project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = proposed_baseline(project)
    content = baseline.content
    content["requirements"][0]["title"] = "Something else"
    Baseline.objects.filter(pk=baseline.pk).update(content=content)
    with pytest.raises(InvalidInput) as refused:
        _sign(baseline, client_user)
    assert refused.value.code == "baseline_tampered"


def test_a_signed_baseline_never_changes_when_requirements_change(project, manager, client_user):
    scan = agreed_requirement(
        project, by=manager, title="Scan labels", acceptance_criteria=["Reads EAN-13"]
    )
    baseline = signed_baseline(project, by=client_user)
    frozen = Baseline.objects.values("content", "content_hash").get(pk=baseline.pk)

    requirement_update(
        requirement=scan,
        by=manager,
        version=scan.version,
        title="Scan labels and QR codes",
        acceptance_criteria=["Reads EAN-13", "Reads QR"],
    )
    agreed_requirement(project, by=manager, title="Print pick lists")

    assert Baseline.objects.values("content", "content_hash").get(pk=baseline.pk) == frozen
    assert baseline_content(project) != frozen["content"]


# -- diffs ---------------------------------------------------------------------------------


def test_the_diff_of_two_baselines_is_exactly_what_changed(project, manager, client_user):
    scan = agreed_requirement(
        project, by=manager, title="Scan labels", acceptance_criteria=["Reads EAN-13"]
    )
    agreed_requirement(project, by=manager, title="Print pick lists", body="One page per order.")
    fax = agreed_requirement(project, by=manager, title="Fax orders")
    first = signed_baseline(project, by=client_user)

    requirement_update(
        requirement=scan,
        by=manager,
        version=scan.version,
        title="Scan labels and QR codes",
        acceptance_criteria=["Reads EAN-13", "Reads QR"],
    )
    requirement_transition(requirement=fax, by=manager, status="deferred")
    email = agreed_requirement(project, by=manager, title="E-mail orders")
    second = proposed_baseline(project)

    diff = selectors.baseline_diff(first, second)

    assert [row["key"] for row in diff.added] == [email.key]
    assert [row["key"] for row in diff.removed] == [fax.key]
    assert [row["key"] for row, _changes in diff.changed] == [scan.key]
    changes = {change.field: change for change in diff.changed[0][1]}
    assert set(changes) == {"title", "acceptance criteria"}  # not the version: it is noise
    assert (changes["title"].old, changes["title"].new) == (
        "Scan labels",
        "Scan labels and QR codes",
    )
    assert changes["acceptance criteria"].new == ["Reads EAN-13", "Reads QR"]
    assert "+Reads QR" in changes["acceptance criteria"].lines
    assert diff.project == []
    assert not diff.is_empty


def test_the_diff_shows_a_choice_by_its_label(project, manager):
    scan = agreed_requirement(project, by=manager, title="Scan labels", priority="should")
    first = proposed_baseline(project)
    requirement_update(requirement=scan, by=manager, version=scan.version, priority="must")
    (_row, changes) = selectors.baseline_diff(first, proposed_baseline(project)).changed[0]
    assert [(c.field, str(c.old), str(c.new)) for c in changes] == [
        ("priority", "Should have", "Must have")
    ]


def test_the_diff_includes_the_frozen_project_dates(project, manager):
    agreed_requirement(project, by=manager, title="Scan labels")
    first = proposed_baseline(project)
    Project.objects.filter(pk=project.pk).update(end_date=datetime.date(2031, 3, 31))
    project.refresh_from_db()

    diff = selectors.baseline_diff(first, proposed_baseline(project))

    assert [(c.field, c.old, c.new) for c in diff.project] == [("end", None, "2031-03-31")]
    assert not diff.is_empty


def test_two_baselines_of_the_same_requirements_have_an_empty_diff(project, manager):
    agreed_requirement(project, by=manager, title="Scan labels")
    first, second = proposed_baseline(project), proposed_baseline(project)
    diff = selectors.baseline_diff(first, second)
    assert diff.is_empty
    assert first.content_hash == second.content_hash


def test_frozen_requirements_read_in_the_readers_words(project, manager):
    agreed_requirement(project, by=manager, title="Scan labels", kind="constraint", priority="must")
    (row,) = selectors.frozen_requirements(proposed_baseline(project))
    assert (row.kind, row.priority, row.status) == ("Constraint", "Must have", "Confirmed")


# -- the client's requests -------------------------------------------------------------------


def test_a_client_request_lands_as_a_draft_and_tells_the_manager(project, manager, client_user):
    requirement = requirement_request(
        project=project, by=client_user, title=" Export to PDF ", body="For the auditors."
    )
    assert requirement.status == Requirement.Status.DRAFT
    assert requirement.source == Requirement.Source.CLIENT_REQUEST
    assert requirement.client_visible
    assert requirement.title == "Export to PDF"
    assert Notification.objects.filter(recipient=manager, event="requirement.requested").exists()
