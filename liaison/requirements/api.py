"""API: a project's requirements and the baselines its client signs.

Team only, like every internal operation: client users get 404 (they use the
portal). Writes go through the same services as the pages.
"""

import datetime

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.core.schemas import READ, WRITE, Conflict, Page, UserRef, one_of
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project
from liaison.requirements import selectors, services
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.selectors import SORTS, FieldChange, RequirementFilters

router = Router(tags=["requirements"])


Kind = one_of(Requirement.Kind)
Source = one_of(Requirement.Source)
Priority = one_of(Requirement.Priority)
RequirementStatus = one_of(Requirement.Status)
BaselineStatus = one_of(Baseline.Status)


# -- schemas --------------------------------------------------------------------


class RequirementOut(Schema):
    key: str
    kind: Kind
    title: str
    body: str
    acceptance_criteria: list[str]
    source: Source
    source_ref: str
    priority: Priority
    value: int
    feasibility: int
    cost: int
    score: int = Field(..., description="Ranks the requirements; computed from the scores.")
    status: RequirementStatus
    parent: str | None = Field(None, description="The parent requirement's key.")
    owner: UserRef | None
    client_visible: bool
    tags: list[str] = Field(..., alias="tag_list")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_parent(requirement: Requirement) -> str | None:
        return requirement.parent.key if requirement.parent_id else None


class RequirementQuery(Schema):
    q: str = Field("", description="Words in the title or description, or an exact key.")
    kind: Kind | None = None
    status: RequirementStatus | None = None
    priority: Priority | None = None
    tag: str = ""
    sort: str = Field("key", description="One of: " + ", ".join(SORTS))


class RequirementIn(Schema):
    title: str
    kind: Kind = Requirement.Kind.FUNCTIONAL.value
    body: str = ""
    acceptance_criteria: list[str] = []
    source: Source = Requirement.Source.MEETING.value
    source_ref: str = ""
    priority: Priority = Requirement.Priority.SHOULD.value
    value: int = Field(3, ge=1, le=5)
    feasibility: int = Field(3, ge=1, le=5)
    cost: int = Field(3, ge=1, le=5)
    client_visible: bool = True
    tags: list[str] = []
    owner_id: int | None = Field(None, description="A member of the project team.")
    parent: str | None = Field(None, description="The parent requirement's key.")


class RequirementPatch(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    kind: Kind | None = None
    body: str | None = None
    acceptance_criteria: list[str] | None = None
    source: Source | None = None
    source_ref: str | None = None
    priority: Priority | None = None
    value: int | None = Field(None, ge=1, le=5)
    feasibility: int | None = Field(None, ge=1, le=5)
    cost: int | None = Field(None, ge=1, le=5)
    client_visible: bool | None = None
    tags: list[str] | None = None
    owner_id: int | None = Field(None, description="null removes the owner.")
    parent: str | None = Field(None, description="A key; null removes the parent.")


class RequirementTransitionIn(Schema):
    status: RequirementStatus
    version: int | None = Field(None, description="When given, a stale version answers 409.")


class Decision(Schema):
    """The client's answer: who, when, from where, and the name typed to sign."""

    outcome: BaselineStatus
    by: UserRef | None
    at: datetime.datetime
    signed_name: str
    ip: str | None
    comment: str


class BaselineOut(Schema):
    number: int
    title: str
    note: str
    status: BaselineStatus
    requirement_count: int
    content_hash: str = Field(..., description="SHA-256 of the frozen content.")
    proposed_by: UserRef | None
    proposed_at: datetime.datetime
    decision: Decision | None = Field(None, description="null while awaiting the client.")

    @staticmethod
    def resolve_decision(baseline: Baseline) -> dict | None:
        if baseline.decided_at is None:
            return None
        return {
            "outcome": baseline.status,
            "by": baseline.decided_by,
            "at": baseline.decided_at,
            "signed_name": baseline.signed_name,
            "ip": baseline.signed_ip,
            "comment": baseline.rejection_comment,
        }


class FrozenProject(Schema):
    code: str
    name: str
    start_date: datetime.date | None
    end_date: datetime.date | None


class FrozenRequirement(Schema):
    key: str
    kind: str
    title: str
    body: str
    acceptance_criteria: list[str]
    priority: str
    status: str
    version: int


class BaselineContent(Schema):
    project: FrozenProject
    requirements: list[FrozenRequirement]


class BaselineDetail(BaselineOut):
    content: BaselineContent


Value = str | int | float | bool | list[str] | None


class FieldChangeOut(Schema):
    field: str = Field(..., description="The field's label in the reader's language.")
    old: Value
    new: Value
    lines: list[str] = Field(..., description="For long text: a unified diff of the lines.")


class ChangedRequirement(Schema):
    key: str
    title: str
    changes: list[FieldChangeOut]


class BaselineDiffOut(Schema):
    a: int
    b: int
    project: list[FieldChangeOut] = Field(..., description="Changes to the frozen dates.")
    added: list[FrozenRequirement]
    removed: list[FrozenRequirement]
    changed: list[ChangedRequirement]


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
    "/{code}/requirements",
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
    "/{code}/requirements",
    response={201: RequirementOut, **WRITE},
    summary="Create a requirement (a draft, with the next key)",
)
def requirement_create(request, code: str, data: RequirementIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = _resolve_refs(project, data.dict(exclude_unset=True))
    requirement = services.requirement_create(project=project, by=request.user, **fields)
    return Status(201, requirement)


@router.get(
    "/{code}/requirements/{key}", response={200: RequirementOut, **READ}, summary="One requirement"
)
def requirement_detail(request, code: str, key: str):
    return _requirement(request, code, key)


@router.patch(
    "/{code}/requirements/{key}",
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
    "/{code}/requirements/{key}/transition",
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
    "/{code}/baselines", response={200: list[BaselineOut], **READ}, summary="A project's baselines"
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
    "/{code}/baselines/diff",
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
    "/{code}/baselines/{number}",
    response={200: BaselineDetail, **READ},
    summary="One baseline, with its frozen content and the client's signature",
)
def baseline_detail(request, code: str, number: int):
    project = access.get_project_for(request.user, code)
    return selectors.baseline_get(project=project, number=number)
