"""Time's part of the demo data (`manage.py demo_data`): on ACME-WMS, ten weeks
of time from five people (two joining the team here), the older weeks
approved, the last two waiting for the manager, one day of last week sent
back with a reason and this week still a draft, and Dev Li's timer running
on one of their tasks; on HN-EMR, a few weeks in Chinese notes before it
ended. Runs after the plan (its tasks) and the changes. Imported only by the
demo app (through finance/demo.py)."""

import datetime as dt
from decimal import Decimal

from liaison.accounts.models import OrgMembership, User
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.finance.models import Rate, Timesheet
from liaison.finance.services.time import time_entry_create, timesheet_save_week
from liaison.finance.services.timer import timer_start
from liaison.finance.services.timesheets import (
    timesheet_approve,
    timesheet_reject,
    timesheet_submit,
)
from liaison.finance.weeks import week_of
from liaison.planning.models import Task
from liaison.projects.member_services import member_invite
from liaison.projects.models import Membership

WEEKS = 10
# Who joins ACME-WMS for its time: the name before the @, the display name.
NEWCOMERS = [("ops", "Olga Ortiz"), ("ba", "Ben Adams 白斌")]
WMS_PEOPLE = ("pm", "dev", "qa", "ops", "ba")
# Each person's usual day, Monday to Friday: hours on their tasks.
DAY_HOURS = [Decimal("8"), Decimal("7.5"), Decimal("8"), Decimal("6"), Decimal("7")]
# The role rates of the demo's currencies (cost, bill per hour), from long ago.
ROLE_RATES = {
    "USD": {"manager": ("95", "160"), "member": ("70", "120")},
    "CNY": {"manager": ("600", "1000"), "member": ("450", "800")},
}
EMR_NOTES = ["数据迁移脚本调试", "医生工作站培训", "医保接口联调", "上线前回归测试"]


def _newcomers(world: DemoWorld) -> None:
    """Two more of the firm's staff on ACME-WMS, whom later steps may use too."""
    wms, pm = world.projects["ACME-WMS"], world.people["pm"]
    for name, display in NEWCOMERS:
        user = User.objects.create_user(
            email=f"{name}@demo.test", password="liaison-demo", display_name=display
        )
        OrgMembership.objects.create(organization=world.organization, user=user)
        member_invite(
            project=wms, by=pm, email=user.email, role=Membership.Role.MEMBER, confirm=True
        )
        world.people[name] = user


def _rates(world: DemoWorld) -> None:
    """Role rates where none exist yet (the rates pages are the admins'), so
    that approving prices each hour."""
    for currency, roles in ROLE_RATES.items():
        if Rate.objects.filter(organization=world.organization, currency=currency).exists():
            continue
        for role, (cost, bill) in roles.items():
            Rate.objects.create(
                organization=world.organization,
                role=role,
                currency=currency,
                cost_rate=Decimal(cost),
                bill_rate=Decimal(bill),
                effective_from=world.days(-400),
                created_by=world.people["admin"],
            )


def _week_cells(tasks: list[int], week: dt.date, shift: int, last_day: dt.date) -> dict:
    """A person's week: each working day's hours on one of their tasks (or
    project work when they have none), up to `last_day`."""
    cells = {}
    for n in range(5):
        day = week + dt.timedelta(days=n)
        if day > last_day:
            break
        task = tasks[(n + shift) % len(tasks)] if tasks else None
        cells[(task, day)] = DAY_HOURS[(n + shift) % len(DAY_HOURS)]
    return cells


def _decide(world: DemoWorld, sheet: Timesheet, weeks_ago: int, shift: int) -> None:
    """Older weeks approved, the last two waiting; last week's first
    person's Tuesday sent back."""
    pm = world.people["pm"]
    sheet = timesheet_submit(timesheet=sheet, by=sheet.person, version=sheet.version)
    if weeks_ago > 2:
        timesheet_approve(timesheet=sheet, by=pm, version=sheet.version)
    elif weeks_ago == 1 and shift == 1:
        tuesday = sheet.entries.filter(day=sheet.week + dt.timedelta(days=1))
        timesheet_reject(
            timesheet=sheet,
            by=pm,
            version=sheet.version,
            entry_ids=list(tuesday.values_list("pk", flat=True)),
            reason="Tuesday was the vendor workshop: log it as project work, not on the task.",
        )


def _wms(world: DemoWorld) -> None:
    wms = world.projects["ACME-WMS"]
    this_week = week_of(world.today)
    for shift, name in enumerate(WMS_PEOPLE):
        person = world.people[name]
        tasks = list(
            Task.objects.filter(project=wms, assignee=person)
            .order_by("number")
            .values_list("pk", flat=True)[:3]
        )
        for weeks_ago in range(WEEKS - 1, -1, -1):
            week = this_week - dt.timedelta(days=7 * weeks_ago)
            cells = _week_cells(tasks, week, shift, world.today)
            sheet = timesheet_save_week(project=wms, by=person, week=week, version=0, cells=cells)
            if weeks_ago and sheet.pk:
                _decide(world, sheet, weeks_ago, shift)


def _emr(world: DemoWorld) -> None:
    """Four weeks before the hospital's go-live, in Chinese, all approved but the last."""
    emr, pm = world.projects["HN-EMR"], world.people["pm"]
    last = week_of(world.days(-12))
    for shift, name in enumerate(("pm", "dev", "qa")):
        person = world.people[name]
        for weeks_ago in range(3, -1, -1):
            week = last - dt.timedelta(days=7 * weeks_ago)
            for n in range(4):
                time_entry_create(
                    project=emr,
                    by=person,
                    day=week + dt.timedelta(days=n),
                    hours=Decimal(3 + (n + shift) % 2),  # beside their WMS days
                    note=EMR_NOTES[(n + weeks_ago) % len(EMR_NOTES)],
                )
            sheet = Timesheet.objects.get(project=emr, person=person, week=week)
            sheet = timesheet_submit(timesheet=sheet, by=person, version=sheet.version)
            if weeks_ago:
                timesheet_approve(timesheet=sheet, by=pm, version=sheet.version)


def _timer(world: DemoWorld) -> None:
    """Dev Li's timer, started as the demo loads, on their first open task."""
    wms, dev = world.projects["ACME-WMS"], world.people["dev"]
    task = (
        Task.objects.filter(project=wms, assignee=dev)
        .exclude(status=Task.Status.DONE)
        .order_by("number")
        .first()
    )
    timer_start(project=wms, by=dev, task=task, note="调试拣货单打印")


def load(world: DemoWorld) -> None:
    _newcomers(world)
    _rates(world)
    _wms(world)
    _emr(world)
    _timer(world)


registry.add(DemoStep("time", order=41, load=load))
