"""The access matrix's rows for requirements, baselines and spreadsheet imports:
the team's pages, the portal's and the API (liaison/tests/access_matrix.py has
the framework)."""

from dataclasses import dataclass

from liaison.requirements.models import ImportJob, Requirement
from liaison.requirements.tests.factories import agreed_requirement, proposed_baseline
from liaison.tests.access_matrix import (
    API_EDIT,
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
class Scope:
    """REQ-1, confirmed and client-visible; baseline 1 awaiting the client; a
    finished import job."""

    requirement: Requirement
    import_job: ImportJob


def populate(world: World, side: str) -> Scope:
    project = world.projects[side]
    requirement = agreed_requirement(project)
    proposed_baseline(project)
    job = ImportJob.objects.create(
        project=project, by=project.manager, file="imports/x.xlsx", status=ImportJob.Status.DONE
    )
    return Scope(requirement, job)


scope = picks("requirements")
REQ_VERSION = scope(lambda s: s.requirement.version)
JOB_ID = scope(lambda s: s.import_job.pk)

REQ = {"code": CODE, "key": "REQ-1"}
BASELINE = {"code": CODE, "number": 1}
REQUIREMENT_FORM = {
    "kind": "functional",
    "title": "Renamed requirement",
    "source": "meeting",
    "priority": "must",
    "value": 4,
    "feasibility": 3,
    "cost": 2,
    "client_visible": "on",
    "version": REQ_VERSION,
}
REQUIREMENTS = PROJECTS + "/{code}/requirements"
BASELINES = PROJECTS + "/{code}/baselines"

PAGES = [
    page("requirements:list", "GET", TEAM_VIEW, kwargs=P),
    page("requirements:create", "GET", TEAM_EDIT, kwargs=P),
    page("requirements:create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page("requirements:priorities", "GET", TEAM_VIEW, kwargs=P),
    page("requirements:export", "GET", TEAM_VIEW, kwargs={"code": CODE, "fmt": "csv"}),
    page("requirements:import", "GET", TEAM_EDIT, kwargs=P),
    page("requirements:import", "POST", TEAM_EDIT, kwargs=P, data={}, case="no file"),
    page("requirements:import-template", "GET", TEAM_VIEW, kwargs=P),
    page("requirements:import-status", "GET", TEAM_VIEW, kwargs={"code": CODE, "job_id": JOB_ID}),
    page("requirements:detail", "GET", TEAM_VIEW, kwargs=REQ),
    page("requirements:edit", "GET", TEAM_EDIT, kwargs=REQ),
    page("requirements:edit", "POST", TEAM_EDIT, 302, kwargs=REQ, data=REQUIREMENT_FORM),
    page(
        "requirements:transition",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=REQ,
        data={"status": "implemented"},
    ),
    page(
        "requirements:score",
        "POST",
        TEAM_EDIT,
        kwargs=REQ,
        data={"priority": "must", "value": 5, "feasibility": 4, "cost": 2, "version": REQ_VERSION},
        note="the prioritisation view's inline edit answers with the row",
    ),
    page("requirements:comment", "POST", TEAM_COMMENT, 302, kwargs=REQ, data={"body": "Hi"}),
    page("requirements:revisions", "GET", TEAM_VIEW, kwargs=REQ, data={"a": 1, "b": 1}),
    page("requirements:baselines", "GET", TEAM_VIEW, kwargs=P),
    page("requirements:baseline-propose", "GET", TEAM_MANAGE, kwargs=P),
    page(
        "requirements:baseline-propose",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={"title": "Scope for sign-off"},
    ),
    page("requirements:baseline-diff", "GET", TEAM_VIEW, kwargs=P, data={"a": 1, "b": 1}),
    page("requirements:baseline", "GET", TEAM_VIEW, kwargs=BASELINE),
    page("requirements:baseline-pdf", "GET", TEAM_VIEW, kwargs=BASELINE),
    # -- the portal ------------------------------------------------------------------
    page("portal:requirements", "GET", PORTAL, kwargs=P),
    page("portal:requirement", "GET", PORTAL, kwargs=REQ),
    page("portal:requirement-comment", "POST", PORTAL, 302, kwargs=REQ, data={"body": "Hi"}),
    page("portal:requirement-request", "GET", PORTAL, kwargs=P),
    page(
        "portal:requirement-request",
        "POST",
        PORTAL,
        302,
        kwargs=P,
        data={"title": "Export to PDF", "body": "For the auditors."},
    ),
    page("portal:baseline", "GET", PORTAL, kwargs=BASELINE),
    page(
        "portal:baseline-sign",
        "POST",
        PORTAL,
        302,
        kwargs=BASELINE,
        data={"full_name": "Claire Client", "agreed": "on"},
    ),
    page("portal:baseline-reject", "POST", PORTAL, 302, kwargs=BASELINE, data={"comment": "No"}),
    page("portal:baseline-pdf", "GET", PORTAL, kwargs=BASELINE),
]

ENDPOINTS = [
    endpoint("GET", REQUIREMENTS, API_VIEW, params=P),
    endpoint("POST", REQUIREMENTS, API_EDIT, 201, params=P, data={"title": "From the API"}),
    endpoint("GET", REQUIREMENTS + "/{key}", API_VIEW, params=REQ),
    endpoint(
        "PATCH",
        REQUIREMENTS + "/{key}",
        API_EDIT,
        params=REQ,
        data={"version": REQ_VERSION, "title": "Renamed"},
    ),
    endpoint(
        "POST",
        REQUIREMENTS + "/{key}/transition",
        API_EDIT,
        params=REQ,
        data={"status": "implemented"},
    ),
    endpoint("GET", BASELINES, API_VIEW, params=P),
    endpoint("GET", BASELINES + "/diff", API_VIEW, params={"code": CODE, "a": 1, "b": 1}),
    endpoint("GET", BASELINES + "/{number}", API_VIEW, params=BASELINE),
]
