"""Writes of the communication plan: who hears what, how, how often, from whom."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.communication.models import CommunicationPlanItem, Kind
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Membership, Project

Frequency = CommunicationPlanItem.Frequency
EDITABLE_FIELDS = (
    "audience",
    "purpose",
    "kind",
    "frequency",
    "owner",
    "starts_on",
    "active",
    "client_visible",
)
TEAM_ROLES = (Membership.Role.MANAGER, Membership.Role.MEMBER)


def _is_team_member(project: Project, user: User) -> bool:
    """A manager or member of the project: somebody who can keep a plan item."""
    return user.pk == project.manager_id or (
        Membership.objects.filter(project=project, user=user, role__in=TEAM_ROLES).exists()
    )


def _clean(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "audience" in fields:
        fields["audience"] = " ".join((fields["audience"] or "").split())[:200]
        if not fields["audience"]:
            raise InvalidInput(_("Say who this communication is for."), field="audience")
    if "purpose" in fields:
        fields["purpose"] = (fields["purpose"] or "").strip()
        if not fields["purpose"]:
            raise InvalidInput(_("Say what it is for and what it covers."), field="purpose")
    if "kind" in fields and fields["kind"] not in Kind.values:
        raise InvalidInput(_("Choose a channel from the list."), field="kind")
    if "frequency" in fields and fields["frequency"] not in Frequency.values:
        raise InvalidInput(_("Choose a frequency from the list."), field="frequency")
    if "starts_on" in fields:
        starts_on = fields["starts_on"]
        if not isinstance(starts_on, dt.date) or isinstance(starts_on, dt.datetime):
            raise InvalidInput(_("Give the first day as a date."), field="starts_on")
        check_date(starts_on, "starts_on")
    if "owner" in fields and fields["owner"] is not None:
        owner = fields["owner"]
        if not owner.is_active or not _is_team_member(project, owner):
            raise InvalidInput(
                _("The owner must be a manager or member of the project."), field="owner"
            )
    for flag in ("active", "client_visible"):
        if flag in fields:
            fields[flag] = bool(fields[flag])
    return fields


@transaction.atomic
def plan_item_create(*, project: Project, by: User, **fields: Any) -> CommunicationPlanItem:
    access.require(by, Action.MANAGE, project)
    only_editable(fields, EDITABLE_FIELDS)
    fields = _clean(project, {"audience": "", "purpose": "", **fields})
    item = CommunicationPlanItem.objects.create(project=project, **fields)
    activity_record(actor=by, verb="created", target=item, project=project)
    return item


@transaction.atomic
def plan_item_update(
    *, item: CommunicationPlanItem, by: User, version: int, **fields: Any
) -> CommunicationPlanItem:
    project = item.project
    access.require(by, Action.MANAGE, project)
    only_editable(fields, EDITABLE_FIELDS)
    locked = CommunicationPlanItem.objects.select_for_update().get(pk=item.pk)
    locked.project = project
    check_version(locked, version)
    fields = _clean(project, fields)
    diff = apply_fields(locked, fields)
    if diff:
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    return locked
