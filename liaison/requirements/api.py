"""API: a project's requirements and the baselines its client signs.

Team only, like every internal operation: client users get 404 (they use the
portal). Writes go through the same services as the pages.
"""

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.core.schemas import READ, WRITE, Conflict, Page
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project
from liaison.requirements import selectors, services
from liaison.requirements.models import Requirement
from liaison.requirements.schemas import (
    BaselineDetail,
    BaselineDiffOut,
    BaselineOut,
    RequirementIn,
    RequirementOut,
    RequirementPatch,
    RequirementQuery,
    RequirementTransitionIn,
)
from liaison.requirements.selectors import FieldChange, RequirementFilters

router = Router(tags=["requirements"])


# -- requirements ---------------------------------------------------------------


def _requirement(request, code: str, key: str, need: Action = Action.VIEW) -> Requirement:
    project = access.get_project_for(request.user, code, need=need)
    return selectors.requirement_get(
        project=project, audience=access.audience_of(request.user, project), key=key
    )


def _resolve_refs(project: Project, fields: dict) -> dict:
    """owner_id and parent (a key) into rows; the service checks that they fit."""
    if "owner_id" in fields:
        owner_id = fields.pop("owner_id")
        fields["owner"] = None if owner_id is None else User.objects.filter(pk=owner_id).first()
        if owner_id is not None and fields["owner"] is None:
            raise InvalidInput(_("The owner must be on the project team."), field="owner_id")
    if fields.get("parent") is not None:
        key = fields["parent"]
        fields["parent"] = project.requirements.filter(key=key.upper()).first()
        if fields["parent"] is None:
            raise InvalidInput(
                _("The parent must be a requirement of this project."), field="parent"
            )
    return fields


def _patch_fields(data: RequirementPatch) -> dict:
    """The fields sent; only owner and parent may be cleared with null."""
    fields = data.dict(exclude_unset=True, exclude={"version"})
    for name, value in fields.items():
        if value is None and name not in ("owner_id", "parent"):
            raise InvalidInput(_("This field cannot be empty."), field=name)
    return fields


@router.get(
    "/projects/{code}/requirements",
    response={200: list[RequirementOut], **READ},
    summary="A project's requirements",
)
@paginate(Page)
def requirement_list(request, code: str, filters: Query[RequirementQuery]):
    project = access.get_project_for(request.user, code)
    return selectors.requirement_list(
        project=project,
        audience=access.audience_of(request.user, project),
        filters=RequirementFilters.from_query(filters.dict(exclude_none=True)),
    )


@router.post(
    "/projects/{code}/requirements",
    response={201: RequirementOut, **WRITE},
    summary="Create a requirement (a draft, with the next key)",
)
def requirement_create(request, code: str, data: RequirementIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = _resolve_refs(project, data.dict(exclude_unset=True))
    requirement = services.requirement_create(project=project, by=request.user, **fields)
    return Status(201, requirement)


@router.get(
    "/projects/{code}/requirements/{key}",
    response={200: RequirementOut, **READ},
    summary="One requirement",
)
def requirement_detail(request, code: str, key: str):
    return _requirement(request, code, key)


@router.patch(
    "/projects/{code}/requirements/{key}",
    response={200: RequirementOut, **WRITE, 409: Conflict},
    summary="Change a requirement (send the version you read)",
)
def requirement_update(request, code: str, key: str, data: RequirementPatch):
    requirement = _requirement(request, code, key, need=Action.EDIT)
    fields = _resolve_refs(requirement.project, _patch_fields(data))
    return services.requirement_update(
        requirement=requirement, by=request.user, version=data.version, **fields
    )


@router.post(
    "/projects/{code}/requirements/{key}/transition",
    response={200: RequirementOut, **WRITE, 409: Conflict},
    summary="Move a requirement to another status",
    description="Draft → in review → confirmed → implemented → verified; rejected and "
    "deferred. A move the workflow does not allow answers 400 with the code "
    "`transition_not_allowed` and the statuses it can take.",
)
def requirement_transition(request, code: str, key: str, data: RequirementTransitionIn):
    requirement = _requirement(request, code, key, need=Action.EDIT)
    return services.requirement_transition(
        requirement=requirement, by=request.user, status=data.status, version=data.version
    )


# -- baselines ------------------------------------------------------------------


@router.get(
    "/projects/{code}/baselines",
    response={200: list[BaselineOut], **READ},
    summary="A project's baselines",
)
@paginate(Page)
def baseline_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return selectors.baseline_list(project=project)


def _change_out(change: FieldChange) -> dict:
    def shown(value):
        return str(value) if isinstance(value, Promise) else value  # a choice's label

    return {
        "field": change.field,
        "old": shown(change.old),
        "new": shown(change.new),
        "lines": change.lines,
    }


# Declared before /{number} so that "diff" is never read as a number.
@router.get(
    "/projects/{code}/baselines/diff",
    response={200: BaselineDiffOut, **READ},
    summary="What changed between two baselines",
)
def baseline_diff(
    request,
    code: str,
    a: int | None = Query(None, description="The older baseline; by default the one before b."),
    b: int | None = Query(None, description="The newer baseline; by default the latest."),
):
    project = access.get_project_for(request.user, code)
    if b is None:
        latest = selectors.baseline_list(project=project).first()
        if latest is None:
            raise Http404
        b = latest.number
    # Numbers run 1, 2, 3… per project, so the one before b exists unless b is the first.
    a = max(b - 1, 1) if a is None else a
    diff = selectors.baseline_diff(
        selectors.baseline_get(project=project, number=a),
        selectors.baseline_get(project=project, number=b),
    )
    return {
        "a": a,
        "b": b,
        "project": [_change_out(change) for change in diff.project],
        "added": diff.added,
        "removed": diff.removed,
        "changed": [
            {
                "key": row["key"],
                "title": row["title"],
                "changes": [_change_out(change) for change in changes],
            }
            for row, changes in diff.changed
        ],
    }


@router.get(
    "/projects/{code}/baselines/{number}",
    response={200: BaselineDetail, **READ},
    summary="One baseline, with its frozen content and the client's signature",
)
def baseline_detail(request, code: str, number: int):
    project = access.get_project_for(request.user, code)
    return selectors.baseline_get(project=project, number=number)
