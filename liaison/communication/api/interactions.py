"""API: a project's communication log. Members and managers record and edit
interactions; observers read."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.communication.api.references import resolve_interaction_refs
from liaison.communication.models import Interaction
from liaison.communication.schemas import (
    InteractionIn,
    InteractionOut,
    InteractionPatch,
    InteractionQuery,
)
from liaison.communication.selectors import interactions as interaction_selectors
from liaison.communication.services import interactions as interaction_services
from liaison.core.schemas import READ, WRITE, Conflict, Page, not_null
from liaison.projects import access
from liaison.projects.access import Action

router = Router()


def _interaction(request, code: str, key: str, need: Action = Action.VIEW) -> Interaction:
    project = access.get_project_for(request.user, code, need=need)
    return interaction_selectors.interaction_get(
        project=project,
        audience=access.audience_of(request.user, project),
        key=key.upper(),
    )


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
        .prefetch_related(interaction_selectors.requirement_keys_prefetch())
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
    fields = resolve_interaction_refs(project, data.dict(exclude_unset=True))
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
    fields = resolve_interaction_refs(interaction.project, fields)
    saved = interaction_services.interaction_update(
        interaction=interaction, by=request.user, version=data.version, **fields
    )
    return interaction_selectors.interaction_rows(project=interaction.project).get(pk=saved.pk)
