"""API schemas of communication: interactions, action items, the communication
plan, and a person's notifications."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from liaison.accounts.models import User
from liaison.collab.models import Notification
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction, Kind
from liaison.communication.selectors.interactions import PARTICIPANTS, REQUIREMENTS
from liaison.core.schemas import OneOf, UserRef

InteractionKind = Annotated[str, OneOf(Kind)]
ActionStatus = Annotated[str, OneOf(ActionItem.Status)]
Frequency = Annotated[str, OneOf(CommunicationPlanItem.Frequency)]
ActionStatusOrAll = Annotated[str, OneOf(ActionItem.Status, also=("all",))]


# -- interactions ---------------------------------------------------------------


class ExternalParticipant(Schema):
    name: str = Field("", description="How the person is called.")
    email: str = Field("", description="An e-mail address, or empty.")


class InteractionOut(Schema):
    key: str = Field(..., description="COM-1, COM-2… per project.")
    kind: InteractionKind
    subject: str
    occurred_at: datetime.datetime = Field(..., description="When it took place (or starts).")
    duration_minutes: int | None
    channel: str = Field(..., description="Where or how: a room, a call link, a chat group.")
    participants: list[UserRef] = Field(..., description="Project members who took part.")
    external_participants: list[ExternalParticipant] = Field(
        ..., description="People without an account."
    )
    agenda: str = Field(..., description="Markdown.")
    minutes: str = Field(..., description="Markdown.")
    decisions: list[str]
    requirements: list[str] = Field(..., description="Keys of the requirements it produced.")
    plan_item: int | None = Field(None, description="The communication plan item it keeps.")
    client_visible: bool
    created_by: UserRef | None
    agenda_sent_at: datetime.datetime | None
    minutes_sent_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    # The API's interactions come with these lists (communication.selectors.interactions).
    @staticmethod
    def resolve_participants(interaction: Interaction) -> list[User]:
        people: list[User] = getattr(interaction, PARTICIPANTS)
        return people

    @staticmethod
    def resolve_requirements(interaction: Interaction) -> list[str]:
        return [requirement.key for requirement in getattr(interaction, REQUIREMENTS)]

    @staticmethod
    def resolve_plan_item(interaction: Interaction) -> int | None:
        return interaction.plan_item_id


class InteractionQuery(Schema):
    kind: InteractionKind | None = None
    participant: int | None = Field(None, description="Only those this user took part in.")
    date_from: datetime.date | None = Field(None, alias="from", description="From this day.")
    date_to: datetime.date | None = Field(None, alias="to", description="Up to this day.")
    q: str = Field("", description="Words in the subject, agenda or minutes, or an exact key.")


class InteractionIn(Schema):
    subject: str
    occurred_at: datetime.datetime = Field(..., description="With a time zone, e.g. …T10:00Z.")
    kind: InteractionKind = Kind.MEETING.value
    duration_minutes: int | None = Field(None, description="Minutes, e.g. 60.")
    channel: str = ""
    participants: list[int] = Field(
        [], description="User ids: members or client contacts of the project."
    )
    external_participants: list[ExternalParticipant] = Field(
        [], description="People without an account; an e-mail must be an address."
    )
    agenda: str = Field("", description="Markdown.")
    minutes: str = Field("", description="Markdown; @mentions notify the person.")
    decisions: list[str] = []
    requirements: list[str] = Field([], description="Requirement keys of this project.")
    plan_item: int | None = Field(None, description="A communication plan item id.")
    client_visible: bool = False


class InteractionPatch(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    subject: str | None = None
    occurred_at: datetime.datetime | None = None
    kind: InteractionKind | None = None
    duration_minutes: int | None = Field(None, description="null removes the duration.")
    channel: str | None = None
    participants: list[int] | None = Field(None, description="Replaces the participants.")
    external_participants: list[ExternalParticipant] | None = None
    agenda: str | None = None
    minutes: str | None = None
    decisions: list[str] | None = Field(None, description="Replaces the decisions.")
    requirements: list[str] | None = Field(None, description="Replaces the linked requirements.")
    plan_item: int | None = Field(None, description="null unlinks the plan item.")
    client_visible: bool | None = None


# -- action items ---------------------------------------------------------------


class ActionItemOut(Schema):
    key: str = Field(..., description="ACT-1, ACT-2… per project.")
    title: str
    owner: UserRef | None = Field(None, description="A team member or a client contact.")
    due_date: datetime.date | None
    status: ActionStatus
    is_overdue: bool = Field(..., description="Open and past its due date.")
    done_at: datetime.datetime | None
    interaction: str | None = Field(None, description="The key of the interaction it came from.")
    client_visible: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_interaction(item: ActionItem) -> str | None:
        return item.interaction.key if item.interaction else None


class ActionItemQuery(Schema):
    status: ActionStatusOrAll = Field("open", description="A status, or `all`.")
    owner: int | None = Field(None, description="Only this user's items.")
    overdue: bool = Field(False, description="Only open items past their due date.")
    q: str = Field("", description="Words in the title, or an exact key.")


class ActionItemIn(Schema):
    title: str
    owner_id: int | None = Field(
        None,
        description="A manager or member of the project, or one of its client contacts.",
    )
    due_date: datetime.date | None = Field(None, description="A past date is allowed.")
    interaction: str | None = Field(None, description="An interaction key of this project.")
    client_visible: bool = Field(False, description="Always true when a client owns the item.")


class ActionItemPatch(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    status: ActionStatus | None = Field(None, description="Open, done or cancelled.")
    title: str | None = None
    owner_id: int | None = Field(None, description="null removes the owner.")
    due_date: datetime.date | None = Field(None, description="null removes the due date.")
    interaction: str | None = Field(None, description="A key; null unlinks it.")
    client_visible: bool | None = None


# -- the communication plan ----------------------------------------------------


class PlanItemOut(Schema):
    id: int
    audience: str = Field(..., description="Who hears it.")
    purpose: str = Field(..., description="What it is for and what it covers.")
    kind: InteractionKind = Field(..., description="The channel.")
    frequency: Frequency
    owner: UserRef | None
    starts_on: datetime.date
    active: bool
    client_visible: bool = Field(..., description="Shown to the client in the portal.")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class PlanItemIn(Schema):
    audience: str
    purpose: str
    kind: InteractionKind = Kind.MEETING.value
    frequency: Frequency = CommunicationPlanItem.Frequency.WEEKLY.value
    owner_id: int | None = Field(None, description="A manager or member of the project.")
    starts_on: datetime.date | None = Field(None, description="Today by default.")
    active: bool = True
    client_visible: bool = Field(True, description="Shown to the client in the portal.")


class PlanItemPatch(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    audience: str | None = None
    purpose: str | None = None
    kind: InteractionKind | None = None
    frequency: Frequency | None = None
    owner_id: int | None = Field(None, description="null removes the owner.")
    starts_on: datetime.date | None = None
    active: bool | None = None
    client_visible: bool | None = None


# -- notifications -------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    event: str = Field(..., description="What happened: assigned, mentioned, comment…")
    text: str = Field(..., description="The message, in the recipient's language.")
    url: str = Field(..., description="Where to look, a path on this site, or empty.")
    project: str | None = Field(None, description="The project's code.")
    actor: str | None = Field(None, description="Who did it, by name.")
    unread: bool
    read_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_project(notification: Notification) -> str | None:
        return notification.project.code if notification.project else None

    @staticmethod
    def resolve_actor(notification: Notification) -> str | None:
        return str(notification.actor) if notification.actor_id else None

    @staticmethod
    def resolve_unread(notification: Notification) -> bool:
        return notification.read_at is None


class NotificationQuery(Schema):
    unread: bool | None = Field(None, description="true: only unread; false: only read.")


class MarkReadIn(Schema):
    ids: list[int] | None = Field(None, description="Notification ids of your own inbox.")
    all: bool = Field(False, description="true marks every notification of yours read.")


class MarkReadOut(Schema):
    marked: int = Field(..., description="How many were unread and are now read.")
