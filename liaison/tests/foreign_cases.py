"""The cases of test_foreign_ids.py: for each place where a user-supplied id
or key picks a row (foreign_ids.py finds them), how to send it another
project's row. `Own` is what the team's project holds, `Elsewhere` what a
project the manager may not see holds: same organization ("SIBLING") or
another one ("FOREIGN")."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liaison.accounts.models import Client, User
from liaison.changes.models import ChangeRequest
from liaison.collab.models import Attachment, Notification
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction
from liaison.controls.models import (
    Issue,
    QualityCheck,
    QualityFinding,
    QualityStandard,
    Risk,
    UatCase,
)
from liaison.core.models import OutgoingMail
from liaison.documents.models import Deliverable, Document, Folder, Review
from liaison.finance.models import Rate, TimeEntry, Timesheet
from liaison.glossary.models import Term
from liaison.planning.models import Dependency, Milestone, Task
from liaison.projects.models import Membership, Project, TimeOff
from liaison.requirements.models import ImportJob, Requirement
from liaison.tests.access_matrix import PROJECTS
from liaison.webhooks.models import Webhook

OWN, SIBLING, FOREIGN = "OWN", "SIBLING", "FOREIGN"
SIDES = (SIBLING, FOREIGN)
SECRET = "Hidden"  # in every name and title of the other projects' rows


@dataclass
class Own:
    project: Project
    client: Client
    tasks: list[Task]
    milestone: Milestone
    requirements: list[Requirement]
    change: ChangeRequest
    interaction: Interaction
    action_item: ActionItem
    plan_item: CommunicationPlanItem
    issue: Issue
    risk: Risk | None = None
    quality_check: QualityCheck | None = None  # QC-1
    time_entry: TimeEntry | None = None  # the manager's draft, this week
    timesheet: Timesheet | None = None  # the manager's last week, submitted
    document: Document | None = None  # DOC-1, in the folder "Specs"


@dataclass
class Elsewhere:
    """A row of each kind, keyed past what Own holds (its T-3 is no task of
    Own); or Own's rows in their place, which must be taken."""

    project: Project
    person: User  # on that project only
    client: Client
    task: Task
    milestone: Milestone
    requirement: Requirement
    interaction: Interaction
    plan_item: CommunicationPlanItem
    attachment: Attachment | None  # None for OWN, as the rest
    notification: Notification | None
    dependency: Dependency | None = None
    webhook: Webhook | None = None
    membership: Membership | None = None  # the person's
    token_id: int | None = None  # the person's API token
    import_job: ImportJob | None = None
    mail: OutgoingMail | None = None  # a failed mail about the project
    change: ChangeRequest | None = None
    quality_standard: QualityStandard | None = None
    quality_finding: QualityFinding | None = None  # of a check of that project
    uat_case: UatCase | None = None  # of a round of that project
    time_entry: TimeEntry | None = None  # of a submitted week of that project
    rate: Rate | None = None  # of the project's organization, from next month
    folder: Folder | None = None  # a top folder, open to the client
    document_review: Review | None = None  # a review waiting for the client


Value = Callable[[Elsewhere], Any]
PERSON: Value = lambda e: e.person.pk  # noqa: E731
CLIENT: Value = lambda e: e.client.pk  # noqa: E731
TASK_KEY: Value = lambda e: e.task.key  # noqa: E731
MILESTONE_PK: Value = lambda e: e.milestone.pk  # noqa: E731
MILESTONE_KEY: Value = lambda e: e.milestone.key  # noqa: E731
REQUIREMENT_PK: Value = lambda e: e.requirement.pk  # noqa: E731
REQUIREMENT_KEY: Value = lambda e: e.requirement.key  # noqa: E731
INTERACTION_KEY: Value = lambda e: e.interaction.key  # noqa: E731
PLAN_ITEM_PK: Value = lambda e: e.plan_item.pk  # noqa: E731
CHANGE_KEY: Value = lambda e: e.change.key  # noqa: E731
STANDARD_PK: Value = lambda e: e.quality_standard.pk  # noqa: E731
FOLDER_PK: Value = lambda e: e.folder.pk  # noqa: E731
# The reviewed document's key (DOC-2 elsewhere); the own project's DOC-1 in its place.
DOCUMENT_KEY: Value = lambda e: (  # noqa: E731
    e.document_review.document.key if e.document_review else e.folder.documents.get().key
)
SCHEDULE_LINE: Value = lambda e: f"{e.task.key} 2027-01-04 2027-01-15"  # noqa: E731
MILESTONE_LINE: Value = lambda e: f"{e.milestone.key} 2027-01-15"  # noqa: E731


def listed(value: Value) -> Value:
    return lambda e: [value(e)]


# -- pages: the form fields -----------------------------------------------------------


@dataclass(frozen=True)
class FormCase:
    url: str  # the page's URL name; its kwargs: code, and `key` of Own's row if `of`
    value: Value
    of: Callable[[Own], str] | None = None  # the key of the Own row the page edits
    sides: tuple[str, ...] = SIDES
    as_owner: bool = False  # organization pages: the org owner, not the manager
    page: str = ""  # the page that shows the form, when `url` only takes the post


TASK_FORM = "liaison.planning.forms.tasks.TaskForm"
CHANGE_FORM = "liaison.changes.forms.ChangeForm"
IMPACT_FORM = "liaison.changes.forms.ImpactLinesForm"
INTERACTION_FORM = "liaison.communication.forms.InteractionForm"
ACTION_FORM = "liaison.communication.plan_forms.ActionItemForm"
REQUIREMENT_FORM = "liaison.requirements.forms.RequirementForm"
PROJECT_FORM = "liaison.projects.forms.ProjectFieldsMixin"
RISK_FORM = "liaison.controls.forms.risks.RiskForm"
ISSUE_FORM = "liaison.controls.forms.issues.IssueForm"
STEP_FORM = "liaison.controls.forms.contingency.ContingencyStepForm"
CHECK_FORM = "liaison.controls.forms.quality.CheckForm"
LOG_TIME_FORM = "liaison.finance.forms.time.LogTimeForm"

# (form class that declares or cleans the field, field) → how to send it a foreign row.
FORM_CASES: dict[tuple[str, str], FormCase] = {
    (TASK_FORM, "assignee"): FormCase("planning:task-create", PERSON),
    (TASK_FORM, "milestone"): FormCase("planning:task-create", MILESTONE_PK),
    (TASK_FORM, "parent"): FormCase("planning:task-create", TASK_KEY),
    (TASK_FORM, "requirements"): FormCase("planning:task-create", REQUIREMENT_KEY),
    ("liaison.planning.forms.tasks.DependencyForm", "predecessor"): FormCase(
        "planning:dependency-create",
        TASK_KEY,
        of=lambda own: own.tasks[0].key,
        page="planning:task",
    ),
    (REQUIREMENT_FORM, "owner"): FormCase("requirements:create", PERSON),
    (REQUIREMENT_FORM, "parent"): FormCase("requirements:create", REQUIREMENT_PK),
    (CHANGE_FORM, "owner"): FormCase("changes:create", PERSON),
    (CHANGE_FORM, "requirements"): FormCase("changes:create", REQUIREMENT_KEY),
    (CHANGE_FORM, "milestones"): FormCase("changes:create", MILESTONE_KEY),
    (CHANGE_FORM, "tasks"): FormCase("changes:create", TASK_KEY),
    (IMPACT_FORM, "schedule"): FormCase(
        "changes:assess", SCHEDULE_LINE, of=lambda own: own.change.key
    ),
    (IMPACT_FORM, "milestones"): FormCase(
        "changes:assess", MILESTONE_LINE, of=lambda own: own.change.key
    ),
    (INTERACTION_FORM, "participants"): FormCase(
        "communication:interaction-create", listed(PERSON)
    ),
    (INTERACTION_FORM, "plan_item"): FormCase("communication:interaction-create", PLAN_ITEM_PK),
    (INTERACTION_FORM, "requirements"): FormCase(
        "communication:interaction-create", REQUIREMENT_KEY
    ),
    (ACTION_FORM, "owner"): FormCase("communication:action-item-create", PERSON),
    (ACTION_FORM, "interaction"): FormCase("communication:action-item-create", INTERACTION_KEY),
    ("liaison.communication.plan_forms.PlanItemForm", "owner"): FormCase(
        "communication:plan-item-create", PERSON
    ),
    (RISK_FORM, "owner"): FormCase("controls:risk-create", PERSON),
    (RISK_FORM, "requirements"): FormCase("controls:risk-create", REQUIREMENT_KEY),
    (RISK_FORM, "milestones"): FormCase("controls:risk-create", MILESTONE_KEY),
    (RISK_FORM, "tasks"): FormCase("controls:risk-create", TASK_KEY),
    (RISK_FORM, "changes"): FormCase("controls:risk-create", CHANGE_KEY),
    (ISSUE_FORM, "requirement"): FormCase("controls:issue-create", REQUIREMENT_KEY),
    (ISSUE_FORM, "milestone"): FormCase("controls:issue-create", MILESTONE_KEY),
    (ISSUE_FORM, "task"): FormCase("controls:issue-create", TASK_KEY),
    (ISSUE_FORM, "owner"): FormCase("controls:issue-create", PERSON),
    (ISSUE_FORM, "raised_by"): FormCase("controls:issue-create", PERSON),
    # A contingency plan's step: its owner and a task's milestone.
    (STEP_FORM, "owner"): FormCase(
        "controls:contingency-step-create", PERSON, of=lambda own: own.risk.key
    ),
    (STEP_FORM, "milestone"): FormCase(
        "controls:contingency-step-create", MILESTONE_PK, of=lambda own: own.risk.key
    ),
    (CHECK_FORM, "checked_by"): FormCase("controls:quality-check-create", PERSON),
    (CHECK_FORM, "milestone"): FormCase("controls:quality-check-create", MILESTONE_PK),
    (CHECK_FORM, "standard"): FormCase("controls:quality-check-create", STANDARD_PK),
    ("liaison.controls.forms.quality.RoundForm", "milestone"): FormCase(
        "controls:uat-round-create", MILESTONE_PK
    ),
    ("liaison.controls.forms.quality.CaseForm", "requirement"): FormCase(
        "controls:uat-case-add", REQUIREMENT_KEY, of=lambda own: "UAT-1", page="controls:uat-round"
    ),
    (LOG_TIME_FORM, "task"): FormCase("finance:time-log", TASK_KEY),
    ("liaison.finance.forms.time.TimerStartForm", "task"): FormCase("finance:timer", TASK_KEY),
    # A project's client and manager are the organization's: the same
    # organization's other clients and staff are the right choices.
    (PROJECT_FORM, "client"): FormCase("projects:create", CLIENT, sides=(FOREIGN,), as_owner=True),
    (PROJECT_FORM, "manager"): FormCase("projects:create", PERSON, sides=(FOREIGN,), as_owner=True),
    # Money: a rate is for someone of the organization's staff (the same organization's
    # others are the right choices).
    ("liaison.finance.money_forms.RateForm", "person"): FormCase(
        "finance:rates", PERSON, sides=(FOREIGN,), as_owner=True
    ),
    # Documents: the folder a document goes in or moves to, a folder's parent.
    ("liaison.documents.forms.FolderForm", "parent"): FormCase(
        "documents:folder-create", FOLDER_PK, page="documents:list"
    ),
    ("liaison.documents.forms.DocumentForm", "folder"): FormCase(
        "documents:create", FOLDER_PK, page="documents:list"
    ),
    ("liaison.documents.forms.DocumentEditForm", "folder"): FormCase(
        "documents:edit", FOLDER_PK, of=lambda own: own.document.key
    ),
}

# Fields with a clean_<name> method that pick no row, and why.
FORM_PLAIN: dict[tuple[str, str], str] = {
    ("liaison.accounts.forms.LoginForm", "email"): "an address, lower-cased",
    ("liaison.changes.forms.ApproveForm", "agreed"): "a tick box",
    ("liaison.planning.forms.tasks.DependencyForm", "lag_days"): "a number",
}

# -- the API: request bodies ----------------------------------------------------------


@dataclass(frozen=True)
class ApiCase:
    method: str
    path: Callable[[Own], str]
    body: Callable[[Own], dict]  # a valid body less the property under test
    value: Value
    sides: tuple[str, ...] = SIDES
    as_owner: bool = False


OWN_API = f"{PROJECTS}/OWN"


def _post(path: str, **body: Any) -> Callable[..., Any]:
    return lambda value, sides=SIDES, as_owner=False: ApiCase(
        "POST", lambda own: f"{OWN_API}{path}", lambda own: dict(body), value, sides, as_owner
    )


def _patch(path: Callable[[Own], str], row: Callable[[Own], Any]) -> Callable[..., Any]:
    return lambda value, sides=SIDES, as_owner=False: ApiCase(
        "PATCH",
        lambda own: f"{OWN_API}{path(own)}",
        lambda own: {"version": row(own).version},
        value,
        sides,
        as_owner,
    )


NEW_TASK = _post("/tasks", title="New one")
TASK_PATCH = _patch(lambda own: f"/tasks/{own.tasks[0].key}", lambda own: own.tasks[0])
NEW_REQUIREMENT = _post("/requirements", title="New one")
REQUIREMENT_PATCH = _patch(
    lambda own: f"/requirements/{own.requirements[0].key}", lambda own: own.requirements[0]
)
NEW_CHANGE = _post("/changes", title="New one")
CHANGE_PATCH = _patch(lambda own: f"/changes/{own.change.key}", lambda own: own.change)
NEW_INTERACTION = _post("/interactions", subject="New one", occurred_at="2026-11-18T09:00Z")
INTERACTION_PATCH = _patch(
    lambda own: f"/interactions/{own.interaction.key}", lambda own: own.interaction
)
NEW_ACTION = _post("/action-items", title="New one")
ACTION_PATCH = _patch(
    lambda own: f"/action-items/{own.action_item.key}", lambda own: own.action_item
)
NEW_PLAN_ITEM = _post("/communication-plan", audience="Client", purpose="Status")
PLAN_ITEM_PATCH = _patch(
    lambda own: f"/communication-plan/{own.plan_item.pk}", lambda own: own.plan_item
)
NEW_PROJECT = ApiCase(
    "POST",
    lambda own: PROJECTS,
    lambda own: {"code": "NEW", "name": "New one", "client_id": own.client.pk},
    PERSON,
)
PROJECT_PATCH = _patch(lambda own: "", lambda own: own.project)
NEW_RISK = _post("/risks", title="New one")
RISK_PATCH = _patch(lambda own: f"/risks/{own.risk.key}", lambda own: own.risk)
NEW_ISSUE = _post("/issues", title="New one")
ISSUE_PATCH = _patch(lambda own: f"/issues/{own.issue.key}", lambda own: own.issue)
# A risk's contingency plan, written whole: a step owned by the row's person, on its milestone.
PLAN_PUT = ApiCase(
    "PUT",
    lambda own: f"{OWN_API}/risks/{own.risk.key}/plan",
    lambda own: {"version": 1},
    lambda e: [{"kind": "task", "title": "New one", "owner_id": e.person.pk,
                "milestone": e.milestone.key}],
)  # fmt: skip
NEW_CHECK = _post("/quality/checks", checked_on="2026-11-18", result="pass")
CHECK_PATCH = _patch(lambda own: "/quality/checks/1", lambda own: own.quality_check)


def _dependency(which: str) -> ApiCase:
    def body(own: Own) -> dict:
        other = "successor" if which == "predecessor" else "predecessor"
        return {other: own.tasks[0].key}  # OWN's value is tasks[1]

    return ApiCase("POST", lambda own: f"{OWN_API}/dependencies", body, TASK_KEY)


def _with(case: ApiCase, **changes: Any) -> ApiCase:
    return ApiCase(**{**case.__dict__, **changes})


# (request schema, property) → how to send it a foreign row.
API_CASES: dict[tuple[str, str], ApiCase] = {
    ("TaskIn", "assignee_id"): NEW_TASK(PERSON),
    ("TaskIn", "milestone"): NEW_TASK(MILESTONE_KEY),
    ("TaskIn", "parent"): NEW_TASK(TASK_KEY),
    ("TaskIn", "requirements"): NEW_TASK(listed(REQUIREMENT_KEY)),
    ("TaskPatch", "assignee_id"): TASK_PATCH(PERSON),
    ("TaskPatch", "milestone"): TASK_PATCH(MILESTONE_KEY),
    ("TaskPatch", "parent"): TASK_PATCH(TASK_KEY),
    ("TaskPatch", "requirements"): TASK_PATCH(listed(REQUIREMENT_KEY)),
    ("DependencyIn", "predecessor"): _dependency("predecessor"),
    ("DependencyIn", "successor"): _dependency("successor"),
    ("RequirementIn", "owner_id"): NEW_REQUIREMENT(PERSON),
    ("RequirementIn", "parent"): NEW_REQUIREMENT(REQUIREMENT_KEY),
    ("RequirementPatch", "owner_id"): REQUIREMENT_PATCH(PERSON),
    ("RequirementPatch", "parent"): REQUIREMENT_PATCH(REQUIREMENT_KEY),
    ("ChangeIn", "owner_id"): NEW_CHANGE(PERSON),
    ("ChangeIn", "requirements"): NEW_CHANGE(listed(REQUIREMENT_KEY)),
    ("ChangeIn", "milestones"): NEW_CHANGE(listed(MILESTONE_KEY)),
    ("ChangeIn", "tasks"): NEW_CHANGE(listed(TASK_KEY)),
    ("ChangeIn", "schedule_changes"): NEW_CHANGE(
        lambda e: [{"task": e.task.key, "start": "2027-01-04", "due": "2027-01-15"}]
    ),
    ("ChangeIn", "milestone_changes"): NEW_CHANGE(
        lambda e: [{"milestone": e.milestone.key, "due": "2027-01-15"}]
    ),
    ("ChangePatch", "owner_id"): CHANGE_PATCH(PERSON),
    ("ChangePatch", "requirements"): CHANGE_PATCH(listed(REQUIREMENT_KEY)),
    ("ChangePatch", "milestones"): CHANGE_PATCH(listed(MILESTONE_KEY)),
    ("ChangePatch", "tasks"): CHANGE_PATCH(listed(TASK_KEY)),
    ("ChangePatch", "schedule_changes"): CHANGE_PATCH(
        lambda e: [{"task": e.task.key, "start": "2027-01-04", "due": "2027-01-15"}]
    ),
    ("ChangePatch", "milestone_changes"): CHANGE_PATCH(
        lambda e: [{"milestone": e.milestone.key, "due": "2027-01-15"}]
    ),
    ("InteractionIn", "participants"): NEW_INTERACTION(listed(PERSON)),
    ("InteractionIn", "requirements"): NEW_INTERACTION(listed(REQUIREMENT_KEY)),
    ("InteractionIn", "plan_item"): NEW_INTERACTION(PLAN_ITEM_PK),
    ("InteractionPatch", "participants"): INTERACTION_PATCH(listed(PERSON)),
    ("InteractionPatch", "requirements"): INTERACTION_PATCH(listed(REQUIREMENT_KEY)),
    ("InteractionPatch", "plan_item"): INTERACTION_PATCH(PLAN_ITEM_PK),
    ("ActionItemIn", "owner_id"): NEW_ACTION(PERSON),
    ("ActionItemIn", "interaction"): NEW_ACTION(INTERACTION_KEY),
    ("ActionItemPatch", "owner_id"): ACTION_PATCH(PERSON),
    ("ActionItemPatch", "interaction"): ACTION_PATCH(INTERACTION_KEY),
    ("PlanItemIn", "owner_id"): NEW_PLAN_ITEM(PERSON),
    ("PlanItemPatch", "owner_id"): PLAN_ITEM_PATCH(PERSON),
    ("RiskIn", "owner_id"): NEW_RISK(PERSON),
    ("RiskIn", "requirements"): NEW_RISK(listed(REQUIREMENT_KEY)),
    ("RiskIn", "milestones"): NEW_RISK(listed(MILESTONE_KEY)),
    ("RiskIn", "tasks"): NEW_RISK(listed(TASK_KEY)),
    ("RiskIn", "changes"): NEW_RISK(listed(CHANGE_KEY)),
    ("RiskPatch", "owner_id"): RISK_PATCH(PERSON),
    ("RiskPatch", "requirements"): RISK_PATCH(listed(REQUIREMENT_KEY)),
    ("RiskPatch", "milestones"): RISK_PATCH(listed(MILESTONE_KEY)),
    ("RiskPatch", "tasks"): RISK_PATCH(listed(TASK_KEY)),
    ("RiskPatch", "changes"): RISK_PATCH(listed(CHANGE_KEY)),
    ("IssueIn", "requirement"): NEW_ISSUE(REQUIREMENT_KEY),
    ("IssueIn", "milestone"): NEW_ISSUE(MILESTONE_KEY),
    ("IssueIn", "task"): NEW_ISSUE(TASK_KEY),
    ("IssueIn", "owner_id"): NEW_ISSUE(PERSON),
    ("IssueIn", "raised_by_id"): NEW_ISSUE(PERSON),
    ("IssuePatch", "requirement"): ISSUE_PATCH(REQUIREMENT_KEY),
    ("IssuePatch", "milestone"): ISSUE_PATCH(MILESTONE_KEY),
    ("IssuePatch", "task"): ISSUE_PATCH(TASK_KEY),
    ("IssuePatch", "owner_id"): ISSUE_PATCH(PERSON),
    ("ContingencyPlanIn", "steps"): PLAN_PUT,
    ("QualityCheckIn", "milestone"): NEW_CHECK(MILESTONE_KEY),
    ("QualityCheckIn", "standard_id"): NEW_CHECK(STANDARD_PK),
    ("QualityCheckIn", "checked_by_id"): NEW_CHECK(PERSON),
    ("QualityCheckPatch", "milestone"): CHECK_PATCH(MILESTONE_KEY),
    ("QualityCheckPatch", "standard_id"): CHECK_PATCH(STANDARD_PK),
    ("QualityCheckPatch", "checked_by_id"): CHECK_PATCH(PERSON),
    ("UatRoundIn", "milestone"): _post("/uat-rounds")(MILESTONE_KEY),
    ("TimeEntryIn", "task"): _post("/time-entries", day="2026-11-16", hours="2")(TASK_KEY),
    # The manager records a team member's time: the own project's person is taken.
    ("TimeEntryIn", "person_id"): _post("/time-entries", day="2026-11-16", hours="2")(PERSON),
    ("TimerStartIn", "task"): _post("/timer")(TASK_KEY),
    ("TimeEntryPatch", "task"): _patch(
        lambda own: f"/time-entries/{own.time_entry.pk}", lambda own: own.time_entry
    )(TASK_KEY),
    ("TimesheetRejectIn", "entry_ids"): ApiCase(
        "POST",
        lambda own: f"{OWN_API}/timesheets/{own.timesheet.pk}/reject-entries",
        lambda own: {"version": own.timesheet.version, "reason": "Split the day"},
        listed(lambda e: e.time_entry.pk),
    ),
    # The organization's clients and staff are the right choices (see FORM_CASES).
    ("ProjectIn", "manager_id"): _with(NEW_PROJECT, sides=(FOREIGN,), as_owner=True),
    ("ProjectIn", "client_id"): _with(NEW_PROJECT, value=CLIENT, sides=(FOREIGN,), as_owner=True),
    ("ProjectIn", "organization"): _with(
        NEW_PROJECT, value=lambda e: e.project.organization.slug, sides=(FOREIGN,), as_owner=True
    ),
    ("ProjectPatch", "manager_id"): PROJECT_PATCH(PERSON, sides=(FOREIGN,), as_owner=True),
    ("ProjectPatch", "client_id"): PROJECT_PATCH(CLIENT, sides=(FOREIGN,), as_owner=True),
}
# Documents: a folder's parent, a document's folder and owner.
DOCUMENT_PATCH = _patch(lambda own: f"/documents/{own.document.key}", lambda own: own.document)
API_CASES[("DocumentFolderIn", "parent_id")] = _post("/document-folders", name="New one")(FOLDER_PK)
API_CASES[("DocumentPatch", "folder_id")] = DOCUMENT_PATCH(FOLDER_PK)
API_CASES[("DocumentPatch", "owner_id")] = DOCUMENT_PATCH(PERSON)
# A milestone's deliverable: a document key of another project is none of this one's.
API_CASES[("DocumentDeliverableIn", "document")] = ApiCase(
    "POST",
    lambda own: f"{OWN_API}/milestones/{own.milestone.key}/deliverables",
    lambda own: {},
    DOCUMENT_KEY,
)
# Money: a rate's person and organization are the organization's (the same
# organization's other staff are the right choices), as the org owner.
RATE_BODY = {"currency": "CNY", "cost_rate": "1", "bill_rate": "2", "effective_from": "2026-12-01"}
API_CASES[("RateIn", "person_id")] = ApiCase(
    "POST", lambda own: "/api/v1/rates", lambda own: dict(RATE_BODY), PERSON, (FOREIGN,), True
)
API_CASES[("RateIn", "organization")] = ApiCase(
    "POST",
    lambda own: "/api/v1/rates",
    lambda own: {**RATE_BODY, "role": "member"},
    lambda e: e.project.organization.slug,
    (FOREIGN,),
    True,
)

# MarkReadIn.ids (notifications) is a bulk action: test_bulk_actions_touch_only_ones_own.
# UatResultsIn.results names every case of the round (the client's only operation):
# controls' test_a_case_of_another_round_is_refused.
BULK_PROPERTIES = {("MarkReadIn", "ids"), ("UatResultsIn", "results")}

# Names that are never a reference, in any request schema. A name here that
# looks like one (…_id, …key) fails the guard.
API_PLAIN = {
    "acceptance_criteria", "active", "agenda", "all", "audience", "body", "channel",
    "client_visible", "comment", "concerns", "confirm", "cost", "cost_visible", "code",
    "criteria", "currency", "decisions", "deliverables", "description", "display_name",
    "due_date", "duration_minutes", "effort_hours", "email", "end_date", "estimate_hours",
    "events", "external_participants", "feasibility", "format", "frequency", "health",
    "kind", "lag_days", "language", "minutes", "name", "next_steps", "note", "occurred_at",
    "order", "password", "period", "period_start", "priority", "progress", "purpose",
    "reason", "risk_impact", "risk_level", "role", "scope_impact", "secret", "source",
    "source_ref", "start_date", "starts_on", "status", "subject", "summary", "tags",
    "title", "url", "value", "version",
    # a project's setting: the portal shows its health
    "share_health",
    # risks
    "affects_cost", "affects_quality", "affects_schedule", "affects_scope", "category", "cause",
    "contingency_actions", "effect", "event", "impact", "internal_notes", "next_review_date",
    "preventive_actions", "probability", "residual_impact", "residual_probability",
    "share_residual", "strategy", "trigger",
    # issues
    "severity", "steps", "found_in", "blocked", "our_position", "agreed_outcome", "root_cause",
    "solution",
    # quality
    "criterion", "method", "checked_on", "result", "notes", "findings",
    # time
    "day", "hours", "billable",
    # money (a budget's lines are kinds, roles, hours and amounts)
    "amount", "lines", "pricing", "share_with_client", "total", "start",
    "end", "expected_total", "reference", "bill_rate", "cost_rate", "effective_from",
    # people and capacity
    "hours_per_week", "working_weekdays",
    # the glossary
    "term", "term_zh", "definition", "definition_zh", "aliases",
    # documents: a version's number of the document in the path, the note to the client
    "number", "message", "client_uploads", "file",
    # the client's decision on a review: approve or changes
    "decision",
}  # fmt: skip

# -- list filters ---------------------------------------------------------------------


@dataclass(frozen=True)
class FilterCase:
    pages: tuple[str, ...]  # URL names (kwargs: code, unless `unbound`)
    api: tuple[str, ...]  # API paths under OWN
    param: str
    value: Value
    unbound: bool = False  # the page takes no project code


# (filter dataclass, field) → the pages and API lists that read it.
FILTER_CASES: dict[tuple[str, str], FilterCase] = {
    ("TaskFilters", "assignee"): FilterCase(
        ("planning:tasks", "planning:board"), ("/tasks",), "assignee", PERSON
    ),
    ("TaskFilters", "milestone"): FilterCase(
        ("planning:tasks", "planning:board"), ("/tasks",), "milestone", MILESTONE_KEY
    ),
    ("GanttFilters", "assignee"): FilterCase(("planning:gantt",), ("/gantt",), "assignee", PERSON),
    ("GanttFilters", "milestone"): FilterCase(
        ("planning:gantt",), ("/gantt",), "milestone", MILESTONE_KEY
    ),
    ("InteractionFilters", "participant"): FilterCase(
        ("communication:interactions",), ("/interactions",), "participant", PERSON
    ),
    ("ActionItemFilters", "owner"): FilterCase(
        ("communication:action-items",), ("/action-items",), "owner", PERSON
    ),
    ("RiskFilters", "owner"): FilterCase(("controls:risks",), ("/risks",), "owner", PERSON),
    ("IssueFilters", "owner"): FilterCase(("controls:issues",), ("/issues",), "owner", PERSON),
    ("TimeEntryFilters", "person"): FilterCase((), ("/time-entries",), "person", PERSON),
    ("ProjectFilters", "client"): FilterCase(("projects:list",), (), "client", CLIENT, True),
    ("ProjectFilters", "manager"): FilterCase(("projects:list",), (), "manager", PERSON, True),
    ("DocumentFilters", "folder"): FilterCase(
        ("documents:list",), ("/documents",), "folder", FOLDER_PK
    ),
}
FILTER_PLAIN = {
    "q", "status", "sort", "kind", "priority", "tag", "origin", "overdue", "archived", "scale",
    "start", "end", "collapsed", "date_from", "date_to", "weeks",
    "category", "band", "review", "probability", "impact",  # risks: choices and 1–5
    "severity", "client", "blocked",  # issues
    "since", "until",  # time entries: days
    "show",  # people: everyone, over or free next month
    "due",  # the board's quick filter: due this week
}  # fmt: skip
# The API's query parameters that are no filter field of a dataclass, and why.
QUERY_PLAIN = {
    "limit": "paging", "offset": "paging", "version": "the row's version",
    "from": "GanttFilters.start / InteractionFilters.date_from", "to": "…end / date_to",
    "unread": "the user's own notifications", "a": "a baseline number of the project",
    "b": "a baseline number of the project",
    "week": "a day (the person's own timesheet of its week)",
    "organization": "the slug of one of the user's own organizations (rates, people)",
    "format": "json or csv (the invoicing export)",
    "project": "a project's code, among those access.search_scope gives (the search)",
}  # fmt: skip

# -- ids in URLs ----------------------------------------------------------------------

# A URL's or API path's `…_id` parameter → the other project's row it names.
# (Keys and numbers in URLs are looked up in the project of the code beside
# them: another project's T-3 is, under OWN's code, OWN's T-3 or nothing.)
PATH_IDS: dict[str, Value] = {
    "attachment_id": lambda e: e.attachment.pk,
    "item_id": PLAN_ITEM_PK,
    "membership_id": lambda e: e.membership.pk,
    "member_id": lambda e: e.membership.pk,
    "dependency_id": lambda e: e.dependency.pk,
    "webhook_id": lambda e: e.webhook.pk,
    "token_id": lambda e: e.token_id,
    "job_id": lambda e: e.import_job.pk,
    "standard_id": STANDARD_PK,
    "finding_id": lambda e: e.quality_finding.pk,
    "case_id": lambda e: e.uat_case.pk,
    "client_id": CLIENT,
    "mail_id": lambda e: e.mail.pk,
    "entry_id": lambda e: e.time_entry.pk,
    "timesheet_id": lambda e: e.time_entry.timesheet_id,
    "rate_id": lambda e: e.rate.pk,
    "term_id": lambda e: Term.objects.create(project=e.project, term=SECRET, definition=SECRET).pk,
    "folder_id": FOLDER_PK,
    "review_id": lambda e: e.document_review.pk,
    "version_id": lambda e: e.document_review.version_id,
    "deliverable_id": lambda e: (
        Deliverable.objects.create(
            project=e.project, milestone=e.milestone, version=e.document_review.version
        ).pk
    ),
    # people and capacity: the other project's person, and a day off of theirs
    "user_id": lambda e: e.person.pk,
    "time_off_id": lambda e: (
        TimeOff.objects.create(
            organization_id=e.project.organization_id,
            user=e.person,
            start_date=dt.date(2027, 1, 4),
            end_date=dt.date(2027, 1, 4),
        ).pk
    ),
}
# Organization-wide rows: the same organization's are the org admin's to edit.
PATH_ID_SIDES = {
    "client_id": (FOREIGN,),
    "mail_id": (FOREIGN,),
    # a person of the organization and their time off are the org admin's to see
    "user_id": (FOREIGN,),
    "time_off_id": (FOREIGN,),
    "rate_id": (FOREIGN,),
}

# An operation whose body the usual {"version": 1, "role": "observer"} would not
# satisfy: a valid body, so that the 404 is the id's scoping, not the body's shape.
PATH_ID_BODIES: dict[str, dict[str, Any]] = {
    "POST /api/v1/projects/{code}/document-reviews/{review_id}/decision": {"decision": "approve"},
    "PUT /api/v1/people/{user_id}/capacity": {"hours_per_week": 30, "version": 1},
    "POST /api/v1/people/{user_id}/time-off": {
        "start_date": "2027-01-04",
        "end_date": "2027-01-04",
    },
}

# -- what views read from the request themselves --------------------------------------


@dataclass(frozen=True)
class ReadCase:
    url: str  # a URL name; kwargs: code unless `unbound`, and `key` of Own's row if `of`
    value: Value
    method: str = "GET"
    of: Callable[[Own], str] | None = None
    unbound: bool = False
    status: int = 200  # what the other project's row gets
    sides: tuple[str, ...] = SIDES


# A name a view reads from request.GET / request.POST outside a form or a
# filter class → how to send it another project's row.
READ_CASES: dict[str, ReadCase] = {
    "milestone": ReadCase("planning:task-create", MILESTONE_KEY),  # the new task's milestone
    "parent": ReadCase("planning:task-create", TASK_KEY),  # its parent, typed in
    "interaction": ReadCase("communication:action-item-create", INTERACTION_KEY),
    "schedule": ReadCase("changes:impact", SCHEDULE_LINE, of=lambda own: own.change.key),
    "milestones": ReadCase("changes:impact", MILESTONE_LINE, of=lambda own: own.change.key),
    "organization": ReadCase(
        "projects:organization-switch",
        lambda e: e.project.organization_id,
        method="POST",
        unbound=True,
        status=404,
        sides=(FOREIGN,),  # one's own organization is the one to switch to
    ),
    "standard": ReadCase("controls:quality-check-create", STANDARD_PK),  # the new check's
    "task": ReadCase("finance:time-log", TASK_KEY),  # the key typed in, as it was sent
    "person": ReadCase("finance:timesheet", PERSON, status=404),  # whose week the manager reads
    # the document delivered with the own milestone, typed as its key
    "document": ReadCase(
        "documents:milestone-deliver",
        DOCUMENT_KEY,
        method="POST",
        of=lambda own: own.milestone.key,
        status=302,
    ),
    "id": ReadCase(  # the notifications to mark read: test_bulk_actions_touch_only_ones_own
        "collab:notifications-read", lambda e: e.notification.pk, "POST", unbound=True, status=302
    ),
}
READ_PLAIN = {
    "version", "comments", "status", "next", "comment", "decision", "what", "token", "note",
    "language", "start_date", "due_date", "daily_digest", "confirm", "per_page", "page",
    "format", "effort_hours", "cost", "channel-{kind}",
    "round",  # the review round of the milestone in the URL
    "direction",  # a quality standard or a contingency step moves up or down
    "a", "b",  # baseline numbers, looked up in the project of the URL
    "source", "kind", "line",  # a risk's action line: choices and an index into the risk's own
    "q",  # the glossary's search words
    "client_visible",  # a document shared or not
    "number",  # a version's number of the document named beside it
    "after", "successor",  # a task's key, looked up in the URL's project (board move, Gantt link)
    "weeks",  # the Gantt's PDF: weeks on a page
    # a board drop's swimlanes (a choice) and lane (a person or milestone id):
    # another project's refused, test_board_lanes.test_a_refused_lane_change_says_why_on_the_board
    "lanes", "lane",
}  # fmt: skip
