"""The requirements' part of the demo data (`manage.py demo_data`): signed and
proposed baselines, a request from the client, in English and Chinese. Imported
only by the demo app, which is not installed in production."""

from typing import Any

from liaison.accounts.models import User
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.projects.models import Project
from liaison.requirements.models import Requirement
from liaison.requirements.services import (
    baseline_propose,
    baseline_sign,
    requirement_create,
    requirement_request,
    requirement_transition,
    requirement_update,
)

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


def load(world: DemoWorld) -> None:
    _wms_requirements(world.projects["ACME-WMS"], world.people)
    _emr_requirements(world.projects["HN-EMR"], world.people)


registry.add(DemoStep("requirements", order=10, load=load))
