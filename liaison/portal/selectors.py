"""Reads for the client portal: the same data as the team's, client audience only."""

from django.db.models import QuerySet

from liaison.accounts import access
from liaison.accounts.models import User
from liaison.projects.models import Project
from liaison.requirements.models import Baseline


def portal_projects(*, user: User) -> QuerySet[Project]:
    return (
        access.visible_projects(user)
        .filter(memberships__user=user, memberships__role=access.Role.CLIENT)
        .select_related("client", "manager")
        .order_by("-status", "end_date", "code")
    )


def decisions_waiting(*, user: User) -> QuerySet[Baseline]:
    """Everything that waits for the client's decision, oldest first: for now
    the baselines to sign in any of their projects."""
    return (
        Baseline.objects.filter(
            project__in=portal_projects(user=user), status=Baseline.Status.PROPOSED
        )
        .select_related("project", "proposed_by")
        .order_by("proposed_at", "id")
    )
