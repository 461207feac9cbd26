import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.projects.access import CLIENT, TEAM
from liaison.projects.tests.factories import make_project
from liaison.requirements import selectors
from liaison.requirements.models import Requirement
from liaison.requirements.rules import (
    TRANSITIONS,
    allowed_next,
    clean_criteria,
    clean_tags,
    requirement_score,
)
from liaison.requirements.services import (
    requirement_create,
    requirement_transition,
    requirement_update,
)
from liaison.requirements.tests.factories import make_requirement

Status = Requirement.Status


def _at_status(requirement: Requirement, status: str) -> Requirement:
    """Put a requirement in a status directly: the state a test starts from."""
    Requirement.objects.filter(pk=requirement.pk).update(status=status)
    requirement.refresh_from_db()
    return requirement


# -- the score -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "value", "feasibility", "cost", "expected"),
    [
        ("must", 5, 4, 2, 30 + 15 + 8 - 4),
        ("should", 3, 3, 3, 20 + 9 + 6 - 6),
        ("could", 1, 1, 5, 10 + 3 + 2 - 10),
        ("wont", 1, 1, 5, 0 + 3 + 2 - 10),
    ],
)
def test_score_follows_the_formula(priority, value, feasibility, cost, expected):
    assert (
        requirement_score(priority=priority, value=value, feasibility=feasibility, cost=cost)
        == expected
    )


def test_create_and_update_keep_the_score(project, manager):
    requirement = make_requirement(
        project, by=manager, priority="must", value=5, feasibility=4, cost=2
    )
    assert requirement.score == 49
    updated = requirement_update(requirement=requirement, by=manager, version=1, priority="could")
    assert updated.score == 29
    assert Requirement.objects.get(pk=requirement.pk).score == 29


def test_a_score_outside_one_to_five_is_refused(project, manager):
    with pytest.raises(InvalidInput) as refused:
        make_requirement(project, by=manager, value=6)
    assert refused.value.field == "value"
    assert not Requirement.objects.exists()


# -- keys ------------------------------------------------------------------------------


def test_keys_are_sequential_per_project(project, manager, org):
    other = make_project(org, manager, "OTHER")
    assert [make_requirement(project, by=manager).key for _ in range(2)] == ["REQ-1", "REQ-2"]
    assert make_requirement(other, by=manager).key == "REQ-1"
    assert make_requirement(project, by=manager).key == "REQ-3"


# -- the workflow ----------------------------------------------------------------------

ALLOWED = [(current, target) for current, targets in TRANSITIONS.items() for target in targets]


@pytest.mark.parametrize(("current", "target"), ALLOWED, ids=lambda s: str(s))
def test_every_allowed_transition_is_made(project, manager, current, target):
    requirement = _at_status(make_requirement(project, by=manager), current)
    moved = requirement_transition(requirement=requirement, by=manager, status=target)
    assert moved.status == target
    assert moved.version == 2
    assert moved.revisions.get(number=2).snapshot["status"] == target
    activity = Activity.objects.filter(verb="updated").get()
    assert activity.diff == {"status": [current, target]}


def test_every_status_has_a_way_out():
    assert set(TRANSITIONS) == set(Status.values)
    assert all(allowed_next(status) for status in Status.values)


def test_a_forbidden_transition_is_refused_with_a_clear_message(project, manager):
    requirement = make_requirement(project, by=manager)
    with pytest.raises(InvalidInput) as refused:
        requirement_transition(requirement=requirement, by=manager, status=Status.VERIFIED)
    assert refused.value.code == "transition_not_allowed"
    assert refused.value.message == (
        "A requirement that is Draft cannot become Verified. "
        "It can become: In review, Rejected, Deferred."
    )
    requirement.refresh_from_db()
    assert (requirement.status, requirement.version) == (Status.DRAFT, 1)
    assert requirement.revisions.count() == 1


def test_a_transition_with_an_old_version_is_stale(project, manager):
    requirement = make_requirement(project, by=manager)
    requirement_update(requirement=requirement, by=manager, version=1, title="Renamed")
    with pytest.raises(StaleEdit):
        requirement_transition(
            requirement=requirement, by=manager, status=Status.IN_REVIEW, version=1
        )
    assert Requirement.objects.get(pk=requirement.pk).status == Status.DRAFT


# -- updates, revisions, activity ------------------------------------------------------


def test_update_makes_a_revision_and_an_activity_with_the_diff(project, manager):
    requirement = make_requirement(project, by=manager, body="One")
    updated = requirement_update(
        requirement=requirement, by=manager, version=1, title="Print labels", body="Two"
    )
    assert updated.version == 2
    assert list(updated.revisions.values_list("number", flat=True)) == [1, 2]
    snapshot = updated.revisions.get(number=2).snapshot
    assert (snapshot["title"], snapshot["body"]) == ("Print labels", "Two")
    activity = Activity.objects.get(verb="updated")
    assert activity.actor == manager
    assert activity.diff == {"title": ["Scan labels", "Print labels"], "body": ["One", "Two"]}
    assert activity.target_version == 2


def test_an_update_that_changes_nothing_makes_no_revision(project, manager):
    requirement = make_requirement(project, by=manager)
    same = requirement_update(requirement=requirement, by=manager, version=1, title="Scan labels")
    assert same.version == 1
    assert requirement.revisions.count() == 1
    assert not Activity.objects.filter(verb="updated").exists()


def test_a_stale_update_is_refused_and_changes_nothing(project, manager, member):
    requirement = make_requirement(project, by=manager)
    requirement_update(requirement=requirement, by=member, version=1, title="Member's title")
    with pytest.raises(StaleEdit) as refused:
        requirement_update(requirement=requirement, by=manager, version=1, title="Mine")
    assert "member set title to “Member's title”" in refused.value.message
    assert refused.value.current.version == 2
    requirement.refresh_from_db()
    assert (requirement.title, requirement.version) == ("Member's title", 2)
    assert requirement.revisions.count() == 2


def test_an_unknown_field_is_refused(project, manager):
    requirement = make_requirement(project, by=manager)
    with pytest.raises(InvalidInput):
        requirement_update(requirement=requirement, by=manager, version=1, status="verified")
    assert Requirement.objects.get(pk=requirement.pk).status == Status.DRAFT


def test_observer_may_not_write(project, manager, observer):
    requirement = make_requirement(project, by=manager)
    with pytest.raises(PermissionDenied):
        make_requirement(project, by=observer)
    with pytest.raises(PermissionDenied):
        requirement_update(requirement=requirement, by=observer, version=1, title="No")


# -- parents and owners ----------------------------------------------------------------


def test_a_parent_cycle_is_refused(project, manager):
    top = make_requirement(project, by=manager, title="Top")
    middle = make_requirement(project, by=manager, title="Middle", parent=top)
    bottom = make_requirement(project, by=manager, title="Bottom", parent=middle)
    with pytest.raises(InvalidInput) as refused:
        requirement_update(requirement=top, by=manager, version=1, parent=bottom)
    assert refused.value.field == "parent"
    with pytest.raises(InvalidInput):
        requirement_update(requirement=top, by=manager, version=1, parent=top)
    top.refresh_from_db()
    assert top.parent is None


def test_a_parent_from_another_project_is_refused(project, manager, org):
    elsewhere = make_requirement(make_project(org, manager, "OTHER"), by=manager)
    with pytest.raises(InvalidInput) as refused:
        make_requirement(project, by=manager, parent=elsewhere)
    assert refused.value.field == "parent"


def test_the_owner_must_be_on_the_team(project, manager, member, outsider, client_user):
    assert make_requirement(project, by=manager, owner=member).owner == member
    for stranger in (outsider, client_user):
        with pytest.raises(InvalidInput) as refused:
            make_requirement(project, by=manager, owner=stranger)
        assert refused.value.field == "owner"
    assert Requirement.objects.count() == 1


# -- cleaning --------------------------------------------------------------------------


def test_tags_are_cleaned():
    assert clean_tags(" UI, api ,ui,, Reports ") == ",ui,api,reports,"
    assert clean_tags(["B", "a", "b"]) == ",b,a,"
    assert clean_tags("  , ") == ""


def test_criteria_are_cleaned():
    assert clean_criteria("  Scans in 1 s \n\n\nPrints a label  \n") == [
        "Scans in 1 s",
        "Prints a label",
    ]
    assert clean_criteria(["", " kept ", None]) == ["kept"]


def test_services_store_cleaned_tags_and_criteria(project, manager):
    requirement = make_requirement(
        project,
        by=manager,
        title="  Padded  ",
        tags="Mobile, mobile, API",
        acceptance_criteria="a\n\nb",
    )
    assert requirement.title == "Padded"
    assert requirement.tags == ",mobile,api,"
    assert requirement.tag_list == ["mobile", "api"]
    assert requirement.acceptance_criteria == ["a", "b"]


def test_an_empty_title_is_refused(project, manager):
    with pytest.raises(InvalidInput) as refused:
        make_requirement(project, by=manager, title="   ")
    assert refused.value.field == "title"


# -- what the client sees --------------------------------------------------------------


def test_the_client_audience_never_sees_internal_requirements(project, manager):
    shared = make_requirement(project, by=manager, title="Shared")
    internal = make_requirement(project, by=manager, title="Internal", client_visible=False)
    filters = selectors.RequirementFilters()
    assert list(selectors.requirement_list(project=project, audience=CLIENT, filters=filters)) == [
        shared
    ]
    assert set(selectors.requirement_list(project=project, audience=TEAM, filters=filters)) == {
        shared,
        internal,
    }
    assert selectors.requirement_get(project=project, audience=CLIENT, key="req-1") == shared
    with pytest.raises(Http404):
        selectors.requirement_get(project=project, audience=CLIENT, key=internal.key)
    counts = selectors.requirement_status_counts(project=project, audience=CLIENT, filters=filters)
    assert counts == {"draft": 1}


def test_the_rank_is_the_place_in_the_prioritisation_view(project, manager):
    low = make_requirement(project, by=manager, priority="could")
    high = make_requirement(project, by=manager, priority="must")
    tied = make_requirement(project, by=manager, priority="must")
    assert list(selectors.requirements_ranked(project=project)) == [high, tied, low]
    assert [
        selectors.requirement_rank(project=project, requirement=r) for r in (high, tied, low)
    ] == [1, 2, 3]
    done = _at_status(low, Status.VERIFIED)
    assert selectors.requirement_rank(project=project, requirement=done) is None


def test_create_refuses_fields_with_rules_of_their_own(project, manager):
    with pytest.raises(InvalidInput) as refused:
        requirement_create(project=project, by=manager, title="Sneaky", status="confirmed")
    assert "status" in refused.value.message
    assert not Requirement.objects.filter(project=project).exists()
