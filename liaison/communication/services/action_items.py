"""Writes of action items: what somebody promised to do, followed up until done."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.attachments import attachment_add
from liaison.collab.notify import notifications_resolve, notify
from liaison.communication.models import ActionItem, Interaction
from liaison.core import search
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_key
from liaison.projects.models import Membership, Project

Status = ActionItem.Status
EDITABLE_FIELDS = ("title", "owner", "due_date", "interaction", "client_visible")
# Who may own an action item: somebody who does the work, or a client contact.
OWNER_ROLES = (Membership.Role.MANAGER, Membership.Role.MEMBER, Membership.Role.CLIENT)


def _owner_role(project: Project, user: User | None) -> str | None:
    """The role that lets `user` own action items of `project`, or None."""
    if user is None:
        return None
    role = (
        Membership.objects.filter(project=project, user=user, role__in=OWNER_ROLES)
        .values_list("role", flat=True)
        .first()
    )
    if role is None and user.pk == project.manager_id:
        role = Membership.Role.MANAGER
    return role


# -- cleaning -------------------------------------------------------------------


def _clean(project: Project, fields: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Checked fields, and the owner's role when the owner is among them."""
    fields = dict(fields)
    role = None
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())[:300]
        if not fields["title"]:
            raise InvalidInput(_("Say what needs doing."), field="title")
    if "due_date" in fields:
        due = fields["due_date"]
        if due is not None and (not isinstance(due, dt.date) or isinstance(due, dt.datetime)):
            raise InvalidInput(_("Give the due date as a date."), field="due_date")
        check_date(due, "due_date")
    if "owner" in fields and fields["owner"] is not None:
        role = _owner_role(project, fields["owner"])
        if role is None or not fields["owner"].is_active:
            raise InvalidInput(
                _("The owner must be a manager or member of the project, or one of its clients."),
                field="owner",
            )
    if "interaction" in fields and fields["interaction"] is not None:
        interaction = fields["interaction"]
        if not isinstance(interaction, Interaction) or interaction.project_id != project.pk:
            raise InvalidInput(
                _("That interaction is not part of this project."), field="interaction"
            )
    if "client_visible" in fields:
        fields["client_visible"] = bool(fields["client_visible"])
    return fields, role


def _lock(item: ActionItem) -> ActionItem:
    """The row, locked (only its own row: joins would lock more, and PostgreSQL
    refuses FOR UPDATE on the nullable side of an outer join)."""
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    locked.project = item.project
    return locked


def _notify_assigned(item: ActionItem, by: User, role: str | None) -> None:
    if item.owner is None:
        return
    project = item.project
    notify(
        event="assigned",
        recipients=[item.owner],
        actor=by,
        project=project,
        message=_("%(actor)s gave you an action item: %(item)s"),
        params={"actor": by, "item": item},
        url=item.portal_url() if role == Membership.Role.CLIENT else item.get_absolute_url(),
        target=item,
    )


# -- writes ---------------------------------------------------------------------


@transaction.atomic
def action_item_create(*, project: Project, by: User, **fields: Any) -> ActionItem:
    """A new open item. A due date in the past is allowed (the view warns);
    an item a client owns is always visible to the client."""
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    fields, role = _clean(project, {"title": "", **fields})
    if role == Membership.Role.CLIENT:
        fields["client_visible"] = True
    item = ActionItem.objects.create(
        project=project, key=next_key(project=project, prefix="ACT"), created_by=by, **fields
    )
    activity_record(
        actor=by, verb="created", target=item, project=project, client_visible=item.client_visible
    )
    search.index(item)
    _notify_assigned(item, by, role)
    return item


@transaction.atomic
def action_item_update(*, item: ActionItem, by: User, version: int, **fields: Any) -> ActionItem:
    project = item.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    locked = _lock(item)
    check_version(locked, version)
    fields, role = _clean(project, fields)
    if role is None and "owner" not in fields and locked.owner_id:
        role = _owner_role(project, locked.owner)
    if role == Membership.Role.CLIENT:
        fields["client_visible"] = True
    previous_owner = locked.owner_id
    diff = apply_fields(locked, fields)
    if diff:
        save_changes(locked, diff)
        search.index_changed(locked, diff)
        activity_record(
            actor=by,
            verb="updated",
            target=locked,
            project=project,
            diff=diff,
            client_visible=locked.client_visible,
        )
        if "owner" in diff and locked.owner_id != previous_owner:
            _notify_assigned(locked, by, role)
    return locked


def _set_status(locked: ActionItem, by: User, status: str) -> dict[str, list[object]]:
    done_at = timezone.now() if status == Status.DONE else None
    diff = apply_fields(locked, {"status": status, "done_at": done_at})
    save_changes(locked, diff)
    search.index_changed(locked, diff)
    activity_record(
        actor=by,
        verb="updated",
        target=locked,
        project=locked.project,
        diff={"status": diff["status"]},
        client_visible=locked.client_visible,
    )
    if status != Status.OPEN:  # done or cancelled: nothing is asked of the owner any more
        notifications_resolve(target=locked, events=["assigned", "reminder"])
    return diff


@transaction.atomic
def action_item_transition(
    *, item: ActionItem, by: User, status: str, version: int | None = None
) -> ActionItem:
    """Open ↔ done ↔ cancelled. Done records when; the creator hears when
    somebody else completes it."""
    project = item.project
    access.require(by, Action.EDIT, project)
    locked = _lock(item)
    if version is not None:
        check_version(locked, version)
    if status not in Status.values or status == locked.status:
        raise InvalidInput(
            _("An action item that is %(current)s cannot be moved to %(target)s.")
            % {
                "current": locked.get_status_display(),
                "target": Status(status).label if status in Status.values else status,
            },
            field="status",
            code="transition_not_allowed",
        )
    _set_status(locked, by, status)
    if status == Status.DONE and locked.created_by_id:
        notify(
            event="action_item.done",
            recipients=[locked.created_by],
            actor=by,
            project=project,
            message=_("%(actor)s completed %(item)s"),
            params={"actor": by, "item": locked},
            url=locked.get_absolute_url(),
        )
    return locked


@transaction.atomic
def action_item_complete(
    *, item: ActionItem, by: User, upload: "UploadedFile[bytes] | None" = None
) -> ActionItem:
    """The client marks an item they own done, from the portal, with the file it
    asked for when they send one (checked as any attachment; refused, the item
    stays open)."""
    project = item.project
    access.require(by, Action.COMMENT, project)
    locked = _lock(item)
    if locked.owner_id != by.pk:
        raise InvalidInput(
            _("Only the owner of an action item can mark it done here."), code="not_owner"
        )
    if locked.status != Status.OPEN:
        raise InvalidInput(
            _("This action item is already %(status)s.") % {"status": locked.get_status_display()},
            code="not_open",
        )
    if upload is not None:
        attachment_add(target=locked, project=project, by=by, upload=upload, need=Action.COMMENT)
    _set_status(locked, by, Status.DONE)
    creator = locked.interaction.created_by if locked.interaction else locked.created_by
    notify(
        event="action_item.done",
        recipients=[creator, project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s completed %(item)s"),
        params={"actor": by, "item": locked},
        url=locked.get_absolute_url(),
    )
    return locked
