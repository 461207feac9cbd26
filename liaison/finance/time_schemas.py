"""API schemas of time: entries, a week's timesheet, a running timer, and
what the writes take."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from liaison.core.schemas import OneOf, UserRef
from liaison.finance.models import EntryStatus, TimeEntry

TimeStatus = Annotated[str, OneOf(EntryStatus)]
VERSION = Field(..., description="The version you read; a stale one answers 409.")
HOURS = Field(
    ..., gt=0, le=24, max_digits=4, decimal_places=2, description="More than 0, at most 24."
)


class TimeEntryOut(Schema):
    id: int
    person: UserRef
    day: datetime.date
    hours: Decimal
    task: str | None = Field(..., description="The task's key; none for project work.")
    billable: bool
    note: str
    status: TimeStatus
    reject_reason: str = Field(..., description="Why the manager sent it back.")
    week: datetime.date = Field(..., description="The Monday of its week.")
    started_at: datetime.datetime | None = Field(..., description="When a timer logged it.")
    ended_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_task(entry: TimeEntry) -> str | None:
        return entry.task.key if entry.task_id and entry.task else None

    @staticmethod
    def resolve_week(entry: TimeEntry) -> datetime.date:
        return entry.day - datetime.timedelta(days=entry.day.weekday())


class TimeEntryIn(Schema):
    day: datetime.date
    hours: Decimal = HOURS
    task: str | None = Field(None, max_length=20, description="A task's key (T-n) of the project.")
    billable: bool = True
    note: str = Field("", max_length=500)
    person_id: int | None = Field(
        None,
        description="A team member's time, which a manager of the project records for them "
        "(400 `not_manager` for anyone else, `not_member` for a person not of the team).",
    )


class TimeEntryPatch(Schema):
    version: int = VERSION
    day: datetime.date | None = None
    hours: Decimal | None = Field(None, gt=0, le=24, max_digits=4, decimal_places=2)
    task: str | None = Field(None, max_length=20, description='A task\'s key; "" for project work.')
    billable: bool | None = None
    note: str | None = Field(None, max_length=500)


class TimesheetListItem(Schema):
    id: int
    person: UserRef
    week: datetime.date
    status: TimeStatus
    submitted_at: datetime.datetime | None
    total: Decimal = Field(..., description="The week's hours.")
    version: int


class TimesheetOut(Schema):
    id: int | None = Field(..., description="None while the week has no entry.")
    person: UserRef
    week: datetime.date
    status: TimeStatus
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    total: Decimal
    entries: list[TimeEntryOut]
    version: int = Field(..., description="0 while the week has no entry.")


class TimesheetVersionIn(Schema):
    version: int = VERSION


class TimesheetRejectIn(Schema):
    version: int = VERSION
    entry_ids: list[int] = Field(
        default_factory=list, max_length=200, description="Entries of the week waiting in it."
    )
    reason: str = Field("", max_length=500, description="Required: 400 `reason_required`.")


class TimerOut(Schema):
    project: str = Field(..., description="The project's code.")
    task: str | None = Field(..., description="The task's key; none for project work.")
    note: str
    billable: bool
    started_at: datetime.datetime
    elapsed_seconds: int
    hours: Decimal = Field(..., description="What stopping it now logs (rounded up, 0.25 h).")


class CurrentTimerOut(Schema):
    timer: TimerOut | None = Field(..., description="None when no timer runs.")


class TimerStartIn(Schema):
    task: str | None = Field(None, max_length=20, description="A task's key (T-n) of the project.")
    note: str = Field("", max_length=500)
    billable: bool = True
