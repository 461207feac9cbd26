"""API schemas of requirements: a requirement, and the baselines its client signs."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from liaison.core.schemas import OneOf, UserRef
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.selectors import SORTS

Kind = Annotated[str, OneOf(Requirement.Kind)]
Source = Annotated[str, OneOf(Requirement.Source)]
Priority = Annotated[str, OneOf(Requirement.Priority)]
RequirementStatus = Annotated[str, OneOf(Requirement.Status)]
BaselineStatus = Annotated[str, OneOf(Baseline.Status)]


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
        return requirement.parent.key if requirement.parent else None


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
