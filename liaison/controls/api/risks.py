"""API: a project's risk register. Members and managers write; observers read;
client users get 404, like every internal operation (they read the risks shared
with them in the portal). Writes go through the same services as the pages."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.controls.models import Risk
from liaison.controls.schemas_risks import (
    RiskIn,
    RiskListItem,
    RiskOut,
    RiskPatch,
    RiskQuery,
    RiskTransitionIn,
)
from liaison.controls.selectors import risks as risk_selectors
from liaison.controls.services import risks as risk_services
from liaison.core.schemas import READ, WRITE, Conflict, Page, named_as_sent, not_null
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

router = Router(tags=["risks"])
RISKS = "/projects/{code}/risks"
RELATED = {
    "requirements": Requirement,
    "milestones": Milestone,
    "tasks": Task,
    "changes": ChangeRequest,
}


def _rows_by_key(project: Project, model, keys: list[str], field: str) -> list:
    keys = list(dict.fromkeys(key.strip().upper() for key in keys))
    found = {row.key: row for row in model.objects.filter(project=project, key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        raise InvalidInput(
            _("Not of this project: %(keys)s") % {"keys": ", ".join(missing)},
            field=field,
            code="not_in_project",
        )
    return [found[key] for key in keys]


def _resolve_refs(project: Project, fields: dict) -> dict:
    """Keys and a user id into rows; the service checks that they fit."""
    if "owner_id" in fields:
        user_id = fields.pop("owner_id")
        fields["owner"] = None if user_id is None else User.objects.filter(pk=user_id).first()
        if user_id is not None and fields["owner"] is None:
            raise InvalidInput(
                _("A risk is owned by a manager or member of the project."),
                field="owner_id",
                code="owner_not_on_team",
            )
    if "strategy" in fields and fields["strategy"] is None:
        fields["strategy"] = ""
    for name, model in RELATED.items():
        if fields.get(name) is not None:
            fields[name] = _rows_by_key(project, model, fields[name], name)
    return fields


def _risk(request, code: str, key: str, need: Action = Action.VIEW) -> Risk:
    project = access.get_project_for(request.user, code, need=need)
    return risk_selectors.risk_get(
        project=project, audience=access.audience_of(request.user, project), key=key
    )


def _fresh(risk: Risk) -> Risk:
    return risk_selectors.risk_get(project=risk.project, audience=TEAM, key=risk.key)


@router.get(
    RISKS,
    response={200: list[RiskListItem], **READ},
    summary="A project's risks, highest score first",
    description="Filter by status (or `open`: neither occurred nor closed), category, owner, "
    "band, review (open risks whose review date has passed) and words or a key.",
)
@paginate(Page)
def risk_list(request, code: str, filters: Query[RiskQuery]):
    project = access.get_project_for(request.user, code)
    query = filters.dict()
    return risk_selectors.risk_list(
        project=project,
        audience=access.audience_of(request.user, project),
        # The page's own parser, so the API and the register filter alike.
        filters=risk_selectors.RiskFilters.from_query(
            {
                "status": query["status"] or "",
                "category": query["category"] or "",
                "owner": str(query["owner"] or ""),
                "band": query["band"] or "",
                "review": "due" if query["review"] else "",
                "q": query["q"],
                "sort": query["sort"],
            }
        ),
    )


@router.post(
    RISKS,
    response={201: RiskOut, **WRITE},
    summary="Record a risk (members and managers)",
    description="It gets the next key (RISK-n) and starts as identified; its score is "
    "probability × impact. Keys of another project's rows answer 400 `not_in_project`; an "
    "owner who is not a manager or member, 400 `owner_not_on_team`.",
)
def risk_create(request, code: str, data: RiskIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = _resolve_refs(project, data.dict(exclude_unset=True))
    with named_as_sent(owner="owner_id"):
        risk = risk_services.risk_create(project=project, by=request.user, **fields)
    return Status(201, _fresh(risk))


@router.get(
    RISKS + "/{key}",
    response={200: RiskOut, **READ},
    summary="One risk",
    description="Everything the team keeps about it, the linked rows by key.",
)
def risk_detail(request, code: str, key: str):
    return _risk(request, code, key)


@router.patch(
    RISKS + "/{key}",
    response={200: RiskOut, **WRITE, 409: Conflict},
    summary="Change a risk (send the version you read)",
    description="Send only the fields to change; a new probability or impact moves the "
    "score. A version that is not the current one answers 409 with what changed since.",
)
def risk_update(request, code: str, key: str, data: RiskPatch):
    risk = _risk(request, code, key, need=Action.EDIT)
    fields = not_null(
        data.dict(exclude_unset=True, exclude={"version"}),
        nullable=(
            "owner_id",
            "strategy",
            "next_review_date",
            "residual_probability",
            "residual_impact",
        ),
    )
    fields = _resolve_refs(risk.project, fields)
    with named_as_sent(owner="owner_id"):
        saved = risk_services.risk_update(
            risk=risk, by=request.user, version=data.version, **fields
        )
    return _fresh(saved)


@router.post(
    RISKS + "/{key}/transition",
    response={200: RiskOut, **WRITE, 409: Conflict},
    summary="Move a risk on its lifecycle",
    description="identified → assessed, occurred or closed; assessed → response_planned, "
    "monitoring, occurred or closed; response_planned → monitoring, occurred or closed; "
    "monitoring → response_planned, occurred or closed; occurred → closed. Planning the "
    "response needs a strategy (`strategy_missing`) and an owner (`owner_missing`). Any "
    "other move: 400 `bad_transition`. Occurring tells the manager and the owner.",
)
def risk_transition(request, code: str, key: str, data: RiskTransitionIn):
    risk = _risk(request, code, key, need=Action.EDIT)
    saved = risk_services.risk_transition(
        risk=risk, by=request.user, status=data.status, version=data.version
    )
    return _fresh(saved)
