"""Reads of action items: a project's list, one item, and a person's own."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, QueryDict
from django.utils import timezone

from liaison.accounts.models import User
from liaison.communication.models import ActionItem
from liaison.core.params import positive_int
from liaison.projects import access
from liaison.projects.access import Audience
from liaison.projects.models import Membership, Project

Status = ActionItem.Status
ALL = "all"


@dataclass(frozen=True)
class ActionItemFilters:
    status: str = Status.OPEN  # a status, or "all"
    owner: int | None = None  # a user id
    overdue: bool = False
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "ActionItemFilters":
        status = query.get("status", "")
        return cls(
            status=status if status in (*Status.values, ALL) else Status.OPEN,
            owner=positive_int(query.get("owner")),
            overdue=query.get("overdue", "") in ("1", "on", "true"),
            q=query.get("q", "").strip()[:100],
        )

    def apply(
        self, rows: QuerySet[ActionItem], *, with_status: bool = True
    ) -> QuerySet[ActionItem]:
        if self.q:
            rows = rows.filter(Q(title__icontains=self.q) | Q(key__iexact=self.q))
        if self.owner:
            rows = rows.filter(owner_id=self.owner)
        if self.overdue:
            rows = rows.filter(overdue_q())
        if with_status and self.status != ALL:
            rows = rows.filter(status=self.status)
        return rows

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.owner or self.overdue or self.status != Status.OPEN)

    def query(self, **changes: object) -> str:
        """This filter's query string with some values replaced (chips, pages)."""
        params = {
            "status": self.status,
            "owner": self.owner or "",
            "overdue": "1" if self.overdue else "",
            "q": self.q,
            **changes,
        }
        return urlencode({key: value for key, value in params.items() if value not in ("", None)})


def overdue_q(today: dt.date | None = None) -> Q:
    return Q(status=Status.OPEN, due_date__lt=today or timezone.localdate())


def _ordered(rows: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    """Overdue first, then by due date (undated last), then by key order."""
    today = timezone.localdate()
    return rows.annotate(
        overdue_rank=Case(
            When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("overdue_rank", F("due_date").asc(nulls_last=True), "id")


def action_item_list(
    *, project: Project, audience: Audience, filters: ActionItemFilters
) -> QuerySet[ActionItem]:
    rows: QuerySet[ActionItem] = ActionItem.objects.for_audience(audience).filter(project=project)
    rows = filters.apply(rows).select_related("owner", "interaction")
    return _ordered(rows)


def action_item_counts(
    *, project: Project, audience: Audience, filters: ActionItemFilters
) -> dict[str, int]:
    """The chips' numbers, in one query: per status and overdue, under the other filters."""
    rows = filters.apply(
        ActionItem.objects.for_audience(audience).filter(project=project), with_status=False
    )
    counts: dict[str, int] = rows.aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in Status.values},
        all=Count("id"),
        overdue=Count("id", filter=overdue_q()),
    )
    return counts


def action_item_get(*, project: Project, audience: Audience, key: str) -> ActionItem:
    item = (
        ActionItem.objects.for_audience(audience)
        .filter(project=project, key=key)
        .select_related("project", "owner", "interaction", "created_by")
        .first()
    )
    if item is None:
        raise Http404
    return item


def action_item_owners(*, project: Project) -> list[User]:
    """Who may own an item: the team (managers, members) and the client contacts."""
    memberships = (
        Membership.objects.filter(
            project=project,
            role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER, Membership.Role.CLIENT),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("role", "user__display_name", "user__id")
    )
    return [membership.user for membership in memberships]


def my_action_items(*, user: User, limit: int = 10) -> list[ActionItem]:
    """Open items the user owns in projects they can see, overdue first, then by due date."""
    if not user.is_authenticated:
        return []
    rows = ActionItem.objects.filter(
        owner=user,
        status=Status.OPEN,
        project__in=access.visible_projects(user).values("pk"),
    )
    if access.is_client_user(user):
        rows = rows.filter(client_visible=True)
    return list(_ordered(rows).select_related("project", "interaction")[:limit])
