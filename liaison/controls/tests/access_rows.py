"""The access matrix's rows for the controls: the team's pages, the portal's
and the API (liaison/tests/access_matrix.py has the framework)."""

from dataclasses import dataclass

from liaison.controls.models import Risk
from liaison.projects.models import KeyCounter
from liaison.tests.access_matrix import (
    API_EDIT,
    API_VIEW,
    CODE,
    HIDDEN,
    PORTAL,
    PROJECTS,
    TEAM_COMMENT,
    TEAM_EDIT,
    TEAM_VIEW,
    P,
    World,
    endpoint,
    page,
    picks,
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


risks = picks("controls")
RISK1_VERSION = risks(lambda c: c["risks"].shared.version)
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


def populate(world: World, side: str) -> dict:
    """The controls' rows in the project of `side`, by kind."""
    return {"risks": _populate_risks(world, side)}


PAGES = [*RISK_PAGES]
ENDPOINTS = [*RISK_ENDPOINTS]
