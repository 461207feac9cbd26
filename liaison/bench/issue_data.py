"""The bench project's issues (ISS-1…): a year of them in every state and
severity, some raised by the client, some overdue, blocked or escalated, with
a three-level escalation path; inserted in bulk."""

import datetime
import random

from django.utils import timezone

from liaison.controls.models import EscalationLevel, Issue, IssueEscalation
from liaison.projects.models import KeyCounter, Membership, Project

Status = Issue.Status
STATUS_WEIGHTS = [
    (Status.OPEN, 15),
    (Status.IN_PROGRESS, 10),
    (Status.RESOLVED, 10),
    (Status.VERIFIED, 15),
    (Status.CLOSED, 50),
]
SEVERITY_WEIGHTS = [("critical", 5), ("major", 30), ("minor", 45), ("cosmetic", 20)]
TITLES = [
    "Pick list sorts by SKU instead of bin location",
    "Scanner firmware crashes on long barcodes",
    "Carrier label prints the wrong service code",
    "Cycle count variance report times out",
    "医保结算接口报错",
    "Putaway suggestion ignores the pallet height",
    "Can the dashboard show yesterday's throughput?",
    "Returns screen loses the reason code",
]
# The issue the issue_detail scenario reads: an escalated one with its steps.
DETAIL_ISSUE = 3


def _team(bench: Project) -> list[int]:
    return list(
        Membership.objects.filter(
            project=bench, role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER)
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _issue(n: int, count: int, bench: Project, team: list[int], client_id: int, rng, now) -> Issue:
    status = rng.choices(*zip(*STATUS_WEIGHTS, strict=True))[0]
    severity = rng.choices(*zip(*SEVERITY_WEIGHTS, strict=True))[0]
    created = now - datetime.timedelta(days=365 * (count - n) // count, hours=n % 9)
    from_client = n % 5 == 0
    done = status in (Status.RESOLVED, Status.VERIFIED, Status.CLOSED)
    return Issue(
        project=bench,
        key=f"ISS-{n}",
        number=n,
        title=TITLES[n % len(TITLES)],
        description="Seen on the floor during the morning wave; photos attached to the ticket.",
        kind=("defect", "problem", "question", "dispute")[n % 7 % 4],
        severity=severity,
        status=status,
        raised_by_id=client_id if from_client else team[n % len(team)],
        raised_by_client=from_client,
        owner_id=team[(n * 7) % len(team)],
        due_date=(created + datetime.timedelta(days=14)).date(),
        blocked=not done and n % 11 == 0,
        client_visible=from_client or n % 3 == 0,
        root_cause="A missing index on the bin table." if done else "",
        solution="Added it and reloaded the layout." if done else "",
        resolved_at=created + datetime.timedelta(days=5) if done else None,
        created_at=created,
    )


def build_issues(bench: Project, client_id: int, count: int, rng: random.Random) -> dict[str, int]:
    """ISS-1…ISS-n over the past year; the path's three levels; issue
    DETAIL_ISSUE escalated twice."""
    if count == 0:
        return {}
    team = _team(bench)
    now = timezone.now()
    rows = [_issue(n, count, bench, team, client_id, rng, now) for n in range(1, count + 1)]
    created = [row.created_at for row in rows]
    issues = Issue.objects.bulk_create(rows, batch_size=500)
    # auto_now_add wrote the insert's time: set the year's spread back.
    for issue, when in zip(issues, created, strict=True):
        issue.created_at = when
    Issue.objects.bulk_update(issues, ["created_at"], batch_size=500)
    levels = EscalationLevel.objects.bulk_create(
        EscalationLevel(project=bench, level=number, title=title, person_id=team[number - 1])
        for number, title in enumerate(("Project manager", "Delivery head", "Sponsor"), start=1)
    )
    detail = issues[DETAIL_ISSUE - 1]
    IssueEscalation.objects.bulk_create(
        IssueEscalation(
            issue=detail, level=level.level, title=level.title, person_id=level.person_id,
            reason="overdue",
        )
        for level in levels[:2]
    )  # fmt: skip
    Issue.objects.filter(pk=detail.pk).update(escalation_level=2, status=Status.OPEN)
    KeyCounter.objects.create(project=bench, prefix="ISS", last=count)
    return {"issues": count}
