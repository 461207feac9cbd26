"""Reads for the client portal: the same data as the team's, client audience only."""

from django.db.models import QuerySet

from liaison.accounts import access
from liaison.accounts.models import User
from liaison.projects.models import Project


def portal_projects(*, user: User) -> QuerySet[Project]:
    return (
        access.visible_projects(user)
        .filter(memberships__user=user, memberships__role=access.Role.CLIENT)
        .select_related("client", "manager")
        .order_by("-status", "end_date", "code")
    )
