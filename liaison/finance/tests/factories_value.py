"""What earned value reads, made straight in the models (the time and money
services are other parts' work):

make_budget(project, "4000")                      # agreed total, no reserve
make_budget(project, "5000", reserve="1000", shared=True)
plan_tasks(project, [(start, finish, estimate), ...])  # tasks and a plan baseline
approve_time(project, person, day, hours="10", rate="100", task=task)
make_expense(project, day, "250")
fence(project)                                    # the worked example (test_value_example)
"""

import datetime as dt
from decimal import Decimal

from conftest import TODAY
from liaison.accounts.models import User
from liaison.finance.models import (
    Budget,
    BudgetChange,
    BudgetLine,
    EntryStatus,
    Expense,
    TimeEntry,
    Timesheet,
)
from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.projects.models import Project

# The Monday of the week before conftest's TODAY (whichever day the suite runs on).
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday() + 7)


def make_budget(
    project: Project,
    agreed: str,
    *,
    reserve: str = "0",
    shared: bool = False,
    changes: str = "0",
) -> Budget:
    """A budget agreed at `agreed`, with a labour line, a contingency reserve line
    (when given) and an approved change request of `changes` (when not zero)."""
    budget = Budget.objects.create(
        project=project, agreed_total=Decimal(agreed), share_with_client=shared
    )
    reserve_amount = Decimal(reserve)
    BudgetLine.objects.create(
        budget=budget,
        kind=BudgetLine.Kind.LABOUR,
        description="Build",
        amount=Decimal(agreed) - reserve_amount,
    )
    if reserve_amount:
        BudgetLine.objects.create(
            budget=budget,
            kind=BudgetLine.Kind.RESERVE,
            description="Reserve",
            amount=reserve_amount,
        )
    if Decimal(changes):
        BudgetChange.objects.create(
            budget=budget,
            kind=BudgetChange.Kind.CHANGE_REQUEST,
            amount=Decimal(changes),
            total_after=Decimal(agreed),
        )
    return budget


def plan_tasks(
    project: Project,
    spans: list[tuple[dt.date, dt.date, str | None]],
    *,
    milestone: Milestone | None = None,
) -> list[Task]:
    """One task per (start, finish, estimate hours), in bulk, and a new plan
    baseline that froze their dates with the latest one's."""
    first = Task.objects.filter(project=project).count() + 1
    tasks = Task.objects.bulk_create(
        Task(
            project=project,
            key=f"T-{number}",
            number=number,
            title=f"Task {number}",
            start_date=start,
            due_date=finish,
            estimate_hours=Decimal(estimate) if estimate else None,
            milestone=milestone,
        )
        for number, (start, finish, estimate) in enumerate(spans, start=first)
    )
    latest = PlanBaseline.objects.filter(project=project).order_by("-number").first()
    dated = {
        str(task.pk): [task.start_date.isoformat(), task.due_date.isoformat()] for task in tasks
    }
    PlanBaseline.objects.create(  # the plan so far and these tasks
        project=project,
        number=latest.number + 1 if latest else 1,
        name="Signed plan",
        tasks={**(latest.tasks if latest else {}), **dated},
        milestones={},
    )
    return tasks


def approve_time(
    project: Project,
    person: User,
    day: dt.date,
    *,
    hours: str,
    rate: str,
    task: Task | None = None,
    status: str = EntryStatus.APPROVED,
) -> TimeEntry:
    """An entry of `hours` on `day`, approved at cost `rate` (its timesheet too)."""
    week = day - dt.timedelta(days=day.weekday())
    sheet, _ = Timesheet.objects.get_or_create(
        project=project, person=person, week=week, defaults={"status": status}
    )
    return TimeEntry.objects.create(
        timesheet=sheet,
        project=project,
        person=person,
        day=day,
        task=task,
        hours=Decimal(hours),
        status=status,
        cost_rate=Decimal(rate) if status == EntryStatus.APPROVED else None,
        bill_rate=Decimal(rate) * 2 if status == EntryStatus.APPROVED else None,
    )


def make_expense(project: Project, day: dt.date, amount: str) -> Expense:
    number = Expense.objects.filter(project=project).count() + 1
    return Expense.objects.create(
        project=project,
        number=number,
        day=day,
        category=Expense.Category.TRAVEL,
        description="Site visit",
        amount=Decimal(amount),
    )


def fence(project: Project, person: User) -> list[Task]:
    """The fence of test_value_example: four one-day sides Monday to Thursday,
    budget 4,000; by Wednesday evening two sides built (1,000 and 1,200 spent),
    the third half built (600 spent)."""
    make_budget(project, "4000")
    days = [MONDAY + dt.timedelta(days=n) for n in range(4)]
    sides = plan_tasks(project, [(day, day, "8") for day in days])
    for side, progress, status in zip(
        sides, (100, 100, 50, 0), ("done", "done", "in_progress", "todo"), strict=True
    ):
        Task.objects.filter(pk=side.pk).update(progress=progress, status=status)
    for side, day, hours in zip(sides[:3], days[:3], ("10", "12", "6"), strict=True):
        approve_time(project, person, day, hours=hours, rate="100", task=side)
    return sides
