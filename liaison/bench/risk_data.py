"""The bench project's risk register: 500 risks across the heat map and every
status, owned by its team, some shared with the client, a few linked to tasks
and milestones, inserted in bulk (the risk_register and risks_api scenarios)."""

import datetime
import random

from django.utils import timezone

from liaison.controls.models import Risk
from liaison.planning.models import Milestone, Task
from liaison.projects.models import KeyCounter, Membership, Project

Status = Risk.Status
STATUS_WEIGHTS = [
    (Status.IDENTIFIED, 15),
    (Status.ASSESSED, 20),
    (Status.RESPONSE_PLANNED, 20),
    (Status.MONITORING, 25),
    (Status.OCCURRED, 5),
    (Status.CLOSED, 15),
]
WHAT = [
    ("RF scanner delivery delayed", "手持终端到货延迟"),
    ("Legacy SKU master data incomplete", "历史物料主数据不完整"),
    ("Go-live falls in the peak season", "上线时间落在业务高峰"),
    ("Key users unavailable for testing", "关键用户无法参与测试"),
    ("ERP interface changes late", "ERP 接口变更过晚"),
    ("Wi-Fi gaps in the cold store", "冷库无线覆盖不足"),
]


def build_risks(bench: Project, count: int, rng: random.Random) -> dict[str, int]:
    """RISK-1…RISK-n over the past half year."""
    if count == 0:
        return {}
    team = list(
        Membership.objects.filter(
            project=bench, role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER)
        ).values_list("user_id", flat=True)
    )
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    now = timezone.now()
    today = timezone.localdate()
    rows = []
    for n in range(1, count + 1):
        status = rng.choices(statuses, weights)[0]
        probability, impact = rng.randint(1, 5), rng.randint(1, 5)
        what, what_zh = WHAT[n % len(WHAT)]
        created = now - datetime.timedelta(days=180 * (count - n) // count, hours=n % 7)
        rows.append(
            Risk(
                project=bench,
                key=f"RISK-{n}",
                number=n,
                title=f"{what} ({n})" if n % 4 else f"{what_zh}（{n}）",
                description=f"{what}.\n\n- Seen in workshop {n % 20 + 1}",
                category=rng.choice(Risk.Category.values),
                cause="The vendor's lead times grew this year.",
                event=what,
                effect="The pilot slips by two weeks.",
                probability=probability,
                impact=impact,
                score=probability * impact,
                affects_schedule=n % 2 == 0,
                affects_cost=n % 3 == 0,
                owner_id=team[n % len(team)] if n % 5 else None,
                strategy=rng.choice(Risk.Strategy.values) if status != Status.IDENTIFIED else "",
                preventive_actions="Confirm the date weekly\nOrder spares",
                contingency_actions="Run the pilot in one zone",
                next_review_date=today + datetime.timedelta(days=rng.randint(-20, 40)),
                status=status,
                client_visible=n % 3 != 0,
                occurred_at=created + datetime.timedelta(days=30)
                if status == Status.OCCURRED
                else None,
                closed_at=created + datetime.timedelta(days=40)
                if status == Status.CLOSED
                else None,
            )
        )
    risks = Risk.objects.bulk_create(rows, batch_size=2000)
    for risk in risks:  # auto_now_add ignores a given value: spread them over the half year
        risk.created_at = now - datetime.timedelta(days=180 * (count - risk.number) // count)
    Risk.objects.bulk_update(risks, ["created_at"], batch_size=2000)
    _links(bench, risks, rng)
    KeyCounter.objects.create(project=bench, prefix="RISK", last=count)
    return {"risks": len(risks)}


def _links(bench: Project, risks: list[Risk], rng: random.Random) -> None:
    """A task for every other risk, a milestone for every fifth."""
    tasks = list(
        Task.objects.filter(project=bench).order_by("number").values_list("pk", flat=True)[:500]
    )
    milestones = list(Milestone.objects.filter(project=bench).values_list("pk", flat=True))
    if tasks:
        Risk.tasks.through.objects.bulk_create(
            [Risk.tasks.through(risk_id=r.pk, task_id=rng.choice(tasks)) for r in risks[::2]],
            batch_size=5000,
        )
    if milestones:
        Risk.milestones.through.objects.bulk_create(
            [
                Risk.milestones.through(risk_id=r.pk, milestone_id=rng.choice(milestones))
                for r in risks[::5]
            ],
            batch_size=5000,
        )
