"""API schemas of issues: an issue, its escalation steps, the filters of the
list, and what the writes take."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from liaison.controls.models import Issue, IssueEscalation
from liaison.core.schemas import OneOf, UserRef

IssueStatus = Annotated[str, OneOf(Issue.Status)]
IssueStatusFilter = Annotated[str, OneOf(Issue.Status, also=("active", "all"))]
IssueKind = Annotated[str, OneOf(Issue.Kind)]
Severity = Annotated[str, OneOf(Issue.Severity)]
IssuePriority = Annotated[str, OneOf(Issue.Priority)]
EscalationReason = Annotated[str, OneOf(IssueEscalation.Reason)]
VERSION = Field(..., description="The version you read; a stale one answers 409.")


class IssueListItem(Schema):
    key: str = Field(..., description="ISS-1, ISS-2… per project.")
    title: str
    kind: IssueKind
    severity: Severity
    priority: IssuePriority
    status: IssueStatus
    owner: UserRef | None
    due_date: datetime.date | None
    is_overdue: bool = Field(..., description="Open or in progress, and past its due date.")
    blocked: bool
    client_visible: bool
    raised_by_client: bool
    escalation_level: int = Field(..., description="0: not escalated.")
    reopen_count: int
    version: int


class IssueEscalationOut(Schema):
    level: int
    title: str = Field(..., description="The level's role, e.g. the delivery head.")
    person: UserRef | None
    reason: EscalationReason
    note: str
    by: UserRef | None = Field(..., description="null: the daily job escalated it.")
    created_at: datetime.datetime


class IssueOut(IssueListItem):
    description: str = Field(..., description="Markdown.")
    steps: str = Field(..., description="Steps to reproduce (markdown).")
    requirement: str | None = Field(..., description="The key of the requirement it was found in.")
    milestone: str | None
    task: str | None
    found_in: str = Field(..., description="Where else it was found, in words.")
    raised_by: UserRef | None
    root_cause: str
    solution: str
    resolved_at: datetime.datetime | None
    verified_at: datetime.datetime | None
    verified_by: UserRef | None
    closed_at: datetime.datetime | None
    reopen_reason: str
    escalations: list[IssueEscalationOut]
    our_position: str = Field(..., description="A dispute: the team's position.")
    client_position: str = Field(..., description="A dispute: the client's, from the portal.")
    agreed_outcome: str
    confirmed_at: datetime.datetime | None = Field(
        ..., description="When the client confirmed the agreed outcome."
    )
    confirmed_name: str = Field(..., description="The full name the client typed.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_requirement(issue: Issue) -> str | None:
        return issue.requirement.key if issue.requirement else None

    @staticmethod
    def resolve_milestone(issue: Issue) -> str | None:
        return issue.milestone.key if issue.milestone else None

    @staticmethod
    def resolve_task(issue: Issue) -> str | None:
        return issue.task.key if issue.task else None

    @staticmethod
    def resolve_escalations(issue: Issue) -> list[IssueEscalation]:
        return list(issue.escalations.select_related("person", "by").order_by("level"))


class IssueQuery(Schema):
    status: IssueStatusFilter = Field(
        "active", description="A status, `active` (open or in progress) or `all`."
    )
    kind: IssueKind | None = None
    severity: Severity | None = None
    owner: int | None = Field(None, description="Only this user's issues.")
    client: bool = Field(False, description="Only those the client raised.")
    overdue: bool = Field(False, description="Only open ones past their due date.")
    blocked: bool = False
    q: str = Field("", description="Words in the title, or an exact key.")


class IssueIn(Schema):
    title: str
    kind: IssueKind = Issue.Kind.PROBLEM.value
    severity: Severity = Issue.Severity.MAJOR.value
    priority: IssuePriority = Issue.Priority.NORMAL.value
    description: str = ""
    steps: str = ""
    requirement: str | None = Field(None, description="A requirement key of this project.")
    milestone: str | None = Field(None, description="A milestone key of this project.")
    task: str | None = Field(None, description="A task key of this project.")
    found_in: str = Field("", description="Where else, in words (at most 200 characters).")
    raised_by_id: int | None = Field(
        None, description="Who raised it, if not you: a member or client contact of the project."
    )
    owner_id: int | None = Field(None, description="A manager or member of the project.")
    due_date: datetime.date | None = None
    blocked: bool = False
    client_visible: bool = Field(
        False, description="Always true when a client raised it, and for a dispute."
    )
    our_position: str = ""


class IssuePatch(Schema):
    version: int = VERSION
    title: str | None = None
    kind: IssueKind | None = None
    severity: Severity | None = None
    priority: IssuePriority | None = None
    description: str | None = None
    steps: str | None = None
    requirement: str | None = Field(None, description="A key; null unlinks it.")
    milestone: str | None = Field(None, description="A key; null unlinks it.")
    task: str | None = Field(None, description="A key; null unlinks it.")
    found_in: str | None = None
    owner_id: int | None = Field(None, description="null removes the owner.")
    due_date: datetime.date | None = Field(None, description="null removes the due date.")
    blocked: bool | None = None
    client_visible: bool | None = None
    our_position: str | None = None
    agreed_outcome: str | None = Field(
        None, description="A dispute's agreed outcome (managers); the client then confirms it."
    )


class IssueTransitionIn(Schema):
    status: IssueStatus = Field(
        ...,
        description="in_progress, open (stop work, or reopen with a reason), resolved (with "
        "the root cause and the solution), verified (only whoever raised it), closed.",
    )
    version: int = VERSION
    root_cause: str | None = Field(None, description="To resolve, unless already saved.")
    solution: str | None = Field(None, description="To resolve, unless already saved.")
    reason: str = Field("", description="Why it is reopened: required to reopen.")


class IssueEscalateIn(Schema):
    note: str = Field("", description="What the next level should know (2,000 characters).")
