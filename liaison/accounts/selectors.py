"""Reads about people and organizations for pages and endpoints."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from liaison.accounts.models import ApiToken, Client, Organization, SetupToken, User
from liaison.projects import access
from liaison.projects.models import Membership


def current_organization(request) -> Organization | None:
    """The organization chosen in the switcher (kept in the session), else the first."""
    organizations = list(access.user_organizations(request.user))
    chosen = request.session.get("organization_id")
    for organization in organizations:
        if organization.pk == chosen:
            return organization
    return organizations[0] if organizations else None


def client_list(*, user: User, organization: Organization) -> QuerySet[Client]:
    """The client companies the user may see, each with the number of its
    projects the user may see (a count must not reveal the others)."""
    projects = access.visible_projects(user).filter(organization=organization)
    return access.visible_clients(user, organization).annotate(
        project_count=Count("projects", filter=Q(projects__in=projects.values("pk")))
    )


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


def client_members(*, project) -> list[User]:
    """The client's people on a project: whom a decision or a report is for."""
    return [
        m.user
        for m in Membership.objects.filter(
            project=project, role=Membership.Role.CLIENT
        ).select_related("user")
    ]


def _client_people_of(client: Client) -> QuerySet[User]:
    """Everyone who is a client member of any project of this client company."""
    return User.objects.filter(
        memberships__role=Membership.Role.CLIENT, memberships__project__client=client
    ).distinct()


def client_email_domains(*, client: Client) -> set[str]:
    """The e-mail domains of the client company's people (from its client
    members): an address there is most likely theirs, not the firm's."""
    emails = _client_people_of(client).values_list("email", flat=True)
    return {email.rsplit("@", 1)[-1].lower() for email in emails if "@" in email}


def client_language(*, client: Client) -> str:
    """The language most of the client company's people chose; "" when it has
    nobody yet (ties go to the language of the earliest of them)."""
    languages = list(
        _client_people_of(client).order_by("date_joined", "pk").values_list("language", flat=True)
    )
    return max(languages, key=languages.count) if languages else ""


def invitation_language(*, project, by: User, role: str) -> str:
    """The language an invitation goes out in when the inviter leaves it to
    us: the client company's for a client, else the inviter's own."""
    if role == Membership.Role.CLIENT:
        company = client_language(client=project.client)
        if company:
            return company
    return by.language or settings.LANGUAGE_CODE
