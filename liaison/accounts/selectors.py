"""Reads about people and organizations for pages and endpoints."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from liaison.accounts.models import ApiToken, Organization, SetupToken, User, UserSession

# -- the first run -------------------------------------------------------------


def first_run_pending() -> bool:
    """A fresh instance: no organization yet, so nobody can use Liaison."""
    return not Organization.objects.exists()


def setup_token_oldest() -> datetime:
    """When the oldest setup link still valid was made: a link found later in
    an old log must not open the instance."""
    return timezone.now() - timedelta(hours=settings.SETUP_TOKEN_HOURS)


def setup_token_valid(secret: str) -> bool:
    """The secret of an unused, recent setup link (see organization_services)."""
    if not secret or len(secret) > 100:
        return False
    return SetupToken.objects.filter(
        digest=ApiToken.digest_of(secret), created_at__gte=setup_token_oldest()
    ).exists()


def organization_staff(*, organization: Organization) -> QuerySet[User]:
    return User.objects.filter(org_memberships__organization=organization, is_active=True).order_by(
        "display_name"
    )


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def sessions_of(*, user: User) -> list[UserSession]:
    """Where the person is signed in: their recorded sign-ins whose session is
    still alive, newest first (one query)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(
        UserSession.objects.filter(user=user, session_key__in=live).only(
            "session_key", "user_agent", "ip", "created_at"
        )
    )
