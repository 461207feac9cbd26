"""The money part of the demo (`manage.py demo_data`): the organization's rates
(by role and for some people, in ACME-WMS's dollars and HN-EMR's yuan), a
budget per project agreed with the client, ACME-WMS's raised by a change
request approved in this step, and expenses with receipts. HN-EMR in Chinese.
Imported only by the demo app (finance/demo.py), never in production."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.accounts.models import User
from liaison.changes.services.change_requests import change_create, change_update
from liaison.changes.services.decision import change_decide
from liaison.changes.services.lifecycle import change_transition
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.finance.selectors.rates import change_cost_estimate
from liaison.finance.services.budget import budget_agree, budget_update
from liaison.finance.services.expenses import expense_create
from liaison.finance.services.invoicing import invoice_mark
from liaison.finance.services.rates import rate_create
from liaison.projects.models import Project

CLIENT_IP = "203.0.113.24"  # a documentation address, as the changes' demo uses
# (currency, person or role, cost per hour, bill rate per hour)
RATES = (
    ("USD", "manager", "70", "150"),
    ("USD", "member", "50", "110"),
    ("USD", "dev", "55", "120"),
    ("USD", "qa", "45", "95"),
    ("CNY", "manager", "450", "980"),
    ("CNY", "member", "320", "720"),
    ("CNY", "qa", "300", "680"),
)


def _pdf(text: str) -> bytes:
    """A one-page PDF with a line of (ASCII) text: a stand-in for a scanned receipt
    that any PDF reader opens (offsets in the cross-reference table included)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 4 0 R>>>>"
        b"/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


def _receipt(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _pdf("Receipt"), content_type="application/pdf")


def _rates(world: DemoWorld) -> None:
    admin = world.people["admin"]
    for currency, who, cost, bill in RATES:
        person = world.people.get(who) if who not in ("manager", "member") else None
        rate_create(
            organization=world.organization,
            by=admin,
            person=person,
            role="" if person else who,
            currency=currency,
            cost_rate=Decimal(cost),
            bill_rate=Decimal(bill),
            effective_from=world.days(-180),
        )
    # A raise from next month, still removable on the rates page.
    rate_create(
        organization=world.organization,
        by=admin,
        role="member",
        currency="USD",
        cost_rate=Decimal("52"),
        bill_rate=Decimal("115"),
        effective_from=world.days(30),
    )


def _labour(description: str, role: str, hours: int) -> dict:
    return {"kind": "labour", "description": description, "role": role, "hours": Decimal(hours),
            "amount": None}  # fmt: skip


def _other(kind: str, description: str, amount: str) -> dict:
    return {"kind": kind, "description": description, "role": "", "hours": None,
            "amount": Decimal(amount)}  # fmt: skip


def _budget(project: Project, pm: User, lines: list[dict], pricing: str) -> None:
    budget = budget_update(project=project, by=pm, version=1, pricing=pricing, lines=lines)
    budget_agree(project=project, by=pm, version=budget.version)


def _wms_change(wms: Project, pm: User, client: User) -> None:
    """A change whose cost is its effort at the team's rates, approved by the
    client: the agreed budget moves with it."""
    change = change_create(
        project=wms,
        by=pm,
        title="Cycle counting on the handhelds",
        description="Count a few bins every day on the scanners instead of a yearly stocktake.",
        reason="The auditors accept cycle counts; the warehouse closes two days less a year.",
    )
    effort = Decimal(60)
    for status in ("assessing",):
        change = change_transition(change=change, by=pm, status=status, version=change.version)
    change = change_update(
        change=change,
        by=pm,
        version=change.version,
        effort_hours=effort,
        cost=change_cost_estimate(wms, effort),
        cost_visible=True,
        scope_impact="A counting screen on the handhelds and a variance report.",
        risk_level="low",
    )
    change = change_transition(
        change=change, by=pm, status="awaiting_client", version=change.version
    )
    change_decide(change=change, by=client, version=change.version, approve=True,
                  full_name="Claire Client", ip=CLIENT_IP)  # fmt: skip


def _wms(world: DemoWorld) -> None:
    wms, pm, dev = world.projects["ACME-WMS"], world.people["pm"], world.people["dev"]
    lines = [
        _labour("Project management", "manager", 240),
        _labour("Configuration, integration and the handheld app", "member", 1100),
        _other("third_party", "Handheld scanners (40) and mounts", "38000"),
        _other("expenses", "Travel to the three warehouses", "6500"),
        _other("reserve", "Contingency reserve (8 %)", "17500"),
    ]
    _budget(wms, pm, lines, "fixed_fee")
    _wms_change(wms, pm, world.people["client"])
    for day, category, description, amount, billable, receipt in (
        (-40, "travel", "Flights to Fresno for the pilot", "842.60", True, "flights.pdf"),
        (-33, "hardware", "Two spare scanner batteries", "129.90", True, ""),
        (-20, "licences", "Label printer driver licence", "300.00", False, "licence.pdf"),
        (-6, "travel", "Hotel in Reno, go-live week", "612.00", True, ""),
    ):
        expense_create(
            project=wms, by=dev, day=world.days(day), category=category,
            description=description, amount=Decimal(amount), billable=billable,
            receipt=_receipt(receipt) if receipt else None,
        )  # fmt: skip


def _emr(world: DemoWorld) -> None:
    emr, pm, qa = world.projects["HN-EMR"], world.people["pm"], world.people["qa"]
    lines = [
        _labour("项目管理", "manager", 320),
        _labour("数据迁移与接口开发", "member", 1600),
        _other("third_party", "医保结算平台接口认证", "45000"),
        _other("expenses", "差旅：医院现场实施", "28000"),
        _other("reserve", "风险储备金（10%）", "160000"),
    ]
    _budget(emr, pm, lines, "time_and_materials")
    for day, category, description, amount, receipt in (
        (-90, "travel", "广州往返高铁票（实施团队四人）", "1864.00", "高铁票.pdf"),
        (-60, "licences", "数据库迁移工具许可（一年）", "12800.00", "许可发票.pdf"),
        (-14, "other", "医生工作站培训场地租用", "3500.00", ""),
    ):
        expense_create(
            project=emr, by=qa, day=world.days(day), category=category,
            description=description, amount=Decimal(amount), billable=True,
            receipt=_receipt(receipt) if receipt else None,
        )  # fmt: skip


def _emr_invoiced(world: DemoWorld) -> None:
    """The quarter before last month is invoiced: its billable expenses are locked."""
    invoice_mark(
        project=world.projects["HN-EMR"],
        by=world.people["pm"],
        start=world.days(-120),
        end=world.days(-45),
        reference="FP-2026-0815",
    )


def load(world: DemoWorld) -> None:
    _rates(world)
    _wms(world)
    _emr(world)
    _emr_invoiced(world)


registry.add(DemoStep("money", order=42, load=load))
