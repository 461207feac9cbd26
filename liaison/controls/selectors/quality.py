"""Reads of the quality plan, its checks and the client's acceptance tests, each a
fixed number of queries whatever the number of rows."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from liaison.controls.models import (
    QualityCheck,
    QualityFinding,
    QualityStandard,
    UatCase,
    UatRound,
)
from liaison.planning.models import Milestone
from liaison.projects.access import Audience
from liaison.projects.models import Project

RECENT_CHECKS = 30


def _with_findings(checks: list[QualityCheck]) -> list[QualityCheck]:
    """Each check's findings as `finding_rows`, with the issue each opened (one query)."""
    by_check: dict[int, list[QualityFinding]] = defaultdict(list)
    for finding in (
        QualityFinding.objects.filter(quality_check__in=checks)
        .select_related("issue")
        .only("quality_check_id", "position", "text", "issue__key", "issue__status")
        .order_by("position", "id")
    ):
        by_check[finding.quality_check_id].append(finding)
    for check in checks:
        check.finding_rows = by_check[check.pk]
    return checks


def standard_list(*, project: Project) -> list[QualityStandard]:
    return list(QualityStandard.objects.filter(project=project).order_by("position", "id"))


def standard_get(*, project: Project, pk: int) -> QualityStandard:
    found = list(QualityStandard.objects.filter(project=project, pk=pk).order_by()[:1])
    if not found:
        raise Http404
    found[0].project = project
    return found[0]


def check_rows(*, project: Project, audience: Audience) -> QuerySet[QualityCheck]:
    """The project's checks, newest first, with their standard, milestone and who
    checked, each counting its findings (`findings_count`): one query."""
    return (
        QualityCheck.objects.for_audience(audience)
        .filter(project=project)
        .select_related("standard", "milestone", "checked_by")
        .only(
            "number",
            "kind",
            "result",
            "checked_on",
            "notes",
            "client_visible",
            "version",
            "standard__title",
            "milestone__key",
            "milestone__name",
            "checked_by__display_name",
            "checked_by__email",
        )
        .annotate(findings_count=Count("findings"))
        .order_by("-checked_on", "-number")
    )


def check_list(
    *, project: Project, audience: Audience, limit: int = RECENT_CHECKS
) -> list[QualityCheck]:
    """The quality page's latest checks (check_rows)."""
    rows = list(check_rows(project=project, audience=audience)[:limit])
    for row in rows:
        row.project = project
    return rows


def check_get(*, project: Project, audience: Audience, number: int) -> QualityCheck:
    found = list(
        QualityCheck.objects.for_audience(audience)
        .filter(project=project, number=number)
        .select_related("standard", "milestone", "checked_by")
        .order_by()[:1]
    )
    if not found:
        raise Http404
    found[0].project = project
    return _with_findings(found)[0]


def finding_get(*, project: Project, audience: Audience, pk: int) -> QualityFinding:
    """A finding of a check of the project the audience sees, with its check."""
    found = list(
        QualityFinding.objects.filter(pk=pk, quality_check__project=project)
        .filter(quality_check__in=QualityCheck.objects.for_audience(audience))
        .select_related("quality_check", "quality_check__milestone")
        .order_by()[:1]
    )
    if not found:
        raise Http404
    found[0].quality_check.project = project
    return found[0]


# -- acceptance tests --------------------------------------------------------------


def uat_round_list(*, project: Project, audience: Audience) -> list[UatRound]:
    rows = list(
        UatRound.objects.for_audience(audience)
        .filter(project=project)
        .select_related("milestone", "submitted_by")
        .only(
            "key",
            "number",
            "title",
            "status",
            "version",
            "opened_at",
            "submitted_at",
            "passed_count",
            "failed_count",
            "milestone__key",
            "milestone__name",
            "submitted_by__display_name",
            "submitted_by__email",
        )
        .order_by("-number")
    )
    for row in rows:
        row.project = project
    return rows


def uat_round_get(
    *, project: Project, audience: Audience, number: int | None = None, key: str = ""
) -> UatRound:
    """One round, by its number or its key (UAT-n), with its cases (their
    requirement and the defect a failure raised) as `case_rows`; 404 for a
    draft the client may not see. Two queries."""
    by = {"number": number} if number is not None else {"key": key.upper()[:20]}
    found = list(
        UatRound.objects.for_audience(audience)
        .filter(project=project, **by)
        .select_related("milestone", "opened_by", "submitted_by")
        .order_by()[:1]
    )
    if not found:
        raise Http404
    round_ = found[0]
    round_.project = project
    cases = (
        UatCase.objects.filter(round=round_)
        .select_related("requirement", "issue")
        .only(
            "round_id",
            "position",
            "title",
            "steps",
            "result",
            "note",
            "requirement__key",
            "requirement__title",
            "issue__key",
            "issue__status",
            "issue__severity",
        )
    )
    round_.case_rows = list(cases.order_by("position", "id"))
    return round_


def case_get(*, project: Project, pk: int) -> UatCase:
    """A case of a round of the project (the team's), with its round."""
    found = list(
        UatCase.objects.filter(pk=pk, round__project=project)
        .select_related("round", "round__milestone", "requirement")
        .order_by()[:1]
    )
    if not found:
        raise Http404
    found[0].round.project = project
    return found[0]


def milestones_to_test(*, project: Project) -> QuerySet[Milestone]:
    """The milestones a round may test: those the client sees."""
    return Milestone.objects.filter(project=project, client_visible=True).order_by("due_date", "id")


# -- verified by the client ---------------------------------------------------------


def verified_by_client(*, project: Any, requirement_ids: Iterable[int]) -> set[int]:
    """The requirements every UAT case of which passed in the latest closed
    round that tested them (one query)."""
    latest: dict[int, int] = {}
    passed: dict[int, bool] = defaultdict(lambda: True)
    rows = (
        UatCase.objects.filter(
            round__project=project,
            round__status=UatRound.Status.CLOSED,
            requirement_id__in=list(requirement_ids),
        )
        .order_by()
        .values_list("requirement_id", "round__number", "result")
    )
    for requirement_id, number, result in rows:
        if number > latest.get(requirement_id, 0):
            latest[requirement_id] = number
            passed[requirement_id] = True
        if number == latest[requirement_id] and result != UatCase.Result.PASSED:
            passed[requirement_id] = False
    return {pk for pk in latest if passed[pk]}


# -- the overview's card ------------------------------------------------------------


@dataclass(frozen=True)
class LastResults:
    check: QualityCheck | None
    round: UatRound | None


def last_results(*, project: Project, audience: Audience) -> LastResults:
    """The last check and the last closed UAT round (two queries)."""
    check = list(
        QualityCheck.objects.for_audience(audience)
        .filter(project=project)
        .only("number", "kind", "result", "checked_on")
        .order_by("-checked_on", "-number")[:1]
    )
    round_ = list(
        UatRound.objects.filter(project=project, status=UatRound.Status.CLOSED)
        .only("key", "number", "status", "passed_count", "failed_count", "submitted_at")
        .order_by("-number")[:1]
    )
    return LastResults(check[0] if check else None, round_[0] if round_ else None)


# -- what waits for the client (core.registry.ClientDecision) ---------------------


def rounds_waiting(projects: list[int]) -> QuerySet[UatRound]:
    """Rounds opened to the client and not submitted yet, oldest first."""
    return (
        UatRound.objects.filter(project__in=projects, status=UatRound.Status.OPEN)
        .select_related("project", "milestone")
        .only(
            "pk", "key", "number", "opened_at", "project__code", "project__name", "milestone__name"
        )
        .order_by("opened_at", "id")
    )
