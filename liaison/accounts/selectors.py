"""Reads about people and organizations for pages and endpoints."""

from django.db.models import Count, QuerySet

from liaison.accounts import access
from liaison.accounts.models import ApiToken, Client, Membership, Organization, User


def current_organization(request) -> Organization | None:
    """The organization chosen in the switcher (kept in the session), else the first."""
    organizations = list(access.user_organizations(request.user))
    chosen = request.session.get("organization_id")
    for organization in organizations:
        if organization.pk == chosen:
            return organization
    return organizations[0] if organizations else None


def client_list(*, organization: Organization) -> QuerySet[Client]:
    return Client.objects.filter(organization=organization).annotate(
        project_count=Count("projects")
    )


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
