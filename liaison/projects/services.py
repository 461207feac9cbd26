"""Writes of projects: create, edit, archive; the organization's client companies
and its undelivered mail, sent again."""

import datetime
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import (
    Client,
    Organization,
    User,
)
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, plain, save_changes
from liaison.core.models import OutgoingMail
from liaison.core.outbox import mail_send_again
from liaison.core.services import InvalidInput
from liaison.projects import access, signals
from liaison.projects.access import Action
from liaison.projects.models import CURRENCIES, Membership, Project
from liaison.projects.selectors import undelivered_mail

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9-]{1,19}$")
EDITABLE_FIELDS = (
    "name",
    "client",
    "manager",
    "start_date",
    "end_date",
    "status",
    "currency",
    "description",
    "share_health",
)


def _clean_code(code: str, exclude_pk: int | None = None) -> str:
    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise InvalidInput(
            _("Use 2 to 20 letters, digits or dashes, starting with a letter (e.g. ACME-ERP)."),
            field="code",
        )
    clash = Project.objects.filter(code=code)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise InvalidInput(
            _("The code %(code)s is taken by another project.") % {"code": code},
            field="code",
            code="duplicate_code",
        )
    return code


def _clean_fields(
    organization: Organization,
    fields: dict[str, Any],
    *,
    by: User,
    current_client_id: int | None = None,
) -> dict[str, Any]:
    """Check every rule on the editable fields; raise on the first broken one."""
    fields = dict(fields)
    fields["name"] = (fields.get("name") or "").strip()
    fields["share_health"] = bool(fields.get("share_health"))
    if not fields["name"]:
        raise InvalidInput(_("A project needs a name."), field="name")
    client: Client | None = fields.get("client")
    if client is None or client.organization_id != organization.pk:
        raise InvalidInput(_("Choose a client of your organization."), field="client")
    if (
        client.pk != current_client_id
        and not access.visible_clients(by, organization).filter(pk=client.pk).exists()
    ):
        # Staff pick among the clients of the projects they see (access.py).
        raise InvalidInput(_("Choose a client of your organization."), field="client")
    manager: User | None = fields.get("manager")
    if manager is None or organization.pk not in access.org_roles(manager):
        raise InvalidInput(_("Choose a manager from your organization's staff."), field="manager")
    start: datetime.date | None = fields.get("start_date")
    end: datetime.date | None = fields.get("end_date")
    if start and end and end < start:
        raise InvalidInput(_("The end date cannot be before the start date."), field="end_date")
    if fields.get("status") not in Project.Status.values:
        raise InvalidInput(_("Choose a status."), field="status")
    if fields.get("currency") not in dict(CURRENCIES):
        raise InvalidInput(_("Choose a currency."), field="currency")
    fields["description"] = (fields.get("description") or "").strip()
    return fields


def _ensure_manager_membership(project: Project, manager: User) -> None:
    membership, created = Membership.objects.get_or_create(
        project=project, user=manager, defaults={"role": Membership.Role.MANAGER}
    )
    if created:
        access.forget(manager)
    elif membership.role != Membership.Role.MANAGER:
        membership.role = Membership.Role.MANAGER
        membership.version += 1
        membership.save(update_fields=["role", "version", "updated_at"])
        access.forget(manager)


@transaction.atomic
def project_create(*, organization: Organization, by: User, code: str, **fields: Any) -> Project:
    if not access.can_create_project(by, organization):
        access.require_org_admin(by, organization)
    fields = _clean_fields(
        organization, {name: fields.get(name) for name in EDITABLE_FIELDS}, by=by
    )
    project = Project.objects.create(organization=organization, code=_clean_code(code), **fields)
    _ensure_manager_membership(project, project.manager)
    if by.pk != project.manager_id and not access.is_org_admin(by, organization.pk):
        # Whoever sets a project up keeps a hand on it.
        _ensure_manager_membership(project, by)
    activity_record(
        actor=by,
        verb="created",
        target=project,
        project=project,
        diff={name: [None, value] for name, value in _diffable(project).items()},
    )
    signals.manager_assigned.send(sender=Project, project=project, by=by)
    return project


def _diffable(project: Project) -> dict[str, object]:
    return {
        name: plain(getattr(project, name))
        for name in EDITABLE_FIELDS
        if getattr(project, name) not in (None, "")
    }


@transaction.atomic
def project_update(*, project: Project, by: User, version: int, **fields: Any) -> Project:
    access.require(by, Action.MANAGE, project)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    check_version(locked, version)
    current = {name: getattr(locked, name) for name in EDITABLE_FIELDS}
    cleaned = _clean_fields(
        locked.organization, {**current, **fields}, by=by, current_client_id=locked.client_id
    )
    diff = apply_fields(locked, cleaned)
    if not diff:
        return locked
    save_changes(locked, diff)
    if "manager" in diff:
        _ensure_manager_membership(locked, locked.manager)
        signals.manager_assigned.send(sender=Project, project=locked, by=by)
    activity_record(actor=by, verb="updated", target=locked, project=locked, diff=diff)
    return locked


def _set_archived(
    project: Project, by: User, archived_at: datetime.datetime | None, verb: str
) -> Project:
    """Archive or restore without a version check: it is one deliberate switch,
    but it still moves the version on so open edit forms see the change."""
    access.require(by, Action.MANAGE, project)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if (locked.archived_at is None) == (archived_at is None):
        return locked
    diff = apply_fields(locked, {"archived_at": archived_at})
    save_changes(locked, diff)
    activity_record(actor=by, verb=verb, target=locked, project=locked, diff=diff)
    return locked


@transaction.atomic
def project_archive(*, project: Project, by: User) -> Project:
    """Archiving hides a project from lists and the portal; nothing is deleted."""
    return _set_archived(project, by, timezone.now(), "archived")


@transaction.atomic
def project_unarchive(*, project: Project, by: User) -> Project:
    return _set_archived(project, by, None, "restored")


def _check_client_name(organization: Organization, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput(_("A client needs a name."), field="name")
    clash = Client.objects.filter(organization=organization, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise InvalidInput(_("There is already a client with this name."), field="name")
    return name


@transaction.atomic
def client_create(*, organization: Organization, by: User, name: str, contacts: str = "") -> Client:
    access.require_org_admin(by, organization)
    client = Client.objects.create(
        organization=organization,
        name=_check_client_name(organization, name),
        contacts=contacts.strip(),
    )
    activity_record(actor=by, verb="created", target=client)
    return client


@transaction.atomic
def client_update(*, client: Client, by: User, version: int, name: str, contacts: str) -> Client:
    access.get_client_for(by, client.organization, client.pk, edit=True)
    locked = Client.objects.select_for_update().get(pk=client.pk)
    check_version(locked, version)
    name = _check_client_name(client.organization, name, exclude_pk=client.pk)
    diff = apply_fields(locked, {"name": name, "contacts": contacts.strip()})
    if diff:
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, diff=diff)
    return locked


# -- the organization's undelivered mail ------------------------------------------------


@transaction.atomic
def undelivered_mail_send_again(
    *, mail: OutgoingMail, organization: Organization, by: User
) -> OutgoingMail:
    """Try a failed mail again from the start (the mail server is back): an org
    admin's choice, for mail of their organization (selectors.undelivered_mail)."""
    access.require_org_admin(by, organization)
    if not undelivered_mail(organization=organization).filter(pk=mail.pk).exists():
        raise InvalidInput(_("This mail is not your organization's."), code="mail_unknown")
    if not mail_send_again(mail.pk):
        raise InvalidInput(
            _("This mail is being tried already: it goes out as soon as the mail server takes it."),
            code="mail_pending",
        )
    mail.refresh_from_db()
    return mail
