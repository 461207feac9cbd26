"""The access matrix's rows for the controls: the team's pages, the portal's
and the API (liaison/tests/access_matrix.py has the framework)."""

from dataclasses import dataclass

from conftest import NOW
from liaison.controls.models import (
    ContingencyPlan,
    ContingencyStep,
    EscalationLevel,
    Issue,
    QualityCheck,
    QualityFinding,
    QualityStandard,
    Risk,
    UatCase,
    UatRound,
)
from liaison.planning.models import Milestone
from liaison.projects.models import KeyCounter, Membership
from liaison.tests.access_matrix import (
    API_EDIT,
    API_MANAGE,
    API_VIEW,
    CODE,
    HIDDEN,
    OK,
    PORTAL,
    PROJECTS,
    TEAM_COMMENT,
    TEAM_EDIT,
    TEAM_MANAGE,
    TEAM_VIEW,
    P,
    World,
    endpoint,
    page,
    picks,
    statuses,
)

# -- Risks


@dataclass
class Risks:
    """RISK-1 identified and shared with the client, with two preventive
    actions; RISK-2 internal, being monitored."""

    shared: Risk
    internal: Risk


def _populate_risks(world: World, side: str) -> Risks:
    project = world.projects[side]
    shared = Risk.objects.create(
        project=project,
        key="RISK-1",
        number=1,
        title="RF scanners arrive late",
        probability=4,
        impact=4,
        score=16,
        client_visible=True,
        preventive_actions="Order a spare batch\nConfirm the vendor's date weekly",
        owner=project.manager,
    )
    internal = Risk.objects.create(
        project=project,
        key="RISK-2",
        number=2,
        title="Key user leaves",
        probability=2,
        impact=5,
        score=10,
        status=Risk.Status.MONITORING,
        strategy=Risk.Strategy.MITIGATE,
        internal_notes="Salary review pending",
    )
    KeyCounter.objects.create(project=project, prefix="RISK", last=2)
    return Risks(shared, internal)


controls = picks("controls")
RISK1_VERSION = controls(lambda c: c["risks"].shared.version)
RISK1 = {"code": CODE, "key": "RISK-1"}  # shared with the client
RISK2 = {"code": CODE, "key": "RISK-2"}  # internal
RISKS = PROJECTS + "/{code}/risks"

RISK_PAGES = [
    page("controls:risks", "GET", TEAM_VIEW, kwargs=P),
    page("controls:risk-create", "GET", TEAM_EDIT, kwargs=P),
    page("controls:risk-create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page("controls:risk", "GET", TEAM_VIEW, kwargs=RISK1),
    page("controls:risk-edit", "GET", TEAM_EDIT, kwargs=RISK1),
    page(
        "controls:risk-edit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=RISK1,
        data={
            "title": "RF scanners arrive late",
            "category": "external",
            "probability": "3",
            "impact": "4",
            "version": RISK1_VERSION,
        },
    ),
    page(
        "controls:risk-transition",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=RISK1,
        data={"status": "assessed", "version": RISK1_VERSION},
    ),
    page(
        "controls:risk-action",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=RISK1,
        data={"source": "preventive", "line": "0", "kind": "task", "version": RISK1_VERSION},
    ),
    page("controls:risk-comment", "POST", TEAM_COMMENT, 302, kwargs=RISK1, data={"body": "Ok"}),
    # -- the portal
    page("portal:risks", "GET", PORTAL, kwargs=P),
    page("portal:risk", "GET", PORTAL, kwargs=RISK1),
    page("portal:risk", "GET", HIDDEN, kwargs=RISK2, case="internal: 404 for the client too"),
]

RISK_ENDPOINTS = [
    endpoint("GET", RISKS, API_VIEW, params=P),
    endpoint("POST", RISKS, API_EDIT, 201, params=P, data={"title": "Peak season go-live"}),
    endpoint("GET", RISKS + "/{key}", API_VIEW, params=RISK1),
    endpoint(
        "PATCH",
        RISKS + "/{key}",
        API_EDIT,
        params=RISK1,
        data={"version": RISK1_VERSION, "probability": 2},
    ),
    endpoint(
        "POST",
        RISKS + "/{key}/transition",
        API_EDIT,
        params=RISK1,
        data={"status": "assessed", "version": RISK1_VERSION},
    ),
]


# -- Issues ---------------------------------------------------------------------------


@dataclass
class Issues:
    """ISS-1 open and shown to the client, ISS-2 raised by the client contact (if
    any) and resolved, ISS-3 a dispute with an agreed outcome to confirm; a
    one-level escalation path (the manager)."""

    open: Issue
    resolved: Issue
    dispute: Issue


def _populate_issues(world: World, side: str) -> Issues:
    """Rows made directly: the matrix tests access, not the services."""
    project = world.projects[side]
    by = project.manager
    client = Membership.objects.filter(project=project, role=Membership.Role.CLIENT).first()
    raiser = client.user if client else by
    common = {"project": project, "client_visible": True, "owner": by}
    opened = Issue.objects.create(
        key="ISS-1", number=1, title="Pick list sorted by SKU", raised_by=by, **common
    )
    resolved = Issue.objects.create(
        key="ISS-2",
        number=2,
        title="Label printer offline",
        kind=Issue.Kind.DEFECT,
        status=Issue.Status.RESOLVED,
        root_cause="Driver",
        solution="Updated",
        resolved_at=NOW,
        resolved_by=by,
        raised_by=raiser,
        raised_by_client=client is not None,
        **common,
    )
    dispute = Issue.objects.create(
        key="ISS-3",
        number=3,
        title="Who pays the audit",
        kind=Issue.Kind.DISPUTE,
        our_position="The client.",
        agreed_outcome="Half each.",
        raised_by=by,
        **common,
    )
    KeyCounter.objects.create(project=project, prefix="ISS", last=3)
    EscalationLevel.objects.create(project=project, level=1, title="Project manager", person=by)
    return Issues(opened, resolved, dispute)


ISS1_VERSION = controls(lambda c: c["issues"].open.version)
ISS2_VERSION = controls(lambda c: c["issues"].resolved.version)
ISS3_VERSION = controls(lambda c: c["issues"].dispute.version)
ISS1 = {"code": CODE, "key": "ISS-1"}
ISS2 = {"code": CODE, "key": "ISS-2"}
ISS3 = {"code": CODE, "key": "ISS-3"}
ISSUES = PROJECTS + "/{code}/issues"

ISSUE_PAGES = [
    page("controls:issues", "GET", TEAM_VIEW, kwargs=P),
    page("controls:issue-create", "GET", TEAM_EDIT, kwargs=P),
    page("controls:issue-create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page(
        "controls:issue-create",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=P,
        data={
            "title": "Scanner freezes",
            "kind": "defect",
            "severity": "major",
            "priority": "high",
        },
    ),
    page("controls:issue-escalation", "GET", TEAM_VIEW, kwargs=P),
    page(
        "controls:issue-escalation",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={"title_1": "Project manager", "person_1": ""},
        case="a level without a person is refused beside it",
        note="managers get the form back (200) with the refusal",
        manager=200,
        owner=200,
    ),
    page("controls:issue", "GET", TEAM_VIEW, kwargs=ISS1),
    page("controls:issue-edit", "GET", TEAM_EDIT, kwargs=ISS1),
    page(
        "controls:issue-edit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=ISS1,
        data={
            "title": "Pick list sorted by SKU",
            "kind": "defect",
            "severity": "critical",
            "priority": "urgent",
            "version": ISS1_VERSION,
        },
    ),
    page(
        "controls:issue-transition",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=ISS1,
        data={"status": "in_progress", "version": ISS1_VERSION},
        note="the move itself needs EDIT (service); the page only VIEW, for the raiser's verify",
    ),
    page(
        "controls:issue-escalate",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=ISS1,
        data={"note": "Blocking the pilot"},
    ),
    page("controls:issue-comment", "POST", TEAM_COMMENT, 302, kwargs=ISS1, data={"body": "Seen"}),
    page(
        "controls:issue-attach",
        "POST",
        TEAM_EDIT,
        kwargs=ISS1,
        data={},
        case="no file: the page again, the reason beside the field",
        manager=400,
        member=400,
        owner=400,
    ),
    # -- the portal ------------------------------------------------------------------
    page("portal:issues", "GET", PORTAL, kwargs=P),
    page("portal:issue-raise", "GET", PORTAL, kwargs=P),
    page(
        "portal:issue-raise",
        "POST",
        PORTAL,
        302,
        kwargs=P,
        data={"title": "Wrong totals", "kind": "defect", "severity": "major"},
    ),
    page("portal:issue", "GET", PORTAL, kwargs=ISS2),
    page("portal:issue-verify", "POST", PORTAL, 302, kwargs=ISS2, data={"version": ISS2_VERSION}),
    page(
        "portal:issue-reopen",
        "POST",
        PORTAL,
        302,
        kwargs=ISS2,
        data={"reason": "Still offline", "version": ISS2_VERSION},
    ),
    page("portal:issue-comment", "POST", PORTAL, 302, kwargs=ISS2, data={"body": "Thanks"}),
    page(
        "portal:issue-position",
        "POST",
        PORTAL,
        302,
        kwargs=ISS3,
        data={"position": "The team.", "version": ISS3_VERSION},
    ),
    page(
        "portal:issue-confirm",
        "POST",
        PORTAL,
        302,
        kwargs=ISS3,
        data={"full_name": "client", "version": ISS3_VERSION},
    ),
]

ISSUE_ENDPOINTS = [
    endpoint("GET", ISSUES, API_VIEW, params=P),
    endpoint("POST", ISSUES, API_EDIT, 201, params=P, data={"title": "Scanner freezes"}),
    endpoint("GET", ISSUES + "/{key}", API_VIEW, params=ISS1),
    endpoint(
        "PATCH",
        ISSUES + "/{key}",
        API_EDIT,
        params=ISS1,
        data={"version": ISS1_VERSION, "severity": "critical"},
    ),
    endpoint(
        "POST",
        ISSUES + "/{key}/transition",
        API_EDIT,
        params=ISS1,
        data={"status": "in_progress", "version": ISS1_VERSION},
    ),
    endpoint("POST", ISSUES + "/{key}/escalate", API_EDIT, params=ISS1, data={"note": "Late"}),
]

# Quality


@dataclass
class Quality:
    """A standard; QC-1 partial with one finding (no issue yet); milestone M-99
    shown to the client; UAT-1 a draft with two cases, UAT-2 open to the client
    with two cases."""

    standard: QualityStandard
    check: QualityCheck
    finding: QualityFinding
    draft: UatRound
    open: UatRound
    draft_cases: list[UatCase]
    open_cases: list[UatCase]


def _populate_quality(world: World, side: str) -> Quality:
    """Rows made directly: the matrix tests access, not the services."""
    project = world.projects[side]
    standard = QualityStandard.objects.create(
        project=project, position=1, title="Fast scans", criterion="< 1 s", method="Load test"
    )
    milestone = Milestone.objects.create(
        project=project, key="M-99", name="UAT pilot", due_date=NOW.date(), criteria=["Scans"]
    )
    check = QualityCheck.objects.create(
        project=project,
        number=1,
        standard=standard,
        milestone=milestone,
        checked_on=NOW.date(),
        checked_by=project.manager,
        result=QualityCheck.Result.PARTIAL,
    )
    finding = QualityFinding.objects.create(quality_check=check, position=1, text="Slow on Wi-Fi")
    KeyCounter.objects.create(project=project, prefix="QC", last=1)
    draft = UatRound.objects.create(project=project, key="UAT-1", number=1, milestone=milestone)
    opened = UatRound.objects.create(
        project=project,
        key="UAT-2",
        number=2,
        milestone=milestone,
        status=UatRound.Status.OPEN,
        opened_at=NOW,
    )
    KeyCounter.objects.create(project=project, prefix="UAT", last=2)
    cases = [
        UatCase.objects.create(round=round_, position=n, title=f"Case {n}")
        for round_ in (draft, opened)
        for n in (1, 2)
    ]
    return Quality(standard, check, finding, draft, opened, cases[:2], cases[2:])


def _quality(world_of: dict) -> Quality:
    quality: Quality = world_of["quality"]
    return quality


quality = picks("controls")
STD = {"code": CODE, "standard_id": quality(lambda c: _quality(c).standard.pk)}
STD_VERSION = quality(lambda c: _quality(c).standard.version)
QC1 = {"code": CODE, "number": 1}
QC1_VERSION = quality(lambda c: _quality(c).check.version)
FINDING = {"code": CODE, "finding_id": quality(lambda c: _quality(c).finding.pk)}
UAT1 = {"code": CODE, "key": "UAT-1"}  # a draft
UAT2 = {"code": CODE, "key": "UAT-2"}  # open to the client
UAT1_VERSION = quality(lambda c: _quality(c).draft.version)
UAT2_VERSION = quality(lambda c: _quality(c).open.version)
CASE = {"code": CODE, "case_id": quality(lambda c: _quality(c).draft_cases[0].pk)}
API_PORTAL = statuses(client=OK, staff=404, signed_out=401)
QUALITY = PROJECTS + "/{code}/quality"
ROUNDS = PROJECTS + "/{code}/uat-rounds"

QUALITY_PAGES = [
    page("controls:quality", "GET", TEAM_VIEW, kwargs=P),
    page("controls:quality-standard-create", "GET", TEAM_MANAGE, kwargs=P),
    page("controls:quality-standard-create", "POST", TEAM_MANAGE, kwargs=P, data={}, case="empty"),
    page("controls:quality-standard-edit", "GET", TEAM_MANAGE, kwargs=STD),
    page(
        "controls:quality-standard-edit",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=STD,
        data={"title": "Fast scans", "version": STD_VERSION},
    ),
    page(
        "controls:quality-standard-move",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=STD,
        data={"direction": "down", "version": STD_VERSION},
    ),
    page(
        "controls:quality-standard-delete",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=STD,
        data={"version": STD_VERSION},
    ),
    page("controls:quality-check-create", "GET", TEAM_EDIT, kwargs=P),
    page("controls:quality-check-create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty"),
    page("controls:quality-check", "GET", TEAM_VIEW, kwargs=QC1),
    page("controls:quality-check-edit", "GET", TEAM_EDIT, kwargs=QC1),
    page(
        "controls:quality-check-edit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=QC1,
        data={
            "kind": "review",
            "checked_on": "2026-11-18",
            "result": "fail",
            "version": QC1_VERSION,
        },
    ),
    page(
        "controls:quality-finding-add",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=QC1,
        data={"text": "Labels smudge"},
    ),
    page(
        "controls:quality-finding-issue",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=FINDING,
        data={"kind": "defect", "severity": "major"},
    ),
    page("controls:uat-round-create", "GET", TEAM_MANAGE, kwargs=P),
    page("controls:uat-round-create", "POST", TEAM_MANAGE, kwargs=P, data={}, case="empty"),
    page("controls:uat-round", "GET", TEAM_VIEW, kwargs=UAT1),
    page(
        "controls:uat-case-add",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=UAT1,
        data={"title": "Reprint", "version": UAT1_VERSION},
    ),
    page("controls:uat-case-edit", "GET", TEAM_MANAGE, kwargs=CASE),
    page(
        "controls:uat-case-edit",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=CASE,
        data={"title": "Reprint", "version": UAT1_VERSION},
    ),
    page(
        "controls:uat-case-remove",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=CASE,
        data={"version": UAT1_VERSION},
    ),
    page(
        "controls:uat-round-open",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=UAT1,
        data={"version": UAT1_VERSION},
    ),
    page("controls:uat-round-pdf", "GET", TEAM_VIEW, kwargs=UAT2),
    # -- the portal
    page("portal:uat-rounds", "GET", PORTAL, kwargs=P),
    page("portal:uat-round", "GET", PORTAL, kwargs=UAT2),
    page("portal:uat-round", "GET", HIDDEN, kwargs=UAT1, case="a draft: 404 for the client too"),
    page(
        "portal:uat-results",
        "POST",
        PORTAL,
        302,
        kwargs=UAT2,
        data=quality(
            lambda c: {
                "version": _quality(c).open.version,
                **{f"result_{case.pk}": "passed" for case in _quality(c).open_cases},
            }
        ),
    ),
    page("portal:uat-round-pdf", "GET", PORTAL, kwargs=UAT2),
]

QUALITY_ENDPOINTS = [
    endpoint("GET", QUALITY + "/standards", API_VIEW, params=P),
    endpoint("POST", QUALITY + "/standards", API_MANAGE, 201, params=P, data={"title": "Uptime"}),
    endpoint(
        "PATCH",
        QUALITY + "/standards/{standard_id}",
        API_MANAGE,
        params=STD,
        data={"version": STD_VERSION, "title": "Uptime"},
    ),
    endpoint("GET", QUALITY + "/checks", API_VIEW, params=P),
    endpoint(
        "POST",
        QUALITY + "/checks",
        API_EDIT,
        201,
        params=P,
        data={"checked_on": "2026-11-18", "result": "pass"},
    ),
    endpoint("GET", QUALITY + "/checks/{number}", API_VIEW, params=QC1),
    endpoint(
        "PATCH",
        QUALITY + "/checks/{number}",
        API_EDIT,
        params=QC1,
        data={"version": QC1_VERSION, "result": "fail"},
    ),
    endpoint("GET", ROUNDS, API_VIEW, params=P),
    endpoint("POST", ROUNDS, API_MANAGE, 201, params=P, data={"milestone": "M-99"}),
    endpoint("GET", ROUNDS + "/{key}", API_VIEW, params=UAT1),
    endpoint(
        "POST", ROUNDS + "/{key}/open", API_MANAGE, params=UAT1, data={"version": UAT1_VERSION}
    ),
    endpoint(
        "POST",
        ROUNDS + "/{key}/results",
        API_PORTAL,
        params=UAT2,
        data=quality(
            lambda c: {
                "version": _quality(c).open.version,
                "results": [
                    {"case": case.pk, "result": "passed"} for case in _quality(c).open_cases
                ],
            }
        ),
    ),
]


# -- Contingency


@dataclass
class Contingency:
    """RISK-1's plan: a task owned by the manager, then a draft message to the client."""

    plan: ContingencyPlan
    task_step: ContingencyStep


def _populate_contingency(world: World, side: str, risk: Risk) -> Contingency:
    project = world.projects[side]
    plan = ContingencyPlan.objects.create(risk=risk, project=project, version=3)
    task_step = ContingencyStep.objects.create(
        plan=plan,
        position=0,
        kind=ContingencyStep.Kind.TASK,
        title="Install two access points",
        owner=project.manager,
        start_offset=1,
        duration_days=2,
    )
    ContingencyStep.objects.create(
        plan=plan,
        position=1,
        kind=ContingencyStep.Kind.MESSAGE,
        title="Scanning in the cold store",
        body="We scan offline until the access points are in.",
    )
    return Contingency(plan, task_step)


PLAN_VERSION = controls(lambda c: c["contingency"].plan.version)
PLAN_STEP = {**RISK1, "step": controls(lambda c: c["contingency"].task_step.pk)}
PLAN_API = RISKS + "/{key}/plan"
STEP_FORM = {"title": "Call the vendor", "start_offset": "0", "duration_days": "1"}

CONTINGENCY_PAGES = [
    page("controls:contingency", "GET", TEAM_VIEW, kwargs=RISK1),
    page("controls:contingency-step-create", "GET", TEAM_MANAGE, kwargs=RISK1),
    page(
        "controls:contingency-step-create",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=RISK1,
        data={**STEP_FORM, "kind": "task", "version": PLAN_VERSION},
    ),
    page("controls:contingency-step", "GET", TEAM_MANAGE, kwargs=PLAN_STEP),
    page(
        "controls:contingency-step",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=PLAN_STEP,
        data={**STEP_FORM, "version": PLAN_VERSION},
    ),
    page(
        "controls:contingency-step-move",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=PLAN_STEP,
        data={"direction": "down", "version": PLAN_VERSION},
    ),
    page(
        "controls:contingency-step-remove",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=PLAN_STEP,
        data={"version": PLAN_VERSION},
    ),
    page("controls:contingency-activate", "GET", TEAM_MANAGE, kwargs=RISK1),
    page(
        "controls:contingency-activate",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=RISK1,
        data={"version": PLAN_VERSION},
    ),
]

CONTINGENCY_ENDPOINTS = [
    endpoint("GET", PLAN_API, API_VIEW, params=RISK1),
    endpoint(
        "PUT",
        PLAN_API,
        API_MANAGE,
        params=RISK1,
        data={"version": PLAN_VERSION, "steps": [{"kind": "task", "title": "Call the vendor"}]},
    ),
    endpoint("GET", PLAN_API + "/preview", API_MANAGE, params=RISK1),
    endpoint(
        "POST", PLAN_API + "/activate", API_MANAGE, params=RISK1, data={"version": PLAN_VERSION}
    ),
]


def populate(world: World, side: str) -> dict:
    """The controls' rows in the project of `side`, by kind."""
    risks = _populate_risks(world, side)
    return {
        "risks": risks,
        "issues": _populate_issues(world, side),
        "contingency": _populate_contingency(world, side, risks.shared),
        "quality": _populate_quality(world, side),
    }


PAGES = [*RISK_PAGES, *ISSUE_PAGES, *CONTINGENCY_PAGES, *QUALITY_PAGES]
ENDPOINTS = [*RISK_ENDPOINTS, *ISSUE_ENDPOINTS, *CONTINGENCY_ENDPOINTS, *QUALITY_ENDPOINTS]
