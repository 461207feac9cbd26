"""API: a project's action items. Members and managers write them; observers
read."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.communication.api.references import resolve_action_refs
from liaison.communication.models import ActionItem
from liaison.communication.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    ActionItemQuery,
)
from liaison.communication.selectors import action_items as action_item_selectors
from liaison.communication.services import action_items as action_item_services
from liaison.core.schemas import READ, WRITE, Conflict, Page, named_as_sent, not_null
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import TEAM, Action

router = Router()


def _action_item(request, code: str, key: str, need: Action = Action.VIEW) -> ActionItem:
    project = access.get_project_for(request.user, code, need=need)
    return action_item_selectors.action_item_get(
        project=project,
        audience=access.audience_of(request.user, project),
        key=key.upper(),
    )


@router.get(
    "/projects/{code}/action-items",
    response={200: list[ActionItemOut], **READ},
    summary="A project's action items, overdue first, then by due date",
)
@paginate(Page)
def action_item_list(request, code: str, filters: Query[ActionItemQuery]):
    project = access.get_project_for(request.user, code)
    query = filters.dict()
    return action_item_selectors.action_item_list(
        project=project,
        audience=access.audience_of(request.user, project),
        filters=action_item_selectors.ActionItemFilters(
            status=query["status"],
            owner=query["owner"],
            overdue=query["overdue"],
            q=query["q"].strip()[:100],
        ),
    )


@router.post(
    "/projects/{code}/action-items",
    response={201: ActionItemOut, **WRITE},
    summary="Create an action item (members and managers)",
    description="The owner is told. A due date in the past is accepted. An item a client "
    "contact owns is always visible to the client.",
)
def action_item_create(request, code: str, data: ActionItemIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = resolve_action_refs(project, data.dict(exclude_unset=True))
    with named_as_sent(owner="owner_id"):
        item = action_item_services.action_item_create(project=project, by=request.user, **fields)
    return Status(
        201, action_item_selectors.action_item_get(project=project, audience=TEAM, key=item.key)
    )


@router.patch(
    "/projects/{code}/action-items/{key}",
    response={200: ActionItemOut, **WRITE, 409: Conflict},
    summary="Change an action item or its status (send the version you read)",
    description="Send only the fields to change. `status` moves it between open, done and "
    "cancelled (the same status again answers 400 `transition_not_allowed`); marking it "
    "done tells whoever created it.",
)
def action_item_update(request, code: str, key: str, data: ActionItemPatch):
    item = _action_item(request, code, key, need=Action.EDIT)
    fields = not_null(
        data.dict(exclude_unset=True, exclude={"version", "status"}),
        nullable=("owner_id", "due_date", "interaction"),
    )
    if "status" in data.dict(exclude_unset=True) and data.status is None:
        raise InvalidInput(_("This field cannot be empty."), field="status")
    fields = resolve_action_refs(item.project, fields)
    version = data.version
    if fields:
        with named_as_sent(owner="owner_id"):
            item = action_item_services.action_item_update(
                item=item, by=request.user, version=version, **fields
            )
        version = item.version
    if data.status is not None:
        item = action_item_services.action_item_transition(
            item=item, by=request.user, status=data.status, version=version
        )
    elif not fields:
        # Nothing to change: still refuse a stale version, like every write.
        item = action_item_services.action_item_update(item=item, by=request.user, version=version)
    return action_item_selectors.action_item_get(project=item.project, audience=TEAM, key=item.key)
