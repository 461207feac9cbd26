"""API: a project's issues and defects (ISS-n), with their escalation.

Team only, like every internal operation: client users get 404 (they raise,
verify and confirm in the portal). Members and managers write; recording a
dispute's agreed outcome is the manager's; observers read. Writes go through
the same services as the pages."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.controls.issue_schemas import (
    IssueEscalateIn,
    IssueIn,
    IssueListItem,
    IssueOut,
    IssuePatch,
    IssueQuery,
    IssueTransitionIn,
)
from liaison.controls.models import Issue
from liaison.controls.selectors import issues as issue_selectors
from liaison.controls.services import issue_escalation, issue_lifecycle
from liaison.controls.services import issues as issue_services
from liaison.core.schemas import READ, WRITE, Conflict, Page, named_as_sent, not_null
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

router = Router(tags=["issues"])
ROWS: dict[str, type[Requirement] | type[Milestone] | type[Task]] = {
    "requirement": Requirement,
    "milestone": Milestone,
    "task": Task,
}
PEOPLE = {"owner_id": "owner", "raised_by_id": "raised_by"}


def _resolve_refs(project: Project, fields: dict) -> dict:
    """Keys and user ids into rows of the project; the service checks again."""
    for name, model in ROWS.items():
        key = fields.get(name)
        if key is not None:
            row = model._default_manager.filter(
                project=project, key=key.strip().upper()[:20]
            ).first()
            if row is None:
                raise InvalidInput(
                    _("That is not part of this project."), field=name, code="not_in_project"
                )
            fields[name] = row
    for sent, name in PEOPLE.items():
        if sent in fields:
            user_id = fields.pop(sent)
            fields[name] = None if user_id is None else User.objects.filter(pk=user_id).first()
            if user_id is not None and fields[name] is None:
                raise InvalidInput(_("Not a member of this project."), field=sent)
    return fields


def _issue(request, code: str, key: str, need: Action = Action.VIEW) -> Issue:
    project = access.get_project_for(request.user, code, need=need)
    return issue_selectors.issue_get(
        project=project, audience=access.audience_of(request.user, project), key=key
    )


def _fresh(issue: Issue) -> Issue:
    return issue_selectors.issue_get(project=issue.project, audience=TEAM, key=issue.key)


@router.get(
    "/projects/{code}/issues",
    response={200: list[IssueListItem], **READ},
    summary="A project's issues, the most severe first",
    description="Open or in progress by default (`status=all` for every one); filter by "
    "kind, severity, owner, raised by the client, overdue, blocked, and words or a key.",
)
@paginate(Page)
def issue_list(request, code: str, filters: Query[IssueQuery]):
    project = access.get_project_for(request.user, code)
    query = filters.dict()
    rows = issue_selectors.issue_rows(
        project=project,
        audience=access.audience_of(request.user, project),
        filters=issue_selectors.IssueFilters(
            status=query["status"],
            kind=query["kind"] or "",
            severity=query["severity"] or "",
            owner=query["owner"],
            client=query["client"],
            overdue=query["overdue"],
            blocked=query["blocked"],
            q=query["q"].strip()[:100],
        ),
    )
    return issue_selectors.issue_page_rows(rows)


@router.post(
    "/projects/{code}/issues",
    response={201: IssueOut, **WRITE},
    summary="Raise an issue (members and managers)",
    description="It gets the next key (ISS-n). A requirement, milestone or task not of this "
    "project answers 400 `not_in_project`; an owner who is no manager or member, 400 with "
    "the field `owner_id`. A critical issue, or one a client contact raised, tells the manager.",
)
def issue_create(request, code: str, data: IssueIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = _resolve_refs(project, data.dict(exclude_unset=True))
    with named_as_sent(owner="owner_id", raised_by="raised_by_id"):
        issue = issue_services.issue_create(project=project, by=request.user, **fields)
    return Status(201, _fresh(issue))


@router.get(
    "/projects/{code}/issues/{key}",
    response={200: IssueOut, **READ},
    summary="One issue, with its escalation steps",
)
def issue_detail(request, code: str, key: str):
    return _issue(request, code, key)


@router.patch(
    "/projects/{code}/issues/{key}",
    response={200: IssueOut, **WRITE, 409: Conflict},
    summary="Change an issue (send the version you read)",
    description="Send only the fields to change; the status moves through `/transition`. "
    "The agreed outcome of a dispute is the manager's (403 for a member).",
)
def issue_update(request, code: str, key: str, data: IssuePatch):
    issue = _issue(request, code, key, need=Action.EDIT)
    fields = not_null(
        data.dict(exclude_unset=True, exclude={"version"}),
        nullable=("requirement", "milestone", "task", "owner_id", "due_date"),
    )
    fields = _resolve_refs(issue.project, fields)
    with named_as_sent(owner="owner_id"):
        saved = issue_services.issue_update(
            issue=issue, by=request.user, version=data.version, **fields
        )
    return _fresh(saved)


@router.post(
    "/projects/{code}/issues/{key}/transition",
    response={200: IssueOut, **WRITE, 409: Conflict},
    summary="Move an issue on its lifecycle",
    description="open → in_progress → resolved (needs the root cause, `root_cause_required`, "
    "and the solution, `solution_required`) → verified (only whoever raised it: "
    "`not_raiser`) → closed; resolved, verified or closed → open reopens it (needs a "
    "`reason`, `reason_required`) and counts it. Any other move: 400 `bad_transition`.",
)
def issue_transition(request, code: str, key: str, data: IssueTransitionIn):
    issue = _issue(request, code, key)
    saved = issue_lifecycle.issue_transition(
        issue=issue,
        by=request.user,
        status=data.status,
        version=data.version,
        root_cause=data.root_cause,
        solution=data.solution,
        reason=data.reason,
    )
    return _fresh(saved)


@router.post(
    "/projects/{code}/issues/{key}/escalate",
    response={200: IssueOut, **WRITE},
    summary="Escalate an open issue one level (members and managers)",
    description="The next level of the project's escalation path is recorded and its person "
    "told. No path: 400 `no_escalation_path`; at the last level: 400 `escalation_at_top`; "
    "an issue not open: 400 `not_open`.",
)
def issue_escalate(request, code: str, key: str, data: IssueEscalateIn):
    issue = _issue(request, code, key, need=Action.EDIT)
    issue_escalation.issue_escalate(issue=issue, by=request.user, note=data.note)
    return _fresh(issue)
