"""Writes of the communication log: recording an interaction, editing it (the
people its minutes mention are told), and the client's "message the team".
Sending the agenda or the minutes is sending.py's."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.attachments import attachment_add
from liaison.collab.mentions import mentioned_users
from liaison.collab.notify import notify
from liaison.communication.models import CommunicationPlanItem, Interaction, Kind
from liaison.communication.participants import external_label, parse_external_participants
from liaison.core import search
from liaison.core.activity import activity_record
from liaison.core.locking import check_version, plain
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_key
from liaison.projects.models import Membership, Project

EDITABLE_FIELDS = (
    "kind",
    "subject",
    "occurred_at",
    "duration_minutes",
    "channel",
    "participants",
    "external_participants",
    "agenda",
    "minutes",
    "decisions",
    "requirements",
    "plan_item",
    "client_visible",
)
M2M_FIELDS = ("participants", "requirements")
MAX_DECISIONS = 50
MAX_TEXT = 50_000
MAX_DURATION = 7 * 24 * 60


# -- cleaning -------------------------------------------------------------------------


def _clean_decisions(value: str | Iterable[object] | None) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    cleaned = [str(item).strip()[:1000] for item in value or () if str(item).strip()]
    if len(cleaned) > MAX_DECISIONS:
        raise InvalidInput(
            _("At most %(count)s decisions.") % {"count": MAX_DECISIONS}, field="decisions"
        )
    return cleaned


def _clean(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "kind" in fields and fields["kind"] not in Kind.values:
        raise InvalidInput(_("Choose a kind of interaction."), field="kind")
    if "subject" in fields:
        fields["subject"] = " ".join((fields["subject"] or "").split())[:300]
        if not fields["subject"]:
            raise InvalidInput(_("Give the interaction a subject."), field="subject")
    if "occurred_at" in fields:
        when = fields["occurred_at"]
        if not isinstance(when, dt.datetime):
            raise InvalidInput(_("Say when it took place."), field="occurred_at")
        check_date(when.date(), "occurred_at")
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        fields["occurred_at"] = when
    if "duration_minutes" in fields:
        duration = fields["duration_minutes"]
        if duration is not None and (
            not isinstance(duration, int) or duration < 0 or duration > MAX_DURATION
        ):
            raise InvalidInput(
                _("The duration is a number of minutes, at most one week."),
                field="duration_minutes",
            )
    if "channel" in fields:
        fields["channel"] = (fields["channel"] or "").strip()[:200]
    for name in ("agenda", "minutes"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
            if len(fields[name]) > MAX_TEXT:
                raise InvalidInput(_("This text is too long."), field=name)
    if "decisions" in fields:
        fields["decisions"] = _clean_decisions(fields["decisions"])
    if "external_participants" in fields:
        fields["external_participants"] = parse_external_participants(
            fields["external_participants"]
        )
    if "participants" in fields:
        fields["participants"] = _clean_participants(project, fields["participants"])
    if "requirements" in fields:
        requirements = list(dict.fromkeys(fields["requirements"] or ()))
        foreign = [r for r in requirements if r.project_id != project.pk]
        if foreign:
            raise InvalidInput(
                _("%(keys)s: not a requirement of this project.")
                % {"keys": ", ".join(str(r.key) for r in foreign)},
                field="requirements",
            )
        fields["requirements"] = requirements
    if "plan_item" in fields:
        item = fields["plan_item"]
        if item is not None and (
            not isinstance(item, CommunicationPlanItem) or item.project_id != project.pk
        ):
            raise InvalidInput(
                _("Choose an item of this project's communication plan."), field="plan_item"
            )
    if "client_visible" in fields:
        fields["client_visible"] = bool(fields["client_visible"])
    return fields


def _clean_participants(project: Project, participants: Iterable[User] | None) -> list[User]:
    people = list({user.pk: user for user in participants or ()}.values())
    if not people:
        return []
    members = set(
        Membership.objects.filter(
            project=project, user__in=[user.pk for user in people], user__is_active=True
        ).values_list("user_id", flat=True)
    )
    outsiders = [user for user in people if user.pk not in members]
    if outsiders:
        # Named by id only: a name would tell who else has an account on this server.
        raise InvalidInput(
            _(
                "Users %(ids)s are not members of this project. Add people without an "
                "account as other participants."
            )
            % {"ids": ", ".join(str(user.pk) for user in outsiders)},
            field="participants",
            code="not_a_member",
        )
    return people


# -- mentions -------------------------------------------------------------------------


def _mentioned(interaction_or_fields: Mapping[str, Any], project: Project) -> dict[int, User]:
    minutes = interaction_or_fields["minutes"]
    visible = interaction_or_fields["client_visible"]
    return {
        user.pk: user for user in mentioned_users(minutes, project, audience_client_visible=visible)
    }


def _notify_mentioned(interaction: Interaction, people: list[User], by: User) -> None:
    """Team members get the team's page, clients (only ever mentioned in a
    client-visible text) the portal's."""
    if not people:
        return
    clients = set(
        Membership.objects.filter(
            project=interaction.project,
            role=Membership.Role.CLIENT,
            user__in=[person.pk for person in people],
        ).values_list("user_id", flat=True)
    )
    for group, url in (
        ([p for p in people if p.pk not in clients], interaction.get_absolute_url()),
        ([p for p in people if p.pk in clients], _portal_url_or_empty(interaction)),
    ):
        if group:
            notify(
                event="mentioned",
                recipients=group,
                actor=by,
                project=interaction.project,
                message=_("%(actor)s mentioned you in %(target)s"),
                params={"actor": by, "target": interaction},
                url=url,
            )


def _portal_url_or_empty(interaction: Interaction) -> str:
    try:
        return interaction.portal_url()
    except NoReverseMatch:  # pragma: no cover - the portal is always installed
        return ""


# -- the team's writes ------------------------------------------------------------------


def _labels(people: Iterable[object]) -> list[str]:
    return [str(person) for person in people]


@transaction.atomic
def interaction_create(*, project: Project, by: User, **fields: Any) -> Interaction:
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    fields = _clean(
        project,
        {
            "kind": Kind.MEETING,
            "subject": "",
            "occurred_at": None,
            "minutes": "",
            "client_visible": False,
            **fields,
        },
    )
    participants = fields.pop("participants", [])
    requirements = fields.pop("requirements", [])
    interaction = Interaction.objects.create(
        project=project, key=next_key(project=project, prefix="COM"), created_by=by, **fields
    )
    interaction.project = project
    search.index(interaction)
    if participants:
        interaction.participants.set(participants)
    if requirements:
        interaction.requirements.set(requirements)
    activity_record(
        actor=by,
        verb="created",
        target=interaction,
        project=project,
        client_visible=interaction.client_visible,
    )
    mentioned = _mentioned(fields, project)
    _notify_mentioned(interaction, list(mentioned.values()), by)
    return interaction


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, by: User, version: int, **fields: Any
) -> Interaction:
    project = interaction.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, EDITABLE_FIELDS)
    locked = Interaction.objects.select_for_update().get(pk=interaction.pk)
    locked.project = project
    check_version(locked, version)
    fields = _clean(project, fields)
    before_mentions = _mentioned(
        {"minutes": locked.minutes, "client_visible": locked.client_visible}, project
    )
    diff: dict[str, list[object]] = {}
    scalar: list[str] = []
    for name, new in fields.items():
        if name in M2M_FIELDS:
            old = list(getattr(locked, name).all())
            if {o.pk for o in old} != {n.pk for n in new}:
                diff[name] = [_labels(old), _labels(new)]
                getattr(locked, name).set(new)
            continue
        old = getattr(locked, name)
        same = (
            (old.pk if old is not None else None) == (new.pk if new is not None else None)
            if name == "plan_item"
            else plain(old) == plain(new)
        )
        if not same:
            if name == "external_participants":
                diff[name] = [
                    [external_label(p) for p in old],
                    [external_label(p) for p in new],
                ]
            else:
                diff[name] = [plain(old), plain(new)]
            setattr(locked, name, new)
            scalar.append(name)
    if diff:
        locked.version += 1
        locked.save(update_fields=[*scalar, "version", "updated_at"])
        search.index_changed(locked, diff)
        activity_record(
            actor=by,
            verb="updated",
            target=locked,
            project=project,
            diff=diff,
            client_visible=locked.client_visible,
        )
        after = _mentioned(
            {"minutes": locked.minutes, "client_visible": locked.client_visible}, project
        )
        _notify_mentioned(
            locked, [user for pk, user in after.items() if pk not in before_mentions], by
        )
    return locked


# -- the client's message -----------------------------------------------------------------


@transaction.atomic
def message_from_client(
    *,
    project: Project,
    by: User,
    subject: str,
    body: str,
    upload: "UploadedFile[bytes] | None" = None,
) -> Interaction:
    """The portal's "message the team": an e-mail interaction on record,
    visible to the client, with the client as participant and the file they
    attached (checked as any attachment: refused, nothing is kept); the manager
    is told."""
    access.require(by, Action.COMMENT, project)
    subject = " ".join((subject or "").split())[:300]
    body = (body or "").strip()
    if not subject:
        raise InvalidInput(_("Give your message a subject."), field="subject")
    if not body:
        raise InvalidInput(_("Write your message."), field="body")
    if len(body) > MAX_TEXT:
        raise InvalidInput(_("This text is too long."), field="body")
    interaction = Interaction.objects.create(
        project=project,
        key=next_key(project=project, prefix="COM"),
        kind=Kind.EMAIL,
        subject=subject,
        occurred_at=timezone.now(),
        minutes=body,
        client_visible=True,
        created_by=by,
    )
    interaction.project = project
    search.index(interaction)
    interaction.participants.add(by)
    activity_record(
        actor=by, verb="created", target=interaction, project=project, client_visible=True
    )
    if upload is not None:
        attachment_add(
            target=interaction, project=project, by=by, upload=upload, need=Action.COMMENT
        )
    notify(
        event="message",
        recipients=[project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s sent a message: %(target)s"),
        params={"actor": by, "target": interaction},
        url=interaction.get_absolute_url(),
    )
    return interaction
