"""The access matrix's rows for the glossary: the team's pages, the portal's and
the API (liaison/tests/access_matrix.py has the framework)."""

from dataclasses import dataclass

from liaison.glossary.models import Term
from liaison.tests.access_matrix import (
    API_EDIT,
    API_VIEW,
    CODE,
    PORTAL,
    PROJECTS,
    TEAM_EDIT,
    TEAM_VIEW,
    P,
    World,
    endpoint,
    page,
    picks,
)


@dataclass
class Glossary:
    """A term the client sees and an internal one."""

    shared: Term
    internal: Term


def populate(world: World, side: str) -> Glossary:
    project = world.projects[side]
    shared = Term.objects.create(project=project, term="WMS", definition="Warehouse system.")
    internal = Term.objects.create(
        project=project, term="SDK", definition="The vendor's kit.", client_visible=False
    )
    return Glossary(shared, internal)


glossary = picks("glossary")
TERM = {"code": CODE, "term_id": glossary(lambda g: g.shared.pk)}
TERM_VERSION = glossary(lambda g: g.shared.version)
NEW_TERM = {"term": "ASN", "definition": "Advance shipping notice."}
TERMS = PROJECTS + "/{code}/glossary"

PAGES = [
    page("glossary:terms", "GET", TEAM_VIEW, kwargs=P),
    page("glossary:term-create", "GET", TEAM_EDIT, kwargs=P),
    page("glossary:term-create", "POST", TEAM_EDIT, 302, kwargs=P, data=NEW_TERM),
    page("glossary:term-edit", "GET", TEAM_EDIT, kwargs=TERM),
    page(
        "glossary:term-edit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=TERM,
        data={**NEW_TERM, "client_visible": "on", "version": TERM_VERSION},
    ),
    page(
        "glossary:term-delete", "POST", TEAM_EDIT, 302, kwargs=TERM, data={"version": TERM_VERSION}
    ),
    # -- the portal ------------------------------------------------------------------
    page("portal:glossary", "GET", PORTAL, kwargs=P),
]

ENDPOINTS = [
    endpoint("GET", TERMS, API_VIEW, params=P),
    endpoint("POST", TERMS, API_EDIT, 201, params=P, data=NEW_TERM),
    endpoint("GET", TERMS + "/{term_id}", API_VIEW, params=TERM),
    endpoint(
        "PATCH",
        TERMS + "/{term_id}",
        API_EDIT,
        params=TERM,
        data={"version": TERM_VERSION, "definition": "Warehouse management system."},
    ),
    endpoint("DELETE", TERMS + "/{term_id}", API_EDIT, 204, params=TERM),
]
