"""API: a project's glossary. Managers and members write it, observers read;
internal like every team operation (a client user gets 404: the client reads
the glossary in the portal). Writes go through the pages' services."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.core.schemas import READ, WRITE, Conflict, Page, not_null
from liaison.glossary import selectors, services
from liaison.glossary.models import Term
from liaison.glossary.schemas import GlossaryTermIn, GlossaryTermOut, GlossaryTermPatch
from liaison.projects import access
from liaison.projects.access import TEAM, Action

router = Router(tags=["glossary"])
TERMS = "/projects/{code}/glossary"
REFUSALS = (
    "No name answers 400 `term_required`, no definition `definition_required`, a name "
    "the glossary has already (whatever its case) `term_exists`."
)


def _term(request, code: str, term_id: int, need: Action = Action.VIEW) -> Term:
    project = access.get_project_for(request.user, code, need=need)
    return selectors.term_get(project=project, audience=TEAM, pk=term_id)


@router.get(
    TERMS,
    response={200: list[GlossaryTermOut], **READ},
    summary="A project's glossary, A to Z",
)
@paginate(Page)
def term_list(
    request, code: str, q: str = Query("", description="Words in a name or a definition.")
):
    project = access.get_project_for(request.user, code)
    return selectors.term_list(project=project, audience=TEAM, q=q)


@router.post(
    TERMS,
    response={201: GlossaryTermOut, **WRITE},
    summary="Add a term to the glossary (members and managers)",
    description="A name and a definition in English, Chinese or both. " + REFUSALS,
)
def term_create(request, code: str, data: GlossaryTermIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    term = services.term_create(project=project, by=request.user, **data.dict())
    return Status(201, term)


@router.get(TERMS + "/{term_id}", response={200: GlossaryTermOut, **READ}, summary="One term")
def term_get(request, code: str, term_id: int):
    return _term(request, code, term_id)


@router.patch(
    TERMS + "/{term_id}",
    response={200: GlossaryTermOut, **WRITE, 409: Conflict},
    summary="Change a term (members and managers; send the version you read)",
    description=REFUSALS,
)
def term_update(request, code: str, term_id: int, data: GlossaryTermPatch):
    term = _term(request, code, term_id, need=Action.EDIT)
    fields = not_null(data.dict(exclude_unset=True, exclude={"version"}), nullable=())
    return services.term_update(entry=term, by=request.user, version=data.version, **fields)


@router.delete(
    TERMS + "/{term_id}",
    response={204: None, **WRITE, 409: Conflict},
    summary="Remove a term from the glossary (members and managers)",
)
def term_delete(
    request,
    code: str,
    term_id: int,
    version: int | None = Query(None, description="When given, a stale version answers 409."),
):
    term = _term(request, code, term_id, need=Action.EDIT)
    services.term_delete(entry=term, by=request.user, version=version)
    return Status(204, None)
