"""Reads for the client portal: the same data as the team's, client audience only."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.planning.models import Milestone
from liaison.projects import access
from liaison.projects.models import Project
from liaison.reports.models import StatusReport
from liaison.requirements.models import Baseline


def portal_projects(*, user: User) -> QuerySet[Project]:
    return (
        access.visible_projects(user)
        .filter(memberships__user=user, memberships__role=access.Role.CLIENT)
        .select_related("client", "manager")
        .order_by("-status", "end_date", "code")
    )


@dataclass(frozen=True)
class Decisions:
    """What waits for the client's decision: baselines to sign, milestones to
    accept, changes to approve and reports to acknowledge. Lazy querysets (one
    query each when shown); `filter` narrows them all to one project, as a
    queryset's would."""

    baselines: QuerySet[Baseline]
    milestones: QuerySet[Milestone]
    changes: QuerySet[ChangeRequest]
    reports: QuerySet[StatusReport]

    def filter(self, *, project: Project) -> "Decisions":
        return Decisions(
            baselines=self.baselines.filter(project=project),
            milestones=self.milestones.filter(project=project),
            changes=self.changes.filter(project=project),
            reports=self.reports.filter(project=project),
        )

    def __len__(self) -> int:
        return len(self.baselines) + len(self.milestones) + len(self.changes) + len(self.reports)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Baseline | Milestone | ChangeRequest | StatusReport]:
        yield from self.baselines
        yield from self.milestones
        yield from self.changes
        yield from self.reports


def decisions_waiting(*, user: User) -> Decisions:
    """Everything that waits for the client's decision in any of their
    projects, oldest first: baselines to sign, milestones to accept (only
    those the client can see, submitted and not yet decided), changes sent
    for approval, published reports not yet acknowledged."""
    projects = portal_projects(user=user)
    return Decisions(
        baselines=Baseline.objects.filter(project__in=projects, status=Baseline.Status.PROPOSED)
        .select_related("project", "proposed_by")
        .order_by("proposed_at", "id"),
        milestones=Milestone.objects.filter(
            project__in=projects,
            client_visible=True,
            status=Milestone.Status.SUBMITTED,
        )
        .select_related("project")
        .order_by("due_date", "id"),
        changes=ChangeRequest.objects.filter(
            project__in=projects,
            client_visible=True,
            status=ChangeRequest.Status.AWAITING_CLIENT,
        )
        .select_related("project")
        .only("pk", "key", "title", "sent_at", "project__code", "project__name")
        .order_by("sent_at", "id"),
        reports=StatusReport.objects.filter(
            project__in=projects, status=StatusReport.Status.PUBLISHED
        )
        .select_related("project")
        .defer("data", "summary", "next_steps", "concerns")
        .order_by("published_at", "id"),
    )
