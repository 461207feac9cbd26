"""The risks' part of the demo data (`manage.py demo_data`): a register of eight
risks in ACME-WMS (English) and eight in HN-EMR (Chinese), spread across the
heat map, one of each occurred, some shared with the client. Runs after the
plan and the changes exist. Imported only by the demo app (controls/demo.py)."""

from typing import Any

from liaison.controls.models import Risk
from liaison.controls.services.risks import risk_action_create, risk_create, risk_transition
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.planning.models import Milestone
from liaison.projects.models import Project

Status = Risk.Status

# title, category, probability, impact, owner, strategy, status, client-visible, details
WMS: list[tuple[Any, ...]] = [
    ("RF scanner delivery delayed by the vendor", "external", 4, 4, "dev", "mitigate",
     "response_planned", True,
     {"cause": "The vendor's factory is switching to a new handheld model.",
      "event": "The 120 handheld scanners arrive after the pilot starts.",
      "effect": "Pickers go back to paper; the pilot's figures mean nothing.",
      "preventive_actions": "Order 20 loan units from the vendor's pool\n"
                            "Confirm the delivery date every Monday",
      "contingency_actions": "Run the pilot in one zone with the loan units",
      "trigger": "No shipping notice two weeks before the pilot",
      "affects_schedule": True}),
    ("Legacy SKU master data is incomplete", "technical", 5, 4, "qa", "mitigate",
     "monitoring", True,
     {"cause": "Ten years of SKUs entered by hand in three warehouses.",
      "event": "Migrated items lack dimensions and weights.",
      "effect": "Put-away suggestions and wave building fail for those items.",
      "preventive_actions": "Profile the SKU master and share the gaps with Acme\n"
                            "Acme's data team fills dimensions for the top 2,000 SKUs",
      "affects_quality": True}),
    ("Go-live falls in the peak season", "schedule", 3, 5, "pm", "avoid", "assessed", True,
     {"event": "The cut-over slips into November, the busiest month.",
      "effect": "A stumble at go-live delays customer orders at peak.",
      "preventive_actions": "Agree a freeze window with Acme from 1 November",
      "affects_schedule": True, "affects_cost": True}),
    ("Key users are not available for testing", "client", 3, 3, "pm", "mitigate",
     "identified", True,
     {"cause": "The warehouse leads run the day-to-day operation as well.",
      "preventive_actions": "Book the test days in the shift plan a month ahead"}),
    ("ERP interface specification changes late", "scope", 2, 4, "dev", "accept", "assessed",
     False,
     {"affects_scope": True, "internal_notes": "Their IT lead hinted at a new ERP release."}),
    ("Label printers not certified by the carrier", "external", 2, 2, "dev", "transfer",
     "monitoring", False, {"trigger": "The carrier's test labels are rejected"}),
    ("Warehouse Wi-Fi coverage gaps in the cold store", "technical", 4, 3, "qa", "mitigate",
     "occurred", True,
     {"event": "Scanners lose the connection in aisles 40–48.",
      "contingency_actions": "Install two more access points in the cold store\n"
                             "Batch-scan offline and sync at the aisle's end",
      "affects_schedule": True}),
    ("Licence costs rise at renewal", "commercial", 1, 3, "pm", "accept", "closed", False,
     {"affects_cost": True}),
]  # fmt: skip

EMR: list[tuple[Any, ...]] = [
    ("历史病历数据迁移质量不达标", "technical", 4, 5, "qa", "mitigate", "response_planned", True,
     {"cause": "十年历史病历分散在三个旧系统，字段口径不一致。",
      "event": "迁移后部分病历缺少诊断或医嘱。",
      "effect": "医生无法查看完整病史，影响诊疗。",
      "preventive_actions": "迁移前抽样核对 1,000 份病历\n与信息科确认字段映射表",
      "contingency_actions": "保留旧系统只读查询三个月",
      "affects_quality": True}),
    ("医保接口联调延期", "external", 4, 4, "dev", "mitigate", "monitoring", True,
     {"event": "医保结算平台测试环境迟迟不开放。",
      "effect": "上线后无法实时结算，患者需窗口排队。",
      "trigger": "联调开始前一周仍无测试账号",
      "affects_schedule": True}),
    ("等保测评未按期通过", "external", 3, 5, "pm", "avoid", "assessed", True,
     {"preventive_actions": "提前三个月预约测评机构\n按等保 2.0 三级要求自查"}),
    ("医生培训时间不足", "client", 3, 3, "pm", "mitigate", "identified", True,
     {"cause": "门诊医生排班紧，难以集中培训。"}),
    ("住院医嘱模块性能不足", "technical", 2, 4, "dev", "mitigate", "assessed", False,
     {"internal_notes": "压测结果待复核。"}),
    ("硬件采购审批延迟", "resources", 2, 3, "pm", "accept", "monitoring", False, {}),
    ("上线当晚旧系统停机时间超出窗口", "schedule", 3, 4, "qa", "mitigate", "occurred", True,
     {"contingency_actions": "启用纸质病历应急流程\n延长停机窗口两小时并通知各科室"}),
    ("第三方检验系统接口变更", "scope", 1, 2, "dev", "accept", "closed", False, {}),
]  # fmt: skip

# The moves that bring a new (identified) risk to each status.
PATH = {
    Status.IDENTIFIED: [],
    Status.ASSESSED: [Status.ASSESSED],
    Status.RESPONSE_PLANNED: [Status.ASSESSED, Status.RESPONSE_PLANNED],
    Status.MONITORING: [Status.ASSESSED, Status.MONITORING],
    Status.OCCURRED: [Status.ASSESSED, Status.MONITORING, Status.OCCURRED],
    Status.CLOSED: [Status.ASSESSED, Status.CLOSED],
}


def _register(world: DemoWorld, project: Project, rows: list[tuple[Any, ...]]) -> list[Risk]:
    pm = world.people["pm"]
    first_milestone = Milestone.objects.filter(project=project).order_by("due_date").first()
    risks = []
    for n, (title, category, p, i, owner, strategy, status, shared, details) in enumerate(rows):
        risk = risk_create(
            project=project,
            by=pm,
            title=title,
            category=category,
            probability=p,
            impact=i,
            owner=world.people[owner],
            strategy=strategy,
            client_visible=shared,
            next_review_date=world.days(-3 if n % 3 == 0 else 10 + n),
            milestones=[first_milestone] if first_milestone and n < 3 else [],
            **details,
        )
        for move in PATH[status]:
            risk = risk_transition(risk=risk, by=pm, status=move, version=risk.version)
        risks.append(risk)
    return risks


def load(world: DemoWorld) -> None:
    pm = world.people["pm"]
    for code, rows in (("ACME-WMS", WMS), ("HN-EMR", EMR)):
        risks = _register(world, world.projects[code], rows)
        first = risks[0]  # its first preventive action is already a task
        risk_action_create(
            risk=first, by=pm, version=first.version, source="preventive", line=0, kind="task"
        )


registry.add(DemoStep("risks", order=45, load=load))
