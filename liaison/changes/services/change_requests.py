"""Writes of a change request itself: raised by the team or asked for by the
client, then edited and assessed until it goes to the client."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.changes.selectors.lines import milestone_lines, schedule_lines
from liaison.changes.services.lifecycle import start_assessing
from liaison.collab.attachments import attachment_add
from liaison.collab.notify import notify
from liaison.core import search
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import only_editable
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Membership, Project
from liaison.requirements.models import Requirement

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Status = ChangeRequest.Status
EDITABLE_FIELDS = (
    "title",
    "description",
    "reason",
    "priority",
    "owner",
    "requirements",
    "milestones",
    "tasks",
    "effort_hours",
    "cost",
    "cost_visible",
    "scope_impact",
    "risk_level",
    "risk_impact",
    "schedule_changes",
    "milestone_changes",
    "client_visible",
)
RELATIONS: dict[str, type[Requirement | Milestone | Task]] = {
    "requirements": Requirement,
    "milestones": Milestone,
    "tasks": Task,
}
MAX_EFFORT = Decimal("100000")
MAX_COST = Decimal("9999999999.99")


# -- cleaning -------------------------------------------------------------------


def _clean_decimal(
    value: object, field: str, places: str, maximum: Decimal, message: "StrOrPromise"
) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(message, field=field) from None
    if not number.is_finite() or not Decimal(0) <= number <= maximum:
        raise InvalidInput(message, field=field)
    return number.quantize(Decimal(places))


def _clean_numbers(fields: dict[str, Any]) -> None:
    if "effort_hours" in fields:
        fields["effort_hours"] = _clean_decimal(
            fields["effort_hours"],
            "effort_hours",
            "0.1",
            MAX_EFFORT,
            _("The effort is a number of hours from 0 to 100,000."),
        )
    if "cost" in fields:
        fields["cost"] = _clean_decimal(
            fields["cost"],
            "cost",
            "0.01",
            MAX_COST,
            _("The cost is an amount from 0 to 9,999,999,999.99."),
        )


def _clean_relations(project: Project, fields: dict[str, Any]) -> None:
    for name, model in RELATIONS.items():
        if name not in fields:
            continue
        rows = list(dict.fromkeys(fields[name] or ()))
        if any(not isinstance(row, model) or row.project_id != project.pk for row in rows):
            raise InvalidInput(
                _("Link %(things)s of this project only.")
                % {"things": model._meta.verbose_name_plural},
                field=name,
            )
        fields[name] = rows


def _clean_owner(project: Project, owner: object) -> None:
    if owner is None:
        return
    on_team = (
        isinstance(owner, User)
        and Membership.objects.filter(
            project=project,
            user=owner,
            role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
        ).exists()
    )
    if not on_team:
        raise InvalidInput(
            _("The change is assessed by a manager or member of the project."), field="owner"
        )


def _clean(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()[:300]
        if not fields["title"]:
            raise InvalidInput(_("A change request needs a title."), field="title")
    for name in ("description", "reason", "scope_impact", "risk_impact"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    if "priority" in fields and fields["priority"] not in ChangeRequest.Priority.values:
        raise InvalidInput(_("Choose one of the listed values."), field="priority")
    if "risk_level" in fields:
        fields["risk_level"] = fields["risk_level"] or ""
        if fields["risk_level"] not in ("", *ChangeRequest.Risk.values):
            raise InvalidInput(_("Choose one of the listed values."), field="risk_level")
    for name in ("cost_visible", "client_visible"):
        if name in fields and not isinstance(fields[name], bool):
            raise InvalidInput(_("Choose yes or no."), field=name)
    _clean_numbers(fields)
    _clean_owner(project, fields.get("owner"))
    _clean_relations(project, fields)
    if "schedule_changes" in fields:
        lines = schedule_lines(project, fields["schedule_changes"] or [])
        fields["schedule_changes"] = [line.as_json() for line in lines]
    if "milestone_changes" in fields:
        due_lines = milestone_lines(project, fields["milestone_changes"] or [])
        fields["milestone_changes"] = [line.as_json() for line in due_lines]
    return fields


def _lines_text(entries: list[dict[str, Any]]) -> str:
    """The lines as the assess form takes them, for a readable diff."""
    return "; ".join(" ".join(str(value) for value in entry.values()) for entry in entries)


def _set_relations(
    change: ChangeRequest, relations: Mapping[str, list[Requirement | Milestone | Task]]
) -> dict[str, list[object]]:
    """Set the many-to-many links; their diff lists the keys before and after."""
    diff: dict[str, list[object]] = {}
    for name, rows in relations.items():
        manager = getattr(change, name)
        before = sorted(manager.values_list("key", flat=True))
        after = sorted(row.key for row in rows)
        if before != after:
            manager.set(rows)
            diff[name] = [", ".join(before), ", ".join(after)]
    return diff


def _readable(diff: dict[str, list[Any]]) -> dict[str, list[Any]]:
    for name in ("schedule_changes", "milestone_changes"):
        if name in diff:
            diff[name] = [_lines_text(diff[name][0]), _lines_text(diff[name][1])]
    return diff


# -- raising a change -----------------------------------------------------------


@transaction.atomic
def change_create(*, project: Project, by: User, **fields: Any) -> ChangeRequest:
    """The team raises a change; it waits for assessment."""
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    fields = _clean(project, {"title": "", **fields})
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    number = next_number(project=project, prefix="CR")
    change = ChangeRequest.objects.create(
        project=project,
        key=f"CR-{number}",
        number=number,
        origin=ChangeRequest.Origin.TEAM,
        status=Status.SUBMITTED,
        requested_by=by,
        **fields,
    )
    for name, rows in relations.items():
        getattr(change, name).set(rows)
    search.index(change)
    activity_record(
        actor=by,
        verb="created",
        target=change,
        project=project,
        client_visible=change.client_visible,
    )
    notify(
        event="change.requested",
        recipients=[project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s raised %(change)s"),
        params={"actor": by, "change": change},
        url=change.get_absolute_url(),
        target=change,
    )
    return change


@transaction.atomic
def change_request_from_client(
    *,
    project: Project,
    by: User,
    title: str,
    description: str,
    reason: str = "",
    upload: "UploadedFile[bytes] | None" = None,
) -> ChangeRequest:
    """The client asks for a change, with a file when they attach one (checked
    as any attachment: refused, nothing is kept); the manager hears of it and
    assesses it."""
    access.require(by, Action.APPROVE, project)
    fields = _clean(project, {"title": title, "description": description, "reason": reason})
    number = next_number(project=project, prefix="CR")
    change = ChangeRequest.objects.create(
        project=project,
        key=f"CR-{number}",
        number=number,
        origin=ChangeRequest.Origin.CLIENT,
        status=Status.SUBMITTED,
        requested_by=by,
        client_visible=True,
        **fields,
    )
    search.index(change)
    activity_record(actor=by, verb="requested", target=change, project=project, client_visible=True)
    if upload is not None:
        attachment_add(target=change, project=project, by=by, upload=upload, need=Action.COMMENT)
    notify(
        event="change.requested",
        recipients=[project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s asks for a change: %(change)s"),
        params={"actor": by, "change": change},
        url=change.get_absolute_url(),
        target=change,
    )
    return change


# -- editing --------------------------------------------------------------------


def _check_editable(change: ChangeRequest) -> None:
    if change.is_editable:
        return
    if change.status == Status.AWAITING_CLIENT:
        message = _("%(key)s is with the client: recall it to edit.")
    else:
        message = _("%(key)s is %(status)s: it can no longer be edited.")
    raise InvalidInput(
        message % {"key": change.key, "status": change.get_status_display()},
        code="change_locked",
    )


@transaction.atomic
def change_update(*, change: ChangeRequest, by: User, version: int, **fields: Any) -> ChangeRequest:
    """Edit the request or its assessment, until it goes to the client: what the
    client reads never changes under them."""
    project = change.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    locked = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=change.pk)
    )
    check_version(locked, version)
    _check_editable(locked)
    fields = _clean(project, fields)
    if fields.get("client_visible") is False and locked.origin == ChangeRequest.Origin.CLIENT:
        raise InvalidInput(
            _("The client raised this change: it stays visible to them."), field="client_visible"
        )
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    diff = apply_fields(locked, fields)
    diff.update(_set_relations(locked, relations))
    if not diff:
        return locked
    starts = locked.status == Status.SUBMITTED and bool(ASSESSMENT_FIELDS & set(diff))
    moved = start_assessing(change=locked, by=by) if starts else []
    save_changes(locked, [*(name for name in diff if name not in RELATIONS), *moved])
    search.index_changed(locked, diff)
    activity_record(
        actor=by,
        verb="updated",
        target=locked,
        project=project,
        diff=_readable(diff),
        client_visible=locked.client_visible and not _touches_internal(locked, diff),
    )
    if starts:
        activity_record(
            actor=by,
            verb=Status.ASSESSING,
            target=locked,
            project=project,
            diff={"status": [Status.SUBMITTED, Status.ASSESSING]},
            client_visible=locked.client_visible,
        )
    return locked


# Fields of the assessment: saving one of them on a submitted change starts assessing it.
ASSESSMENT_FIELDS = frozenset(
    {
        "effort_hours",
        "cost",
        "cost_visible",
        "scope_impact",
        "risk_level",
        "risk_impact",
        "schedule_changes",
        "milestone_changes",
    }
)


# What the team keeps to itself in a change request's history.
INTERNAL_FIELDS = frozenset({"owner", "tasks"})


def _touches_internal(change: ChangeRequest, diff: Mapping[str, object]) -> bool:
    internal = INTERNAL_FIELDS | (
        {"cost", "cost_visible"} - ({"cost"} if change.cost_visible else set())
    )
    return bool(internal & set(diff))
