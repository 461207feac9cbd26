"""The access matrix's rows for documents (liaison/tests/access_matrix.py has
the framework). In each project: DOC-1 internal in "Specs"; DOC-2 shared in
"Shared", whose version 1 was uploaded while it was internal (never the
client's) and version 2 shared, waiting for the client's review and delivered
with the planned milestone M-2 (planning's rows); DOC-3 sent by the client into
"From the client"; "Empty", a folder with nothing in it."""

from dataclasses import dataclass

from liaison.documents.models import Deliverable, Document, Folder, Review
from liaison.documents.services import client as client_services
from liaison.documents.services import documents as services
from liaison.documents.services.deliverables import deliverable_add
from liaison.documents.services.folders import folder_create
from liaison.documents.tests.factories import pdf, text
from liaison.planning.models import Milestone
from liaison.projects.models import Membership
from liaison.tests.access_matrix import (
    API_EDIT,
    API_MANAGE,
    API_VIEW,
    CODE,
    HIDDEN,
    OK,
    PORTAL,
    PROJECTS,
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


@dataclass
class Docs:
    specs: Folder
    shared: Folder
    inbox: Folder
    empty: Folder
    internal: Document
    reviewed: Document
    from_client: Document
    review: Review
    delivered: Deliverable


def populate(world: World, side: str) -> Docs:
    project = world.projects[side]
    by = project.manager
    specs = folder_create(project=project, by=by, name="Specs")
    shared = folder_create(project=project, by=by, name="Shared")
    inbox = folder_create(project=project, by=by, name="From the client", client_uploads=True)
    empty = folder_create(project=project, by=by, name="Empty")
    internal = services.document_create(
        project=project, by=by, folder=specs, title="Internal notes", upload=text()
    )
    reviewed = services.document_create(
        project=project, by=by, folder=shared, title="Specification", upload=pdf()
    )
    services.document_set_visibility(
        document=reviewed, by=by, version=reviewed.version, client_visible=True, share_latest=False
    )
    reviewed.refresh_from_db()
    services.version_upload(document=reviewed, by=by, upload=pdf(), version=reviewed.version)
    reviewed.refresh_from_db()
    review = client_services.review_request(document=reviewed, version=reviewed.latest, by=by)
    client = Membership.objects.filter(project=project, role=Membership.Role.CLIENT).first()
    uploader = client.user if client else by
    from_client = (
        client_services.client_upload(project=project, by=uploader, folder=inbox, upload=pdf())
        if client
        else services.document_create(
            project=project, by=by, folder=inbox, title="Plans", upload=pdf(), client_visible=True
        )
    )
    reviewed.refresh_from_db()
    planned = Milestone.objects.get(project=project, key="M-2")
    delivered = deliverable_add(milestone=planned, version=reviewed.latest, by=by)
    return Docs(specs, shared, inbox, empty, internal, reviewed, from_client, review, delivered)


docs = picks("documents")
SPECS_ID = docs(lambda d: d.specs.pk)
SPECS_VERSION = docs(lambda d: d.specs.version)
EMPTY_ID = docs(lambda d: d.empty.pk)
INTERNAL_VERSION = docs(lambda d: d.internal.version)
REVIEWED_VERSION = docs(lambda d: d.reviewed.version)
REVIEW_ID = docs(lambda d: d.review.pk)
INTERNAL_V1 = docs(lambda d: d.internal.versions.get(number=1).pk)
CLIENT_KEY = docs(lambda d: d.from_client.key)
DELIVERED_ID = docs(lambda d: d.delivered.pk)

DOC1 = {"code": CODE, "key": "DOC-1"}
DOC2 = {"code": CODE, "key": "DOC-2"}
SPECS = {"code": CODE, "folder_id": SPECS_ID}
EMPTY = {"code": CODE, "folder_id": EMPTY_ID}
DOC1_V1 = {**DOC1, "number": 1}
DOC1_V1_ID = {"code": CODE, "version_id": INTERNAL_V1}
DOC2_V1 = {**DOC2, "number": 1}  # uploaded while DOC-2 was internal
DOC2_V2 = {**DOC2, "number": 2}
FROM_CLIENT = {"code": CODE, "key": CLIENT_KEY, "number": 1}
REVIEW = {"code": CODE, "review_id": REVIEW_ID}
M2 = {"code": CODE, "key": "M-2"}
DELIVERED = {"code": CODE, "deliverable_id": DELIVERED_ID}
API_PORTAL = statuses(client=OK, staff=404, signed_out=401)
EDIT_FORM = {
    "title": "Internal notes, revised",
    "tags": "notes",
    "folder": SPECS_ID,
    "status": "draft",
    "version": INTERNAL_VERSION,
}

PAGES = [
    page("documents:list", "GET", TEAM_VIEW, kwargs=P),
    page("documents:create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page("documents:folder-create", "POST", TEAM_EDIT, 302, kwargs=P, data={"name": "Minutes"}),
    page("documents:folder-edit", "GET", TEAM_EDIT, kwargs=SPECS),
    page(
        "documents:folder-edit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=SPECS,
        data={"name": "Specifications", "version": SPECS_VERSION},
    ),
    page("documents:folder-delete", "POST", TEAM_EDIT, 302, kwargs=EMPTY),
    page("documents:document", "GET", TEAM_VIEW, kwargs=DOC1),
    page("documents:edit", "GET", TEAM_EDIT, kwargs=DOC1),
    page("documents:edit", "POST", TEAM_EDIT, 302, kwargs=DOC1, data=EDIT_FORM),
    page("documents:upload", "POST", TEAM_EDIT, kwargs=DOC1, data={}, case="no file"),
    page("documents:download", "GET", TEAM_VIEW, kwargs=DOC1_V1),
    page("documents:version-share", "POST", TEAM_MANAGE, 302, kwargs=DOC2_V1),
    page(
        "documents:visibility",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=DOC1,
        data={"client_visible": "1", "version": INTERNAL_VERSION},
    ),
    page(
        "documents:delete",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=DOC1,
        data={"version": INTERNAL_VERSION},
    ),
    page("documents:review-request", "POST", TEAM_MANAGE, kwargs=DOC1, data={}, case="empty form"),
    page("documents:review-withdraw", "POST", TEAM_MANAGE, 302, kwargs=REVIEW),
    page(
        "documents:milestone-deliver",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=M2,
        data={"document": "DOC-1"},
    ),
    page("documents:deliver", "POST", TEAM_MANAGE, 302, kwargs=DOC1, data={"milestone": "M-2"}),
    page("documents:deliverable-remove", "POST", TEAM_MANAGE, 302, kwargs=DELIVERED),
    # The client's pages: only what is shared, never an internal document or an old version.
    page("portal:documents", "GET", PORTAL, kwargs=P),
    page("portal:document-upload", "POST", PORTAL, kwargs=P, data={}, case="no file"),
    page("portal:document", "GET", PORTAL, kwargs=DOC2),
    page("portal:document", "GET", HIDDEN, kwargs=DOC1, case="internal document"),
    page("portal:document-download", "GET", PORTAL, kwargs=DOC2_V2),
    page("portal:document-download", "GET", HIDDEN, kwargs=DOC2_V1, case="version made internal"),
    page("portal:document-download", "GET", HIDDEN, kwargs=DOC1_V1, case="internal document"),
    page("portal:document-download", "GET", PORTAL, kwargs=FROM_CLIENT, case="their upload"),
    page(
        "portal:document-review",
        "POST",
        PORTAL,
        302,
        kwargs=REVIEW,
        data={"decision": "changes", "comment": "Section 2 is missing"},
    ),
]

FOLDERS = PROJECTS + "/{code}/document-folders"
DOCS = PROJECTS + "/{code}/documents"
DOC = DOCS + "/{key}"
VERSIONS = PROJECTS + "/{code}/document-versions"
DELIVERABLES = PROJECTS + "/{code}/milestones/{key}/deliverables"
ENDPOINTS = [
    endpoint("GET", FOLDERS, API_VIEW, params=P),
    endpoint("POST", FOLDERS, API_EDIT, 201, params=P, data={"name": "API folder"}),
    endpoint("GET", DOCS, API_VIEW, params=P),
    endpoint(
        "POST",
        FOLDERS + "/{folder_id}/documents",
        API_EDIT,
        400,
        params=SPECS,
        note="no title, no file: 400",
    ),
    endpoint("GET", DOC, API_VIEW, params=DOC1),
    endpoint(
        "PATCH", DOC, API_EDIT, params=DOC1, data={"version": INTERNAL_VERSION, "tags": ["a"]}
    ),
    endpoint("GET", DOC + "/versions", API_VIEW, params=DOC1),
    endpoint("POST", DOC + "/versions", API_EDIT, 400, params=DOC1, note="no file"),
    endpoint("GET", VERSIONS + "/{version_id}", API_VIEW, params=DOC1_V1_ID),
    endpoint("GET", VERSIONS + "/{version_id}/file", API_VIEW, params=DOC1_V1_ID),
    endpoint("GET", DOC + "/reviews", API_VIEW, params=DOC2),
    endpoint(
        "POST",
        DOC + "/reviews",
        API_MANAGE,
        400,
        params=DOC1,
        data={"number": 1},
        note="DOC-1 is internal: 400 document_internal",
    ),
    endpoint("GET", DELIVERABLES, API_VIEW, params=M2),
    endpoint("POST", DELIVERABLES, API_MANAGE, 201, params=M2, data={"document": "DOC-1"}),
    endpoint(
        "DELETE",
        DELIVERABLES + "/{deliverable_id}",
        API_MANAGE,
        204,
        params={**M2, **DELIVERED},
    ),
    endpoint(
        "POST",
        PROJECTS + "/{code}/document-reviews/{review_id}/decision",
        API_PORTAL,
        params=REVIEW,
        data={"decision": "changes", "comment": "Section 2 is missing"},
        note="the client of the project only; a deactivated contact: 401",
    ),
]
