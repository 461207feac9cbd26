"""Writes about people: settings, throttled sign-in, tokens, clients, memberships."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from liaison.accounts import access
from liaison.accounts.access import Action
from liaison.accounts.models import (
    ApiToken,
    Client,
    LoginFailure,
    Membership,
    Organization,
    OrgMembership,
    User,
)
from liaison.accounts.selectors import client_email_domains, invitation_language
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.mail import mail_queue
from liaison.core.models import NotificationPreference
from liaison.core.notify import KINDS, notification_channels, notify
from liaison.core.request_info import throttle_address
from liaison.core.services import InvalidInput

Role = Membership.Role

# -- sign-in throttling -------------------------------------------------------


def login_lockout_minutes(*, email: str, ip: str | None) -> int:
    """Minutes until this account may try again from this address; 0 when it
    may try now. Three counts, each over the window (see the settings):
    - the account from this address (LOGIN_FAILURE_LIMIT): guessing one
      password from one place;
    - the address, whatever the accounts (LOGIN_FAILURE_IP_LIMIT): one place
      trying a few passwords on many accounts (password spraying);
    - the account, whatever the addresses (LOGIN_FAILURE_ACCOUNT_LIMIT): kept
      well above the first, so a stranger cannot lock a person out from
      everywhere with a handful of bad tries, yet a guesser who spreads over
      many addresses is stopped."""
    email, ip = email.strip().lower(), throttle_address(ip)
    failures = LoginFailure.objects.filter(email=email, ip=ip)
    counts = [(failures, settings.LOGIN_FAILURE_LIMIT)]
    if ip:
        counts.append((LoginFailure.objects.filter(ip=ip), settings.LOGIN_FAILURE_IP_LIMIT))
    counts.append((LoginFailure.objects.filter(email=email), settings.LOGIN_FAILURE_ACCOUNT_LIMIT))
    return max(_minutes_locked(queryset, limit) for queryset, limit in counts)


def _minutes_locked(failures, limit: int) -> int:
    """0 while fewer than `limit` of these failures are in the window; else the
    minutes until the oldest of the last `limit` leaves it."""
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    recent = list(
        failures.filter(created_at__gte=timezone.now() - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return 0
    seconds = (recent[-1] + window - timezone.now()).total_seconds()
    return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


def login_failure_record(*, email: str, ip: str | None) -> None:
    LoginFailure.objects.create(email=email.strip().lower()[:254], ip=throttle_address(ip))


def login_failures_clear(*, email: str, ip: str | None) -> None:
    """A success from this address forgets this account's failures from it
    only: a person signing in elsewhere must not give a guesser fresh tries,
    and the address's count against other accounts stays."""
    LoginFailure.objects.filter(email=email.strip().lower(), ip=throttle_address(ip)).delete()


# -- the user's own settings --------------------------------------------------


@transaction.atomic
def user_settings_update(
    *, user: User, by: User, version: int, display_name: str, language: str, time_zone: str
) -> User:
    if user.pk != by.pk:
        raise InvalidInput(_("You can only change your own settings."))
    locked = User.objects.select_for_update().get(pk=user.pk)
    check_version(locked, version)
    diff = apply_fields(
        locked, {"display_name": display_name.strip(), "language": language, "time_zone": time_zone}
    )
    if diff:
        locked.version += 1
        locked.save(update_fields=[*diff, "version"])
        activity_record(actor=by, verb="updated", target=locked, diff=diff)
    return locked


def user_language_set(*, by: User, language: str) -> None:
    """The language switcher: `by` sets their own language; no version check, it
    is a single preference."""
    if language not in dict(User.Language.choices):
        raise InvalidInput(_("Unknown language."), field="language")
    if by.language != language:
        diff = {"language": [by.language, language]}
        User.objects.filter(pk=by.pk).update(language=language, version=by.version + 1)
        by.language = language
        by.version += 1
        activity_record(actor=by, verb="updated", target=by, diff=diff)


@transaction.atomic
def notification_preferences_update(
    *, by: User, channels: dict[str, str], daily_digest: bool
) -> dict[str, list]:
    """The user's own choice per kind of event (core.notify.KINDS): e-mail and
    inbox, inbox only, or off; and one e-mail a day instead of one per event.
    Kinds left out of `channels` keep what they had. Returns the diff."""
    unknown = set(channels) - set(KINDS)
    if unknown:
        raise InvalidInput(_("Unknown events: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for kind, channel in channels.items():
        if channel not in NotificationPreference.Channel.values:
            raise InvalidInput(_("Choose one of the options."), field=kind)
    current = notification_channels(by)
    diff = {}
    for kind, channel in channels.items():
        if current[kind] != channel:
            NotificationPreference.objects.update_or_create(
                user=by, event=kind, defaults={"channel": channel}
            )
            diff[f"notifications.{kind}"] = [current[kind], channel]
    daily_digest = bool(daily_digest)
    if by.daily_digest != daily_digest:
        User.objects.filter(pk=by.pk).update(daily_digest=daily_digest)
        diff["daily_digest"] = [by.daily_digest, daily_digest]
        by.daily_digest = daily_digest
    if diff:
        activity_record(actor=by, verb="updated", target=by, diff=diff)
    return diff


# -- personal access tokens ---------------------------------------------------


@transaction.atomic
def api_token_create(*, by: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and its secret, which is never stored or shown again."""
    name = name.strip()
    if not name:
        raise InvalidInput(
            _("Give the token a name, such as the script that will use it."), field="name"
        )
    secret = "lsn_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by, name=name[:100], prefix=secret[:10], digest=ApiToken.digest_of(secret)
    )
    activity_record(actor=by, verb="created", target=token)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk:
        raise InvalidInput(_("You can only revoke your own tokens."))
    activity_record(actor=by, verb="revoked", target=token)
    token.delete()


@transaction.atomic
def api_tokens_revoke_all(*, by: User, reason: str) -> int:
    """Revoke every token of `by` once their password changed or was reset:
    whoever knew the old password may have made one, and a token outliving
    the password would keep them in. Returns how many were revoked."""
    tokens = list(ApiToken.objects.filter(user=by))
    for token in tokens:
        activity_record(actor=by, verb="revoked", target=token, diff={"reason": [None, reason]})
    ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).delete()
    return len(tokens)


def api_token_authenticate(*, secret: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write the last-use time at most once a minute: reads should stay reads.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# -- the calendar feed ---------------------------------------------------------


@transaction.atomic
def calendar_feed_reset(*, by: User) -> str:
    """A new secret for the user's calendar feed link, replacing any earlier one
    (which stops working at once). Returns the secret, shown once: only its
    SHA-256 is stored."""
    secret = "cal_" + secrets.token_urlsafe(32)
    replaced = bool(by.calendar_digest)
    by.calendar_digest = ApiToken.digest_of(secret)
    User.objects.filter(pk=by.pk).update(calendar_digest=by.calendar_digest)
    activity_record(actor=by, verb="updated", target=by, diff={"calendar_feed": [replaced, True]})
    return secret


def calendar_feed_user(*, secret: str) -> User | None:
    """The active user whose feed link carries this secret, or None."""
    if not secret or len(secret) > 100:
        return None
    return User.objects.filter(calendar_digest=ApiToken.digest_of(secret), is_active=True).first()


# -- client companies ---------------------------------------------------------


def _check_client_name(organization: Organization, name: str, exclude_pk=None) -> str:
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


# -- project members ----------------------------------------------------------


def _invitation_link(*, user: User, project, role: str) -> str:
    """Where the invitation e-mail leads. Anyone who has not chosen a password
    yet (a second invitation before the first was used, too) gets a link to
    choose one, which signs them in and opens the project (or the portal);
    others go straight there. Always on SITE_URL, never on a request's host."""
    if user.has_usable_password():
        if role == Role.CLIENT:
            return settings.SITE_URL + reverse("portal:home")
        return settings.SITE_URL + reverse("projects:overview", kwargs={"code": project.code})
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse(
        "accounts:invitation-accept", kwargs={"code": project.code, "uidb64": uid, "token": token}
    )


def _clean_email(email: str) -> str:
    """The API has no form in front of the service: check the address here."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="email") from None
    return email


def _user_for_invite(*, email: str, display_name: str, role: str, project, language: str) -> User:
    """The invited person's account, created if new. Team roles make the person
    staff of the organization; the client role keeps them portal-only."""
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email=email, display_name=display_name or email.split("@")[0], language=language
        )
    elif not user.is_active:
        # A deactivated person has no org roles to check against, and would
        # silently get a membership they cannot use.
        raise InvalidInput(
            _("%(email)s is deactivated; an administrator must reactivate the account first.")
            % {"email": email},
            field="email",
        )
    elif not user.has_usable_password() and user.language != language:
        # Invited before and never signed in: nobody has chosen a language for
        # them but the inviters, and the latest knows best.
        User.objects.filter(pk=user.pk).update(language=language, version=user.version + 1)
        user.language = language
        user.version += 1
    staff = access.is_staff_user(user)
    if role == Role.CLIENT and staff:
        raise InvalidInput(
            _("%(email)s is on your team; a team member cannot be a client of a project.")
            % {"email": email},
            field="role",
        )
    if (
        role != Role.CLIENT
        and not created
        and not staff
        and Membership.objects.filter(user=user, role=Role.CLIENT).exists()
    ):
        raise InvalidInput(
            _("%(email)s is a client user; invite them with the client role.") % {"email": email},
            field="role",
        )
    if role != Role.CLIENT and project.organization_id not in access.org_roles(user):
        OrgMembership.objects.create(organization_id=project.organization_id, user=user)
        user._liaison_org_roles = None
    return user


def _team_role_warning(*, project, email: str, role: str) -> str:
    """Why giving this address a team role deserves a second look, in plain
    words; "" when it does not. A team role opens the internal pages (internal
    notes and comments, costs) and makes the person staff of the organization:
    an address of the client company's, or a stranger to the team, is more
    likely a slip of the role menu than a new colleague."""
    if role == Role.CLIENT:
        return ""
    access_text = (
        _("A manager sees internal notes, comments and costs, and can add and remove members.")
        if role == Role.MANAGER
        else _("A team member sees internal notes, comments and costs.")
    )
    domain = email.rsplit("@", 1)[-1]
    if domain in client_email_domains(client=project.client):
        return _(
            "%(email)s has an address at %(domain)s, like the people of %(client)s. "
            "%(access)s If they are the client's, choose the Client role."
        ) % {"email": email, "domain": domain, "client": project.client, "access": access_text}
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None or project.organization_id not in access.org_roles(existing):
        return _(
            "%(email)s is not on your team yet: this invitation makes them staff of "
            "%(organization)s. %(access)s If they are the client's, choose the Client role."
        ) % {"email": email, "organization": project.organization, "access": access_text}
    return ""


@transaction.atomic
def member_invite(
    *,
    project,
    by: User,
    email: str,
    role: str,
    display_name: str = "",
    language: str = "",
    confirm: bool = False,
) -> Membership:
    """Add a person to the project by e-mail, creating their account if new.
    `language` is the invitation's (and a new person's preference); empty: see
    invitation_language. A team role for someone who is not on the team yet,
    or whose address looks like the client company's, needs `confirm`."""
    access.require(by, Action.MANAGE, project)
    email = _clean_email(email)
    if role not in Role.values:
        raise InvalidInput(_("Choose a role."), field="role")
    if language and language not in User.Language.values:
        raise InvalidInput(_("Unknown language."), field="language")
    if Membership.objects.filter(project=project, user__email__iexact=email).exists():
        raise InvalidInput(
            _("%(email)s is already a member of this project.") % {"email": email},
            field="email",
            code="already_member",
        )
    warning = _team_role_warning(project=project, email=email, role=role)
    user = _user_for_invite(
        email=email,
        display_name=display_name.strip(),
        role=role,
        project=project,
        language=language or invitation_language(project=project, by=by, role=role),
    )
    # Checked after the account's own rules, which say more precisely what is
    # wrong; everything written so far is rolled back with the refusal.
    if warning and not confirm:
        raise InvalidInput(warning, field="confirm", code="confirm_team_role")
    membership = Membership.objects.create(project=project, user=user, role=role)
    activity_record(
        actor=by,
        verb="invited",
        target=membership,
        project=project,
        diff={"role": [None, role]},
    )
    notify(
        event="member.added",
        recipients=[user],
        actor=by,
        project=project,
        message=_("%(actor)s added you to %(project)s as %(role)s"),
        room_message=_("%(actor)s added %(member)s to %(project)s as %(role)s"),
        params={"actor": by, "member": user, "project": project, "role": Role(role).label},
        url=reverse(
            "portal:home" if role == Role.CLIENT else "projects:overview",
            kwargs={} if role == Role.CLIENT else {"code": project.code},
        ),
    )
    # In the person's own language: the inviter's choice for someone who has
    # not signed in yet (saved above), else the one they chose themselves.
    mail_queue(
        to=user,
        template="accounts/email/invite",
        context={
            "project": project,
            "inviter": by,
            "membership": membership,
            "link": _invitation_link(user=user, project=project, role=role),
        },
    )
    return membership


def _guard_project_manager(membership: Membership) -> None:
    if membership.user_id == membership.project.manager_id:
        raise InvalidInput(
            _("%(name)s is the project's manager. Choose another manager on the project first.")
            % {"name": membership.user},
            field="role",
        )


@transaction.atomic
def membership_change_role(
    *, membership: Membership, by: User, version: int, role: str
) -> Membership:
    access.require(by, Action.MANAGE, membership.project)
    locked = (
        Membership.objects.select_for_update()
        .select_related("project", "user")
        .get(pk=membership.pk)
    )
    check_version(locked, version)
    if role not in Role.values:
        raise InvalidInput(_("Choose a role."), field="role")
    if (role == Role.CLIENT) != (locked.role == Role.CLIENT):
        raise InvalidInput(
            _(
                "A team member cannot become a client, nor a client a team member. "
                "Remove and invite the person again."
            ),
            field="role",
        )
    if role != locked.role:
        _guard_project_manager(locked)
    diff = apply_fields(locked, {"role": role})
    if diff:
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=locked.project, diff=diff)
    return locked


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    access.require(by, Action.MANAGE, membership.project)
    _guard_project_manager(membership)
    activity_record(
        actor=by,
        verb="removed",
        target=membership,
        project=membership.project,
        diff={"role": [membership.role, None]},
    )
    membership.delete()
