"""API: a project's tasks, and what new dates would move before they are saved.
Members and managers write them; observers read."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.core.schemas import READ, WRITE, Conflict, Page, named_as_sent, not_null
from liaison.planning.api.references import resolve_task_refs
from liaison.planning.models import Task
from liaison.planning.schemas import PreviewIn, PreviewOut, TaskIn, TaskOut, TaskPatch, TaskQuery
from liaison.planning.selectors import tasks as task_selectors
from liaison.planning.services import tasks as task_services
from liaison.planning.services.schedule import task_move_preview
from liaison.projects import access
from liaison.projects.access import TEAM, Action

router = Router()


def _task(request, code: str, key: str, need: Action = Action.VIEW) -> Task:
    project = access.get_project_for(request.user, code, need=need)
    return task_selectors.task_get(
        project=project, audience=access.audience_of(request.user, project), key=key.upper()
    )


@router.get(
    "/projects/{code}/tasks",
    response={200: list[TaskOut], **READ},
    summary="A project's tasks",
)
@paginate(Page)
def task_list(request, code: str, filters: Query[TaskQuery]):
    project = access.get_project_for(request.user, code)
    query = filters.dict()
    sort = query["sort"] if query["sort"] in task_selectors.SORTS else "key"
    return task_selectors.task_api_list(
        project=project,
        audience=access.audience_of(request.user, project),
        filters=task_selectors.TaskFilters(
            q=query["q"].strip()[:100],
            status=query["status"] or "",
            assignee=query["assignee"],
            milestone=query["milestone"].strip().upper()[:20],
            sort=sort,
        ),
    )


@router.post(
    "/projects/{code}/tasks",
    response={201: TaskOut, **WRITE},
    summary="Create a task (members and managers)",
)
def task_create(request, code: str, data: TaskIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = resolve_task_refs(project, data.dict(exclude_unset=True))
    with named_as_sent(assignee="assignee_id"):
        task = task_services.task_create(project=project, by=request.user, **fields)
    # The row as the service saved it, with the milestone, parent and assignee it was
    # given: reading it back would answer the same (the tests hold them equal).
    return Status(201, task)


@router.get("/projects/{code}/tasks/{key}", response={200: TaskOut, **READ}, summary="One task")
def task_detail(request, code: str, key: str):
    return _task(request, code, key)


@router.patch(
    "/projects/{code}/tasks/{key}",
    response={200: TaskOut, **WRITE, 409: Conflict},
    summary="Change a task (send the version you read)",
    description="Send only the fields to change. New dates push the tasks that depend on "
    "this one, in the same transaction; dates its predecessors forbid answer 400.",
)
def task_update(request, code: str, key: str, data: TaskPatch):
    task = _task(request, code, key, need=Action.EDIT)
    fields = not_null(
        data.dict(exclude_unset=True, exclude={"version"}),
        nullable=(
            "assignee_id",
            "milestone",
            "parent",
            "start_date",
            "due_date",
            "estimate_hours",
        ),
    )
    fields = resolve_task_refs(task.project, fields)
    with named_as_sent(assignee="assignee_id"):
        saved = task_services.task_update(
            task=task, by=request.user, version=data.version, **fields
        )
    return task_selectors.task_get(project=task.project, audience=TEAM, key=saved.key)


@router.delete(
    "/projects/{code}/tasks/{key}",
    response={204: None, **WRITE, 409: Conflict},
    summary="Delete a task the client never saw",
    description="Its children move up one level. A task visible to the client answers 400 "
    "with the code `client_visible`.",
)
def task_delete(
    request,
    code: str,
    key: str,
    version: int | None = Query(None, description="When given, a stale version answers 409."),
):
    task = _task(request, code, key, need=Action.EDIT)
    task_services.task_delete(task=task, by=request.user, version=version)
    return Status(204, None)


@router.post(
    "/projects/{code}/tasks/{key}/preview",
    response={200: PreviewOut, **WRITE},
    summary="What new dates would move, before saving anything",
)
def task_preview(request, code: str, key: str, data: PreviewIn):
    task = _task(request, code, key, need=Action.EDIT)
    moves = task_move_preview(task=task, start=data.start_date, due=data.due_date)
    return {
        "moves": [
            {
                "key": move.task.key,
                "title": move.task.title,
                "old_start": move.old_start,
                "old_due": move.old_due,
                "new_start": move.new_start,
                "new_due": move.new_due,
            }
            for move in moves
        ]
    }
