"""API schemas of projects: a project, its members, and who is signed in."""

import datetime

from ninja import Field, Schema

from liaison.core.schemas import UserRef


class ClientRef(Schema):
    id: int
    name: str


class ProjectOut(Schema):
    code: str
    name: str
    client: ClientRef
    manager: UserRef
    start_date: datetime.date | None
    end_date: datetime.date | None
    status: str
    currency: str
    description: str
    archived: bool = Field(..., alias="is_archived")
    share_health: bool = Field(
        ..., description="Whether the client's portal shows the latest report's health and why."
    )
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ProjectIn(Schema):
    code: str
    name: str
    client_id: int
    manager_id: int | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    status: str = "proposed"
    currency: str = "CNY"
    description: str = ""
    organization: str | None = Field(
        None, description="Organization slug; needed only when you belong to several."
    )


class ProjectPatch(Schema):
    version: int
    name: str | None = None
    client_id: int | None = None
    manager_id: int | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    status: str | None = None
    currency: str | None = None
    description: str | None = None
    share_health: bool | None = None


class MemberOut(Schema):
    id: int
    user: UserRef
    role: str
    version: int


class MemberInvite(Schema):
    email: str
    role: str
    display_name: str = ""
    language: str = Field(
        "",
        description="The invitation's language (en, zh-hans), and a new person's preference. "
        "Empty: the client company's for a client, else yours.",
    )
    confirm: bool = Field(
        False,
        description="Needed for a team role when the person is not on your team yet or their "
        "address is at the client company's domain; without it: 400, code confirm_team_role.",
    )


class MemberPatch(Schema):
    role: str
    version: int


class MeOut(UserRef):
    language: str
    time_zone: str
    is_client: bool


# -- people and capacity ---------------------------------------------------------


class CapacityTimeOffOut(Schema):
    id: int
    start_date: datetime.date
    end_date: datetime.date
    note: str


class CapacityOut(Schema):
    """A person's working week in the organization and their recent and coming time off."""

    user_id: int = Field(..., alias="person.pk")
    hours_per_week: int
    working_weekdays: str = Field(..., description="Python weekdays worked: 0 Monday … 6 Sunday.")
    version: int = Field(..., description="1 while the person has the defaults.")
    time_off: list[CapacityTimeOffOut]


class CapacityIn(Schema):
    hours_per_week: int = Field(..., ge=0, le=168)
    working_weekdays: str = Field("01234", max_length=7)
    version: int


class CapacityTimeOffIn(Schema):
    start_date: datetime.date
    end_date: datetime.date
    note: str = Field("", max_length=200)
