"""Demo content: one delivery firm, three clients, five projects in different
states, in English and Chinese, built through the services so the activity
log and notifications are real."""

import datetime
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import Organization, OrgMembership, User
from liaison.collab.services import comment_create
from liaison.communication.services.action_items import (
    action_item_complete,
    action_item_create,
    action_item_transition,
)
from liaison.communication.services.interactions import interaction_create, message_from_client
from liaison.communication.services.plan import plan_item_create
from liaison.communication.services.sending import interaction_send
from liaison.core.mail import mail_suppressed
from liaison.demo.delivery import emr_changes, emr_reports, wms_changes, wms_reports
from liaison.planning.models import Task
from liaison.planning.scheduling import WorkCalendar
from liaison.planning.services.milestones import (
    milestone_create,
    milestone_decide,
    milestone_submit,
    milestone_transition,
)
from liaison.planning.services.plan import (
    capacity_update,
    dependency_create,
    plan_baseline_create,
    plan_calendar_update,
)
from liaison.planning.services.tasks import task_create, task_update
from liaison.projects.member_services import member_invite
from liaison.projects.models import Membership, Project
from liaison.projects.services import client_create, project_archive, project_create, project_update
from liaison.requirements.models import Requirement
from liaison.requirements.services import (
    baseline_propose,
    baseline_sign,
    requirement_create,
    requirement_request,
    requirement_transition,
    requirement_update,
)

PASSWORD = "liaison-demo"
Role = Membership.Role

PEOPLE = [
    # email, name, language, org role (None: a client user)
    ("admin@demo.test", "Ada Admin", "en", OrgMembership.Role.OWNER),
    ("pm@demo.test", "王芳 Wang Fang", "zh-hans", OrgMembership.Role.STAFF),
    ("dev@demo.test", "Dev Li 李明", "en", OrgMembership.Role.STAFF),
    ("boss@demo.test", "Bo Chen 陈博", "zh-hans", OrgMembership.Role.STAFF),
    ("client@demo.test", "Claire Client", "en", None),
    ("qa@demo.test", "张伟 Zhang Wei", "zh-hans", OrgMembership.Role.STAFF),
]


def _people(organization: Organization) -> dict[str, User]:
    people = {}
    for email, name, language, org_role in PEOPLE:
        user = User.objects.create_user(
            email=email, password=PASSWORD, display_name=name, language=language
        )
        if org_role:
            OrgMembership.objects.create(organization=organization, user=user, role=org_role)
        people[email.split("@")[0]] = user
    return people


@mail_suppressed()  # the demo's people and their addresses are made up: nobody is mailed
@transaction.atomic
def load_demo() -> None:
    today = timezone.localdate()

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    organization = Organization.objects.create(
        name="Brightline Delivery 明线交付", slug="brightline"
    )
    p = _people(organization)
    admin = p["admin"]
    acme = client_create(
        organization=organization,
        by=admin,
        name="Acme Logistics",
        contacts="Claire Client, IT director — client@demo.test\n"
        "Tom Baker, warehouse lead — +1 555 0100",
    )
    south = client_create(
        organization=organization,
        by=admin,
        name="华南医疗集团",
        contacts="刘主任，信息科 — liu@hnmed.example\n电话 020-5555-0101",
    )
    northwind = client_create(
        organization=organization,
        by=admin,
        name="Northwind Retail",
        contacts="Nina Park, head of digital — nina@northwind.example",
    )

    wms = project_create(
        organization=organization,
        by=admin,
        code="ACME-WMS",
        name="Warehouse management system rollout",
        client=acme,
        manager=p["pm"],
        start_date=days(-60),
        end_date=days(75),
        status=Project.Status.ACTIVE,
        currency="USD",
        description="Replace the paper-based picking process in Acme's three warehouses with "
        "a WMS, integrated with their ERP.\n\n**Scope**\n\n- Receiving and "
        "put-away\n- Wave picking with handheld scanners\n- ERP order sync",
    )
    emr = project_create(
        organization=organization,
        by=admin,
        code="HN-EMR",
        name="电子病历系统升级",
        client=south,
        manager=p["pm"],
        start_date=days(-120),
        end_date=days(-5),
        status=Project.Status.ACTIVE,
        currency="CNY",
        description="将门诊与住院电子病历系统升级到新版本，并与医保结算平台对接。\n\n"
        "- 数据迁移：十年历史病历\n- 医生工作站培训\n- 上线后三个月运维支持",
    )
    loyalty = project_create(
        organization=organization,
        by=admin,
        code="NW-LOYALTY",
        name="Northwind loyalty app",
        client=northwind,
        manager=p["pm"],
        start_date=days(-3),
        end_date=days(150),
        status=Project.Status.PROPOSED,
        currency="EUR",
        description="A mobile loyalty programme for Northwind's 40 stores: points, coupons "
        "and personalised offers.",
    )
    bi = project_create(
        organization=organization,
        by=admin,
        code="ACME-BI",
        name="Acme BI dashboards",
        client=acme,
        manager=admin,
        start_date=days(-300),
        end_date=days(-200),
        status=Project.Status.COMPLETED,
        currency="USD",
        description="Delivery-time and cost dashboards for Acme's operations team.",
    )
    portal = project_create(
        organization=organization,
        by=admin,
        code="HN-PORTAL",
        name="患者服务门户",
        client=south,
        manager=p["pm"],
        start_date=days(-200),
        end_date=days(10),
        status=Project.Status.ON_HOLD,
        currency="CNY",
        description="患者预约、报告查询与在线缴费门户。因预算审批暂停。",
    )

    for project in (wms, emr, loyalty, portal):
        member_invite(project=project, by=p["pm"], email="dev@demo.test", role=Role.MEMBER)
        member_invite(project=project, by=p["pm"], email="boss@demo.test", role=Role.OBSERVER)
    member_invite(project=wms, by=p["pm"], email="qa@demo.test", role=Role.MEMBER)
    member_invite(project=emr, by=p["pm"], email="qa@demo.test", role=Role.MEMBER)
    member_invite(project=wms, by=p["pm"], email="client@demo.test", role=Role.CLIENT)
    # Everyone in the demo is at demo.test, the client's people too: confirmed.
    member_invite(project=bi, by=admin, email="dev@demo.test", role=Role.MEMBER, confirm=True)

    wms = project_update(project=wms, by=p["pm"], version=wms.version, end_date=days(90))
    comment_create(
        target=wms,
        project=wms,
        by=p["pm"],
        client_visible=True,
        body="Kick-off done. We agreed on **two-week sprints** and a demo every other Friday.",
    )
    comment_create(
        target=wms,
        project=wms,
        by=p["client"],
        client_visible=True,
        body="Thanks! Please include the night shift lead in the demos.",
    )
    comment_create(
        target=wms,
        project=wms,
        by=p["dev"],
        client_visible=False,
        body="Scanner SDK licence still pending from the vendor — internal only.",
    )
    comment_create(
        target=emr,
        project=emr,
        by=p["pm"],
        client_visible=False,
        body="医保接口联调延期一周，需要和客户沟通新的上线日期。",
    )
    comment_create(
        target=emr,
        project=emr,
        by=p["qa"],
        client_visible=False,
        body="回归测试已完成 80%，剩余用例集中在住院医嘱模块。",
    )
    _wms_requirements(wms, p)
    _emr_requirements(emr, p)
    _wms_plan(wms, p, days)
    _emr_plan(emr, p, days)
    _wms_conversations(wms, p, days)
    _emr_conversations(emr, p, days)
    wms_changes(wms, p)
    emr_changes(emr, p)
    wms_reports(wms, p, today)
    emr_reports(emr, p, today)
    project_archive(project=bi, by=admin)


# -- requirements and baselines ---------------------------------------------------

# The statuses a requirement walks through to reach each one.
WALK = {
    "draft": (),
    "in_review": ("in_review",),
    "confirmed": ("in_review", "confirmed"),
    "implemented": ("in_review", "confirmed", "implemented"),
    "deferred": ("deferred",),
}

WMS_REQUIREMENTS: list[tuple[str, dict[str, Any]]] = [
    # status, fields
    (
        "implemented",
        {
            "title": "Scan pallet labels at the dock",
            "kind": "functional",
            "priority": "must",
            "source": "workshop",
            "body": "The receiver scans the SSCC label of each incoming pallet; "
            "the WMS matches it to the advance shipping notice.",
            "acceptance_criteria": [
                "A scan is matched to its ASN line in under 1 second",
                "An unknown label shows a clear error and the pallet goes to quarantine",
            ],
            "tags": "receiving, scanner",
            "value": 5,
            "feasibility": 4,
            "cost": 2,
        },
    ),
    (
        "confirmed",
        {
            "title": "Suggest a put-away location",
            "kind": "functional",
            "priority": "must",
            "source": "workshop",
            "body": "After receiving, the WMS proposes a bin by product class and free space.",
            "acceptance_criteria": [
                "The suggested bin has room for the whole pallet",
                "The operator can override the suggestion with a reason",
            ],
            "tags": "put-away",
            "value": 4,
            "feasibility": 4,
            "cost": 3,
        },
    ),
    (
        "confirmed",
        {
            "title": "Wave picking with handheld scanners",
            "kind": "functional",
            "priority": "must",
            "source": "meeting",
            "body": "Orders are grouped into waves; pickers follow an optimised route.",
            "acceptance_criteria": [
                "A wave holds up to 40 orders",
                "Each pick is confirmed by scanning the bin and the item",
            ],
            "tags": "picking, scanner",
            "value": 5,
            "feasibility": 3,
            "cost": 4,
        },
    ),
    (
        "confirmed",
        {
            "title": "Sync orders with the ERP",
            "kind": "functional",
            "priority": "must",
            "source": "email",
            "body": "New sales orders flow from the ERP; shipments flow back.",
            "acceptance_criteria": [
                "Orders appear in the WMS within 5 minutes",
                "A failed sync is retried and reported to the shift lead",
            ],
            "tags": "erp, integration",
            "value": 5,
            "feasibility": 3,
            "cost": 4,
        },
    ),
    (
        "confirmed",
        {
            "title": "Scanner screens answer within one second",
            "kind": "non_functional",
            "priority": "should",
            "source": "interview",
            "acceptance_criteria": ["95% of screens load in under 1 s on warehouse Wi-Fi"],
            "tags": "performance, scanner",
        },
    ),
    (
        "in_review",
        {
            "title": "Shift lead reassigns open picks",
            "kind": "user_role",
            "priority": "should",
            "source": "workshop",
            "body": "The shift lead sees open picks per picker and can move them.",
            "acceptance_criteria": ["Reassigned picks appear on the new picker's scanner at once"],
            "tags": "picking, roles",
        },
    ),
    (
        "draft",
        {
            "title": "Monthly cycle count",
            "kind": "business_process",
            "priority": "could",
            "source": "meeting",
            "acceptance_criteria": ["Every bin is counted at least once a month"],
            "tags": "inventory",
            "value": 3,
            "cost": 2,
        },
    ),
    (
        "confirmed",
        {
            "title": "Build on the scanner vendor's SDK v4",
            "kind": "constraint",
            "priority": "must",
            "source": "document",
            "body": "Licence terms still under negotiation with the vendor.",
            "tags": "scanner, internal",
            "client_visible": False,
        },
    ),
    (
        "deferred",
        {
            "title": "Voice picking",
            "kind": "functional",
            "priority": "wont",
            "source": "meeting",
            "tags": "picking",
        },
    ),
]

EMR_REQUIREMENTS = [
    {
        "title": "门诊病历结构化录入",
        "priority": "must",
        "body": "医生在工作站按模板录入主诉、现病史、诊断。",
        "acceptance_criteria": ["模板覆盖内科、外科、儿科", "保存后 2 秒内可打印"],
        "tags": "门诊",
    },
    {
        "title": "十年历史病历迁移",
        "priority": "must",
        "acceptance_criteria": ["迁移后抽查 1000 份病历无差异", "迁移在周末停机窗口内完成"],
        "tags": "数据迁移",
    },
    {
        "title": "与医保结算平台对接",
        "priority": "must",
        "source": "meeting",
        "acceptance_criteria": ["住院结算单自动上传", "接口失败时提示并可重试"],
        "tags": "医保, 接口",
    },
    {
        "title": "住院医嘱闭环管理",
        "priority": "should",
        "acceptance_criteria": ["医嘱从开立到执行全程可追溯"],
        "tags": "住院",
    },
    {
        "title": "病历系统全天候可用",
        "kind": "non_functional",
        "priority": "must",
        "acceptance_criteria": ["月可用率不低于 99.9%"],
        "tags": "运维",
    },
]


def _requirement(project: Project, by: User, status: str, fields: dict) -> Requirement:
    requirement = requirement_create(project=project, by=by, **fields)
    for step in WALK[status]:
        requirement = requirement_transition(requirement=requirement, by=by, status=step)
    return requirement


def _wms_requirements(wms: Project, p: dict[str, User]) -> None:
    """A signed baseline, then a change and a second baseline awaiting the client."""
    pm, client = p["pm"], p["client"]
    made = [_requirement(wms, pm, status, fields) for status, fields in WMS_REQUIREMENTS]
    first = baseline_propose(
        project=wms,
        by=pm,
        title="Scope after the discovery workshops",
        note="Everything we agreed in the three workshops. Please read and sign.",
    )
    baseline_sign(
        baseline=first, by=client, full_name="Claire Client", agreed=True, ip="203.0.113.7"
    )
    wave, shift_lead = made[2], made[5]
    requirement_update(
        requirement=wave,
        by=pm,
        version=wave.version,
        acceptance_criteria=[
            *wave.acceptance_criteria,
            "Short picks are flagged to the shift lead",
        ],
    )
    requirement_transition(requirement=shift_lead, by=pm, status="confirmed")
    baseline_propose(
        project=wms,
        by=pm,
        title="Scope with the shift lead role",
        note="Adds the shift lead's reassignment and a rule for short picks.",
    )
    requirement_request(
        project=wms,
        by=client,
        title="Print pick lists for the night shift",
        body="Our night shift has no scanners yet; a printed list per wave would help.",
    )


def _emr_requirements(emr: Project, p: dict[str, User]) -> None:
    """Agreed in Chinese; the baseline waits for the client (who has no account yet)."""
    for fields in EMR_REQUIREMENTS:
        _requirement(emr, p["pm"], "confirmed", {"source": "workshop", **fields})
    baseline_propose(
        project=emr,
        by=p["pm"],
        title="升级范围基线",
        note="请审阅并签署本次升级的需求范围。",
    )


# -- the plan ---------------------------------------------------------------------

WEEKDAYS = WorkCalendar()  # demo tasks start and end on working days


def _tasks(project: Project, by: User, rows: list[tuple], days, **shared) -> dict[str, Task]:
    """rows: (name, title, start offset, working days long, assignee, extra fields)."""
    made: dict[str, Task] = {}
    for name, title, start, length, assignee, extra in rows:
        fields = dict(shared, **extra)
        if "parent" in fields:
            fields["parent"] = made[fields["parent"]]
        if start is not None:
            fields["start_date"] = WEEKDAYS.next_working(days(start))
            fields["due_date"] = WEEKDAYS.add(fields["start_date"], length - 1)
        made[name] = task_create(project=project, by=by, title=title, assignee=assignee, **fields)
    return made


def _link(project: Project, by: User, made: dict, pairs: list[tuple]) -> None:
    for before, after, *kind in pairs:
        dependency_create(
            project=project,
            by=by,
            predecessor=made[before],
            successor=made[after],
            kind=kind[0] if kind else "FS",
        )


def _wms_plan(wms: Project, p: dict[str, User], days) -> None:
    """A pilot accepted by the client, a milestone awaiting them, work in flight."""
    pm, dev, qa, client = p["pm"], p["dev"], p["qa"], p["client"]
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
    made = _tasks(
        wms,
        pm,
        [
            ("discovery", "Discovery", None, 0, pm, {"milestone": pilot, "client_visible": True}),
            (
                "workshops",
                "Process workshops in the three warehouses",
                -58,
                8,
                pm,
                {
                    "parent": "discovery",
                    "milestone": pilot,
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
                qa,
                {"parent": "discovery", "milestone": pilot, "status": "done", "estimate_hours": 30},
            ),
            (
                "receiving",
                "Build receiving with SSCC scanning",
                -40,
                12,
                dev,
                {
                    "milestone": pilot,
                    "status": "done",
                    "estimate_hours": 90,
                    "client_visible": True,
                },
            ),
            (
                "putaway",
                "Put-away suggestion rules",
                -28,
                8,
                dev,
                {"milestone": pilot, "status": "done", "estimate_hours": 60},
            ),
            (
                "pilot",
                "Pilot go-live in Reno",
                -18,
                5,
                pm,
                {
                    "milestone": pilot,
                    "status": "done",
                    "estimate_hours": 40,
                    "client_visible": True,
                },
            ),
            ("picking", "Picking", None, 0, dev, {"milestone": training, "client_visible": True}),
            (
                "waves",
                "Wave building and pick paths",
                -14,
                10,
                dev,
                {
                    "parent": "picking",
                    "milestone": training,
                    "status": "done",
                    "estimate_hours": 70,
                },
            ),
            (
                "scanners",
                "Handheld scanner app",
                -10,
                12,
                dev,
                {
                    "parent": "picking",
                    "milestone": training,
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
                qa,
                {
                    "parent": "picking",
                    "milestone": training,
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
                pm,
                {"milestone": training, "estimate_hours": 36, "client_visible": True},
            ),
            (
                "erp",
                "ERP order sync",
                4,
                15,
                dev,
                {
                    "milestone": rollout,
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
                qa,
                {"milestone": rollout, "estimate_hours": 64, "client_visible": True},
            ),
            (
                "fresno",
                "Go-live Fresno",
                31,
                5,
                pm,
                {"milestone": rollout, "estimate_hours": 40, "client_visible": True},
            ),
            (
                "tucson",
                "Go-live Tucson",
                38,
                5,
                pm,
                {"milestone": rollout, "estimate_hours": 40, "client_visible": True},
            ),
            ("docs", "Operations handbook", None, 0, qa, {"estimate_hours": 16}),
        ],
        days,
    )
    _link(
        wms,
        pm,
        made,
        [
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
        ],
    )
    plan_baseline_create(project=wms, by=pm, name="Plan agreed at kick-off")
    # The ERP vendor is late: the sync slips a week and pushes the go-lives.
    erp = made["erp"]
    erp.refresh_from_db()
    task_update(task=erp, by=pm, version=erp.version, start_date=days(9), due_date=days(9 + 20))
    wms.refresh_from_db()
    plan_calendar_update(
        project=wms,
        by=pm,
        version=wms.version,
        working_weekdays="01234",
        holidays=[days(25).isoformat()],
    )
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
    for membership in wms.memberships.filter(user__in=[dev, qa]):
        capacity_update(
            membership=membership,
            by=pm,
            version=membership.version,
            hours=32 if membership.user == qa else 40,
        )


def _emr_plan(emr: Project, p: dict[str, User], days) -> None:
    """中文的计划：含调休的工作日历，一个被客户退回的里程碑。"""
    pm, dev, qa = p["pm"], p["dev"], p["qa"]
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
    made = _tasks(
        emr,
        pm,
        [
            (
                "extract",
                "导出旧系统病历数据",
                -70,
                10,
                dev,
                {"milestone": migration, "status": "done", "estimate_hours": 60},
            ),
            (
                "clean",
                "数据清洗与字段映射",
                -58,
                12,
                qa,
                {"milestone": migration, "status": "done", "estimate_hours": 80},
            ),
            (
                "load",
                "周末停机窗口导入",
                -40,
                2,
                dev,
                {
                    "milestone": migration,
                    "status": "done",
                    "estimate_hours": 24,
                    "client_visible": True,
                },
            ),
            (
                "insurance",
                "医保结算接口联调",
                -30,
                25,
                dev,
                {
                    "milestone": golive,
                    "status": "in_progress",
                    "progress": 60,
                    "estimate_hours": 150,
                },
            ),
            (
                "training",
                "医生工作站培训",
                -5,
                8,
                pm,
                {
                    "milestone": golive,
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
                pm,
                {"milestone": golive, "estimate_hours": 30, "client_visible": True},
            ),
        ],
        days,
    )
    _link(
        emr,
        pm,
        made,
        [
            ("extract", "clean"),
            ("clean", "load"),
            ("insurance", "cutover"),
            ("training", "cutover"),
        ],
    )
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
    milestone_submit(milestone=migration, by=pm, note="迁移已完成，请验收。")


# -- the communication log ----------------------------------------------------------


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A time of day as the demo team (in Shanghai) lives it."""
    moment = datetime.datetime.combine(day, datetime.time(hour, minute))
    return timezone.make_aware(moment, zoneinfo.ZoneInfo("Asia/Shanghai"))


def _wms_conversations(wms: Project, p: dict[str, User], days) -> None:
    """A kept weekly rhythm with one missed week, a kick-off with decisions, a call
    about the ERP delay, action items on both sides (one of the client's overdue)."""
    pm, dev, qa, client = p["pm"], p["dev"], p["qa"], p["client"]
    weekly = plan_item_create(
        project=wms,
        by=pm,
        audience="Acme IT and warehouse leads",
        purpose="Progress, next week's work, risks and decisions needed.",
        kind="meeting",
        frequency="weekly",
        owner=pm,
        starts_on=days(-56),
    )
    plan_item_create(
        project=wms,
        by=pm,
        audience="Acme steering group",
        purpose="Monthly status report: milestones, budget, risks.",
        kind="email",
        frequency="monthly",
        owner=pm,
        starts_on=days(-56),
    )
    plan_item_create(
        project=wms,
        by=pm,
        audience="Claire Client (IT director)",
        purpose="Milestone review before each acceptance.",
        kind="meeting",
        frequency="per_milestone",
        owner=pm,
        starts_on=days(-56),
    )
    kickoff = interaction_create(
        project=wms,
        by=pm,
        kind="meeting",
        subject="Kick-off with Acme",
        occurred_at=_at(days(-56), 10),
        duration_minutes=90,
        channel="Reno warehouse, meeting room 2",
        participants=[pm, dev, client],
        external_participants="Tom Baker <tom.baker@acme.example>",
        agenda="1. Scope and phases\n2. Sprint rhythm and demos\n3. Who signs what",
        minutes="We walked the receiving dock with Tom. Scanners must work with gloves on.\n\n"
        "@dev will collect SSCC label samples from the three suppliers.",
        decisions="Two-week sprints with a demo every other Friday\n"
        "Claire signs the baselines; Tom accepts the pilot",
        client_visible=True,
        plan_item=weekly,
    )
    interaction_send(interaction=kickoff, by=pm, what="minutes")
    floor_plans = action_item_create(
        project=wms,
        by=pm,
        title="Send the floor plans of the three warehouses",
        owner=client,
        due_date=days(-50),
        interaction=kickoff,
    )
    action_item_complete(item=floor_plans, by=client)
    labels = action_item_create(
        project=wms,
        by=pm,
        title="Collect SSCC label samples from the suppliers",
        owner=dev,
        due_date=days(-45),
        interaction=kickoff,
    )
    action_item_transition(item=labels, by=dev, status="done")
    # The weekly status meetings: kept, except three weeks ago.
    for week in (7, 6, 5, 4, 2, 1):
        interaction_create(
            project=wms,
            by=pm,
            kind="meeting",
            subject=f"Weekly status, week {9 - week}",
            occurred_at=_at(days(-7 * week + 1), 15),
            duration_minutes=30,
            channel="Zoom",
            participants=[pm, dev, client],
            minutes="Progress as planned; see the Gantt for the details.",
            client_visible=True,
            plan_item=weekly,
        )
    erp_call = interaction_create(
        project=wms,
        by=pm,
        kind="call",
        subject="ERP vendor delay",
        occurred_at=_at(days(-3), 11, 30),
        duration_minutes=25,
        channel="Phone",
        participants=[pm, client],
        minutes="The ERP vendor has not sent the API credentials. Claire will escalate.",
        decisions="ERP sync starts a week later; the go-lives move with it",
        client_visible=True,
    )
    action_item_create(
        project=wms,
        by=pm,
        title="Escalate the API credentials with the ERP vendor",
        owner=client,
        due_date=days(-1),
        interaction=erp_call,
    )
    action_item_create(
        project=wms,
        by=pm,
        title="Update the go-live dates in the plan and tell the night shift",
        owner=pm,
        due_date=days(2),
        interaction=erp_call,
    )
    interaction_create(
        project=wms,
        by=dev,
        kind="im",
        subject="Scanner SDK licence",
        occurred_at=_at(days(-2), 17),
        channel="Team chat",
        participants=[dev, qa],
        minutes="Vendor confirmed the licence key arrives Monday. Internal only.",
    )
    message_from_client(
        project=wms,
        by=client,
        subject="Night shift lead in the demos",
        body="Could you invite our night shift lead, Sam, to the next demo?",
    )


def _emr_conversations(emr: Project, p: dict[str, User], days) -> None:
    pm, dev, qa = p["pm"], p["dev"], p["qa"]
    meeting = interaction_create(
        project=emr,
        by=pm,
        kind="meeting",
        subject="医保接口联调周会",
        occurred_at=_at(days(-4), 14),
        duration_minutes=60,
        channel="信息科会议室",
        participants=[pm, dev, qa],
        external_participants="刘主任 <liu@hnmed.example>",
        agenda="1. 联调进度\n2. 结算单上传失败的处理\n3. 上线日期",
        minutes="医保平台测试环境周三恢复。失败的结算单需要可重试。",
        decisions="上线日期顺延一周\n失败结算单每小时自动重试一次",
    )
    action_item_create(
        project=emr,
        by=pm,
        title="补充结算单重试的测试用例",
        owner=qa,
        due_date=days(3),
        interaction=meeting,
    )


def database_is_empty() -> bool:
    return not User.objects.exists()
