"""API schemas of quality: the plan's standards, checks with their findings,
UAT rounds with their cases, and what the writes take."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from liaison.controls.models import Issue, QualityCheck, UatCase, UatRound
from liaison.core.schemas import OneOf, UserRef

CheckKind = Annotated[str, OneOf(QualityCheck.Kind)]
CheckResult = Annotated[str, OneOf(QualityCheck.Result)]
RoundStatus = Annotated[str, OneOf(UatRound.Status)]
CaseResultValue = Annotated[str, OneOf(UatCase.Result)]
CaseOutcome = Annotated[str, OneOf(UatCase.Result, also=("",))]
DefectSeverity = Annotated[str, OneOf(Issue.Severity, also=("",))]
VERSION = Field(..., description="The version you read; a stale one answers 409.")


class QualityStandardOut(Schema):
    id: int
    position: int = Field(..., description="Its place in the plan, from 1.")
    title: str
    criterion: str = Field(..., description="What “good” means.")
    method: str = Field(..., description="How it is checked.")
    version: int


class QualityStandardIn(Schema):
    title: str = Field(..., max_length=200)
    criterion: str = Field("", max_length=20_000)
    method: str = Field("", max_length=20_000)


class QualityStandardPatch(Schema):
    version: int = VERSION
    title: str | None = Field(None, max_length=200)
    criterion: str | None = Field(None, max_length=20_000)
    method: str | None = Field(None, max_length=20_000)


class QualityFindingOut(Schema):
    id: int
    text: str
    issue: str | None = Field(..., description="The key of the issue it opened (ISS-n).")

    @staticmethod
    def resolve_issue(finding) -> str | None:
        return finding.issue.key if finding.issue else None


class QualityCheckListItem(Schema):
    number: int = Field(..., description="QC-1, QC-2… per project: the number.")
    kind: CheckKind
    standard_id: int | None
    milestone: str | None = Field(..., description="The milestone's key.")
    checked_on: datetime.date
    checked_by: UserRef | None
    result: CheckResult
    notes: str
    client_visible: bool = Field(..., description="Counted in the client's status report.")
    findings_count: int
    version: int

    @staticmethod
    def resolve_milestone(check: QualityCheck) -> str | None:
        return check.milestone.key if check.milestone else None

    @staticmethod
    def resolve_findings_count(check: QualityCheck) -> int:
        # The list counts them in its query; one check holds them.
        count: int | None = getattr(check, "findings_count", None)
        return len(check.finding_rows) if count is None else count


class QualityCheckOut(QualityCheckListItem):
    findings: list[QualityFindingOut]

    @staticmethod
    def resolve_findings(check: QualityCheck) -> list:
        return check.finding_rows


class QualityCheckIn(Schema):
    kind: CheckKind = "review"
    standard_id: int | None = None
    milestone: str | None = Field(None, max_length=20, description="A milestone's key.")
    checked_on: datetime.date
    checked_by_id: int | None = Field(None, description="A manager or member; you by default.")
    result: CheckResult
    notes: str = Field("", max_length=20_000)
    client_visible: bool = False
    findings: str = Field("", max_length=50_000, description="One finding per line.")


class QualityCheckPatch(Schema):
    version: int = VERSION
    kind: CheckKind | None = None
    standard_id: int | None = None
    milestone: str | None = Field(None, max_length=20)
    checked_on: datetime.date | None = None
    checked_by_id: int | None = None
    result: CheckResult | None = None
    notes: str | None = Field(None, max_length=20_000)
    client_visible: bool | None = None


class UatCaseOut(Schema):
    id: int
    position: int
    title: str
    steps: str
    requirement: str | None = Field(..., description="The key of the requirement it tests.")
    result: CaseOutcome = Field(..., description="Empty until the client submits.")
    note: str
    defect: str | None = Field(..., description="The key of the defect a failure raised.")

    @staticmethod
    def resolve_requirement(case: UatCase) -> str | None:
        return case.requirement.key if case.requirement else None

    @staticmethod
    def resolve_defect(case: UatCase) -> str | None:
        return case.issue.key if case.issue else None


class UatRoundListItem(Schema):
    key: str = Field(..., description="UAT-1, UAT-2… per project.")
    number: int
    title: str
    milestone: str = Field(..., description="The milestone's key.")
    status: RoundStatus
    opened_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    passed_count: int
    failed_count: int
    version: int

    @staticmethod
    def resolve_milestone(round_: UatRound) -> str:
        return round_.milestone.key


class UatRoundOut(UatRoundListItem):
    submitted_by: UserRef | None
    cases: list[UatCaseOut]

    @staticmethod
    def resolve_cases(round_: UatRound) -> list:
        return round_.case_rows


class UatRoundIn(Schema):
    milestone: str = Field(..., max_length=20, description="The key of a client-visible milestone.")
    title: str = Field("", max_length=200)


class UatRoundOpenIn(Schema):
    version: int = VERSION


class UatCaseResultIn(Schema):
    case: int = Field(..., description="The case's id.")
    result: CaseResultValue
    note: str = Field("", max_length=5_000)
    severity: DefectSeverity = Field("", description="A failure's defect; major when empty.")


class UatResultsIn(Schema):
    version: int = VERSION
    results: list[UatCaseResultIn] = Field(..., max_length=200)
