"""The bench project's time: its managers and members log four tasks a day,
two hours each, week after week back from this one; every week approved but
the last two, submitted and waiting, and this one, a draft. Approved entries
are priced as approving prices them (`rates_in_force`) from the rates the money
part made, so it runs after that part. Inserted in bulk (the timesheet_week,
time_approvals and time_entries_api_100 scenarios)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from liaison.finance.models import EntryStatus, Rate, TimeEntry, Timesheet
from liaison.finance.selectors.rates import rates_in_force
from liaison.finance.weeks import week_of
from liaison.planning.models import Task
from liaison.projects.models import Membership, Project

PER_DAY = 4  # entries a day, on four tasks
HOURS = Decimal("2")
WAITING_WEEKS = 2
TEAM = (Membership.Role.MANAGER, Membership.Role.MEMBER)
BATCH = 5000


def _status(weeks_ago: int) -> str:
    if weeks_ago == 0:
        return EntryStatus.DRAFT
    return EntryStatus.SUBMITTED if weeks_ago <= WAITING_WEEKS else EntryStatus.APPROVED


def _prices(bench: Project, sheets: list[Timesheet]) -> dict[tuple[int, datetime.date], Rate]:
    """The rate in force for each person on each day of their approved weeks."""
    days: dict[int, set[datetime.date]] = {}
    for sheet in sheets:
        if sheet.status == EntryStatus.APPROVED:
            week = (sheet.week + datetime.timedelta(days=n) for n in range(5))
            days.setdefault(sheet.person_id, set()).update(week)
    prices = {}
    for person, person_days in days.items():
        for day, rate in rates_in_force(project=bench, person_id=person, days=person_days).items():
            if rate is None:
                raise RuntimeError(f"bench data: no rate for person {person} on {day}")
            prices[person, day] = rate
    return prices


def build_time(bench: Project, entries: int, rng: random.Random) -> dict[str, int]:
    """About `entries` time entries (whole weeks) over the bench team."""
    team = list(
        Membership.objects.filter(project=bench, role__in=TEAM)
        .order_by("id")
        .values_list("user_id", flat=True)
    )
    tasks = list(Task.objects.filter(project=bench).order_by("number").values_list("pk", flat=True))
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
    prices = _prices(bench, sheets)
    rows: list[TimeEntry] = []
    for sheet in sheets:
        rows += _week(sheet, prices, tasks, rng, today, now)
        if len(rows) >= BATCH:
            TimeEntry.objects.bulk_create(rows)
            rows = []
    TimeEntry.objects.bulk_create(rows)
    return {"time entries": TimeEntry.objects.filter(project=bench).count()}


def _week(sheet: Timesheet, prices: dict, tasks: list[int], rng, today, now) -> list[TimeEntry]:
    approved = sheet.status == EntryStatus.APPROVED
    offset = rng.randrange(len(tasks) - PER_DAY)
    days = (sheet.week + datetime.timedelta(days=n) for n in range(5))
    return [
        TimeEntry(
            timesheet=sheet,
            project_id=sheet.project_id,
            person_id=sheet.person_id,
            day=day,
            task_id=tasks[offset + n],
            hours=HOURS,
            billable=n != PER_DAY - 1,
            note=f"Work on the pick flow, part {n + 1}",
            status=sheet.status,
            cost_rate=prices[sheet.person_id, day].cost_rate if approved else None,
            bill_rate=prices[sheet.person_id, day].bill_rate if approved else None,
            approved_at=now if approved else None,
        )
        for day in days
        if day <= today
        for n in range(PER_DAY)
    ]
