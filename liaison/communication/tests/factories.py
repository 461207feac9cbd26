"""Interactions and action items for tests.

make_* go through the services, as the team works (keys, audit trail, mail);
*_row write straight to the table, in any state, with the next free key.

interaction_row(project)                                # COM-n "Weekly call", at NOW
interaction_row(project, occurred_at=when, participants=[manager], client_visible=True)
make_action_item(project, owner=member, due_date=day)   # ACT-n, the owner told
action_item_row(project, status="done")                 # ACT-n, no audit trail, no mail
"""

from conftest import NOW
from liaison.accounts.models import User
from liaison.communication.models import ActionItem, Interaction
from liaison.communication.services.action_items import action_item_create
from liaison.projects.keys import next_key
from liaison.projects.models import KeyCounter, Project


def interaction_row(project: Project, *, participants=(), **fields) -> Interaction:
    """An interaction written to the table: "Weekly call" at NOW unless given.
    A given `key` (COM-7) moves the project's counter past it."""
    key = fields.pop("key", None)
    if key:
        _claim(project, key)
    else:
        key = next_key(project=project, prefix="COM")
    interaction = Interaction.objects.create(
        project=project, key=key, **{"subject": "Weekly call", "occurred_at": NOW, **fields}
    )
    if participants:
        interaction.participants.set(participants)
    return interaction


def make_action_item(project: Project, *, by: User | None = None, **fields) -> ActionItem:
    """An open item raised by `by` (the manager unless given); fields as
    action_item_create takes."""
    return action_item_create(
        project=project, by=by or project.manager, **{"title": "Send the floor plans", **fields}
    )


def action_item_row(project: Project, **fields) -> ActionItem:
    """An action item written to the table, in any state."""
    return ActionItem.objects.create(
        project=project,
        key=next_key(project=project, prefix="ACT"),
        **{"title": "Send the data", **fields},
    )


def _claim(project: Project, key: str) -> None:
    """The services' next key comes after `key`, as if they had made it."""
    prefix, number = key.rsplit("-", 1)
    counter, _ = KeyCounter.objects.get_or_create(project=project, prefix=prefix)
    if counter.last < int(number):
        counter.last = int(number)
        counter.save(update_fields=["last"])
