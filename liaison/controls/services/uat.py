"""Writes of the client's acceptance tests (`UAT-n`): the manager opens a round
for a milestone with cases drawn from its acceptance criteria and the criteria
of its requirements, edits them while the round is a draft and opens it to the
client; the client submits every case's result at once, and each failed case
becomes a defect the client raised, linked to the case."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notifications_resolve, notify
from liaison.controls.models import Issue, UatCase, UatRound
from liaison.controls.services.issues import issue_raise_from_client
from liaison.core.activity import activity_record
from liaison.core.locking import check_version, save_changes
from liaison.core.rules import only_editable
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.selectors import client_members
from liaison.requirements.models import Requirement

PREFIX = "UAT"
MAX_CASES = 200
MAX_TEXT = 5_000
CASE_FIELDS = ("title", "steps", "requirement")
Status = UatRound.Status
Result = UatCase.Result


@dataclass(frozen=True)
class CaseResult:
    """What the client says of one case: its id, passed or failed, a note and,
    for a failure, the defect's severity (major when not given)."""

    case: int
    result: str
    note: str = ""
    severity: str = ""


# -- cases drawn from the milestone ------------------------------------------------


def milestone_requirements(*, milestone: Milestone) -> list[Requirement]:
    """The client-visible requirements the milestone's tasks deliver, oldest first."""
    return list(
        Requirement.objects.filter(
            project_id=milestone.project_id, tasks__milestone=milestone, client_visible=True
        )
        .distinct()
        .order_by("id")
    )


def generated_cases(*, milestone: Milestone) -> list[tuple[str, Requirement | None]]:
    """One case per acceptance criterion of the milestone, then one per criterion
    of each requirement it delivers (a requirement without criteria: one case,
    its title). Pairs of (title, requirement)."""
    cases: list[tuple[str, Requirement | None]] = [
        (str(criterion), None) for criterion in milestone.criteria or () if str(criterion).strip()
    ]
    for requirement in milestone_requirements(milestone=milestone):
        criteria = [str(c) for c in requirement.acceptance_criteria or () if str(c).strip()]
        for criterion in criteria or [requirement.title]:
            cases.append((criterion, requirement))
    return cases[:MAX_CASES]


# -- cleaning -----------------------------------------------------------------------


def _clean_case(round_: UatRound, fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())[:300]
        if not fields["title"]:
            raise InvalidInput(_("Say what to test."), field="title", code="title_required")
    if "steps" in fields:
        fields["steps"] = (fields["steps"] or "").strip()[:MAX_TEXT]
    requirement = fields.get("requirement")
    if requirement is not None and (
        not isinstance(requirement, Requirement) or requirement.project_id != round_.project_id
    ):
        raise InvalidInput(
            _("That is not part of this project."), field="requirement", code="not_in_project"
        )
    return fields


def _locked(round_: UatRound, version: int | None) -> UatRound:
    locked = UatRound.objects.select_for_update().get(pk=round_.pk)
    locked.project = round_.project
    if version is not None:
        check_version(locked, version)
    return locked


def _only_draft(round_: UatRound) -> None:
    if not round_.is_draft:
        raise InvalidInput(
            _("The round is with the client: its cases can no longer change."),
            code="round_not_draft",
        )


def _touch(round_: UatRound, by: User, verb: str, diff: dict[str, list[object]]) -> None:
    """A change of its cases is a change of the round: its version moves on."""
    save_changes(round_, [])
    activity_record(actor=by, verb=verb, target=round_, project=round_.project, diff=diff)


# -- the manager's -----------------------------------------------------------------


@transaction.atomic
def uat_round_create(*, milestone: Milestone, by: User, title: str = "") -> UatRound:
    """A draft round for a milestone the client sees, its cases generated."""
    project = milestone.project
    access.require(by, Action.MANAGE, project)
    if not milestone.client_visible:
        raise InvalidInput(
            _("The client cannot see this milestone: share it before testing it with them."),
            field="milestone",
            code="milestone_internal",
        )
    number = next_number(project=project, prefix=PREFIX)
    round_ = UatRound.objects.create(
        project=project,
        key=f"{PREFIX}-{number}",
        number=number,
        milestone=milestone,
        title=" ".join((title or "").split())[:200],
    )
    UatCase.objects.bulk_create(
        UatCase(round=round_, position=n, title=case_title[:300], requirement=requirement)
        for n, (case_title, requirement) in enumerate(generated_cases(milestone=milestone), start=1)
    )
    activity_record(actor=by, verb="created", target=round_, project=project)
    return round_


@transaction.atomic
def uat_case_add(
    *,
    round: UatRound,
    by: User,
    version: int,
    title: str,
    steps: str = "",
    requirement: Requirement | None = None,
) -> UatCase:
    access.require(by, Action.MANAGE, round.project)
    locked = _locked(round, version)
    _only_draft(locked)
    fields = _clean_case(locked, {"title": title, "steps": steps, "requirement": requirement})
    if locked.cases.count() >= MAX_CASES:
        raise InvalidInput(_("A round holds at most 200 cases."), code="too_many_cases")
    last = locked.cases.aggregate(last=Max("position"))["last"] or 0
    case = UatCase.objects.create(round=locked, position=last + 1, **fields)
    _touch(locked, by, "updated", {"cases": ["", case.title]})
    return case


@transaction.atomic
def uat_case_update(*, case: UatCase, by: User, version: int, **fields: Any) -> UatCase:
    """Edit a case's title, steps or requirement while the round is a draft;
    `version` is the round's."""
    round_ = case.round
    access.require(by, Action.MANAGE, round_.project)
    only_editable(fields, CASE_FIELDS)
    locked = _locked(round_, version)
    _only_draft(locked)
    fields = _clean_case(locked, fields)
    before = case.title
    for name, value in fields.items():
        setattr(case, name, value)
    case.save()
    _touch(locked, by, "updated", {"cases": [before, case.title]})
    return case


@transaction.atomic
def uat_case_remove(*, case: UatCase, by: User, version: int) -> None:
    round_ = case.round
    access.require(by, Action.MANAGE, round_.project)
    locked = _locked(round_, version)
    _only_draft(locked)
    title = case.title
    case.delete()
    _touch(locked, by, "updated", {"cases": [title, ""]})


@transaction.atomic
def uat_round_open(*, round: UatRound, by: User, version: int) -> UatRound:
    """The round goes to the client, who is asked to run its cases."""
    project = round.project
    access.require(by, Action.MANAGE, project)
    locked = _locked(round, version)
    _only_draft(locked)
    if not locked.cases.exists():
        raise InvalidInput(_("Add at least one case before opening the round."), code="no_cases")
    locked.status = Status.OPEN
    locked.opened_at = timezone.now()
    locked.opened_by = by
    save_changes(locked, ["status", "opened_at", "opened_by"])
    activity_record(
        actor=by,
        verb="opened",
        target=locked,
        project=project,
        diff={"status": [Status.DRAFT, Status.OPEN]},
        client_visible=True,
    )
    notify(
        event="uat.opened",
        recipients=client_members(project=project),
        actor=by,
        project=project,
        message=_("%(actor)s asks you to run the acceptance tests %(round)s"),
        room_message=_("%(actor)s opened the acceptance tests %(round)s to the client"),
        params={"actor": by, "round": locked},
        url=locked.portal_url(),
        target=locked,
    )
    return locked


# -- the client's ------------------------------------------------------------------


def _results_by_case(
    cases: Iterable[UatCase], results: Iterable[CaseResult | Mapping[str, Any]]
) -> dict[int, CaseResult]:
    """Every case of the round exactly once, each passed or failed; else nothing."""
    given: dict[int, CaseResult] = {}
    for item in results:
        result = item if isinstance(item, CaseResult) else CaseResult(**item)
        if result.case in given:
            raise InvalidInput(_("Each case is answered once."), code="duplicate_case")
        if result.result not in Result.values:
            raise InvalidInput(
                _("Mark each case passed or failed."),
                field=f"result_{result.case}",
                code="result_required",
            )
        if result.severity and result.severity not in Issue.Severity.values:
            raise InvalidInput(
                _("Choose one of the offered values."), field=f"severity_{result.case}"
            )
        given[result.case] = result
    ids = {case.pk for case in cases}
    if set(given) - ids:
        raise InvalidInput(_("That case is not part of this round."), code="unknown_case")
    missing = ids - set(given)
    if missing:
        raise InvalidInput(
            _("Mark every case passed or failed before submitting."), code="results_missing"
        )
    return given


def _raise_defect(round_: UatRound, case: UatCase, result: CaseResult, by: User) -> Issue:
    return issue_raise_from_client(
        project=round_.project,
        by=by,
        title=case.title,
        description=result.note,
        kind=Issue.Kind.DEFECT,
        severity=result.severity or Issue.Severity.MAJOR,
        steps=case.steps,
        found_in=str(_("%(round)s, case %(n)s") % {"round": round_.key, "n": case.position}),
    )


@transaction.atomic
def uat_results_submit(
    *,
    round: UatRound,
    by: User,
    version: int,
    results: Iterable[CaseResult | Mapping[str, Any]],
) -> UatRound:
    """The client's results, all of them or none: every case passed or failed
    with a note; each failure raises a defect linked to its case. A round
    someone changed since the page was read is refused (StaleEdit)."""
    project = round.project
    access.require(by, Action.APPROVE, project)
    locked = _locked(round, version)
    if not locked.is_open:
        raise InvalidInput(_("This round is not waiting for results."), code="round_not_open")
    cases = list(locked.cases.all())
    given = _results_by_case(cases, results)
    for case in cases:
        result = given[case.pk]
        case.result = result.result
        case.note = (result.note or "").strip()[:MAX_TEXT]
        if case.result == Result.FAILED:
            case.issue = _raise_defect(locked, case, result, by)
    UatCase.objects.bulk_update(cases, ["result", "note", "issue"])
    locked.status = Status.CLOSED
    locked.submitted_at = timezone.now()
    locked.submitted_by = by
    locked.passed_count = sum(case.result == Result.PASSED for case in cases)
    locked.failed_count = len(cases) - locked.passed_count
    save_changes(locked, ["status", "submitted_at", "submitted_by", "passed_count", "failed_count"])
    activity_record(
        actor=by,
        verb="submitted",
        target=locked,
        project=project,
        diff={"status": [Status.OPEN, Status.CLOSED]},
        client_visible=True,
    )
    notifications_resolve(target=locked, events=["uat.opened"])
    _tell_submitted(locked, by)
    return locked


def _tell_submitted(round_: UatRound, by: User) -> None:
    notify(
        event="uat.submitted",
        recipients=[round_.project.manager],
        actor=by,
        project=round_.project,
        message=_(
            "%(actor)s submitted the acceptance tests %(round)s: "
            "%(passed)s passed, %(failed)s failed"
        ),
        params={
            "actor": by,
            "round": round_,
            "passed": round_.passed_count,
            "failed": round_.failed_count,
        },
        url=round_.get_absolute_url(),
        target=round_,
    )
