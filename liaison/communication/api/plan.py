"""API: a project's communication plan, the manager's to write."""

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from liaison.communication.api.references import resolve_plan_refs
from liaison.communication.schemas import PlanItemIn, PlanItemOut, PlanItemPatch
from liaison.communication.selectors import plan as plan_selectors
from liaison.communication.services import plan as plan_services
from liaison.core.schemas import READ, WRITE, Conflict, Page, named_as_sent, not_null
from liaison.projects import access
from liaison.projects.access import Action

router = Router()


@router.get(
    "/projects/{code}/communication-plan",
    response={200: list[PlanItemOut], **READ},
    summary="A project's communication plan, active items first",
)
@paginate(Page)
def plan_item_list(request, code: str):
    return plan_selectors.plan_items(project=access.get_project_for(request.user, code))


@router.post(
    "/projects/{code}/communication-plan",
    response={201: PlanItemOut, **WRITE},
    summary="Add an item to the communication plan (managers)",
)
def plan_item_create(request, code: str, data: PlanItemIn):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    fields = resolve_plan_refs(data.dict(exclude_unset=True))
    if fields.get("starts_on", "") is None:
        fields.pop("starts_on")
    with named_as_sent(owner="owner_id"):
        item = plan_services.plan_item_create(project=project, by=request.user, **fields)
    return Status(201, plan_selectors.plan_items(project=project).get(pk=item.pk))


@router.patch(
    "/projects/{code}/communication-plan/{item_id}",
    response={200: PlanItemOut, **WRITE, 409: Conflict},
    summary="Change a plan item (managers; send the version you read)",
)
def plan_item_update(request, code: str, item_id: int, data: PlanItemPatch):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    item = get_object_or_404(plan_selectors.plan_items(project=project), pk=item_id)
    fields = not_null(data.dict(exclude_unset=True, exclude={"version"}), nullable=("owner_id",))
    fields = resolve_plan_refs(fields)
    with named_as_sent(owner="owner_id"):
        saved = plan_services.plan_item_update(
            item=item, by=request.user, version=data.version, **fields
        )
    return plan_selectors.plan_items(project=project).get(pk=saved.pk)
