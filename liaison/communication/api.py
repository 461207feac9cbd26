"""API: a project's communication log, its action items and its communication
plan; and every signed-in person's own inbox of notifications.

The project operations are the team's, like every internal operation: client
users get 404 (they use the portal). Members and managers write the log and the
action items; the plan is the manager's; observers read. The inbox is anyone's
own, clients included. Writes go through the same services as the pages.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.collab.selectors import notifications_for
from liaison.collab.services import notifications_mark_read
from liaison.communication.models import (
    ActionItem,
    CommunicationPlanItem,
    Interaction,
)
from liaison.communication.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    ActionItemQuery,
    InteractionIn,
    InteractionOut,
    InteractionPatch,
    InteractionQuery,
    MarkReadIn,
    MarkReadOut,
    NotificationOut,
    NotificationQuery,
    PlanItemIn,
    PlanItemOut,
    PlanItemPatch,
)
from liaison.communication.selectors import action_items as action_item_selectors
from liaison.communication.selectors import interactions as interaction_selectors
from liaison.communication.selectors import plan as plan_selectors
from liaison.communication.services import action_items as action_item_services
from liaison.communication.services import interactions as interaction_services
from liaison.communication.services import plan as plan_services
from liaison.core.schemas import (
    READ,
    SIGNED_IN,
    WRITE,
    Conflict,
    Error,
    Page,
    named_as_sent,
    not_null,
)
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

router = Router(tags=["communication"])


# -- helpers -----------------------------------------------------------------------------


def _user(user_id: int | None, field: str, message: str) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise InvalidInput(message, field=field)
    return user


def _resolve_interaction_refs(project: Project, fields: dict) -> dict:
    """Ids and keys into rows; the service checks that they fit the project."""
    if fields.get("participants") is not None:
        ids = list(dict.fromkeys(fields["participants"]))
        found = {user.pk: user for user in User.objects.filter(pk__in=ids)}
        missing = [str(user_id) for user_id in ids if user_id not in found]
        if missing:
            raise InvalidInput(
                _("Not members of this project: %(ids)s") % {"ids": ", ".join(missing)},
                field="participants",
            )
        fields["participants"] = [found[user_id] for user_id in ids]
    if fields.get("external_participants") is not None:
        # The payload leaves out unset fields, nested ones too ({} has neither key).
        people = [
            {"name": person.get("name", ""), "email": person.get("email", "")}
            for person in fields["external_participants"]
        ]
        if any(not (person["name"].strip() or person["email"].strip()) for person in people):
            raise InvalidInput(
                _("Give each other participant a name, an e-mail address or both."),
                field="external_participants",
            )
        fields["external_participants"] = people
    if fields.get("requirements") is not None:
        keys = list(dict.fromkeys(key.strip().upper() for key in fields["requirements"]))
        found = list(Requirement.objects.filter(project=project, key__in=keys))
        missing = set(keys) - {requirement.key for requirement in found}
        if missing:
            raise InvalidInput(
                _("Not requirements of this project: %(keys)s")
                % {"keys": ", ".join(sorted(missing))},
                field="requirements",
            )
        fields["requirements"] = found
    if fields.get("plan_item") is not None:
        item = CommunicationPlanItem.objects.filter(project=project, pk=fields["plan_item"]).first()
        if item is None:
            raise InvalidInput(
                _("That is not an item of this project's communication plan."),
                field="plan_item",
            )
        fields["plan_item"] = item
    return fields


def _resolve_action_refs(project: Project, fields: dict) -> dict:
    if "owner_id" in fields:
        fields["owner"] = _user(
            fields.pop("owner_id"),
            "owner_id",
            _("The owner must be a manager or member of the project, or one of its clients."),
        )
    if fields.get("interaction") is not None:
        key = fields["interaction"]
        fields["interaction"] = Interaction.objects.filter(
            project=project, key=key.strip().upper()
        ).first()
        if fields["interaction"] is None:
            raise InvalidInput(
                _("%(key)s is not an interaction of this project.") % {"key": key},
                field="interaction",
            )
    return fields


def _resolve_plan_refs(fields: dict) -> dict:
    if "owner_id" in fields:
        fields["owner"] = _user(
            fields.pop("owner_id"),
            "owner_id",
            _("The owner must be a manager or member of the project."),
        )
    return fields


def _interaction(request, code: str, key: str, need: Action = Action.VIEW) -> Interaction:
    project = access.get_project_for(request.user, code, need=need)
    return interaction_selectors.interaction_get(
        project=project,
        audience=access.audience_of(request.user, project),
        key=key.upper(),
    )


def _action_item(request, code: str, key: str, need: Action = Action.VIEW) -> ActionItem:
    project = access.get_project_for(request.user, code, need=need)
    return action_item_selectors.action_item_get(
        project=project,
        audience=access.audience_of(request.user, project),
        key=key.upper(),
    )


# -- interactions ------------------------------------------------------------------------


@router.get(
    "/projects/{code}/interactions",
    response={200: list[InteractionOut], **READ},
    summary="A project's communication log, newest first",
)
@paginate(Page)
def interaction_list(request, code: str, filters: Query[InteractionQuery]):
    project = access.get_project_for(request.user, code)
    query = filters.dict()
    return (
        interaction_selectors.interaction_list(
            project=project,
            audience=access.audience_of(request.user, project),
            # The page's own parser, so the API and the timeline filter alike.
            filters=interaction_selectors.InteractionFilters.from_query(
                {
                    "kind": query["kind"] or "",
                    "participant": str(query["participant"] or ""),
                    "from": query["date_from"].isoformat() if query["date_from"] else "",
                    "to": query["date_to"].isoformat() if query["date_to"] else "",
                    "q": query["q"],
                }
            ),
        )
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.only("pk", "key").order_by("pk"),
            )
        )
    )


@router.post(
    "/projects/{code}/interactions",
    response={201: InteractionOut, **WRITE},
    summary="Record an interaction (members and managers)",
    description="A meeting, call, e-mail, chat or visit, with the next key (COM-n). "
    "Participants are user ids of the project's members or client contacts "
    "(400 `not_a_member`, field `participants`); other people come as {name, email} "
    "(an address that is not one: 400 `bad_email`, field `external_participants`).",
)
def interaction_create(request, code: str, data: InteractionIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = _resolve_interaction_refs(project, data.dict(exclude_unset=True))
    interaction = interaction_services.interaction_create(
        project=project, by=request.user, **fields
    )
    return Status(
        201, interaction_selectors.interaction_rows(project=project).get(pk=interaction.pk)
    )


@router.get(
    "/projects/{code}/interactions/{key}",
    response={200: InteractionOut, **READ},
    summary="One interaction",
)
def interaction_detail(request, code: str, key: str):
    interaction = _interaction(request, code, key)
    return interaction_selectors.interaction_rows(project=interaction.project).get(
        pk=interaction.pk
    )


@router.patch(
    "/projects/{code}/interactions/{key}",
    response={200: InteractionOut, **WRITE, 409: Conflict},
    summary="Change an interaction (send the version you read)",
    description="Send only the fields to change; lists (participants, decisions, "
    "requirements) replace the old ones. New @mentions in the minutes notify the person.",
)
def interaction_update(request, code: str, key: str, data: InteractionPatch):
    interaction = _interaction(request, code, key, need=Action.EDIT)
    fields = not_null(
        data.dict(exclude_unset=True, exclude={"version"}),
        nullable=("duration_minutes", "plan_item"),
    )
    fields = _resolve_interaction_refs(interaction.project, fields)
    saved = interaction_services.interaction_update(
        interaction=interaction, by=request.user, version=data.version, **fields
    )
    return interaction_selectors.interaction_rows(project=interaction.project).get(pk=saved.pk)


# -- action items ------------------------------------------------------------------------


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
    fields = _resolve_action_refs(project, data.dict(exclude_unset=True))
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
    fields = _resolve_action_refs(item.project, fields)
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


# -- the communication plan ---------------------------------------------------------------


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
    fields = _resolve_plan_refs(data.dict(exclude_unset=True))
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
    fields = _resolve_plan_refs(fields)
    with named_as_sent(owner="owner_id"):
        saved = plan_services.plan_item_update(
            item=item, by=request.user, version=data.version, **fields
        )
    return plan_selectors.plan_items(project=project).get(pk=saved.pk)


# -- the caller's own notifications ---------------------------------------------------------


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **SIGNED_IN},
    summary="Your notifications, newest first",
    description="Your own inbox, whoever you are (client contacts too).",
)
@paginate(Page)
def notification_list(request, filters: Query[NotificationQuery]):
    rows = notifications_for(user=request.user).order_by("-created_at", "-id")
    if filters.unread is not None:
        rows = rows.filter(read_at__isnull=filters.unread)
    return rows


@router.post(
    "/notifications/read",
    response={200: MarkReadOut, 400: Error, **SIGNED_IN},
    summary="Mark your notifications read",
    description='Send {"ids": [...]} for some, or {"all": true} for every one. Ids that '
    "are not yours are ignored.",
)
def notifications_read(request, data: MarkReadIn):
    if data.all:
        ids = None
    elif data.ids is not None:
        ids = list(dict.fromkeys(data.ids))[:1000]
    else:
        raise InvalidInput(_('Send "ids" or "all": true.'), field="ids")
    return {"marked": notifications_mark_read(by=request.user, ids=ids)}
