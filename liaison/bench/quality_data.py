"""The bench project's quality: a plan of eight standards, 200 checks with three
findings each (some opened an issue), and five acceptance-test rounds of 40
cases on its first milestones, the last four with the client's results, the
newest still open to them; inserted in bulk (the quality and uat_round
scenarios). Small on purpose: a plan and its rounds are short lists."""

import datetime
import random

from django.utils import timezone

from liaison.controls.models import (
    Issue,
    QualityCheck,
    QualityFinding,
    QualityStandard,
    UatCase,
    UatRound,
)
from liaison.planning.models import Milestone
from liaison.projects.models import KeyCounter, Membership, Project
from liaison.requirements.models import Requirement

STANDARDS = 8
CHECKS = 200
ROUNDS = 5
CASES = 40
# The round the uat_round scenario reads: the newest, open to the client.
OPEN_ROUND = ROUNDS


def _checks(bench: Project, standards: list[QualityStandard], team: list[int], rng, today):
    checks = QualityCheck.objects.bulk_create(
        QualityCheck(
            project=bench,
            number=n,
            kind=rng.choice(QualityCheck.Kind.values),
            standard=standards[n % len(standards)],
            checked_on=today - datetime.timedelta(days=CHECKS - n),
            checked_by_id=team[n % len(team)],
            result=rng.choices(QualityCheck.Result.values, [6, 3, 1])[0],
            notes=f"Run {n} of the release checklist.",
            client_visible=n % 2 == 0,
        )
        for n in range(1, CHECKS + 1)
    )
    issues = list(Issue.objects.filter(project=bench).values_list("pk", flat=True)[:CHECKS])
    QualityFinding.objects.bulk_create(
        QualityFinding(
            quality_check=check,
            position=p,
            text=f"Finding {p} of QC-{check.number}: response over 2 s on the pick list",
            issue_id=issues[check.number - 1] if p == 1 and check.number <= len(issues) else None,
        )
        for check in checks
        for p in (1, 2, 3)
    )
    KeyCounter.objects.update_or_create(project=bench, prefix="QC", defaults={"last": CHECKS})


def _rounds(bench: Project, client_id: int, rng, now) -> None:
    milestones = list(Milestone.objects.filter(project=bench).order_by("due_date", "id")[:ROUNDS])
    requirements = list(
        Requirement.objects.filter(project=bench, client_visible=True).values_list("pk", flat=True)[
            : CASES * 2
        ]
    )
    rounds = UatRound.objects.bulk_create(
        UatRound(
            project=bench,
            key=f"UAT-{n}",
            number=n,
            milestone=milestones[(n - 1) % len(milestones)],
            title=f"Round {n}",
            status=UatRound.Status.OPEN if n == OPEN_ROUND else UatRound.Status.CLOSED,
            opened_at=now - datetime.timedelta(days=10 * (ROUNDS - n) + 3),
            submitted_at=None
            if n == OPEN_ROUND
            else now - datetime.timedelta(days=10 * (ROUNDS - n)),
            submitted_by_id=None if n == OPEN_ROUND else client_id,
        )
        for n in range(1, ROUNDS + 1)
    )
    cases = []
    for round_ in rounds:
        for p in range(1, CASES + 1):
            closed = round_.status == UatRound.Status.CLOSED
            failed = closed and rng.random() < 0.1
            cases.append(
                UatCase(
                    round=round_,
                    position=p,
                    title=f"Case {p}: the pick list follows the bin walk",
                    steps="1. Release a wave\n2. Print the pick list",
                    requirement_id=requirements[(p * 2 + round_.number) % len(requirements)]
                    if requirements and p % 2
                    else None,
                    result=("failed" if failed else "passed") if closed else "",
                    note="The list is in SKU order." if failed else "",
                )
            )
    UatCase.objects.bulk_create(cases)
    for round_ in rounds:
        if round_.status == UatRound.Status.CLOSED:
            failed = UatCase.objects.filter(round=round_, result="failed").count()
            UatRound.objects.filter(pk=round_.pk).update(
                passed_count=CASES - failed, failed_count=failed
            )
    KeyCounter.objects.update_or_create(project=bench, prefix="UAT", defaults={"last": ROUNDS})


def build_quality(bench: Project, client_id: int, rng: random.Random) -> dict[str, int]:
    team = list(
        Membership.objects.filter(
            project=bench, role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER)
        ).values_list("user_id", flat=True)
    )
    standards = QualityStandard.objects.bulk_create(
        QualityStandard(
            project=bench,
            position=n,
            title=f"Standard {n}: response time under 2 s",
            criterion="95 % of the pages answer within 2 s at the peak.",
            method="A load test before each release.",
        )
        for n in range(1, STANDARDS + 1)
    )
    _checks(bench, standards, team, rng, timezone.localdate())
    _rounds(bench, client_id, rng, timezone.now())
    return {"quality checks": CHECKS, "uat cases": ROUNDS * CASES}
