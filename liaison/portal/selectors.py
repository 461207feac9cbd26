"""Reads for the client portal: the same data as the team's, client audience only."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from liaison.accounts.models import User
from liaison.core.registry import ClientDecision, registry
from liaison.projects import access
from liaison.projects.models import Project


def portal_projects(*, user: User) -> QuerySet[Project]:
    return (
        access.visible_projects(user)
        .filter(memberships__user=user, memberships__role=access.Role.CLIENT)
        .select_related("client", "manager")
        .order_by("-status", "end_date", "code")
    )


@dataclass(frozen=True)
class Waiting:
    """One kind of decision and its rows (a lazy queryset)."""

    kind: ClientDecision
    rows: QuerySet[Any]


@dataclass(frozen=True)
class Decisions:
    """What waits for the client's decision, kind by kind as the features
    register them (core.registry.ClientDecision): baselines to sign,
    milestones to accept, changes to approve, reports to acknowledge… One
    query per kind when shown; `filter` narrows them all to one project, as a
    queryset's would."""

    kinds: tuple[Waiting, ...]

    def filter(self, *, project: Project) -> "Decisions":
        return Decisions(tuple(Waiting(w.kind, w.rows.filter(project=project)) for w in self.kinds))

    def __len__(self) -> int:
        return sum(len(waiting.rows) for waiting in self.kinds)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Any]:
        for waiting in self.kinds:
            yield from waiting.rows


def decisions_waiting(*, user: User) -> Decisions:
    """Everything that waits for the client's decision in any of their
    projects, each kind oldest first."""
    projects = portal_projects(user=user)
    return Decisions(
        tuple(Waiting(kind, kind.waiting(projects)) for kind in registry.client_decisions)
    )
