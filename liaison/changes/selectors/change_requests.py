"""Reads of change requests: the list with its filters and the status chips'
counts, and one change with what it touches."""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from liaison.changes.models import ChangeRequest
from liaison.collab.models import Comment
from liaison.planning.models import Milestone, Task
from liaison.projects.access import Audience
from liaison.projects.models import Project
from liaison.requirements.models import Requirement

Status = ChangeRequest.Status
MAX_TEXT_QUERY = 100


SORTS = {
    "-number": ("-number",),
    "number": ("number",),
    "title": ("title", "-number"),
    "status": ("status", "-number"),
    "-updated": ("-updated_at", "-number"),
}

# What a row of the list shows: never the long texts nor the cost.
ROW_FIELDS = (
    "pk",
    "project_id",
    "key",
    "number",
    "title",
    "origin",
    "priority",
    "status",
    "client_visible",
    "sent_at",
    "decided_at",
    "created_at",
    "updated_at",
    "version",
    "requested_by__display_name",
    "requested_by__email",
    "owner__display_name",
    "owner__email",
)


@dataclass(frozen=True)
class ChangeFilters:
    status: str = ""
    origin: str = ""
    q: str = ""
    sort: str = "-number"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "ChangeFilters":
        status = (query.get("status") or "").strip()
        origin = (query.get("origin") or "").strip()
        sort = (query.get("sort") or "").strip()
        return cls(
            status=status if status in Status.values else "",
            origin=origin if origin in ChangeRequest.Origin.values else "",
            q=" ".join((query.get("q") or "").split())[:MAX_TEXT_QUERY],
            sort=sort if sort in SORTS else "-number",
        )

    @property
    def active(self) -> bool:
        """Whether anything but the order narrows the list."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "sort")

    def params(self) -> dict[str, str]:
        """The query-string form, without empty or default values."""
        values = {
            "status": self.status,
            "origin": self.origin,
            "q": self.q,
            "sort": self.sort if self.sort != "-number" else "",
        }
        return {key: value for key, value in values.items() if value}

    def query(self, **changes: str) -> str:
        """This filter's query string with some values replaced (chips, sort links)."""
        params = {**self.params(), **changes}
        return urlencode({key: value for key, value in params.items() if value})

    def q_filter(self, *, with_status: bool = True) -> Q:
        # The field `q` holds the words, so the condition has its own name (as
        # InteractionFilters.q_filter).
        condition = Q()
        if with_status and self.status:
            condition &= Q(status=self.status)
        if self.origin:
            condition &= Q(origin=self.origin)
        for word in self.q.split()[:8]:
            condition &= (
                Q(key__iexact=word) | Q(title__icontains=word) | Q(description__icontains=word)
            )
        return condition


def _comment_count(audience: Audience) -> Coalesce:
    comments = Comment.objects.for_audience(audience).filter(
        target_type=ContentType.objects.get_for_model(ChangeRequest), target_id=OuterRef("pk")
    )
    return Coalesce(
        Subquery(
            comments.order_by().values("target_id").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def change_list(
    *, project: Project, audience: Audience, filters: ChangeFilters | None = None
) -> QuerySet[ChangeRequest]:
    """The rows of the list, each with its comment count as this audience sees it."""
    filters = filters or ChangeFilters()
    return (
        ChangeRequest.objects.for_audience(audience)
        .filter(project=project)
        .filter(filters.q_filter())
        .select_related("requested_by", "owner")
        .only(*ROW_FIELDS)
        .annotate(comment_count=_comment_count(audience))
        .order_by(*SORTS[filters.sort])
    )


def change_status_counts(
    *, project: Project, audience: Audience, filters: ChangeFilters | None = None
) -> dict[str, int]:
    """Status → how many changes match the other filters (the chips), in one query."""
    filters = filters or ChangeFilters()
    rows = (
        ChangeRequest.objects.for_audience(audience)
        .filter(project=project)
        .filter(filters.q_filter(with_status=False))
    )
    return dict(rows.order_by().values_list("status").annotate(n=Count("pk")))


def change_get(*, project: Project, audience: Audience, key: str) -> ChangeRequest:
    """One change with everything its page shows; 404 when this audience may not see it.
    The client reads the cost only when the team shares it."""
    rows = (
        ChangeRequest.objects.for_audience(audience)
        .select_related("requested_by", "owner", "decided_by", "baseline", "plan_baseline")
        # A decided change names its baselines; their contents (every requirement,
        # every task's dates) no page of the change shows.
        .defer("baseline__content", "plan_baseline__tasks", "plan_baseline__milestones")
        .annotate(comment_count=_comment_count(audience))
        .prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.for_audience(audience)
                .only("pk", "project_id", "key", "title", "status", "client_visible")
                .order_by("pk"),
            )
        )
    )
    return _one(_with_dates(rows, audience), project=project, audience=audience, key=key)


def change_for_impact(*, project: Project, audience: Audience, key: str) -> ChangeRequest:
    """One change with what its impact page needs: its lines and the tasks and
    milestones they date (the preview's inputs), none of its page's other parts."""
    rows = ChangeRequest.objects.for_audience(audience)
    return _one(_with_dates(rows, audience), project=project, audience=audience, key=key)


def _with_dates(rows: QuerySet[ChangeRequest], audience: Audience) -> QuerySet[ChangeRequest]:
    """The milestones and tasks the change touches, as this audience sees them."""
    # One Prefetch a call: django-stubs wants a call's Prefetches of one model.
    return rows.prefetch_related(
        Prefetch(
            "milestones",
            queryset=Milestone.objects.for_audience(audience)
            .only("pk", "project_id", "key", "name", "due_date", "status", "client_visible")
            .order_by("due_date", "pk"),
        )
    ).prefetch_related(
        Prefetch(
            "tasks",
            queryset=Task.objects.for_audience(audience)
            .only(
                "pk",
                "project_id",
                "key",
                "number",
                "title",
                "status",
                "start_date",
                "due_date",
                "client_visible",
            )
            .order_by("number"),
        ),
    )


def _one(
    rows: QuerySet[ChangeRequest], *, project: Project, audience: Audience, key: str
) -> ChangeRequest:
    change = rows.filter(project=project, key=key.strip().upper()).first()
    if change is None:
        raise Http404
    change.project = project  # the caller's, with its client, manager and organization
    if audience.is_client and not change.cost_visible:
        change.cost = None
    return change
