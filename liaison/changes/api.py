"""API: a project's change requests — raised, assessed and moved along their
lifecycle by the team, with the impact they would have on the plan.

Team only, like every internal operation: client users get 404 (they raise and
decide changes in the portal). Members and managers write; sending to the
client, recalling, declining and withdrawing are the manager's; observers read.
Writes go through the same services as the pages.
"""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.changes.schemas import (
    ChangeIn,
    ChangeListItem,
    ChangeOut,
    ChangePatch,
    ChangeQuery,
    ChangeTransitionIn,
    ImpactOut,
    VersionIn,
    WithdrawIn,
)
from liaison.changes.selectors import change_requests as change_selectors
from liaison.changes.selectors import impact as impact_selectors
from liaison.changes.services import change_requests as change_services
from liaison.changes.services import lifecycle as lifecycle_services
from liaison.core.schemas import READ, WRITE, Conflict, Error, Page, named_as_sent, not_null
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

router = Router(tags=["changes"])


# -- helpers ----------------------------------------------------------------------------

RELATED = {"requirements": Requirement, "milestones": Milestone, "tasks": Task}


def _rows_by_key(project: Project, model, keys: list[str], field: str) -> list:
    keys = list(dict.fromkeys(key.strip().upper() for key in keys))
    found = {row.key: row for row in model.objects.filter(project=project, key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        raise InvalidInput(
            _("Not of this project: %(keys)s") % {"keys": ", ".join(missing)}, field=field
        )
    return [found[key] for key in keys]


def _resolve_refs(project: Project, fields: dict) -> dict:
    """Keys and a user id into rows; the service checks that they fit."""
    if "owner_id" in fields:
        user_id = fields.pop("owner_id")
        fields["owner"] = None if user_id is None else User.objects.filter(pk=user_id).first()
        if user_id is not None and fields["owner"] is None:
            raise InvalidInput(
                _("The change is assessed by a manager or member of the project."),
                field="owner_id",
            )
    for name, model in RELATED.items():
        if fields.get(name) is not None:
            fields[name] = _rows_by_key(project, model, fields[name], name)
    return fields


def _change(request, code: str, key: str, need: Action = Action.VIEW) -> ChangeRequest:
    project = access.get_project_for(request.user, code, need=need)
    return change_selectors.change_get(
        project=project, audience=access.audience_of(request.user, project), key=key
    )


def _fresh(change: ChangeRequest) -> ChangeRequest:
    return change_selectors.change_get(project=change.project, audience=TEAM, key=change.key)


# -- operations -------------------------------------------------------------------------


@router.get(
    "/projects/{code}/changes",
    response={200: list[ChangeListItem], **READ},
    summary="A project's change requests, newest first",
    description="Filter by status, by who raised them (origin) and by words or a key.",
)
@paginate(Page)
def change_list(request, code: str, filters: Query[ChangeQuery]):
    project = access.get_project_for(request.user, code)
    query = filters.dict()
    return change_selectors.change_list(
        project=project,
        audience=access.audience_of(request.user, project),
        # The page's own parser, so the API and the list filter alike.
        filters=change_selectors.ChangeFilters.from_query(
            {
                "status": query["status"] or "",
                "origin": query["origin"] or "",
                "q": query["q"],
                "sort": query["sort"],
            }
        ),
    )


@router.post(
    "/projects/{code}/changes",
    response={201: ChangeOut, **WRITE},
    summary="Raise a change request (members and managers)",
    description="It gets the next key (CR-n) and waits for assessment. The assessment "
    "(effort, cost, scope, risk, new dates) may come with it. A schedule line for a task "
    "not in the project, given twice or ending before it starts answers 400 with the field "
    "`schedule_changes`.",
)
def change_create(request, code: str, data: ChangeIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = _resolve_refs(project, data.dict(exclude_unset=True))
    with named_as_sent(owner="owner_id"):
        change = change_services.change_create(project=project, by=request.user, **fields)
    return Status(201, _fresh(change))


@router.get(
    "/projects/{code}/changes/{key}",
    response={200: ChangeOut, **READ},
    summary="One change request",
    description="Everything it touches (by key), its assessment, the impact frozen when it "
    "went to the client, and the decision.",
)
def change_detail(request, code: str, key: str):
    return _change(request, code, key)


@router.patch(
    "/projects/{code}/changes/{key}",
    response={200: ChangeOut, **WRITE, 409: Conflict},
    summary="Change a request or its assessment (send the version you read)",
    description="Send only the fields to change. Possible until the change goes to the "
    "client: after that, 400 with the code `change_locked` (recall it first). Saving an "
    "assessment field (effort, cost, scope, risk, new dates) of a submitted change starts "
    "its assessment: its status becomes `assessing`.",
)
def change_update(request, code: str, key: str, data: ChangePatch):
    change = _change(request, code, key, need=Action.EDIT)
    fields = not_null(
        data.dict(exclude_unset=True, exclude={"version"}),
        nullable=("owner_id", "effort_hours", "cost", "risk_level"),
    )
    fields = _resolve_refs(change.project, fields)
    with named_as_sent(owner="owner_id"):
        saved = change_services.change_update(
            change=change, by=request.user, version=data.version, **fields
        )
    return _fresh(saved)


@router.post(
    "/projects/{code}/changes/{key}/transition",
    response={200: ChangeOut, **WRITE, 409: Conflict},
    summary="Move a change request on its lifecycle",
    description="submitted → assessing (members); assessing → awaiting_client (send to the "
    "client: needs the effort and an impact, `impact_missing`, and freezes the impact); "
    "awaiting_client → assessing (recall: see `/recall`); rejected (decline, with a comment) "
    "and withdrawn while open (see `/withdraw`); approved → implemented (members). Sending, "
    "recalling, declining and withdrawing are the manager's (403). Any other move: 400 "
    "`bad_transition`. The client's approval is given in the portal.",
)
def change_transition(request, code: str, key: str, data: ChangeTransitionIn):
    change = _change(request, code, key, need=Action.EDIT)
    saved = lifecycle_services.change_transition(
        change=change,
        by=request.user,
        status=data.status,
        version=data.version,
        comment=data.comment,
    )
    return _fresh(saved)


@router.post(
    "/projects/{code}/changes/{key}/recall",
    response={200: ChangeOut, **WRITE, 409: Conflict},
    summary="Recall a change from the client (managers)",
    description="Takes back a change awaiting the client's decision, to revise it and send "
    "it again: it returns to assessing, its frozen impact is dropped and the portal stops "
    "asking the client to decide. Not the end of the change (that is `/withdraw`). A change "
    "not awaiting the client: 400 `bad_transition`.",
)
def change_recall(request, code: str, key: str, data: VersionIn):
    change = _change(request, code, key, need=Action.EDIT)
    return _fresh(
        lifecycle_services.change_recall(change=change, by=request.user, version=data.version)
    )


@router.post(
    "/projects/{code}/changes/{key}/withdraw",
    response={200: ChangeOut, **WRITE, 409: Conflict},
    summary="Withdraw a change for good (managers)",
    description="Ends an open change (submitted, assessing or awaiting the client) without a "
    "decision; it cannot come back. To revise a change the client is reading, recall it "
    "instead (`/recall`). Any other status: 400 `bad_transition`.",
)
def change_withdraw(request, code: str, key: str, data: WithdrawIn):
    change = _change(request, code, key, need=Action.EDIT)
    saved = lifecycle_services.change_withdraw(
        change=change, by=request.user, version=data.version, comment=data.comment
    )
    return _fresh(saved)


@router.get(
    "/projects/{code}/changes/{key}/impact",
    response={200: ImpactOut, 400: Error, **READ},
    summary="What the change would do to the plan now",
    description="Computed from the current plan, saving nothing: the tasks its new dates "
    "move (with those they push), the milestones affected and the slip of the finish in "
    "working days. Lines that no longer fit the plan answer 400 with their field "
    "(`schedule_changes`, `milestone_changes`).",
)
def change_impact(request, code: str, key: str):
    change = _change(request, code, key)
    return impact_selectors.change_impact(change=change).as_json()
