"""API: the document versions a milestone delivers (the team reads, the
manager adds and removes while the milestone is open; what the client accepted
is each row's recorded hash), and the client's decision on a review they were
asked for (the client of that project only; the team gets 404, as in the
portal). The same services as the pages."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from liaison.core.schemas import READ, WRITE, Page
from liaison.core.services import InvalidInput
from liaison.documents import selectors
from liaison.documents.api.documents import review_out
from liaison.documents.models import Deliverable
from liaison.documents.schemas import (
    DocumentDeliverableIn,
    DocumentDeliverableOut,
    DocumentReviewDecisionIn,
    DocumentReviewOut,
)
from liaison.documents.services import client as client_services
from liaison.documents.services import deliverables as services
from liaison.planning.models import Milestone
from liaison.planning.selectors.milestones import milestone_get
from liaison.projects import access
from liaison.projects.access import CLIENT, TEAM, Action

router = Router()
DELIVERABLES = "/projects/{code}/milestones/{key}/deliverables"


def _milestone(request, code: str, key: str, need: Action = Action.VIEW) -> Milestone:
    project = access.get_project_for(request.user, code, need=need)
    return milestone_get(project=project, audience=TEAM, key=key)


def _deliverable_out(row: Deliverable, code: str) -> dict:
    version = row.version
    return {
        "id": row.pk,
        "document": version.document.key,
        "title": version.document.title,
        "number": version.number,
        "version_id": version.pk,
        "name": version.name,
        "size": version.size,
        "sha256": version.sha256,
        "accepted_sha256": row.accepted_sha256 or None,
        "accepted_at": row.accepted_at,
        "download_url": reverse("api:document_version_file", args=[code, version.pk]),
    }


@router.get(
    DELIVERABLES,
    response={200: list[DocumentDeliverableOut], **READ},
    summary="The document versions a milestone delivers",
    description="Once the client accepted the milestone, `accepted_sha256` is the hash "
    "recorded at that moment: what was accepted.",
)
@paginate(Page)
def deliverable_list(request, code: str, key: str):
    milestone = _milestone(request, code, key)
    return [
        _deliverable_out(row, code)
        for row in selectors.deliverables_of(milestone=milestone, audience=TEAM)
    ]


@router.post(
    DELIVERABLES,
    response={201: DocumentDeliverableOut, **WRITE},
    summary="Deliver a document version with a milestone (the manager)",
    description="`document` is a document's key; `number` its version, the latest when "
    "left out. An unknown one answers 400 `bad_version`; one delivered already, "
    "`already_delivered`; a milestone with the client or accepted, `milestone_frozen`.",
)
def deliverable_add(request, code: str, key: str, data: DocumentDeliverableIn):
    milestone = _milestone(request, code, key, need=Action.MANAGE)
    version = selectors.version_by_key(
        project=milestone.project, key=data.document, number=data.number
    )
    if version is None:
        raise InvalidInput(
            _("No document of this project has that key and version."),
            field="document",
            code="bad_version",
        )
    added = services.deliverable_add(milestone=milestone, version=version, by=request.user)
    return Status(201, _deliverable_out(added, code))


@router.delete(
    DELIVERABLES + "/{deliverable_id}",
    response={204: None, **WRITE},
    summary="Stop delivering a document version with a milestone (the manager)",
    description="A milestone with the client or accepted answers 400 `milestone_frozen`.",
)
def deliverable_remove(request, code: str, key: str, deliverable_id: int):
    milestone = _milestone(request, code, key, need=Action.MANAGE)
    deliverable = selectors.deliverable_get(
        project=milestone.project, deliverable_id=deliverable_id
    )
    if deliverable.milestone_id != milestone.pk:
        raise Http404
    services.deliverable_remove(deliverable=deliverable, by=request.user)
    return Status(204, None)


@router.post(
    "/projects/{code}/document-reviews/{review_id}/decision",
    response={200: DocumentReviewOut, **WRITE},
    summary="Approve a document version or ask for changes (the client's)",
    description="The client of the project only: the team, and anyone else, get 404. "
    "Asking for changes needs a `comment` (400 `comment_required`); a review decided "
    "or withdrawn answers 400 `review_decided`. The version's hash is recorded.",
)
def review_decide(request, code: str, review_id: int, data: DocumentReviewDecisionIn):
    project = access.get_portal_project(request.user, code)
    review = selectors.review_get(project=project, review_id=review_id, audience=CLIENT)
    if not access.can(request.user, Action.APPROVE, project):
        raise Http404
    decided = client_services.review_decide(
        review=review,
        by=request.user,
        approve=data.decision == "approve",
        comment=data.comment,
    )
    return review_out(decided)
