"""The plan's part of the demo data (`manage.py demo_data`): milestones (one
accepted by the client, one awaiting them, one sent back), tasks with
dependencies, a baseline, work calendars, capacities. Imported only by the demo
app, which is not installed in production."""

import datetime as dt
from typing import Any

from django.utils import timezone

from liaison.accounts.models import User
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.planning.models import Milestone, Task
from liaison.planning.scheduling import WorkCalendar
from liaison.planning.services.board import board_limits_set
from liaison.planning.services.milestones import (
    milestone_create,
    milestone_decide,
    milestone_submit,
    milestone_transition,
)
from liaison.planning.services.plan import (
    dependency_create,
    plan_baseline_create,
    plan_calendar_update,
)
from liaison.planning.services.tasks import task_create, task_move
from liaison.projects.models import Project

WEEKDAYS = WorkCalendar()  # demo tasks start and end on working days

# A task row: (name, title, start offset in days from today or None for a summary
# task, working days long, the assignee's name, fields). A "parent" names a row
# above, a "milestone" one of the project's milestones by its name here.
TaskRow = tuple[str, str, int | None, int, str, dict[str, Any]]

WMS_TASKS: list[TaskRow] = [
    ("discovery", "Discovery", None, 0, "pm", {"milestone": "pilot", "client_visible": True}),
    (
        "workshops",
        "Process workshops in the three warehouses",
        -58,
        8,
        "pm",
        {
            "parent": "discovery",
            "milestone": "pilot",
            "status": "done",
            "estimate_hours": 48,
            "client_visible": True,
        },
    ),
    (
        "mapping",
        "Map receiving and picking processes",
        -48,
        6,
        "qa",
        {"parent": "discovery", "milestone": "pilot", "status": "done", "estimate_hours": 30},
    ),
    (
        "receiving",
        "Build receiving with SSCC scanning",
        -40,
        12,
        "dev",
        {"milestone": "pilot", "status": "done", "estimate_hours": 90, "client_visible": True},
    ),
    (
        "putaway",
        "Put-away suggestion rules",
        -28,
        8,
        "dev",
        {"milestone": "pilot", "status": "done", "estimate_hours": 60},
    ),
    (
        "pilot",
        "Pilot go-live in Reno",
        -18,
        5,
        "pm",
        {"milestone": "pilot", "status": "done", "estimate_hours": 40, "client_visible": True},
    ),
    ("picking", "Picking", None, 0, "dev", {"milestone": "training", "client_visible": True}),
    (
        "waves",
        "Wave building and pick paths",
        -14,
        10,
        "dev",
        {"parent": "picking", "milestone": "training", "status": "done", "estimate_hours": 70},
    ),
    (
        "scanners",
        "Handheld scanner app",
        -10,
        12,
        "dev",
        {
            "parent": "picking",
            "milestone": "training",
            "status": "in_progress",
            "progress": 80,
            "estimate_hours": 96,
            "client_visible": True,
        },
    ),
    (
        "shortpick",
        "Short-pick alerts to the shift lead",
        0,
        4,
        "qa",
        {
            "parent": "picking",
            "milestone": "training",
            "status": "in_progress",
            "progress": 30,
            "estimate_hours": 24,
        },
    ),
    (
        "training",
        "Train pickers on all shifts",
        3,
        3,
        "pm",
        {"milestone": "training", "estimate_hours": 36, "client_visible": True},
    ),
    (
        "erp",
        "ERP order sync",
        4,
        15,
        "dev",
        {
            "milestone": "rollout",
            "status": "blocked",
            "estimate_hours": 120,
            "description": "Waiting for the ERP vendor's API credentials.",
        },
    ),
    (
        "uat",
        "User acceptance tests with Acme",
        21,
        8,
        "qa",
        {"milestone": "rollout", "estimate_hours": 64, "client_visible": True},
    ),
    (
        "fresno",
        "Go-live Fresno",
        31,
        5,
        "pm",
        {"milestone": "rollout", "estimate_hours": 40, "client_visible": True},
    ),
    (
        "tucson",
        "Go-live Tucson",
        38,
        5,
        "pm",
        {"milestone": "rollout", "estimate_hours": 40, "client_visible": True},
    ),
    ("docs", "Operations handbook", None, 0, "qa", {"estimate_hours": 16}),
]

# (before, after[, kind]): finish-to-start unless said otherwise.
WMS_LINKS: list[tuple[str, ...]] = [
    ("workshops", "mapping"),
    ("mapping", "receiving"),
    ("receiving", "putaway"),
    ("putaway", "pilot"),
    ("waves", "scanners", "SS"),
    ("scanners", "training"),
    ("shortpick", "training"),
    ("erp", "uat"),
    ("training", "uat"),
    ("uat", "fresno"),
    ("fresno", "tucson"),
]

EMR_TASKS: list[TaskRow] = [
    (
        "extract",
        "导出旧系统病历数据",
        -70,
        10,
        "dev",
        {"milestone": "migration", "status": "done", "estimate_hours": 60},
    ),
    (
        "clean",
        "数据清洗与字段映射",
        -58,
        12,
        "qa",
        {"milestone": "migration", "status": "done", "estimate_hours": 80},
    ),
    (
        "load",
        "周末停机窗口导入",
        -40,
        2,
        "dev",
        {"milestone": "migration", "status": "done", "estimate_hours": 24, "client_visible": True},
    ),
    (
        "insurance",
        "医保结算接口联调",
        -30,
        25,
        "dev",
        {"milestone": "golive", "status": "in_progress", "progress": 60, "estimate_hours": 150},
    ),
    (
        "training",
        "医生工作站培训",
        -5,
        8,
        "pm",
        {
            "milestone": "golive",
            "status": "in_progress",
            "progress": 40,
            "estimate_hours": 40,
            "client_visible": True,
        },
    ),
    (
        "cutover",
        "全院切换上线",
        10,
        3,
        "pm",
        {"milestone": "golive", "estimate_hours": 30, "client_visible": True},
    ),
]

EMR_LINKS: list[tuple[str, ...]] = [
    ("extract", "clean"),
    ("clean", "load"),
    ("insurance", "cutover"),
    ("training", "cutover"),
]


def _tasks(
    project: Project,
    by: User,
    rows: list[TaskRow],
    world: DemoWorld,
    milestones: dict[str, Milestone],
) -> dict[str, Task]:
    made: dict[str, Task] = {}
    for name, title, start, length, assignee, extra in rows:
        fields = dict(extra)
        if "parent" in fields:
            fields["parent"] = made[fields["parent"]]
        if "milestone" in fields:
            fields["milestone"] = milestones[fields["milestone"]]
        if start is not None:
            fields["start_date"] = WEEKDAYS.next_working(world.days(start))
            fields["due_date"] = WEEKDAYS.add(fields["start_date"], length - 1)
        made[name] = task_create(
            project=project, by=by, title=title, assignee=world.people[assignee], **fields
        )
    return made


def _link(project: Project, by: User, made: dict[str, Task], pairs: list[tuple[str, ...]]) -> None:
    for before, after, *kind in pairs:
        dependency_create(
            project=project,
            by=by,
            predecessor=made[before],
            successor=made[after],
            kind=kind[0] if kind else "FS",
        )


def _wms_milestones(wms: Project, pm: User, world: DemoWorld) -> dict[str, Milestone]:
    days = world.days
    pilot = milestone_create(
        project=wms,
        by=pm,
        name="Pilot warehouse live",
        due_date=days(-12),
        description="Receiving and put-away live in the Reno warehouse.",
        deliverables="Pilot go-live report | https://docs.liaison.test/acme/pilot-report\n"
        "Trained receiving team",
        criteria="Receivers scan every inbound pallet\nPut-away suggestions are followed "
        "for 90 % of pallets\nNo paper receiving logs after day 3",
    )
    training = milestone_create(
        project=wms,
        by=pm,
        name="Picking and training ready",
        due_date=days(5),
        deliverables="Training videos | https://docs.liaison.test/acme/training\nPick-path report",
        criteria="Every picker completed the training\nWave picking runs on all scanners\n"
        "Short picks are flagged to the shift lead",
    )
    rollout = milestone_create(
        project=wms,
        by=pm,
        name="All three warehouses live",
        due_date=days(55),
        criteria="Reno, Fresno and Tucson pick with scanners\nERP orders sync every 5 minutes",
    )
    milestone_create(
        project=wms,
        by=pm,
        name="Hypercare ends",
        due_date=days(88),
        criteria="No priority-1 incident for 30 days",
    )
    return {"pilot": pilot, "training": training, "rollout": rollout}


def _wms_plan(world: DemoWorld) -> None:
    """A pilot accepted by the client, a milestone awaiting them, work in flight."""
    wms, pm, days = world.projects["ACME-WMS"], world.people["pm"], world.days
    milestones = _wms_milestones(wms, pm, world)
    made = _tasks(wms, pm, WMS_TASKS, world, milestones)
    _link(wms, pm, made, WMS_LINKS)
    plan_baseline_create(project=wms, by=pm, name="Plan agreed at kick-off")
    # The ERP vendor is late: the PM drags the sync a week later on the Gantt, which
    # pushes the go-lives.
    erp = made["erp"]
    erp.refresh_from_db()
    task_move(task=erp, by=pm, version=erp.version, start=days(9), due=days(9 + 20))
    wms.refresh_from_db()
    plan_calendar_update(
        project=wms,
        by=pm,
        version=wms.version,
        working_weekdays="01234",
        holidays=[days(25).isoformat()],
    )
    _wms_acceptance(wms, world, milestones)


def _wms_acceptance(wms: Project, world: DemoWorld, milestones: dict[str, Milestone]) -> None:
    """The client accepts the pilot; the training milestone waits for them."""
    pm, client = world.people["pm"], world.people["client"]
    pilot, training, rollout = milestones["pilot"], milestones["training"], milestones["rollout"]
    milestone_submit(milestone=pilot, by=pm, note="The pilot ran two weeks without paper logs.")
    milestone_decide(
        milestone=pilot,
        by=client,
        accept=True,
        verdicts=[
            {"met": True, "comment": "Checked on the dock with Tom."},
            {"met": True, "comment": "93 % in the last week."},
            {"met": True, "comment": ""},
        ],
        ip="203.0.113.7",
    )
    milestone_transition(milestone=training, by=pm, status="in_progress")
    milestone_submit(
        milestone=training, by=pm, note="Training is done; please check the three criteria."
    )
    milestone_transition(milestone=rollout, by=pm, status="in_progress")


def _emr_plan(world: DemoWorld) -> None:
    """中文的计划：含调休的工作日历，一个被客户退回的里程碑。"""
    emr, pm, days = world.projects["HN-EMR"], world.people["pm"], world.days
    migration = milestone_create(
        project=emr,
        by=pm,
        name="历史病历迁移完成",
        due_date=days(-20),
        criteria="抽查 1000 份病历无差异\n迁移报告已提交信息科",
    )
    golive = milestone_create(
        project=emr,
        by=pm,
        name="新系统全院上线",
        due_date=days(20),
        criteria="门诊与住院全部切换到新版本\n医保结算单自动上传",
    )
    made = _tasks(emr, pm, EMR_TASKS, world, {"migration": migration, "golive": golive})
    _link(emr, pm, made, EMR_LINKS)
    emr.refresh_from_db()
    # 国庆长假与调休：节假日不上班，周六补班。
    plan_calendar_update(
        project=emr,
        by=pm,
        version=emr.version,
        working_weekdays="01234",
        holidays=[days(n).isoformat() for n in (40, 41, 42)],
        extra_workdays=[next(days(n) for n in range(43, 50) if days(n).weekday() == 5).isoformat()],
    )
    # 培训室被占用：项目经理在甘特图上把培训往后拖了三天，系统切换随之顺延。
    training = made["training"]
    training.refresh_from_db()
    assert training.start_date is not None and training.due_date is not None
    later = dt.timedelta(days=3)
    task_move(
        task=training,
        by=pm,
        version=training.version,
        start=training.start_date + later,
        due=training.due_date + later,
    )
    milestone_submit(milestone=migration, by=pm, note="迁移已完成，请验收。")


def _board_limits(world: DemoWorld) -> None:
    """The managers' work-in-progress limits: the WMS board shows "3 / 2" over
    its in-progress column (two tasks and "Picking", rolled up from them)."""
    pm = world.people["pm"]
    limits = {"ACME-WMS": {"in_progress": 2, "blocked": 2}, "HN-EMR": {"in_progress": 4}}
    for code, columns in limits.items():
        board_limits_set(project=world.projects[code], by=pm, version=0, limits=columns)


def load(world: DemoWorld) -> None:
    _wms_plan(world)
    _emr_plan(world)
    _board_limits(world)


def _finished_on_their_due_dates(project: Project, today: dt.date) -> None:
    """The demo's done tasks were finished in the weeks before today, not the
    moment the demo was loaded: date them on their due dates, so that the
    reports' weekly figures and chart show that history."""
    done = list(Task.objects.filter(project=project, status=Task.Status.DONE, due_date__lt=today))
    for task in done:
        due = task.due_date
        assert due is not None  # due_date__lt leaves undated tasks out
        task.completed_at = timezone.make_aware(dt.datetime.combine(due, dt.time(17)))
    Task.objects.bulk_update(done, ["completed_at"])


def history(world: DemoWorld) -> None:
    """After the conversations and changes (which finish tasks too), before the
    reports that count them."""
    for code in ("ACME-WMS", "HN-EMR"):
        _finished_on_their_due_dates(world.projects[code], world.today)


registry.add(
    DemoStep("planning", order=20, load=load),
    DemoStep("planning-history", order=45, load=history),
)
