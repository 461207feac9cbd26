"""Quality's part of the demo data (`manage.py demo_data`): on ACME-WMS, a
quality plan of four standards, two checks (one partial, whose finding opened
an issue) and the client's acceptance tests of the pilot, one case of which
failed and became the client's defect; HN-EMR's the same in Chinese, tested by
the hospital's contact. Runs after
the plan and the issues. Imported only by the demo app."""

from liaison.controls.selectors.quality import uat_round_get
from liaison.controls.services.quality import (
    quality_check_create,
    quality_finding_raise_issue,
    quality_standard_create,
)
from liaison.controls.services.uat import (
    uat_case_add,
    uat_results_submit,
    uat_round_create,
    uat_round_open,
)
from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.planning.models import Milestone
from liaison.projects.access import TEAM
from liaison.requirements.models import Requirement


def _plan(project, pm, standards: list[tuple[str, str, str]]) -> list:
    return [
        quality_standard_create(project=project, by=pm, title=t, criterion=c, method=m)
        for t, c, m in standards
    ]


def _checks(project, world: DemoWorld, standards: list, milestone, texts: dict) -> None:
    p = world.people
    quality_check_create(
        project=project,
        by=p["qa"],
        kind="review",
        standard=standards[0],
        checked_on=world.days(-9),
        result="pass",
        notes=texts["pass"],
        client_visible=True,
    )
    partial = quality_check_create(
        project=project,
        by=p["qa"],
        kind="test_run",
        standard=standards[1],
        milestone=milestone,
        checked_on=world.days(-3),
        result="partial",
        notes=texts["partial"],
        findings=texts["findings"],
    )
    quality_finding_raise_issue(
        finding=partial.findings.order_by("position")[0],
        by=p["qa"],
        kind="defect",
        severity="major",
    )


def _uat(
    project,
    world: DemoWorld,
    milestone,
    extra: list[tuple[str, str]],
    failed: str | None,
    note: str = "",
    client: str = "client",
) -> None:
    """A round of `milestone` with its generated cases and `extra` ones (title,
    the title of the requirement it tests), opened to the project's `client`
    (a person of the demo), who failed the case titled `failed` and passed the
    rest (None: the round waits for them)."""
    pm, client_user = world.people["pm"], world.people[client]
    round_ = uat_round_create(milestone=milestone, by=pm)
    for title, tests in extra:
        round_.refresh_from_db()
        requirement = Requirement.objects.filter(project=project, title=tests).first()
        uat_case_add(
            round=round_, by=pm, version=round_.version, title=title, requirement=requirement
        )
    round_.refresh_from_db()
    round_ = uat_round_open(round=round_, by=pm, version=round_.version)
    if failed is None:
        return
    round_ = uat_round_get(project=project, audience=TEAM, number=round_.number)
    results = [
        {
            "case": case.pk,
            "result": "failed" if case.title == failed else "passed",
            "note": note if case.title == failed else "",
        }
        for case in round_.case_rows
    ]
    uat_results_submit(round=round_, by=client_user, version=round_.version, results=results)


def _wms(world: DemoWorld) -> None:
    wms, pm = world.projects["ACME-WMS"], world.people["pm"]
    standards = _plan(
        wms,
        pm,
        [
            (
                "Scan response under 1 s",
                "95 % of scans answer within a second",
                "Load test before each release",
            ),
            (
                "No lost stock movements",
                "Every scan is in the ERP within 5 minutes",
                "Nightly reconciliation report",
            ),
            (
                "Readable labels",
                "Labels scan at arm's length after a week on the pallet",
                "Print audit per site",
            ),
            ("Reviewed code", "Every change reviewed by a second developer", "Pull request review"),
        ],
    )
    pilot = Milestone.objects.filter(project=wms).order_by("due_date").first()
    _checks(
        wms,
        world,
        standards,
        pilot,
        {
            "pass": "Code review of the put-away module: no blocking remark.",
            "partial": "Reconciliation of the pilot's first week.",
            "findings": "Twelve pallet moves reached the ERP after 20 minutes\n"
            "Reconciliation report lacks the bin column",
        },
    )
    _uat(
        wms,
        world,
        pilot,
        [
            ("A pallet without a label is refused at receiving", "Scan pallet labels at the dock"),
            ("Put-away list prints in bin order", "Suggest a put-away location"),
        ],
        failed="Put-away list prints in bin order",
        note="The list printed in SKU order: the team walked back and forth.",
    )


def _emr(world: DemoWorld) -> None:
    emr, pm = world.projects["HN-EMR"], world.people["pm"]
    standards = _plan(
        emr,
        pm,
        [
            ("页面响应时间小于 2 秒", "门诊高峰 95% 的页面 2 秒内打开", "每次发布前做压力测试"),
            ("数据迁移零差异", "抽查病历与旧系统逐字段一致", "迁移后抽查 1000 份病历"),
            ("符合等保三级", "安全测评无高危项", "上线前第三方测评"),
        ],
    )
    migration = Milestone.objects.filter(project=emr).order_by("due_date").first()
    _checks(
        emr,
        world,
        standards,
        migration,
        {
            "pass": "门诊挂号模块压力测试：峰值 800 并发，95% 响应 1.4 秒。",
            "partial": "历史病历迁移抽查。",
            "findings": "3 份病历的过敏史字段为空\n迁移日志缺少操作人",
        },
    )
    _uat(
        emr,
        world,
        migration,
        [
            ("按患者姓名检索历史病历", "十年历史病历迁移"),
            ("打印历史病历首页", "十年历史病历迁移"),
            ("医生可查看十年前的检验报告", "十年历史病历迁移"),
        ],
        failed="打印历史病历首页",
        note="首页缺少过敏史和既往病史，与旧系统打印件不一致。",
        client="doctor",
    )


def load(world: DemoWorld) -> None:
    _wms(world)
    _emr(world)


registry.add(DemoStep("quality", order=49, load=load))
