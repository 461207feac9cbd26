"""The client's acceptance tests: cases drawn from a milestone's criteria and
its requirements', edited while a draft, opened to the client, results
submitted all at once (or none), a failed case raising a client defect, and
the "verified by the client" rule."""

import pytest

from liaison.collab.models import Notification
from liaison.controls.models import Issue, UatCase, UatRound
from liaison.controls.selectors.quality import uat_round_get, verified_by_client
from liaison.controls.services import uat as services
from liaison.controls.tests.factories import all_results, make_uat_milestone, make_uat_round
from liaison.core.locking import StaleEdit
from liaison.core.services import InvalidInput
from liaison.planning.tests.factories import make_milestone
from liaison.projects.access import CLIENT, TEAM
from liaison.requirements.models import Requirement

pytestmark = pytest.mark.django_db


def _reread(round_):
    return uat_round_get(project=round_.project, audience=TEAM, number=round_.number)


def test_cases_come_from_the_milestone_and_its_client_visible_requirements(project):
    round_ = make_uat_round(project)
    rows = [
        (case.position, case.title, case.requirement and case.requirement.key)
        for case in round_.case_rows
    ]
    assert rows == [
        (1, "Scans work", None),
        (2, "Labels print", None),
        (3, "A label scans in under a second", "REQ-1"),
        (4, "A torn label is refused", "REQ-1"),
        (5, "Print pick lists", "REQ-2"),
    ]
    assert round_.key == "UAT-1" and round_.is_draft


def test_an_internal_milestone_cannot_be_tested_with_the_client(project):
    milestone = make_milestone(project, client_visible=False)
    with pytest.raises(InvalidInput) as refused:
        services.uat_round_create(milestone=milestone, by=project.manager)
    assert refused.value.code == "milestone_internal"


def test_only_the_manager_prepares_a_round(project, member):
    milestone = make_uat_milestone(project)
    with pytest.raises(Exception) as refused:
        services.uat_round_create(milestone=milestone, by=member)
    assert refused.type.__name__ == "PermissionDenied"


def test_cases_are_edited_while_a_draft_and_each_edit_moves_the_version(project):
    round_ = make_uat_round(project)
    requirement = Requirement.objects.get(project=project, key="REQ-2")
    case = services.uat_case_add(
        round=round_,
        by=project.manager,
        version=round_.version,
        title=" Reprint  a label ",
        requirement=requirement,
    )
    assert (case.position, case.title) == (6, "Reprint a label")
    first = round_.case_rows[0]
    with pytest.raises(StaleEdit):
        services.uat_case_update(case=first, by=project.manager, version=round_.version, title="x")
    fresh = _reread(round_)
    services.uat_case_update(
        case=first, by=project.manager, version=fresh.version, title="Scans work fast"
    )
    fresh = _reread(round_)
    services.uat_case_remove(case=fresh.case_rows[1], by=project.manager, version=fresh.version)
    titles = [case.title for case in _reread(round_).case_rows]
    assert titles[:2] == ["Scans work fast", "A label scans in under a second"]
    assert len(titles) == 5


def test_opening_asks_the_client_and_freezes_the_cases(project, client_user):
    round_ = make_uat_round(project, opened=True)
    assert round_.is_open and round_.opened_by == project.manager
    told = Notification.objects.get(event="uat.opened")
    assert told.recipient == client_user
    with pytest.raises(InvalidInput) as refused:
        services.uat_case_add(
            round=round_, by=project.manager, version=round_.version, title="Late"
        )
    assert refused.value.code == "round_not_draft"


def test_a_round_without_cases_cannot_be_opened(project):
    milestone = make_milestone(project, criteria=[])
    round_ = services.uat_round_create(milestone=milestone, by=project.manager)
    with pytest.raises(InvalidInput) as refused:
        services.uat_round_open(round=round_, by=project.manager, version=round_.version)
    assert refused.value.code == "no_cases"


def test_the_client_does_not_see_a_draft(project):
    round_ = make_uat_round(project)
    with pytest.raises(Exception) as hidden:
        uat_round_get(project=project, audience=CLIENT, number=round_.number)
    assert hidden.type.__name__ == "Http404"


def test_results_are_kept_and_a_failed_case_raises_a_client_defect(project, client_user, manager):
    round_ = make_uat_round(project, opened=True)
    results = all_results(round_, failed=(3,), note="Took four seconds")
    results[2]["severity"] = "critical"
    saved = services.uat_results_submit(
        round=round_, by=client_user, version=round_.version, results=results
    )
    assert (saved.status, saved.passed_count, saved.failed_count) == ("closed", 4, 1)
    assert saved.submitted_by == client_user and saved.submitted_at is not None
    failed = UatCase.objects.get(round=saved, position=3)
    defect = failed.issue
    assert (defect.kind, defect.severity, defect.raised_by, defect.raised_by_client) == (
        "defect",
        "critical",
        client_user,
        True,
    )
    assert defect.client_visible and defect.title == "A label scans in under a second"
    assert defect.description == "Took four seconds"
    assert defect.found_in == "UAT-1, case 3"
    assert UatCase.objects.filter(round=saved, issue__isnull=False).count() == 1
    assert Notification.objects.filter(event="uat.submitted", recipient=manager).exists()
    assert Notification.objects.get(event="uat.opened").read_at is not None


def test_a_failure_without_a_severity_is_major(project, client_user):
    round_ = make_uat_round(project, opened=True)
    services.uat_results_submit(
        round=round_,
        by=client_user,
        version=round_.version,
        results=all_results(round_, failed=(1,)),
    )
    assert Issue.objects.get().severity == "major"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda results: results[:-1], "results_missing"),
        (lambda results: [*results, results[0]], "duplicate_case"),
        (lambda results: [*results[:-1], {**results[-1], "result": ""}], "result_required"),
        (lambda results: [*results, {"case": 999_999, "result": "passed"}], "unknown_case"),
    ],
)
def test_submission_is_all_or_nothing(project, client_user, change, code):
    round_ = make_uat_round(project, opened=True)
    results = all_results(round_, failed=(1, 2))
    with pytest.raises(InvalidInput) as refused:
        services.uat_results_submit(
            round=round_, by=client_user, version=round_.version, results=change(results)
        )
    assert refused.value.code == code
    assert not Issue.objects.exists()
    assert not UatCase.objects.exclude(result="").exists()
    assert UatRound.objects.get().status == "open"


def test_a_defect_failing_late_leaves_nothing_behind(project, client_user):
    """A severity no issue takes is refused before any defect is written."""
    round_ = make_uat_round(project, opened=True)
    results = all_results(round_, failed=(1, 5))
    results[4]["severity"] = "apocalyptic"
    with pytest.raises(InvalidInput):
        services.uat_results_submit(
            round=round_, by=client_user, version=round_.version, results=results
        )
    assert not Issue.objects.exists()


def test_a_stale_round_is_refused(project, client_user):
    round_ = make_uat_round(project, opened=True)
    with pytest.raises(StaleEdit):
        services.uat_results_submit(
            round=round_, by=client_user, version=round_.version - 1, results=all_results(round_)
        )
    assert UatRound.objects.get().status == "open"


def test_results_come_once(project, client_user):
    round_ = make_uat_round(project, opened=True)
    services.uat_results_submit(
        round=round_, by=client_user, version=round_.version, results=all_results(round_)
    )
    fresh = _reread(round_)
    with pytest.raises(InvalidInput) as refused:
        services.uat_results_submit(
            round=fresh, by=client_user, version=fresh.version, results=all_results(fresh)
        )
    assert refused.value.code == "round_not_open"


def test_the_team_cannot_submit_the_clients_results(project, manager):
    round_ = make_uat_round(project, opened=True)
    with pytest.raises(Exception) as refused:
        services.uat_results_submit(
            round=round_, by=manager, version=round_.version, results=all_results(round_)
        )
    assert refused.type.__name__ == "PermissionDenied"


def test_a_requirement_is_verified_when_all_its_cases_passed_in_the_latest_closed_round(
    project, client_user
):
    milestone = make_uat_milestone(project)
    req1, req2 = (Requirement.objects.get(project=project, key=k) for k in ("REQ-1", "REQ-2"))
    ids = [req1.pk, req2.pk]
    first = make_uat_round(project, opened=True, milestone=milestone)
    assert verified_by_client(project=project, requirement_ids=ids) == set()
    services.uat_results_submit(
        round=first, by=client_user, version=first.version, results=all_results(first, failed=(4,))
    )
    # REQ-1's second case failed: only REQ-2 passed everything.
    assert verified_by_client(project=project, requirement_ids=ids) == {req2.pk}
    second = make_uat_round(project, opened=True, milestone=milestone)
    # An open round changes nothing yet.
    assert verified_by_client(project=project, requirement_ids=ids) == {req2.pk}
    services.uat_results_submit(
        round=second,
        by=client_user,
        version=second.version,
        results=all_results(second, failed=(5,)),
    )
    # The latest closed round decides: REQ-1 passed now, REQ-2 failed.
    assert verified_by_client(project=project, requirement_ids=ids) == {req1.pk}


def test_a_case_of_another_round_is_refused(project, client_user, foreign_project):
    """The results name cases by id: another project's case is no case of the round."""
    round_ = make_uat_round(project, opened=True)
    elsewhere = make_uat_round(foreign_project)
    results = all_results(round_)
    results[0] = {"case": elsewhere.case_rows[0].pk, "result": "failed"}
    with pytest.raises(InvalidInput) as refused:
        services.uat_results_submit(
            round=round_, by=client_user, version=round_.version, results=results
        )
    assert refused.value.code == "unknown_case"
    assert not Issue.objects.exists()
