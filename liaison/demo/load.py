"""The demo organization (`manage.py demo_data`): one delivery firm, three
clients, five projects in different states, in English and Chinese, built
through the services so that the activity log and notifications are real.

This module makes the organization, its people and projects; each feature adds
its part in its own `demo.py`, a `DemoStep` in the registry (docs/architecture.md,
"The registry"), which `DemoConfig.ready()` imports. The steps run by their
order, in one transaction, then the completed project is archived."""

import datetime

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import Organization, OrgMembership, User
from liaison.collab.services import comment_create
from liaison.core import search
from liaison.core.mail import mail_suppressed
from liaison.core.registry import DemoWorld, registry
from liaison.projects.member_services import member_invite
from liaison.projects.models import Membership, Project
from liaison.projects.services import client_create, project_archive, project_create, project_update

PASSWORD = "liaison-demo"
Role = Membership.Role

PEOPLE = [
    # email, name, language, org role (None: a client user)
    ("admin@demo.test", "Ada Admin", "en", OrgMembership.Role.OWNER),
    ("pm@demo.test", "王芳 Wang Fang", "zh-hans", OrgMembership.Role.STAFF),
    ("dev@demo.test", "Dev Li 李明", "en", OrgMembership.Role.STAFF),
    ("boss@demo.test", "Bo Chen 陈博", "zh-hans", OrgMembership.Role.STAFF),
    ("client@demo.test", "Claire Client", "en", None),
    # A second contact of Acme, with her own login (several contacts per client).
    ("buyer@demo.test", "Bea Buyer", "en", None),
    ("qa@demo.test", "张伟 Zhang Wei", "zh-hans", OrgMembership.Role.STAFF),
    ("doctor@demo.test", "刘敏 Liu Min", "zh-hans", None),
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
    world = _world(timezone.localdate())
    for step in registry.demo_steps:
        step.load(world)
    project_archive(project=world.projects["ACME-BI"], by=world.people["admin"])
    # The steps' services indexed what they wrote; rows a step wrote in bulk too.
    search.rebuild(world.projects.values())


def _world(today: datetime.date) -> DemoWorld:
    """The organization, its people, clients and projects, before any feature's data."""
    organization = Organization.objects.create(
        name="Brightline Delivery 明线交付", slug="brightline"
    )
    world = DemoWorld(
        organization=organization, people=_people(organization), projects={}, today=today
    )
    world.projects.update(_projects(world))
    _teams(world)
    wms = world.projects["ACME-WMS"]
    world.projects["ACME-WMS"] = project_update(
        project=wms,
        by=world.people["pm"],
        version=wms.version,
        end_date=world.days(90),
        share_health=True,  # the portal's overview shows the latest report's health
    )
    _comments(world)
    return world


def _projects(world: DemoWorld) -> dict[str, Project]:
    """Three client companies and five projects, by code."""
    organization, p, days = world.organization, world.people, world.days
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
    return {project.code: project for project in (wms, emr, loyalty, bi, portal)}


def _teams(world: DemoWorld) -> None:
    p = world.people
    wms, emr, loyalty, bi, portal = (
        world.projects[code]
        for code in ("ACME-WMS", "HN-EMR", "NW-LOYALTY", "ACME-BI", "HN-PORTAL")
    )
    for project in (wms, emr, loyalty, portal):
        member_invite(project=project, by=p["pm"], email="dev@demo.test", role=Role.MEMBER)
        member_invite(project=project, by=p["pm"], email="boss@demo.test", role=Role.OBSERVER)
    member_invite(project=wms, by=p["pm"], email="qa@demo.test", role=Role.MEMBER)
    member_invite(project=emr, by=p["pm"], email="qa@demo.test", role=Role.MEMBER)
    member_invite(project=wms, by=p["pm"], email="client@demo.test", role=Role.CLIENT)
    member_invite(project=wms, by=p["pm"], email="buyer@demo.test", role=Role.CLIENT)
    # Acme's finished dashboards, archived last: Claire still reads them in the portal.
    member_invite(project=bi, by=p["admin"], email="client@demo.test", role=Role.CLIENT)
    member_invite(project=emr, by=p["pm"], email="doctor@demo.test", role=Role.CLIENT)
    # Everyone in the demo is at demo.test, the client's people too: confirmed.
    member_invite(project=bi, by=p["admin"], email="dev@demo.test", role=Role.MEMBER, confirm=True)


def _comments(world: DemoWorld) -> None:
    """A few words on the projects' pages, the client's too; some internal only."""
    p, wms, emr = world.people, world.projects["ACME-WMS"], world.projects["HN-EMR"]
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


def database_is_empty() -> bool:
    return not User.objects.exists()
