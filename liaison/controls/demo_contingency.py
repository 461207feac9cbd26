"""The contingency plans' part of the demo data (`manage.py demo_data`): in
ACME-WMS the occurred risk (the cold store's Wi-Fi) has a plan that was
activated: its tasks, an action item, the message sent to the client, a
change request drafted and the issue opened; the scanner delivery risk has a
plan ready, not activated. HN-EMR the same in Chinese (its message a draft
for the manager to read before it goes to the hospital). Runs after the risks and the issues.
Imported only by the demo app (controls/demo.py)."""

from typing import Any

from liaison.controls.models import ContingencyPlan, Risk
from liaison.controls.services.contingency import contingency_activate, contingency_step_add
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.projects.models import Project

# kind, title, body, owner, start, duration, due, client-visible, send
Step = tuple[str, str, str, str | None, int, int | None, int | None, bool, bool]

WMS_OCCURRED: list[Step] = [
    ("task", "Install two access points in the cold store", "", "dev", 0, 2, None, False, False),
    ("task", "Re-test scanning in aisles 40–48", "", "qa", 2, 1, None, False, False),
    ("action_item", "Brief the shift leads on offline batch scanning", "", "pm", 0, None, 1,
     True, False),
    ("message", "Scanning in the cold store this week",
     "The cold store's Wi-Fi drops in aisles 40–48. Until two more access points are in "
     "(two days), pickers batch-scan offline and sync at each aisle's end.", None, 0, None,
     None, False, True),
    ("change", "Two more access points in the cold store",
     "Hardware and a day of installation, outside the agreed scope.", None, 0, None, None,
     False, False),
]  # fmt: skip
WMS_READY: list[Step] = [
    ("task", "Run the pilot in zone A with the loan units", "", "dev", 0, 5, None, False, False),
    ("message", "The pilot starts in one zone",
     "The scanners are late: the pilot starts in zone A with 20 loan units.", None, 0, None,
     None, False, False),
]  # fmt: skip
EMR_OCCURRED: list[Step] = [
    ("task", "启用纸质病历应急流程", "", "qa", 0, 1, None, False, False),
    ("task", "核对停机期间的纸质医嘱并补录", "", "dev", 1, 2, None, False, False),
    ("action_item", "通知各科室延长停机窗口两小时", "", "pm", 0, None, 0, False, False),
    ("message", "上线当晚停机时间延长",
     "因数据迁移耗时超出预期，旧系统停机窗口延长两小时，期间请使用纸质病历。", None, 0, None,
     None, False, False),
]  # fmt: skip


def _write(world: DemoWorld, risk: Risk, steps: list[Step]) -> None:
    pm = world.people["pm"]
    version = 1
    for kind, title, body, owner, start, duration, due, visible, send in steps:
        fields: dict[str, Any] = {"kind": kind, "title": title}
        if kind in ("task", "message", "change"):
            fields["body"] = body
        if kind in ("task", "action_item"):
            fields["owner"] = world.people[owner] if owner else None
            fields["due_offset"] = due
        if kind == "task":
            fields.update(start_offset=start, duration_days=duration)
        if kind == "action_item":
            fields["client_visible"] = visible
        if kind == "message":
            fields["send_on_activation"] = send
        contingency_step_add(risk=risk, by=pm, version=version, **fields)
        version += 1


def _risk(project: Project, status: str, number: int = 0) -> Risk:
    return Risk.objects.filter(project=project, status=status).order_by("number")[number]


def load(world: DemoWorld) -> None:
    pm = world.people["pm"]
    for code, steps in (("ACME-WMS", WMS_OCCURRED), ("HN-EMR", EMR_OCCURRED)):
        occurred = _risk(world.projects[code], Risk.Status.OCCURRED)
        _write(world, occurred, steps)
        plan = ContingencyPlan.objects.get(risk=occurred)
        contingency_activate(risk=occurred, by=pm, version=plan.version)
    ready = _risk(world.projects["ACME-WMS"], Risk.Status.RESPONSE_PLANNED)
    _write(world, ready, WMS_READY)


registry.add(DemoStep("contingency plans", order=48, load=load))
