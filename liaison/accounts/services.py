"""Writes about people: their settings, throttled sign-in, API tokens, the calendar feed."""

import secrets
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import (
    ApiToken,
    LoginFailure,
    User,
    UserSession,
)
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version
from liaison.core.request_info import throttle_address
from liaison.core.services import InvalidInput

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


def _minutes_locked(failures: QuerySet[LoginFailure], limit: int) -> int:
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


# -- project members ----------------------------------------------------------


def clean_email(*, email: str) -> str:
    """The API has no form in front of the service: check the address here."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="email") from None
    return email


# -- where a person is signed in ----------------------------------------------------

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def session_record(*, by: User, session_key: str, user_agent: str, ip: str | None) -> None:
    """Note a sign-in of `by` (the session just made), for their sessions list."""
    UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": by, "user_agent": user_agent[:200], "ip": ip},
    )


def session_forget(*, by: User, session_key: str) -> None:
    """The person signed out of this session: it leaves their list."""
    UserSession.objects.filter(user=by, session_key=session_key).delete()


@transaction.atomic
def sessions_end_others(*, by: User, keep: str) -> int:
    """Sign `by` out everywhere but the session `keep` (the one asking). Ends
    every live session of theirs, listed or not. Returns how many ended."""
    ended = sessions_end(by=by, user=by, keep=keep)
    if ended:
        activity_record(actor=by, verb="signed_out_elsewhere", target=by, diff={})
    return ended


def sessions_end(*, by: User, user: User, keep: str = "") -> int:
    """End `user`'s sessions but `keep` (their own sign-out elsewhere, or an
    admin taking a contact out: `by` has been checked by the caller). Sessions
    are keyed by their secret, not by person, so the live ones are read: a
    rare step can afford it."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep:
            continue
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            SessionStore(session_key=session.session_key).delete()
            ended += 1
    UserSession.objects.filter(user=user).exclude(session_key=keep).delete()
    return ended
