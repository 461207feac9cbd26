"""Demo content: one delivery firm, three clients, five projects in different
states, in English and Chinese, built through the services so the activity
log and notifications are real."""

import datetime

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import Membership, Organization, OrgMembership, User
from liaison.accounts.services import client_create, member_invite
from liaison.core.services import comment_create
from liaison.projects.models import Project
from liaison.projects.services import project_archive, project_create, project_update

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
    member_invite(project=bi, by=admin, email="dev@demo.test", role=Role.MEMBER)

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
    project_archive(project=bi, by=admin)


def database_is_empty() -> bool:
    return not User.objects.exists()
