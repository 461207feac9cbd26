"""The issues' part of the demo data (`manage.py demo_data`): on ACME-WMS,
issues raised by both sides — a client's defect found in UAT, resolved with its
root cause and verified by the client; an overdue one escalated; a dispute with
both positions and an outcome the client confirmed — and HN-EMR's in Chinese.
Runs after the plan and the changes. Imported only by the demo app."""

from liaison.accounts.models import User
from liaison.controls.models import Issue
from liaison.controls.services.issue_disputes import issue_client_position, issue_outcome_confirm
from liaison.controls.services.issue_escalation import escalation_levels_set, issues_escalate_due
from liaison.controls.services.issue_lifecycle import issue_transition, issue_verify
from liaison.controls.services.issues import issue_create, issue_raise_from_client, issue_update
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.planning.models import Milestone
from liaison.projects.models import Project

CLIENT_IP = "203.0.113.24"  # a documentation address: where the demo client confirmed


def _resolve(issue: Issue, by: User, root_cause: str, solution: str) -> Issue:
    issue = issue_transition(issue=issue, by=by, status="in_progress", version=issue.version)
    return issue_transition(
        issue=issue,
        by=by,
        status="resolved",
        version=issue.version,
        root_cause=root_cause,
        solution=solution,
    )


def _path(project: Project, world: DemoWorld, titles: tuple[str, str, str]) -> None:
    p = world.people
    escalation_levels_set(
        project=project,
        by=p["pm"],
        levels=list(zip(titles, (p["pm"], p["boss"], p["admin"]), strict=True)),
    )


def _wms(world: DemoWorld) -> None:
    p, wms = world.people, world.projects["ACME-WMS"]
    _path(wms, world, ("Project manager", "Delivery head", "Sponsor"))
    pilot = Milestone.objects.filter(project=wms).order_by("due_date").first()
    sorted_by_sku = issue_raise_from_client(
        project=wms,
        by=p["client"],
        title="Pick list sorts by SKU instead of bin location",
        kind="defect",
        severity="major",
        description="Pickers walk the aisles back and forth: the list should follow the bins.",
        steps="1. Release wave 14\n2. Print the pick list\n3. The lines are in SKU order",
        found_in="UAT round 1, case 7",
    )
    sorted_by_sku = issue_update(
        issue=sorted_by_sku,
        by=p["pm"],
        version=sorted_by_sku.version,
        owner=p["dev"],
        milestone=pilot,
        due_date=world.days(3),
    )
    fixed = _resolve(
        sorted_by_sku,
        p["dev"],
        "The pick list query ordered by the SKU column; the bin sequence was never loaded.",
        "Load the bin walk sequence from the layout import and sort the lines by it.",
    )
    issue_verify(issue=fixed, by=p["client"], version=fixed.version)
    issue_raise_from_client(
        project=wms,
        by=p["client"],
        title="Can we print labels in German for the Reno site?",
        kind="question",
        severity="minor",
    )
    late = issue_create(
        project=wms,
        by=p["qa"],
        title="Scanner firmware crashes on long barcodes",
        kind="problem",
        severity="critical",
        owner=p["dev"],
        due_date=world.days(-4),
        steps="Scan a GS1-128 label longer than 48 characters.",
        client_visible=True,
    )
    issues_escalate_due(today=world.today)  # the overdue one climbs to level 1
    assert Issue.objects.get(pk=late.pk).escalation_level == 1
    dispute = issue_create(
        project=wms,
        by=p["pm"],
        title="Dispute: who pays for the extra RF terminals",
        kind="dispute",
        severity="major",
        description="Eight more terminals were needed for the night shift.",
        our_position="The terminals were not in the agreed scope; the client pays for them.",
    )
    dispute = issue_client_position(
        issue=dispute,
        by=p["client"],
        position="The night shift is part of the approved change; its devices are too.",
        version=dispute.version,
    )
    dispute = issue_update(
        issue=dispute,
        by=p["pm"],
        version=dispute.version,
        agreed_outcome="We split the cost: the vendor pays four terminals, the client four.",
    )
    issue_outcome_confirm(
        issue=dispute,
        by=p["client"],
        full_name="Claire Client",
        version=dispute.version,
        ip=CLIENT_IP,
    )


def _emr(world: DemoWorld) -> None:
    p, emr = world.people, world.projects["HN-EMR"]
    _path(emr, world, ("项目经理", "交付总监", "项目发起人"))
    settlement = issue_create(
        project=emr,
        by=p["qa"],
        title="医保结算接口报错",
        kind="defect",
        severity="critical",
        description="门诊结算时医保接口返回 500，患者无法完成结算。",
        steps="1. 门诊挂号\n2. 开具处方\n3. 选择医保结算",
        found_in="用户验收测试第一轮",
        owner=p["dev"],
        due_date=world.days(-2),
        client_visible=True,
    )
    _resolve(
        settlement,
        p["dev"],
        "医保前置机证书过期，接口握手失败。",
        "更新证书并增加到期前 30 天的提醒。",
    )
    issue_create(
        project=emr,
        by=p["qa"],
        title="病历模板字段缺失",
        kind="defect",
        severity="major",
        description="出院小结模板缺少“出院医嘱”字段。",
        owner=p["dev"],
        due_date=world.days(5),
        blocked=True,
    )
    issues_escalate_due(today=world.today)
    dispute = issue_create(
        project=emr,
        by=p["pm"],
        title="争议：等保测评费用由谁承担",
        kind="dispute",
        severity="major",
        our_position="等保测评不在合同范围内，应由医院承担。",
    )
    dispute = issue_client_position(
        issue=dispute,
        by=p["doctor"],
        position="等保测评是系统上线的前提，应包含在交付范围内。",
        version=dispute.version,
    )
    dispute = issue_update(
        issue=dispute,
        by=p["pm"],
        version=dispute.version,
        agreed_outcome="测评费用双方各承担一半，整改工作由我方负责。",
    )
    issue_outcome_confirm(
        issue=dispute,
        by=p["doctor"],
        full_name="刘敏 Liu Min",
        version=dispute.version,
        ip=CLIENT_IP,
    )
    _emr_from_the_client(world)


def _emr_from_the_client(world: DemoWorld) -> None:
    """HN-EMR's client raises a defect in the portal; it is fixed and she verifies it."""
    p, emr = world.people, world.projects["HN-EMR"]
    printout = issue_raise_from_client(
        project=emr,
        by=p["doctor"],
        title="处方打印缺少医生签名栏",
        kind="defect",
        severity="minor",
        description="门诊处方打印出来没有医生签名栏，药房无法核对。",
        steps="1. 开具处方\n2. 点击打印\n3. 打印件底部没有签名栏",
        found_in="用户验收测试第一轮",
    )
    printout = issue_update(
        issue=printout, by=p["pm"], version=printout.version, owner=p["dev"], due_date=world.days(2)
    )
    fixed = _resolve(
        printout,
        p["dev"],
        "处方打印模板沿用了旧版本，未包含签名栏。",
        "更新打印模板，增加医生签名栏和日期。",
    )
    issue_verify(issue=fixed, by=p["doctor"], version=fixed.version)


def load(world: DemoWorld) -> None:
    _wms(world)
    _emr(world)


registry.add(DemoStep("issues", order=47, load=load))
