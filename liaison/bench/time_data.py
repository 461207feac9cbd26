"""The bench project's time: its managers and members log four tasks a day,
two hours each, week after week back from this one; every week approved
(priced at the role rates) but the last two, submitted and waiting, and this
one, a draft. Inserted in bulk (the timesheet_week, time_approvals and
time_entries_api_100 scenarios)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from liaison.finance.models import EntryStatus, Rate, TimeEntry, Timesheet
from liaison.finance.weeks import week_of
from liaison.planning.models import Task
from liaison.projects.models import Membership, Project

PER_DAY = 4  # entries a day, on four tasks
HOURS = Decimal("2")
WAITING_WEEKS = 2
RATES = {Membership.Role.MANAGER: ("90", "150"), Membership.Role.MEMBER: ("60", "110")}
BATCH = 5000


def _status(weeks_ago: int) -> str:
    if weeks_ago == 0:
        return EntryStatus.DRAFT
    return EntryStatus.SUBMITTED if weeks_ago <= WAITING_WEEKS else EntryStatus.APPROVED


def _rates(bench: Project) -> None:
    """Role rates, unless the bench's money data made the organization's already."""
    same = Rate.objects.filter(organization_id=bench.organization_id, currency=bench.currency)
    if same.exists():
        return
    Rate.objects.bulk_create(
        Rate(
            organization_id=bench.organization_id,
            role=role,
            currency=bench.currency,
            cost_rate=Decimal(cost),
            bill_rate=Decimal(bill),
            effective_from=datetime.date(2000, 1, 1),
        )
        for role, (cost, bill) in RATES.items()
    )


def build_time(bench: Project, entries: int, rng: random.Random) -> dict[str, int]:
    """About `entries` time entries (whole weeks) over the bench team."""
    team = dict(
        Membership.objects.filter(project=bench, role__in=list(RATES)).values_list(
            "user_id", "role"
        )
    )
    tasks = list(Task.objects.filter(project=bench).order_by("number").values_list("pk", flat=True))
    _rates(bench)
    this_week, today, now = week_of(timezone.localdate()), timezone.localdate(), timezone.now()
    weeks = max(1, entries // (len(team) * 5 * PER_DAY))
    sheets = Timesheet.objects.bulk_create(
        Timesheet(
            project=bench,
            person_id=person,
            week=this_week - datetime.timedelta(days=7 * n),
            status=_status(n),
            submitted_at=now if n else None,
            decided_at=now if n > WAITING_WEEKS else None,
        )
        for n in range(weeks)
        for person in team
    )
    rows: list[TimeEntry] = []
    for sheet in sheets:
        rows += _week(sheet, team, tasks, rng, today, now)
        if len(rows) >= BATCH:
            TimeEntry.objects.bulk_create(rows)
            rows = []
    TimeEntry.objects.bulk_create(rows)
    return {"time entries": TimeEntry.objects.filter(project=bench).count()}


def _week(sheet: Timesheet, team: dict, tasks: list[int], rng, today, now) -> list[TimeEntry]:
    cost, bill = RATES[team[sheet.person_id]]
    approved = sheet.status == EntryStatus.APPROVED
    offset = rng.randrange(len(tasks) - PER_DAY)
    return [
        TimeEntry(
            timesheet=sheet,
            project_id=sheet.project_id,
            person_id=sheet.person_id,
            day=sheet.week + datetime.timedelta(days=day),
            task_id=tasks[offset + n],
            hours=HOURS,
            billable=n != PER_DAY - 1,
            note=f"Work on the pick flow, part {n + 1}",
            status=sheet.status,
            cost_rate=Decimal(cost) if approved else None,
            bill_rate=Decimal(bill) if approved else None,
            approved_at=now if approved else None,
        )
        for day in range(5)
        if sheet.week + datetime.timedelta(days=day) <= today
        for n in range(PER_DAY)
    ]
