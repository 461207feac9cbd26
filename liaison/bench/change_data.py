"""The bench project's change requests: a year of them in every state, with the
requirements, milestones and tasks they touch, inserted in bulk."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from liaison.changes.models import ChangeRequest
from liaison.changes.selectors.impact import change_impact
from liaison.planning.models import Dependency, Milestone, Task
from liaison.projects.models import KeyCounter, Project
from liaison.requirements.models import Requirement

Status = ChangeRequest.Status
# How a year of change requests ends up, by share of the total.
STATUS_WEIGHTS = [
    (Status.SUBMITTED, 8),
    (Status.ASSESSING, 8),
    (Status.AWAITING_CLIENT, 4),
    (Status.APPROVED, 30),
    (Status.IMPLEMENTED, 40),
    (Status.REJECTED, 6),
    (Status.WITHDRAWN, 4),
]
SENT = (Status.AWAITING_CLIENT, Status.APPROVED, Status.IMPLEMENTED, Status.REJECTED)
WHAT = [
    ("Add a night shift to the picking waves", "夜班拣货波次"),
    ("Print carrier labels from the packing station", "包装台打印承运商面单"),
    ("Block shipping when the credit limit is reached", "超出信用额度时禁止发货"),
    ("Add a second warehouse to the ERP interface", "ERP 接口增加第二个仓库"),
    ("Show cycle-count variance on the dashboard", "看板显示盘点差异"),
    ("Scan serial numbers at receiving", "收货时扫描序列号"),
    ("Split the pallet report by customer", "托盘报表按客户拆分"),
    ("Let supervisors reassign picking tasks", "主管可重新分配拣货任务"),
]
WHY = [
    "The client opens a second site in March.",
    "Auditors asked for it after the last stock count.",
    "Peak season doubles the order volume.",
    "The carrier changes its label format in January.",
]


def impact_change_task(project: Project) -> Task:
    """The dated task whose move pushes most of the plan: the impact scenario's."""
    busiest = (
        Dependency.objects.filter(project=project, predecessor__start_date__isnull=False)
        .values_list("predecessor_id", flat=True)
        .order_by("predecessor__start_date", "predecessor_id")
        .first()
    )
    assert busiest is not None, "the bench plan has dependencies"
    return Task.objects.get(pk=busiest)


def build_changes(bench: Project, client_id: int, count: int, rng: random.Random) -> dict[str, int]:
    """CR-1…CR-n over the past year; the last assessing one moves the plan's first
    linked task (the cr_impact_preview scenario); sent ones carry their frozen impact."""
    if count == 0:
        return {}
    requirements = list(
        Requirement.objects.filter(project=bench).order_by("id").values_list("pk", flat=True)
    )
    milestones = list(Milestone.objects.filter(project=bench).order_by("due_date"))
    dated = list(
        Task.objects.filter(project=bench, start_date__isnull=False)
        .order_by("number")
        .values_list("pk", "key", "start_date", "due_date")
    )
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    now = timezone.now()
    rows = []
    for n in range(1, count + 1):
        status = rng.choices(statuses, weights)[0]
        what, what_zh = WHAT[n % len(WHAT)]
        created = now - datetime.timedelta(days=365 * (count - n) // count, hours=n % 9)
        schedule = []
        if dated and n % 3 == 0:
            _pk, key, start, due = dated[rng.randrange(len(dated))]
            assert start is not None and due is not None  # the bench's tasks have both dates
            slip = datetime.timedelta(days=rng.randint(1, 5))
            schedule = [{"task": key, "start": start.isoformat(), "due": (due + slip).isoformat()}]
        rows.append(
            ChangeRequest(
                project=bench,
                key=f"CR-{n}",
                number=n,
                title=what if n % 4 else what_zh,
                description=f"{what}.\n\n- Raised in workshop {n % 30 + 1}\n- Affects the "
                "warehouse team and the client's planners.",
                reason=WHY[n % len(WHY)],
                origin=ChangeRequest.Origin.CLIENT if n % 5 < 2 else ChangeRequest.Origin.TEAM,
                priority=rng.choice(ChangeRequest.Priority.values),
                status=status,
                requested_by_id=bench.manager_id,
                owner_id=bench.manager_id if status != Status.SUBMITTED else None,
                effort_hours=Decimal(rng.randint(4, 120)) if status != Status.SUBMITTED else None,
                cost=Decimal(rng.randint(2, 60) * 500) if status != Status.SUBMITTED else None,
                scope_impact="Two more screens and one report."
                if status != Status.SUBMITTED
                else "",
                risk_level=rng.choice(ChangeRequest.Risk.values),
                schedule_changes=schedule,
                client_visible=n % 10 != 0,
                sent_at=created + datetime.timedelta(days=3) if status in SENT else None,
                decided_by_id=_decider(status, bench.manager_id, client_id),
                decided_at=created + datetime.timedelta(days=6)
                if status not in (Status.SUBMITTED, Status.ASSESSING, Status.AWAITING_CLIENT)
                else None,
                decided_name="Bench Client"
                if status in (Status.APPROVED, Status.IMPLEMENTED)
                else "",
                implemented_at=created + datetime.timedelta(days=20)
                if status == Status.IMPLEMENTED
                else None,
            )
        )
    _impact_target(rows, dated, bench)
    changes = ChangeRequest.objects.bulk_create(rows, batch_size=2000)
    for change in changes:  # auto_now_add ignores a given value: spread them over the year
        change.created_at = now - datetime.timedelta(days=365 * (count - change.number) // count)
    ChangeRequest.objects.bulk_update(changes, ["created_at"], batch_size=2000)
    _links(changes, requirements, milestones, dated, rng)
    for change in changes:
        if change.status in SENT and change.schedule_changes:
            change.impact = change_impact(change=change).as_json()
    ChangeRequest.objects.bulk_update(changes, ["impact"], batch_size=500)
    KeyCounter.objects.create(project=bench, prefix="CR", last=count)
    return {"change requests": len(changes)}


def _decider(status: str, manager_id: int, client_id: int) -> int | None:
    if status == Status.WITHDRAWN:
        return manager_id
    return client_id if status in (Status.APPROVED, Status.IMPLEMENTED, Status.REJECTED) else None


def _impact_target(rows: list[ChangeRequest], dated: list, bench: Project) -> None:
    """The last CR is being assessed and moves the plan's first linked task by a week."""
    if not dated:
        return
    task = impact_change_task(bench)
    start, due = task.start_date, task.due_date
    assert start is not None and due is not None  # a dated task, with a due date as all here
    last = rows[-1]
    last.status = ChangeRequest.Status.ASSESSING
    last.sent_at = last.decided_at = last.implemented_at = None
    last.decided_name = ""
    last.schedule_changes = [
        {
            "task": task.key,
            "start": start.isoformat(),
            "due": (due + datetime.timedelta(days=7)).isoformat(),
        }
    ]


def _links(changes, requirements, milestones, dated, rng) -> None:
    """One to three requirements and tasks per change, a milestone for half of them."""
    requirement_link = ChangeRequest.requirements.through
    rows = (
        [
            requirement_link(changerequest_id=change.pk, requirement_id=pk)
            for change in changes
            for pk in {rng.choice(requirements) for _ in range(rng.randint(1, 3))}
        ]
        if requirements
        else []
    )
    requirement_link.objects.bulk_create(rows, batch_size=5000)
    task_link = ChangeRequest.tasks.through
    task_rows = (
        [
            task_link(changerequest_id=change.pk, task_id=pk)
            for change in changes
            for pk in {rng.choice(dated)[0] for _ in range(rng.randint(1, 3))}
        ]
        if dated
        else []
    )
    task_link.objects.bulk_create(task_rows, batch_size=5000)
    milestone_link = ChangeRequest.milestones.through
    milestone_rows = [
        milestone_link(changerequest_id=change.pk, milestone_id=rng.choice(milestones).pk)
        for change in changes
        if milestones and change.number % 2
    ]
    milestone_link.objects.bulk_create(milestone_rows, batch_size=5000)
