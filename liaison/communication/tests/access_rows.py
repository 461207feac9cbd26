"""The access matrix's rows for the communication log, action items, the
communication plan, attachments, the portal's pages of them, the message to the
team and the notifications API (liaison/tests/access_matrix.py has the
framework)."""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from conftest import NOW
from liaison.collab.models import Attachment
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction
from liaison.projects.models import KeyCounter, Membership
from liaison.tests.access_matrix import (
    API_EDIT,
    API_MANAGE,
    API_SIGNED_IN,
    API_VIEW,
    CODE,
    PORTAL,
    PROJECTS,
    TEAM_COMMENT,
    TEAM_EDIT,
    TEAM_MANAGE,
    TEAM_VIEW,
    P,
    World,
    endpoint,
    page,
    picks,
)


@dataclass
class Talk:
    """COM-1, a client-visible meeting; ACT-1 owned by the project's client
    contact (if any), ACT-2 by the manager; a plan item; an attachment of COM-1."""

    interaction: Interaction
    team_action: ActionItem
    plan_item: CommunicationPlanItem
    attachment: Attachment


def populate(world: World, side: str) -> Talk:
    """Rows made directly: the matrix tests access, not the services."""
    project = world.projects[side]
    by = project.manager
    client = Membership.objects.filter(project=project, role=Membership.Role.CLIENT).first()
    interaction = Interaction.objects.create(
        project=project,
        key="COM-1",
        subject="Kick-off",
        occurred_at=NOW,
        minutes="We agreed on the scope.",
        client_visible=True,
        created_by=by,
    )
    interaction.participants.add(by, *([client.user] if client else []))
    ActionItem.objects.create(
        project=project,
        key="ACT-1",
        interaction=interaction,
        title="Send the floor plans",
        owner=client.user if client else None,
        client_visible=True,
    )
    team_action = ActionItem.objects.create(
        project=project, key="ACT-2", interaction=interaction, title="Draft the test plan", owner=by
    )
    for prefix in ("COM", "ACT"):
        KeyCounter.objects.create(project=project, prefix=prefix, last=2 if prefix == "ACT" else 1)
    plan_item = CommunicationPlanItem.objects.create(
        project=project, audience="Client", purpose="Weekly status", owner=by
    )
    attachment = Attachment.objects.create(
        project=project,
        target=interaction,
        file=ContentFile(b"minutes", name="minutes.txt"),
        name="minutes.txt",
        size=7,
        content_type="text/plain",
        uploaded_by=by,
    )
    return Talk(interaction, team_action, plan_item, attachment)


talk = picks("communication")
INTERACTION_VERSION = talk(lambda t: t.interaction.version)
ACTION_VERSION = talk(lambda t: t.team_action.version)
PLAN_ITEM_ID = talk(lambda t: t.plan_item.pk)
PLAN_ITEM_VERSION = talk(lambda t: t.plan_item.version)
ATTACHMENT_ID = talk(lambda t: t.attachment.pk)

COM1 = {"code": CODE, "key": "COM-1"}
ACT1 = {"code": CODE, "key": "ACT-1"}  # owned by the client
ACT2 = {"code": CODE, "key": "ACT-2"}  # owned by the member
PLAN_ITEM = {"code": CODE, "item_id": PLAN_ITEM_ID}
ATTACHMENT = {"code": CODE, "attachment_id": ATTACHMENT_ID}
INTERACTION_FORM = {
    "kind": "meeting",
    "subject": "Weekly status",
    "occurred_at": "2027-01-05T10:00",
    "version": INTERACTION_VERSION,
}
PLAN_ITEM_FORM = {
    "audience": "Client steering group",
    "purpose": "Progress and risks",
    "kind": "meeting",
    "frequency": "weekly",
    "starts_on": "2027-01-04",
    "active": "on",
}
INTERACTIONS = PROJECTS + "/{code}/interactions"
ACTION_ITEMS = PROJECTS + "/{code}/action-items"
COMMUNICATION_PLAN = PROJECTS + "/{code}/communication-plan"

PAGES = [
    page("communication:interactions", "GET", TEAM_VIEW, kwargs=P),
    page("communication:interaction-create", "GET", TEAM_EDIT, kwargs=P),
    page(
        "communication:interaction-create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"
    ),
    page("communication:interaction", "GET", TEAM_VIEW, kwargs=COM1),
    page("communication:interaction-edit", "GET", TEAM_EDIT, kwargs=COM1),
    page(
        "communication:interaction-edit", "POST", TEAM_EDIT, 302, kwargs=COM1, data=INTERACTION_FORM
    ),
    page(
        "communication:interaction-send",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=COM1,
        data={"what": "minutes"},
        note="e-mails the minutes to the participants",
    ),
    page(
        "communication:interaction-comment",
        "POST",
        TEAM_COMMENT,
        302,
        kwargs=COM1,
        data={"body": "Hi"},
    ),
    page(
        "communication:attachment-upload",
        "POST",
        TEAM_EDIT,
        200,
        kwargs=COM1,
        data={},
        case="no file",
        note="a missing file: the interaction's page again, the message beside the file field",
    ),
    page("communication:attachment", "GET", TEAM_VIEW, kwargs=ATTACHMENT),
    page("communication:action-items", "GET", TEAM_VIEW, kwargs=P),
    page("communication:action-item-create", "GET", TEAM_EDIT, kwargs=P),
    page(
        "communication:action-item-create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"
    ),
    page("communication:action-item-edit", "GET", TEAM_EDIT, kwargs=ACT2),
    page(
        "communication:action-item-edit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=ACT2,
        data={"title": "Send the test plan", "version": ACTION_VERSION},
    ),
    page(
        "communication:action-item-status",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=ACT2,
        data={"status": "done"},
    ),
    page("communication:plan", "GET", TEAM_VIEW, kwargs=P),
    page("communication:plan-item-create", "GET", TEAM_MANAGE, kwargs=P),
    page("communication:plan-item-create", "POST", TEAM_MANAGE, 302, kwargs=P, data=PLAN_ITEM_FORM),
    page("communication:plan-item-edit", "GET", TEAM_MANAGE, kwargs=PLAN_ITEM),
    page(
        "communication:plan-item-edit",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=PLAN_ITEM,
        data={**PLAN_ITEM_FORM, "version": PLAN_ITEM_VERSION},
    ),
    # -- the portal ------------------------------------------------------------------
    page("portal:interactions", "GET", PORTAL, kwargs=P),
    page("portal:interaction", "GET", PORTAL, kwargs=COM1),
    page("portal:interaction-comment", "POST", PORTAL, 302, kwargs=COM1, data={"body": "Thanks"}),
    page("portal:action-item-done", "POST", PORTAL, 302, kwargs=ACT1),
    page("portal:message", "GET", PORTAL, kwargs=P),
    page(
        "portal:message",
        "POST",
        PORTAL,
        302,
        kwargs=P,
        data={"subject": "Night shift", "body": "Can we add the night shift lead?"},
    ),
    page("portal:attachment", "GET", PORTAL, kwargs=ATTACHMENT),
]

ENDPOINTS = [
    endpoint("GET", INTERACTIONS, API_VIEW, params=P),
    endpoint(
        "POST",
        INTERACTIONS,
        API_EDIT,
        201,
        params=P,
        data={
            "kind": "call",
            "subject": "Call about labels",
            "occurred_at": "2027-01-05T10:00:00Z",
        },
    ),
    endpoint("GET", INTERACTIONS + "/{key}", API_VIEW, params=COM1),
    endpoint(
        "PATCH",
        INTERACTIONS + "/{key}",
        API_EDIT,
        params=COM1,
        data={"version": INTERACTION_VERSION, "subject": "Renamed"},
    ),
    endpoint("GET", ACTION_ITEMS, API_VIEW, params=P),
    endpoint("POST", ACTION_ITEMS, API_EDIT, 201, params=P, data={"title": "Book the room"}),
    endpoint(
        "PATCH",
        ACTION_ITEMS + "/{key}",
        API_EDIT,
        params=ACT2,
        data={"version": ACTION_VERSION, "status": "done"},
    ),
    endpoint("GET", COMMUNICATION_PLAN, API_VIEW, params=P),
    endpoint(
        "POST",
        COMMUNICATION_PLAN,
        API_MANAGE,
        201,
        params=P,
        data={"audience": "Client", "purpose": "Status", "kind": "meeting", "frequency": "weekly"},
    ),
    endpoint(
        "PATCH",
        COMMUNICATION_PLAN + "/{item_id}",
        API_MANAGE,
        params=PLAN_ITEM,
        data={"version": PLAN_ITEM_VERSION, "frequency": "monthly"},
    ),
    endpoint("GET", "/api/v1/notifications", API_SIGNED_IN, note="the client's own inbox too"),
    endpoint("POST", "/api/v1/notifications/read", API_SIGNED_IN, data={"all": True}),
]
