"""API: the links between a project's tasks. Members and managers write them;
observers read."""

from ninja import Router, Status
from ninja.pagination import paginate

from liaison.core.schemas import READ, WRITE, Conflict, Page
from liaison.planning.api.references import task_by_key
from liaison.planning.models import Dependency
from liaison.planning.schemas import DependencyIn, DependencyOut, DependencyPatch
from liaison.planning.selectors import tasks as task_selectors
from liaison.planning.services import plan as plan_services
from liaison.projects import access
from liaison.projects.access import Action

router = Router()


def _dependency(request, code: str, dependency_id: int, need: Action) -> Dependency:
    project = access.get_project_for(request.user, code, need=need)
    return task_selectors.dependency_get(project=project, dependency_id=dependency_id)


@router.get(
    "/projects/{code}/dependencies",
    response={200: list[DependencyOut], **READ},
    summary="A project's dependencies between tasks",
)
@paginate(Page)
def dependency_list(request, code: str):
    return task_selectors.dependency_list(project=access.get_project_for(request.user, code))


@router.post(
    "/projects/{code}/dependencies",
    response={201: DependencyOut, **WRITE},
    summary="Link two tasks",
    description="The successor (and what follows it) moves if the link requires it. A link "
    "that would close a loop answers 400 with the code `dependency_cycle`.",
)
def dependency_create(request, code: str, data: DependencyIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    dependency = plan_services.dependency_create(
        project=project,
        by=request.user,
        predecessor=task_by_key(project, data.predecessor, "predecessor"),
        successor=task_by_key(project, data.successor, "successor"),
        kind=data.kind,
        lag_days=data.lag_days,
    )
    return Status(201, task_selectors.dependency_get(project=project, dependency_id=dependency.pk))


@router.patch(
    "/projects/{code}/dependencies/{dependency_id}",
    response={200: DependencyOut, **WRITE, 409: Conflict},
    summary="Change a dependency's type or lag (send the version you read)",
)
def dependency_update(request, code: str, dependency_id: int, data: DependencyPatch):
    dependency = _dependency(request, code, dependency_id, need=Action.EDIT)
    saved = plan_services.dependency_update(
        dependency=dependency,
        by=request.user,
        version=data.version,
        kind=dependency.kind if data.kind is None else data.kind,
        lag_days=dependency.lag_days if data.lag_days is None else data.lag_days,
    )
    return task_selectors.dependency_get(project=dependency.project, dependency_id=saved.pk)


@router.delete(
    "/projects/{code}/dependencies/{dependency_id}",
    response={204: None, **WRITE},
    summary="Unlink two tasks (their dates stay as they are)",
)
def dependency_delete(request, code: str, dependency_id: int):
    dependency = _dependency(request, code, dependency_id, need=Action.EDIT)
    plan_services.dependency_delete(dependency=dependency, by=request.user)
    return Status(204, None)
