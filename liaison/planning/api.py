"""API: a project's plan — milestones, tasks, dependencies and the Gantt data.

Team only, like every internal operation: client users get 404 (they use the
portal). Milestones are the manager's to write; members and managers write
tasks and dependencies; observers read. Writes go through the same services as
the pages, so a change of dates pushes the successors here too.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.core.schemas import (
    READ,
    WRITE,
    Conflict,
    Page,
    named_as_sent,
    not_null,
)
from liaison.core.services import InvalidInput
from liaison.planning.models import Dependency, Milestone, Task
from liaison.planning.schemas import (
    DependencyIn,
    DependencyOut,
    DependencyPatch,
    GanttOut,
    GanttQuery,
    MilestoneIn,
    MilestoneListItem,
    MilestoneOut,
    MilestonePatch,
    PreviewIn,
    PreviewOut,
    SubmitIn,
    TaskIn,
    TaskOut,
    TaskPatch,
    TaskQuery,
)
from liaison.planning.selectors import milestones as milestone_selectors
from liaison.planning.selectors import tasks as task_selectors
from liaison.planning.selectors.gantt import GanttFilters, gantt_data
from liaison.planning.services import milestones as milestone_services
from liaison.planning.services import plan as plan_services
from liaison.planning.services import tasks as task_services
from liaison.planning.services.schedule import task_move_preview
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

router = Router(tags=["plan"])


# -- helpers -----------------------------------------------------------------------------


def _task_by_key(project: Project, key: str, field: str) -> Task:
    task = Task.objects.filter(project=project, key=str(key).strip().upper()).first()
    if task is None:
        raise InvalidInput(_("%(key)s is not a task of this project.") % {"key": key}, field=field)
    return task


def _resolve_task_refs(project: Project, fields: dict) -> dict:
    """Keys and a user id into rows; the service checks that they fit."""
    if "assignee_id" in fields:
        user_id = fields.pop("assignee_id")
        fields["assignee"] = None if user_id is None else User.objects.filter(pk=user_id).first()
        if user_id is not None and fields["assignee"] is None:
            raise InvalidInput(
                _("Assign the task to a manager or member of the project."), field="assignee_id"
            )
    if fields.get("milestone") is not None:
        key = fields["milestone"]
        fields["milestone"] = project.milestones.filter(key=key.strip().upper()).first()
        if fields["milestone"] is None:
            raise InvalidInput(
                _("%(key)s is not a milestone of this project.") % {"key": key}, field="milestone"
            )
    if fields.get("parent") is not None:
        fields["parent"] = _task_by_key(project, fields["parent"], "parent")
    if fields.get("requirements") is not None:
        keys = {key.strip().upper() for key in fields["requirements"]}
        found = list(project.requirements.filter(key__in=keys))
        missing = keys - {requirement.key for requirement in found}
        if missing:
            raise InvalidInput(
                _("Not requirements of this project: %(keys)s")
                % {"keys": ", ".join(sorted(missing))},
                field="requirements",
            )
        fields["requirements"] = found
    return fields


def _task(request, code: str, key: str, need: Action = Action.VIEW) -> Task:
    project = access.get_project_for(request.user, code, need=need)
    return task_selectors.task_get(
        project=project, audience=access.audience_of(request.user, project), key=key.upper()
    )


def _milestone(request, code: str, key: str, need: Action = Action.VIEW) -> Milestone:
    project = access.get_project_for(request.user, code, need=need)
    return milestone_selectors.milestone_get(
        project=project, audience=access.audience_of(request.user, project), key=key.upper()
    )


def _dependency(request, code: str, dependency_id: int, need: Action) -> Dependency:
    project = access.get_project_for(request.user, code, need=need)
    return task_selectors.dependency_get(project=project, dependency_id=dependency_id)


# -- milestones --------------------------------------------------------------------------


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


# -- tasks -------------------------------------------------------------------------------


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
    return (
        task_selectors.task_list(
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
        .select_related("parent")
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.only("pk", "key").order_by("pk"))
        )
    )


@router.post(
    "/projects/{code}/tasks",
    response={201: TaskOut, **WRITE},
    summary="Create a task (members and managers)",
)
def task_create(request, code: str, data: TaskIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = _resolve_task_refs(project, data.dict(exclude_unset=True))
    with named_as_sent(assignee="assignee_id"):
        task = task_services.task_create(project=project, by=request.user, **fields)
    return Status(201, task_selectors.task_get(project=project, audience=TEAM, key=task.key))


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
    fields = _resolve_task_refs(task.project, fields)
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


# -- dependencies ------------------------------------------------------------------------


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
        predecessor=_task_by_key(project, data.predecessor, "predecessor"),
        successor=_task_by_key(project, data.successor, "successor"),
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


# -- the Gantt ---------------------------------------------------------------------------


@router.get(
    "/projects/{code}/gantt",
    response={200: GanttOut, **READ},
    summary="The plan as the Gantt chart shows it",
    description="Dated tasks in WBS order with slack and the critical path, the links, "
    "the milestones and the latest plan baseline's dates. Takes the Gantt page's filters.",
)
def gantt(request, code: str, filters: Query[GanttQuery]):
    project = access.get_project_for(request.user, code)
    data = gantt_data(
        project=project,
        audience=access.audience_of(request.user, project),
        # The page's own parser: repeated `collapsed` values and swapped dates are
        # handled the same way (the schema above documents and type-checks them).
        filters=GanttFilters.from_query(request.GET),
    )
    return {
        "start": data.start,
        "end": data.end,
        "today": data.today,
        "rows": [
            {
                "key": row.key,
                "title": row.title,
                "depth": row.depth,
                "has_children": row.has_children,
                "collapsed": row.collapsed,
                "is_summary": row.is_summary,
                "start": row.start,
                "due": row.due,
                "progress": row.progress,
                "status": row.status,
                "assignee_name": row.assignee_name,
                "critical": row.critical,
                "slack": row.slack,
                "baseline_start": row.baseline_start,
                "baseline_due": row.baseline_due,
                "client_visible": row.client_visible,
                "milestone": row.milestone_key,
            }
            for row in data.rows
        ],
        "links": [
            {
                "predecessor": link.predecessor_key,
                "successor": link.successor_key,
                "kind": link.kind,
                "critical": link.critical,
            }
            for link in data.links
        ],
        "milestones": [
            {
                "key": milestone.key,
                "name": milestone.name,
                "due": milestone.due,
                "status": milestone.status,
                "baseline_due": milestone.baseline_due,
            }
            for milestone in data.milestones
        ],
        "undated_count": data.undated_count,
        "baseline_name": data.baseline_name,
        "cycle": data.cycle,
    }
