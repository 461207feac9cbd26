"""A project's folders: made, renamed, opened to the client's uploads and
removed when empty, by the team (`EDIT`); the client's folder settings are the
manager's (`MANAGE`)."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.services import InvalidInput
from liaison.documents.models import Folder
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

EDITABLE = ("name", "client_visible", "client_uploads")


def _clean_name(name: str | None) -> str:
    cleaned = " ".join((name or "").split())[:120]
    if not cleaned:
        raise InvalidInput(_("Name the folder."), field="name", code="name_required")
    if "/" in cleaned or "\\" in cleaned:
        raise InvalidInput(
            _("A folder's name may not hold a slash."), field="name", code="bad_name"
        )
    return cleaned


def _clean_parent(project: Project, parent: Folder | None) -> Folder | None:
    if parent is None:
        return None
    if parent.project_id != project.pk:
        raise InvalidInput(_("Choose a folder of this project."), field="parent", code="bad_parent")
    if parent.parent_id is not None:
        raise InvalidInput(
            _("Folders go one level deep: choose a top folder."), field="parent", code="too_deep"
        )
    return parent


def _need(by: User, project: Project, fields: dict[str, Any]) -> None:
    """Opening a folder to the client (or its documents) is the manager's call."""
    sharing = fields.get("client_visible") or fields.get("client_uploads")
    access.require(by, Action.MANAGE if sharing else Action.EDIT, project)


def _save(folder: Folder) -> None:
    try:
        with transaction.atomic():
            folder.save()
    except IntegrityError:
        raise InvalidInput(
            _("A folder of that name is already here."), field="name", code="folder_exists"
        ) from None


@transaction.atomic
def folder_create(
    *,
    project: Project,
    by: User,
    name: str,
    parent: Folder | None = None,
    client_visible: bool = False,
    client_uploads: bool = False,
) -> Folder:
    _need(by, project, {"client_visible": client_visible, "client_uploads": client_uploads})
    folder = Folder(
        project=project,
        parent=_clean_parent(project, parent),
        name=_clean_name(name),
        client_visible=bool(client_visible),
        client_uploads=bool(client_uploads),
    )
    _save(folder)
    activity_record(actor=by, verb="created", target=folder, project=project)
    return folder


@transaction.atomic
def folder_update(*, folder: Folder, by: User, version: int, **fields: Any) -> Folder:
    project = folder.project
    fields = {name: value for name, value in fields.items() if name in EDITABLE}
    locked = Folder.objects.select_for_update().get(pk=folder.pk)
    changes_sharing = any(
        name in fields and bool(fields[name]) != getattr(locked, name)
        for name in ("client_visible", "client_uploads")
    )
    access.require(by, Action.MANAGE if changes_sharing else Action.EDIT, project)
    check_version(locked, version)
    if "name" in fields:
        fields["name"] = _clean_name(fields["name"])
    for flag in ("client_visible", "client_uploads"):
        if flag in fields:
            fields[flag] = bool(fields[flag])
    diff = apply_fields(locked, fields)
    if diff:
        try:
            with transaction.atomic():
                save_changes(locked, diff)
        except IntegrityError:
            raise InvalidInput(
                _("A folder of that name is already here."), field="name", code="folder_exists"
            ) from None
        activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    return locked


@transaction.atomic
def folder_delete(*, folder: Folder, by: User) -> None:
    """Only an empty folder goes: documents are never removed with their folder."""
    project = folder.project
    access.require(by, Action.EDIT, project)
    locked = Folder.objects.select_for_update().get(pk=folder.pk)
    if locked.documents.exists() or locked.children.exists():
        raise InvalidInput(
            _("Move or delete what the folder holds first."), code="folder_not_empty"
        )
    activity_record(actor=by, verb="deleted", target=locked, project=project)
    locked.delete()
