"""The access matrix's rows for change requests: the team's pages, the portal's
and the API (liaison/tests/access_matrix.py has the framework)."""

from dataclasses import dataclass

from conftest import NOW
from liaison.changes.models import ChangeRequest
from liaison.projects.models import KeyCounter
from liaison.tests.access_matrix import (
    API_EDIT,
    API_MANAGE,
    API_VIEW,
    CODE,
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
)


@dataclass
class Changes:
    """CR-1 being assessed (it moves T-1), CR-2 awaiting the client's decision,
    CR-3 just submitted."""

    assessing: ChangeRequest
    awaiting: ChangeRequest
    submitted: ChangeRequest


def populate(world: World, side: str) -> Changes:
    """Rows made directly, after the plan (T-1 exists): the matrix tests access."""
    project = world.projects[side]
    by = project.manager
    common = {"project": project, "requested_by": by, "effort_hours": 16}
    assessing = ChangeRequest.objects.create(
        key="CR-1",
        number=1,
        title="Night shift picking",
        status=ChangeRequest.Status.ASSESSING,
        scope_impact="Two more screens.",
        schedule_changes=[{"task": "T-1", "start": "2027-01-05", "due": "2027-01-11"}],
        **common,
    )
    awaiting = ChangeRequest.objects.create(
        key="CR-2",
        number=2,
        title="Label printer",
        status=ChangeRequest.Status.AWAITING_CLIENT,
        scope_impact="One more printer model.",
        sent_at=NOW,
        **common,
    )
    submitted = ChangeRequest.objects.create(key="CR-3", number=3, title="Dark mode", **common)
    KeyCounter.objects.create(project=project, prefix="CR", last=3)
    return Changes(assessing, awaiting, submitted)


changes = picks("changes")
CR1_VERSION = changes(lambda c: c.assessing.version)
CR2_VERSION = changes(lambda c: c.awaiting.version)
CR3_VERSION = changes(lambda c: c.submitted.version)

CR1 = {"code": CODE, "key": "CR-1"}  # being assessed
CR2 = {"code": CODE, "key": "CR-2"}  # awaiting the client
CR3 = {"code": CODE, "key": "CR-3"}  # just submitted
CHANGES = PROJECTS + "/{code}/changes"

PAGES = [
    page("changes:list", "GET", TEAM_VIEW, kwargs=P),
    page("changes:create", "GET", TEAM_EDIT, kwargs=P),
    page("changes:create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page("changes:detail", "GET", TEAM_VIEW, kwargs=CR1),
    page("changes:edit", "GET", TEAM_EDIT, kwargs=CR1),
    page(
        "changes:edit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=CR1,
        data={
            "title": "Night shift picking",
            "priority": "high",
            "client_visible": "on",
            "version": CR1_VERSION,
        },
    ),
    page("changes:assess", "GET", TEAM_EDIT, kwargs=CR1),
    page(
        "changes:assess",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=CR1,
        data={"effort_hours": "24", "scope_impact": "Two screens", "version": CR1_VERSION},
    ),
    page("changes:impact", "GET", TEAM_VIEW, kwargs=CR1),
    page(
        "changes:transition",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=CR3,
        data={"status": "assessing", "version": CR3_VERSION},
        note="starting the assessment is EDIT; sending to the client is MANAGE (service)",
    ),
    page(
        "changes:transition",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=CR2,
        data={"status": "assessing", "version": CR2_VERSION},
        case="recall",
    ),
    page("changes:comment", "POST", TEAM_COMMENT, 302, kwargs=CR1, data={"body": "Checked"}),
    # -- the portal ------------------------------------------------------------------
    page("portal:changes", "GET", PORTAL, kwargs=P),
    page("portal:change", "GET", PORTAL, kwargs=CR2),
    page("portal:change-request", "GET", PORTAL, kwargs=P),
    page(
        "portal:change-request",
        "POST",
        PORTAL,
        302,
        kwargs=P,
        data={"title": "Excel export", "description": "For finance."},
    ),
    page(
        "portal:change-decide",
        "POST",
        PORTAL,
        302,
        kwargs=CR2,
        data={
            "decision": "approve",
            "full_name": "Claire Client",
            "agreed": "on",
            "version": CR2_VERSION,
        },
    ),
    page(
        "portal:change-withdraw",
        "POST",
        PORTAL,
        302,
        kwargs=CR3,
        data={"version": CR3_VERSION},
        note="only the client who asked may withdraw; anyone else is told so on the page",
    ),
    page("portal:change-comment", "POST", PORTAL, 302, kwargs=CR2, data={"body": "Why?"}),
]

ENDPOINTS = [
    endpoint("GET", CHANGES, API_VIEW, params=P),
    endpoint("POST", CHANGES, API_EDIT, 201, params=P, data={"title": "Excel export"}),
    endpoint("GET", CHANGES + "/{key}", API_VIEW, params=CR1),
    endpoint(
        "PATCH",
        CHANGES + "/{key}",
        API_EDIT,
        params=CR1,
        data={"version": CR1_VERSION, "title": "Renamed"},
    ),
    endpoint(
        "POST",
        CHANGES + "/{key}/transition",
        API_EDIT,
        params=CR3,
        data={"status": "assessing", "version": CR3_VERSION},
    ),
    endpoint(
        "POST", CHANGES + "/{key}/recall", API_MANAGE, params=CR2, data={"version": CR2_VERSION}
    ),
    endpoint(
        "POST",
        CHANGES + "/{key}/withdraw",
        API_MANAGE,
        params=CR1,
        data={"version": CR1_VERSION, "comment": "Not needed"},
    ),
    endpoint("GET", CHANGES + "/{key}/impact", API_VIEW, params=CR1),
]
