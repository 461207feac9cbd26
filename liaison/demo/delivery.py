"""Demo content for the later steps of the client loop: change requests in
every state and weekly status reports, in English and Chinese, built through
the services after the plan and the log exist (see demo.load_demo)."""

import datetime

from django.utils import timezone, translation

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.changes.services.change_requests import (
    change_create,
    change_request_from_client,
    change_update,
)
from liaison.changes.services.decision import change_decide
from liaison.changes.services.lifecycle import change_transition
from liaison.planning.models import Milestone, Task
from liaison.projects.models import Project
from liaison.reports.periods import last_week_start
from liaison.reports.services import (
    report_acknowledge,
    report_create,
    report_publish,
    report_update,
)
from liaison.requirements.models import Requirement

CLIENT_IP = "203.0.113.24"  # a documentation address: where the demo client "signed"


def _task(project: Project, title: str) -> Task:
    return Task.objects.get(project=project, title=title)


def _line(task: Task, *, start_shift: int = 0, due_shift: int) -> dict:
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


def wms_changes(wms: Project, p: dict[str, User]) -> None:
    """Approved (the plan moved and a baseline was cut), one awaiting the
    client, one being assessed, one the client just raised, one declined."""
    pm, client = p["pm"], p["client"]
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
        # The approval confirms the shift lead's requirement and signs both again.
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
        by=p["dev"],
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


def emr_changes(emr: Project, p: dict[str, User]) -> None:
    pm = p["pm"]
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


def _finished_on_their_due_dates(project: Project, today: datetime.date) -> None:
    """The demo's done tasks were finished in the weeks before today, not the
    moment the demo was loaded: date them on their due dates, so that the
    reports' weekly figures and chart show that history."""
    done = list(Task.objects.filter(project=project, status=Task.Status.DONE, due_date__lt=today))
    for task in done:
        due = task.due_date
        assert due is not None  # due_date__lt leaves undated tasks out
        task.completed_at = timezone.make_aware(datetime.datetime.combine(due, datetime.time(17)))
    Task.objects.bulk_update(done, ["completed_at"])


def wms_reports(wms: Project, p: dict[str, User], today: datetime.date) -> None:
    """Three weeks of reports: acknowledged, published (awaiting the client), a draft."""
    pm, client = p["pm"], p["client"]
    _finished_on_their_due_dates(wms, today)
    last_monday = last_week_start(today)
    weeks = [
        (
            3,
            "Receiving and put-away are live in Reno; the pilot was accepted.",
            "- Start wave picking\n- Plan the Fresno rollout",
        ),
        (
            2,
            "Wave picking is built; the ERP order sync slipped two days while Acme's IT "
            "renewed a certificate.",
            "- Finish the scanner app\n- Agree the training dates with the shift leads",
        ),
        (
            1,
            "The night-shift change is approved and planned; picker training starts next week.",
            "- Train pickers on all shifts\n- Submit the training milestone for acceptance",
        ),
    ]
    for weeks_ago, summary, next_steps in weeks:
        start = last_monday - datetime.timedelta(weeks=weeks_ago - 1)
        report = report_create(project=wms, by=pm, period="weekly", period_start=start)
        report = report_update(
            report=report,
            by=pm,
            version=report.version,
            summary=summary,
            next_steps=next_steps,
            concerns="We need Acme's test data for the returns flow by Friday."
            if weeks_ago == 2
            else "",
        )
        if weeks_ago == 1:
            continue  # last week's stays a draft: the manager still writes it
        report = report_publish(report=report, by=pm, version=report.version)
        if weeks_ago == 3:
            report_acknowledge(report=report, by=client, comment="Thanks — great progress.")


def emr_reports(emr: Project, p: dict[str, User], today: datetime.date) -> None:
    pm = p["pm"]
    _finished_on_their_due_dates(emr, today)
    with translation.override("zh-hans"):  # a Chinese client's report, titled in Chinese
        report = report_create(
            project=emr, by=pm, period="weekly", period_start=last_week_start(today)
        )
    report = report_update(
        report=report,
        by=pm,
        version=report.version,
        health="amber",
        summary="医保接口联调延期一周，上线日期相应顺延；其余模块按计划推进。",
        next_steps="- 完成结算单重试的测试用例\n- 与信息科确认新的上线日期",
        concerns="需要医保平台测试环境在周三前恢复。",
    )
    report_publish(report=report, by=pm, version=report.version)
