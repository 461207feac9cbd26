"""The status reports' part of the demo data (`manage.py demo_data`): weekly
reports acknowledged, published and in draft, in English and Chinese, written
after every other feature's data, whose facts they freeze. Imported only by the
demo app, which is not installed in production."""

import datetime

from django.utils import translation

from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.reports.periods import last_week_start
from liaison.reports.services import (
    report_acknowledge,
    report_create,
    report_publish,
    report_update,
)

WMS_WEEKS = [
    # weeks ago, summary, next steps
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


def _wms_reports(world: DemoWorld) -> None:
    """Three weeks of reports: acknowledged, published (awaiting the client), a draft."""
    wms, pm, client = world.projects["ACME-WMS"], world.people["pm"], world.people["client"]
    last_monday = last_week_start(world.today)
    for weeks_ago, summary, next_steps in WMS_WEEKS:
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


def _emr_reports(world: DemoWorld) -> None:
    emr, pm = world.projects["HN-EMR"], world.people["pm"]
    with translation.override("zh-hans"):  # a Chinese client's report, titled in Chinese
        report = report_create(
            project=emr, by=pm, period="weekly", period_start=last_week_start(world.today)
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


def _bi_final_report(world: DemoWorld) -> None:
    """Acme's finished dashboards (archived at the end of the demo): the last
    report stays in Claire's portal with the project, read-only."""
    bi, admin = world.projects["ACME-BI"], world.people["admin"]
    start = last_week_start(world.today) - datetime.timedelta(weeks=30)
    report = report_create(project=bi, by=admin, period="weekly", period_start=start)
    report = report_update(
        report=report,
        by=admin,
        version=report.version,
        health="green",
        summary="All six dashboards are live and handed over; Acme's operations team "
        "signed off the delivery-time and cost views.",
        next_steps="- None: the project is complete. Support requests go to the service desk.",
    )
    report_publish(report=report, by=admin, version=report.version)


def load(world: DemoWorld) -> None:
    _wms_reports(world)
    _emr_reports(world)
    _bi_final_report(world)


registry.add(DemoStep("reports", order=50, load=load))
