"""The changes' part of the demo data (`manage.py demo_data`): change requests
in every state, one approved (the plan moved and a baseline was cut), in English
and Chinese. Runs after the plan and the log exist. Imported only by the demo
app, which is not installed in production."""

import datetime
from typing import Any

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.changes.services.change_requests import (
    change_create,
    change_request_from_client,
    change_update,
)
from liaison.changes.services.decision import change_decide
from liaison.changes.services.lifecycle import change_transition
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.planning.models import Milestone, Task
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

CLIENT_IP = "203.0.113.24"  # a documentation address: where the demo client "signed"


def _task(project: Project, title: str) -> Task:
    return Task.objects.get(project=project, title=title)


def _line(task: Task, *, start_shift: int = 0, due_shift: int) -> dict[str, Any]:
    def shifted(day: datetime.date | None, days: int) -> str:
        assert day is not None  # the demo's changes move dated tasks
        return (day + datetime.timedelta(days=days)).isoformat()

    return {
        "task": task.key,
        "start": shifted(task.start_date, start_shift),
        "due": shifted(task.due_date, due_shift),
    }


def _step(change: ChangeRequest, by: User, *statuses: str) -> ChangeRequest:
    for status in statuses:
        change = change_transition(change=change, by=by, status=status, version=change.version)
    return change


def _wms_night_shift(wms: Project, pm: User, client: User) -> None:
    """Raised by the client, assessed, approved: the plan moves, and the
    approval confirms the shift lead's requirement and signs both again."""
    rollout = Milestone.objects.get(project=wms, name="All three warehouses live")
    night = change_request_from_client(
        project=wms,
        by=client,
        title="Add a night shift to the picking waves",
        description="Fresno starts a night shift in January: waves must be built for it too.",
        reason="Peak season doubles the order volume.",
    )
    night = _step(night, pm, "assessing")
    night = change_update(
        change=night,
        by=pm,
        version=night.version,
        effort_hours=32,
        cost=4800,
        scope_impact="A third shift in the wave planner and the shift-lead alerts.",
        risk_level="medium",
        risk_impact="The night-shift lead needs training before go-live.",
        schedule_changes=[_line(_task(wms, "Wave building and pick paths"), due_shift=3)],
        milestones=[rollout],
        tasks=[_task(wms, "Wave building and pick paths")],
        requirements=list(
            Requirement.objects.filter(
                project=wms,
                title__in=[
                    "Wave picking with handheld scanners",
                    "Shift lead reassigns open picks",
                ],
            )
        ),
    )
    night = _step(night, pm, "awaiting_client")
    change_decide(
        change=night,
        by=client,
        version=night.version,
        approve=True,
        full_name="Claire Client",
        ip=CLIENT_IP,
    )


def _wms_changes(world: DemoWorld) -> None:
    """Approved, one awaiting the client, one being assessed, one the client
    just raised, one declined."""
    wms, pm, client = world.projects["ACME-WMS"], world.people["pm"], world.people["client"]
    _wms_night_shift(wms, pm, client)
    labels = change_create(
        project=wms,
        by=pm,
        title="Print carrier labels at the packing station",
        description="Print the carrier's label when the carton is closed, instead of in a batch.",
        reason="The carrier changes its label format on 1 February.",
        priority="high",
        requirements=list(Requirement.objects.filter(project=wms, status="confirmed")[:2]),
    )
    labels = _step(labels, pm, "assessing")
    labels = change_update(
        change=labels,
        by=pm,
        version=labels.version,
        effort_hours=24,
        cost=3600,
        scope_impact="One more printer integration and a label template per carrier.",
        risk_level="low",
        schedule_changes=[_line(_task(wms, "ERP order sync"), due_shift=2)],
    )
    _step(labels, pm, "awaiting_client")
    scanners = change_create(
        project=wms,
        by=world.people["dev"],
        title="Switch to the newer handheld scanner model",
        description="The vendor discontinues the current model in March.",
        reason="Spare parts will not be available after March.",
    )
    scanners = _step(scanners, pm, "assessing")
    change_update(
        change=scanners,
        by=pm,
        version=scanners.version,
        effort_hours=40,
        scope_impact="Test the app on the new model; no new features.",
        schedule_changes=[_line(_task(wms, "Handheld scanner app"), start_shift=2, due_shift=5)],
    )
    change_request_from_client(
        project=wms,
        by=client,
        title="Export the pallet report to Excel",
        description="Our finance team wants the weekly pallet report as a spreadsheet.",
    )
    dashboards = change_create(
        project=wms,
        by=pm,
        title="Real-time dashboards on the warehouse TVs",
        description="Show picks per hour on the TVs above the packing lines.",
    )
    change_transition(
        change=dashboards,
        by=pm,
        status="rejected",
        version=dashboards.version,
        comment="Out of this project's scope; we will quote it separately.",
    )


def _emr_changes(world: DemoWorld) -> None:
    emr, pm = world.projects["HN-EMR"], world.people["pm"]
    retry = change_create(
        project=emr,
        by=pm,
        title="医保结算单失败自动重试",
        description="结算单上传失败时每小时自动重试一次，并通知信息科。",
        reason="联调周会决定：失败的结算单必须可重试。",
        priority="high",
    )
    retry = _step(retry, pm, "assessing")
    retry = change_update(
        change=retry,
        by=pm,
        version=retry.version,
        effort_hours=16,
        cost=12000,
        scope_impact="增加重试队列和失败通知。",
        risk_level="low",
    )
    _step(retry, pm, "awaiting_client")


def load(world: DemoWorld) -> None:
    _wms_changes(world)
    _emr_changes(world)


registry.add(DemoStep("changes", order=40, load=load))
