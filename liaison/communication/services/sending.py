"""Sending an interaction's agenda or minutes by e-mail to its participants:
accounts in their own language, other people in the sender's; the client's
people read only what is visible to them."""

import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.communication.models import ActionItem, Interaction
from liaison.communication.participants import external_label
from liaison.communication.services.interactions import _labels, _portal_url_or_empty
from liaison.core.activity import activity_record
from liaison.core.locking import plain
from liaison.core.mail import mail_queue
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Membership

SEND_WHAT = ("agenda", "minutes")


@dataclass(frozen=True)
class ExternalRecipient:
    """Somebody without an account: written to in the sender's language and time zone."""

    display_name: str
    email: str
    language: str
    time_zone: str
    is_team: bool = False

    def __str__(self) -> str:
        return self.display_name or self.email


def _time_zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@transaction.atomic
def interaction_send(*, interaction: Interaction, by: User, what: str) -> int:
    """E-mail the agenda or the minutes to every participant with an address
    (accounts in their own language, other people in the sender's). Team
    members read every action item; the client's people only the client-visible
    ones. Returns how many e-mails were queued; they leave after the commit,
    through the mail job, so a dead SMTP server never fails this."""
    project = interaction.project
    access.require(by, Action.EDIT, project)
    if what not in SEND_WHAT:
        raise InvalidInput(_("Choose what to send: the agenda or the minutes."), field="what")
    locked = Interaction.objects.select_for_update().get(pk=interaction.pk)
    locked.project = project
    _require_text(locked, what)
    team_ids = set(
        Membership.objects.filter(project=project)
        .exclude(role=Membership.Role.CLIENT)
        .values_list("user_id", flat=True)
    )
    users, externals = _recipients(locked, by, team_ids)
    mailing = _Mailing.of(locked, by, what, team_ids)
    recipients: list[User | ExternalRecipient] = [*users, *externals]
    for recipient in recipients:
        mailing.queue(recipient)
    _stamp_sent(locked, by, what)
    return len(users) + len(externals)


def _require_text(interaction: Interaction, what: str) -> None:
    """Nothing goes out empty."""
    if what == "minutes" and not interaction.minutes.strip():
        raise InvalidInput(
            _("The minutes are empty. Write them before sending them."),
            field="minutes",
            code="empty_minutes",
        )
    if what == "agenda" and not interaction.agenda.strip():
        raise InvalidInput(
            _("The agenda is empty. Write it before sending it."),
            field="agenda",
            code="empty_agenda",
        )


def _recipients(
    interaction: Interaction, by: User, team_ids: set[int]
) -> tuple[list[User], list[ExternalRecipient]]:
    """The participants with an address: accounts, then other people (once each, and
    not when they have an account too). Internal ones go to the team only."""
    users = [
        user
        for user in interaction.participants.filter(is_active=True).order_by("pk")
        if user.email
    ]
    known = {user.email.lower() for user in users}
    externals = [
        ExternalRecipient(
            display_name=person.get("name") or "",
            email=person["email"],
            language=by.language,
            time_zone=by.time_zone,
        )
        for person in interaction.external_participants
        if person.get("email") and person["email"].lower() not in known
    ]
    externals = list({person.email.lower(): person for person in externals}.values())
    if not interaction.client_visible:
        # Internal minutes stay with the team, whoever else took part.
        users, externals = [user for user in users if user.pk in team_ids], []
    if not users and not externals:
        raise InvalidInput(
            _(
                "Nobody to send this to: add participants with an e-mail address "
                "(project members or other participants) first. An interaction that is "
                "not visible to the client goes to the team only."
            ),
            field="participants",
            code="no_recipients",
        )
    return users, externals


@dataclass(frozen=True)
class _Mailing:
    """One agenda or minutes on its way: what each recipient's e-mail is made of."""

    interaction: Interaction
    sender: User
    what: str
    team_ids: set[int]
    items: list[ActionItem]  # the open action items, team and client-visible alike
    names: list[str]  # the participants as the client's people read them
    names_for_team: list[str]

    @classmethod
    def of(cls, interaction: Interaction, by: User, what: str, team_ids: set[int]) -> "_Mailing":
        items = list(
            ActionItem.objects.filter(interaction=interaction)
            .exclude(status=ActionItem.Status.CANCELLED)
            .select_related("owner")
            .order_by("due_date", "id")
        )
        external = interaction.external_participants
        names = _labels(interaction.participants.all()) + [
            person.get("name") or "" for person in external
        ]
        # The team sees the outside people's addresses; nobody outside it sees anyone's.
        names_for_team = _labels(interaction.participants.all()) + [
            external_label(person) for person in external
        ]
        return cls(interaction, by, what, team_ids, items, names, names_for_team)

    def queue(self, recipient: User | ExternalRecipient) -> None:
        is_team = recipient.pk in self.team_ids if isinstance(recipient, User) else False
        items = self.items if is_team else [i for i in self.items if i.client_visible]
        mail_queue(
            to=recipient,
            template=f"communication/email/{self.what}",
            context={
                "interaction": self.interaction,
                "project": self.interaction.project,
                "sender": self.sender,
                "what": self.what,
                "recipient_tz": _time_zone(recipient.time_zone),
                "participant_names": [
                    name for name in (self.names_for_team if is_team else self.names) if name
                ],
                "action_items": items,
                "link": self._link(recipient, is_team),
            },
        )

    def _link(self, recipient: User | ExternalRecipient, is_team: bool) -> str:
        """The team's page or the client's portal page; none for people without an account."""
        if not isinstance(recipient, User):
            return ""
        if is_team:
            return settings.SITE_URL + self.interaction.get_absolute_url()
        if self.interaction.client_visible:
            return settings.SITE_URL + _portal_url_or_empty(self.interaction)
        return ""


def _stamp_sent(interaction: Interaction, by: User, what: str) -> None:
    """When the agenda or minutes last went out, on the interaction and in its history."""
    now = timezone.now()
    stamp = f"{what}_sent_at"
    old = getattr(interaction, stamp)
    setattr(interaction, stamp, now)
    interaction.save(update_fields=[stamp])
    activity_record(
        actor=by,
        verb="sent",
        target=interaction,
        project=interaction.project,
        diff={stamp: [plain(old), plain(now)]},
        client_visible=interaction.client_visible,
    )
