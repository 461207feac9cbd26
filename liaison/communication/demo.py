"""The communication log's part of the demo data (`manage.py demo_data`): a
communication plan, meetings, calls and chats with minutes and decisions, action
items on both sides, a message from the client. Imported only by the demo app,
which is not installed in production."""

import datetime
import zoneinfo

from django.utils import timezone

from liaison.accounts.models import User
from liaison.communication.models import CommunicationPlanItem, Interaction
from liaison.communication.services.action_items import (
    action_item_create,
    action_item_transition,
)
from liaison.communication.services.interactions import interaction_create, message_from_client
from liaison.communication.services.plan import plan_item_create
from liaison.communication.services.sending import interaction_send
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.projects.models import Project


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A time of day as the demo team (in Shanghai) lives it."""
    moment = datetime.datetime.combine(day, datetime.time(hour, minute))
    return timezone.make_aware(moment, zoneinfo.ZoneInfo("Asia/Shanghai"))


def _wms_plan_items(wms: Project, pm: User, world: DemoWorld) -> CommunicationPlanItem:
    """The communication plan; returns the weekly meeting's item."""
    weekly = plan_item_create(
        project=wms,
        by=pm,
        audience="Acme IT and warehouse leads",
        purpose="Progress, next week's work, risks and decisions needed.",
        kind="meeting",
        frequency="weekly",
        owner=pm,
        starts_on=world.days(-56),
    )
    plan_item_create(
        project=wms,
        by=pm,
        audience="Acme steering group",
        purpose="Monthly status report: milestones, budget, risks.",
        kind="email",
        frequency="monthly",
        owner=pm,
        starts_on=world.days(-56),
    )
    plan_item_create(
        project=wms,
        by=pm,
        audience="Claire Client (IT director)",
        purpose="Milestone review before each acceptance.",
        kind="meeting",
        frequency="per_milestone",
        owner=pm,
        starts_on=world.days(-56),
    )
    # The team's own rhythm: kept in the plan, not shown to Acme in the portal.
    plan_item_create(
        project=wms,
        by=pm,
        audience="Delivery team",
        purpose="Internal stand-up: blockers, who helps whom.",
        kind="call",
        frequency="weekly",
        owner=pm,
        starts_on=world.days(-56),
        client_visible=False,
    )
    return weekly


def _wms_kickoff(wms: Project, world: DemoWorld, weekly: CommunicationPlanItem) -> None:
    """The kick-off's minutes sent, and its action items done on both sides."""
    pm, dev, client, days = (
        world.people["pm"],
        world.people["dev"],
        world.people["client"],
        world.days,
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
    # Left open: Claire closes it in the portal with the plans attached.
    action_item_create(
        project=wms,
        by=pm,
        title="Send the floor plans of the three warehouses",
        owner=client,
        due_date=days(-50),
        interaction=kickoff,
    )
    labels = action_item_create(
        project=wms,
        by=pm,
        title="Collect SSCC label samples from the suppliers",
        owner=dev,
        due_date=days(-45),
        interaction=kickoff,
    )
    action_item_transition(item=labels, by=dev, status="done")


def _wms_weekly_meetings(wms: Project, world: DemoWorld, weekly: CommunicationPlanItem) -> None:
    """The weekly status meetings: kept, except three weeks ago."""
    pm, dev, client = world.people["pm"], world.people["dev"], world.people["client"]
    for week in (7, 6, 5, 4, 2, 1):
        interaction_create(
            project=wms,
            by=pm,
            kind="meeting",
            subject=f"Weekly status, week {9 - week}",
            occurred_at=_at(world.days(-7 * week + 1), 15),
            duration_minutes=30,
            channel="Zoom",
            participants=[pm, dev, client],
            minutes="Progress as planned; see the Gantt for the details.",
            client_visible=True,
            plan_item=weekly,
        )


def _wms_erp_call(wms: Project, world: DemoWorld) -> Interaction:
    """A call about the ERP delay, with an action item on each side (the
    client's overdue)."""
    pm, client, days = world.people["pm"], world.people["client"], world.days
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
    return erp_call


def _wms_conversations(world: DemoWorld) -> None:
    """A kept weekly rhythm with one missed week, a kick-off with decisions, a call
    about the ERP delay, action items on both sides (one of the client's overdue)."""
    wms = world.projects["ACME-WMS"]
    dev, qa, client = world.people["dev"], world.people["qa"], world.people["client"]
    weekly = _wms_plan_items(wms, world.people["pm"], world)
    _wms_kickoff(wms, world, weekly)
    _wms_weekly_meetings(wms, world, weekly)
    _wms_erp_call(wms, world)
    interaction_create(
        project=wms,
        by=dev,
        kind="im",
        subject="Scanner SDK licence",
        occurred_at=_at(world.days(-2), 17),
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


def _emr_conversations(world: DemoWorld) -> None:
    emr, days = world.projects["HN-EMR"], world.days
    pm, dev, qa = world.people["pm"], world.people["dev"], world.people["qa"]
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


def load(world: DemoWorld) -> None:
    _wms_conversations(world)
    _emr_conversations(world)


registry.add(DemoStep("communication", order=30, load=load))
