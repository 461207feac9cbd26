"""API: a project's milestones, and asking the client to accept one. The
manager writes them; the team reads."""

from ninja import Router, Status
from ninja.pagination import paginate

from liaison.core.schemas import READ, WRITE, Conflict, Page, not_null
from liaison.planning.models import Milestone
from liaison.planning.schemas import (
    MilestoneIn,
    MilestoneListItem,
    MilestoneOut,
    MilestonePatch,
    SubmitIn,
)
from liaison.planning.selectors import milestones as milestone_selectors
from liaison.planning.services import milestones as milestone_services
from liaison.projects import access
from liaison.projects.access import Action

router = Router()


def _milestone(request, code: str, key: str, need: Action = Action.VIEW) -> Milestone:
    project = access.get_project_for(request.user, code, need=need)
    return milestone_selectors.milestone_get(
        project=project, audience=access.audience_of(request.user, project), key=key.upper()
    )


@router.get(
    "/projects/{code}/milestones",
    response={200: list[MilestoneListItem], **READ},
    summary="A project's milestones, by due date",
)
@paginate(Page)
def milestone_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return milestone_selectors.milestone_list(
        project=project, audience=access.audience_of(request.user, project)
    )


@router.post(
    "/projects/{code}/milestones",
    response={201: MilestoneOut, **WRITE},
    summary="Create a milestone (managers)",
)
def milestone_create(request, code: str, data: MilestoneIn):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    milestone = milestone_services.milestone_create(
        project=project, by=request.user, **data.dict(exclude_unset=True)
    )
    return Status(201, milestone)


@router.get(
    "/projects/{code}/milestones/{key}",
    response={200: MilestoneOut, **READ},
    summary="One milestone",
)
def milestone_detail(request, code: str, key: str):
    return _milestone(request, code, key)


@router.patch(
    "/projects/{code}/milestones/{key}",
    response={200: MilestoneOut, **WRITE, 409: Conflict},
    summary="Change a milestone (managers; send the version you read)",
)
def milestone_update(request, code: str, key: str, data: MilestonePatch):
    milestone = _milestone(request, code, key, need=Action.MANAGE)
    fields = not_null(data.dict(exclude_unset=True, exclude={"version"}), nullable=())
    return milestone_services.milestone_update(
        milestone=milestone, by=request.user, version=data.version, **fields
    )


@router.delete(
    "/projects/{code}/milestones/{key}",
    response={204: None, **WRITE},
    summary="Delete a milestone never put to the client (managers)",
    description="Its tasks stay, outside any milestone. A milestone the client has been "
    "asked to accept keeps its record: 400 with the code `has_reviews`.",
)
def milestone_delete(request, code: str, key: str):
    milestone = _milestone(request, code, key, need=Action.MANAGE)
    milestone_services.milestone_delete(milestone=milestone, by=request.user)
    return Status(204, None)


@router.post(
    "/projects/{code}/milestones/{key}/submit",
    response={200: MilestoneOut, **WRITE, 409: Conflict},
    summary="Ask the client to accept a milestone (managers)",
    description="Freezes the criteria and deliverables as a new round of acceptance and "
    "notifies the client. Needs criteria (`no_criteria`) and a milestone the client can "
    "see (`not_client_visible`).",
)
def milestone_submit(request, code: str, key: str, data: SubmitIn):
    milestone = _milestone(request, code, key, need=Action.MANAGE)
    review = milestone_services.milestone_submit(
        milestone=milestone, by=request.user, note=data.note, version=data.version
    )
    return review.milestone
