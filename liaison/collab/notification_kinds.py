"""Every kind of notification, in one table: what it is, whether it needs the
person, how they hear of it when they chose nothing, and which event names
belong to it.

The rule: what asks a person to decide or act, and what answers a request of
theirs, is an *action* kind and goes by e-mail and to the inbox unless they
turn the e-mail off. Everything else is *info* and follows the preferences
(news that comes often stays in the inbox)."""

from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext_lazy as _

from liaison.collab.models import NotificationPreference
from liaison.core.registry import registry

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Channel = NotificationPreference.Channel

ACTION = "action"  # asks you to decide or act, or answers your own request
INFO = "info"  # news; follows your preferences
NATURES = {
    ACTION: (
        _("Needs you"),
        _(
            "Asks you to decide or act, or answers what you asked for: "
            "by e-mail unless you turn the e-mail off."
        ),
    ),
    INFO: (_("News"), _("Keeps you informed.")),
}


class Kind(NamedTuple):
    label: "StrPromise"
    help: "StrPromise"
    nature: str  # ACTION or INFO
    default: str  # the channel when the person chose nothing
    room: str | None  # the topic a project's chat room takes it under; None: never posted


# In the order the settings page lists them: what needs you first.
KINDS: dict[str, Kind] = {
    "approval": Kind(
        _("Approval needed"),
        _(
            "Something waits for your decision: a baseline to sign, a milestone to accept, "
            "a change to approve, a status report to acknowledge."
        ),
        ACTION,
        Channel.EMAIL,
        "approval",
    ),
    "request": Kind(
        _("Requests to handle"),
        _("The client asks for a change or a requirement, or could not approve a change."),
        ACTION,
        Channel.EMAIL,
        "status",
    ),
    "answer": Kind(
        _("Answers to your requests"),
        _(
            "What you asked for is decided or done: a baseline signed, a milestone accepted, "
            "a change approved, a report acknowledged, an action item completed."
        ),
        ACTION,
        Channel.EMAIL,
        "status",
    ),
    "assigned": Kind(
        _("Assignments"),
        _("A task, an action item or a project is given to you."),
        ACTION,
        Channel.EMAIL,
        None,
    ),
    "reminder": Kind(
        _("Reminders"),
        _("Action items, planned meetings and weekly reports coming due."),
        ACTION,
        Channel.EMAIL,
        None,
    ),
    "mentioned": Kind(
        _("Mentions"),
        _("Someone writes @you in a comment or in minutes."),
        INFO,
        Channel.EMAIL,
        None,
    ),
    "comment": Kind(
        _("Comments and messages"),
        _("New comments, and messages from the client."),
        INFO,
        Channel.EMAIL,
        "comment",
    ),
    "status": Kind(
        _("Status changes"),
        _("Plans, requirements, changes and members move on."),
        INFO,
        Channel.INBOX,  # frequent: the inbox, unless asked for by e-mail
        "status",
    ),
}

# The events of the collaboration layer itself; each feature registers its own
# (core.registry.add_events, in its AppConfig.ready()).
COLLAB_EVENTS: dict[str, str] = {
    "approval.needed": "approval",  # the generic "please decide" of every feature
    "assigned": "assigned",
    "project.assigned": "assigned",
    "reminder": "reminder",
    "mentioned": "mentioned",
    "comment": "comment",
    "member.added": "status",  # the invitation e-mail says it already
}
# What a project's chat room can take (Webhook.events).
ROOM_KINDS = ("comment", "status", "approval")
DEFAULT_CHANNELS = {kind: spec.default for kind, spec in KINDS.items()}
DIGEST = "digest"  # not a kind: the daily digest e-mail, for unsubscribe links


def event_kind(event: str) -> str:
    """The kind of an event name, as its app registered it. An event nobody
    registered is placed by its name ("x.assigned", "reminder.x"…), else it is
    a status change."""
    if event in registry.notification_events:
        return registry.notification_events[event]
    head = event.split(".", 1)[0]
    if event.endswith(".assigned"):
        return "assigned"
    if head in ("mentioned", "reminder", "approval"):
        return head
    if head in ("comment", "message"):
        return "comment"
    return "status"


def needs_action(kind: str) -> bool:
    return KINDS[kind].nature == ACTION
