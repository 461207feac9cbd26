"""A report's sections come from the registry (core.registry.ReportSection):
the features' four in order, an extra one frozen and shown like theirs, and a
report frozen in the flat JSON of before still read as it was."""

import copy

import pytest
from django.conf import settings
from django.test import override_settings

from liaison.controls.report_quality import DEFAULTS as QUALITY_DEFAULTS
from liaison.controls.report_risks import DEFAULTS as RISK_DEFAULTS
from liaison.controls.selectors.issue_report import DEFAULTS as ISSUE_DEFAULTS
from liaison.core.registry import ReportSection, registry
from liaison.core.reporting import RED, SectionFacts
from liaison.finance.report_value import DEFAULTS as VALUE_DEFAULTS
from liaison.reports.models import StatusReport
from liaison.reports.pdf import report_pdf_html
from liaison.reports.selectors import ReportFacts, report_facts, report_facts_for
from liaison.reports.tests.factories import make_report, published_report
from liaison.reports.tests.test_facts import END, START, built  # noqa: F401

Status = StatusReport.Status
WEEKS = ["09-21", "09-28", "10-05", "10-12", "10-19", "10-26", "11-02", "11-09"]
# A report's facts as reports froze them before the sections were registered:
# one flat dict. Every report published so far holds this shape.
OLD = {
    "period_start": "2026-11-09",
    "period_end": "2026-11-15",
    "progress_percent": 42,
    "tasks_total": 12,
    "tasks_done": 5,
    "tasks_completed_in_period": 2,
    "tasks_overdue": 1,
    "completed": [{"key": "T-7", "title": "Scanner UI", "completed": "2026-11-11"}],
    "weekly_completed": [
        {"week_start": f"2026-{week}", "count": n % 3} for n, week in enumerate(WEEKS)
    ],
    "milestones": [{"key": "M-2", "name": "Pilot", "due": "2026-11-12", "status": "submitted"}],
    "slip_days": 3,
    "changes": [{"key": "CR-4", "title": "Export to PDF", "status": "awaiting_client"}],
    "changes_awaiting": 1,
    "interactions": [
        {"key": "I-9", "kind": "meeting", "title": "Weekly call", "date": "2026-11-10"}
    ],
    "action_items_open": 4,
    "action_items_overdue": 2,
    "requirements_confirmed": 17,
    "baselines_signed": [{"number": 2, "title": "Scope v2"}],
    "suggested_health": "amber",
}
# The sections added since OLD was frozen (earned value; the controls' risks, problems
# and quality): a report frozen before reads their defaults. Earned value freezes
# after the plan's values, the controls' after the changes', before the communication's.
ADDED = {**VALUE_DEFAULTS, **RISK_DEFAULTS, **ISSUE_DEFAULTS, **QUALITY_DEFAULTS}
_PLAN_END = list(OLD).index("changes")
_AFTER = list(OLD).index("changes_awaiting") + 1
NOW_FROZEN = [
    *list(OLD)[:_PLAN_END],
    *VALUE_DEFAULTS,
    *list(OLD)[_PLAN_END:_AFTER],
    *RISK_DEFAULTS,
    *ISSUE_DEFAULTS,
    *QUALITY_DEFAULTS,
    *list(OLD)[_AFTER:],
]


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _in_order(page: str, *parts: str) -> bool:
    places = [page.index(part) for part in parts]
    return places == sorted(places)


# -- the features' sections --------------------------------------------------------------


def test_the_sections_come_from_the_registry_in_order():
    sections = registry.report_sections
    assert [section.name for section in sections] == [
        "plan",
        "value",
        "changes",
        "risks",
        "issues",
        "quality",
        "communication",
        "requirements",
    ]
    # Together they freeze the keys reports froze before, those added since, and nothing else.
    assert [name for section in sections for name in section.defaults] == NOW_FROZEN[2:-1]


def test_live_facts_freeze_in_the_flat_shape(project, built):  # noqa: F811
    data = report_facts(project=project, start=START, end=END).as_json()
    assert list(data) == NOW_FROZEN


def test_the_page_shows_each_sections_figures_and_cards_in_order(
    login,
    project,
    manager,
    built,  # noqa: F811
):
    report = make_report(project, manager, period_start=START)
    page = _text(login(manager).get(f"/p/OWN/reports/{report.number}/"))
    # The Figures card: the plan's, communication's, the changes', the requirements',
    # then the plan's chart.
    assert _in_order(
        page,
        'id="figures"',
        "of the work done",
        "open action items",
        "change requests awaiting the client",
        "requirements confirmed",
        'class="report-chart"',
    )
    # The cards: the plan's, the changes', communication's, the requirements'.
    assert _in_order(
        page,
        'id="completed"',
        'id="milestones"',
        'id="changes"',
        'id="interactions"',
        'id="baselines"',
        'id="concerns"',
    )


# -- an extra section -----------------------------------------------------------------------

EXTRA_TEMPLATES = {
    "risks/_report_stats.html": (
        '{# Inputs: facts #}<li class="stat" id="risks-stat">{{ facts.risks_open }} risks open</li>'
    ),
    "risks/_report_section.html": (
        "{# Inputs: facts, report, links #}"
        '<section class="card" id="risks"><h2>Risks of {{ report.key }}</h2>'
        '{% for risk in facts.risks %}<p>{{ risk.title }}, raised {{ risk.raised|date:"Y-m-d" }}'
        "{% if links %} ({{ links }}){% endif %}</p>{% endfor %}</section>"
    ),
}


def _risk_facts(project, start, end, moment) -> SectionFacts:
    return SectionFacts(
        {"risks_open": 3, "risks": [{"title": "Scanner stock", "raised": start}]}, RED
    )


RISKS = ReportSection(
    "risks",
    order=35,
    facts=_risk_facts,
    defaults={"risks_open": 0, "risks": []},
    date_keys={"risks": ("raised",)},
    stats="risks/_report_stats.html",
    template="risks/_report_section.html",
)


@pytest.fixture
def risks():
    """A feature that registers a section of its own, with its templates."""
    engine = settings.TEMPLATES[0]
    loaders = [
        ("django.template.loaders.locmem.Loader", EXTRA_TEMPLATES),
        "django.template.loaders.app_directories.Loader",
    ]
    templates = [
        {**engine, "APP_DIRS": False, "OPTIONS": {**engine["OPTIONS"], "loaders": loaders}}
    ]
    registry.add(RISKS)
    try:
        with override_settings(TEMPLATES=templates):
            yield RISKS
    finally:
        registry.report_sections.remove(RISKS)


def test_an_extra_section_is_counted_frozen_and_shown(risks, login, project, client_user):
    facts = report_facts(project=project, start=START, end=END)
    assert facts["risks_open"] == 3
    assert facts.suggested_health == "red"  # the worst any section suggests

    report = published_report(project)  # last week's, frozen by the service
    assert report.data["risks_open"] == 3
    assert report.data["risks"] == [{"title": "Scanner stock", "raised": START.isoformat()}]
    assert report.data["suggested_health"] == "red"
    assert ReportFacts.from_json(report.data)["risks"][0]["raised"] == START

    team = _text(login(project.manager).get(f"/p/OWN/reports/{report.number}/"))
    assert _in_order(team, "change requests awaiting", "3 risks open", "requirements confirmed")
    assert _in_order(team, 'id="milestones"', f"Risks of {report.key}", "Scanner stock")
    assert f"raised {START.isoformat()} (team)" in team
    portal = _text(login(client_user).get(f"/portal/p/OWN/reports/{report.number}/"))
    assert "3 risks open" in portal and f"raised {START.isoformat()} (portal)" in portal
    pdf = report_pdf_html(report, report_facts_for(report), portal=True)
    assert "3 risks open" in pdf and f"raised {START.isoformat()}</p>" in pdf


def test_a_section_gives_the_values_its_defaults_name(project):
    """What a section freezes is what a report reads back: a value it gives without
    a default (or a default it never gives) is a mistake of the feature's."""
    stray = ReportSection("stray", order=90, facts=_risk_facts, defaults={"risks_open": 0})
    registry.add(stray)
    try:
        with pytest.raises(ValueError, match="stray"):
            report_facts(project=project, start=START, end=END)
    finally:
        registry.report_sections.remove(stray)


def test_a_report_frozen_before_a_section_existed_is_shown_without_it(
    risks, login, project, manager
):
    report = make_report(project, manager, status=Status.PUBLISHED, data=copy.deepcopy(OLD))
    facts = report_facts_for(report)
    assert "risks" not in facts.sections
    page = _text(login(manager).get(f"/p/OWN/reports/{report.number}/"))
    assert "risks open" not in page and 'id="risks"' not in page
    assert "requirements confirmed" in page
    api = login(manager).get(f"/api/v1/projects/OWN/reports/{report.number}").json()
    assert api["facts"] == {**OLD, **ADDED}  # the API names every section's values


# -- reports frozen before -----------------------------------------------------------------


def test_a_report_frozen_in_the_old_flat_json_reads_as_it_was(login, project, manager, client_user):
    report = make_report(project, manager, status=Status.PUBLISHED, data=copy.deepcopy(OLD))

    # A value frozen before its section came reads as the section's default.
    assert report_facts_for(report).as_json() == {**OLD, **ADDED}
    api = login(manager).get(f"/api/v1/projects/OWN/reports/{report.number}").json()
    assert api["facts"] == {**OLD, **ADDED}  # the API names every section's values

    team = _text(login(manager).get(f"/p/OWN/reports/{report.number}/"))
    portal = _text(login(client_user).get(f"/portal/p/OWN/reports/{report.number}/"))
    pdf = report_pdf_html(report, report_facts_for(report), portal=False)
    for page in (team, portal, pdf):
        for shown in (
            "2026-11-09 to 2026-11-15",
            "42%",
            "5/12",
            "+3",
            "2 overdue",
            "17",
            "Scanner UI",
            "2026-11-11",
            "Pilot",
            "Awaiting acceptance",
            "Export to PDF",
            "Awaiting the client",
            "Weekly call",
            "Meeting",
            "Baseline 2 “Scope v2”",
            "Week of 2026-11-09: 1 completed",
        ):
            assert shown in page, shown
    assert 'href="/p/OWN/milestones/M-2/"' in team
    assert "/portal/p/OWN/communication/I-9/" in portal
    assert "/p/OWN/communication/" not in pdf
