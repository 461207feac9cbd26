"""Reads of issues: a project's list with its filters and counts, one issue
with its escalation steps, the pickers, the overview's counts and what waits
for the client. A fixed number of queries whatever the number of issues."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, QueryDict
from django.utils import timezone

from liaison.accounts.models import OrgMembership, User
from liaison.collab.models import Attachment
from liaison.controls.models import EscalationLevel, Issue, IssueEscalation
from liaison.core.params import positive_int
from liaison.projects.access import Audience
from liaison.projects.models import Membership, Project

Status = Issue.Status
Severity = Issue.Severity
ACTIVE = "active"  # open or in progress: the list's default
ALL = "all"
STATUS_FILTERS = (ACTIVE, *Status.values, ALL)
OPEN = (Status.OPEN, Status.IN_PROGRESS)
SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.MAJOR: 1, Severity.MINOR: 2, Severity.COSMETIC: 3}
# What a row of the list shows.
LIST_ROW = (
    "id",
    "key",
    "number",
    "title",
    "kind",
    "severity",
    "priority",
    "status",
    "due_date",
    "blocked",
    "client_visible",
    "raised_by_client",
    "escalation_level",
    "reopen_count",
    "version",
    "owner__id",
    "owner__display_name",
    "owner__email",
)


def _flag(query: QueryDict | dict[str, str], name: str) -> bool:
    return query.get(name, "") in ("1", "on", "true")


@dataclass(frozen=True)
class IssueFilters:
    status: str = ACTIVE  # a status, "active" or "all"
    kind: str = ""
    severity: str = ""
    owner: int | None = None  # a user id
    client: bool = False  # raised by the client
    overdue: bool = False
    blocked: bool = False
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict | dict[str, str]) -> "IssueFilters":
        status = query.get("status", "")
        kind = query.get("kind", "")
        severity = query.get("severity", "")
        return cls(
            status=status if status in STATUS_FILTERS else ACTIVE,
            kind=kind if kind in Issue.Kind.values else "",
            severity=severity if severity in Severity.values else "",
            owner=positive_int(query.get("owner")),
            client=_flag(query, "client"),
            overdue=_flag(query, "overdue"),
            blocked=_flag(query, "blocked"),
            q=(query.get("q") or "").strip()[:100],
        )

    def apply(self, rows: QuerySet[Issue], *, with_status: bool = True) -> QuerySet[Issue]:
        if self.q:
            rows = rows.filter(Q(title__icontains=self.q) | Q(key__iexact=self.q))
        if self.kind:
            rows = rows.filter(kind=self.kind)
        if self.severity:
            rows = rows.filter(severity=self.severity)
        if self.owner:
            rows = rows.filter(owner_id=self.owner)
        if self.client:
            rows = rows.filter(raised_by_client=True)
        if self.overdue:
            rows = rows.filter(overdue_q())
        if self.blocked:
            rows = rows.filter(blocked=True)
        if with_status and self.status == ACTIVE:
            rows = rows.filter(status__in=OPEN)
        elif with_status and self.status != ALL:
            rows = rows.filter(status=self.status)
        return rows

    @property
    def is_filtered(self) -> bool:
        return self != IssueFilters()

    def query(self, **changes: object) -> str:
        """This filter's query string with some values replaced (chips, pages)."""
        params = {
            "status": "" if self.status == ACTIVE else self.status,
            "kind": self.kind,
            "severity": self.severity,
            "owner": self.owner or "",
            "client": "1" if self.client else "",
            "overdue": "1" if self.overdue else "",
            "blocked": "1" if self.blocked else "",
            "q": self.q,
            **changes,
        }
        return urlencode({key: value for key, value in params.items() if value not in ("", None)})


def overdue_q(today: dt.date | None = None) -> Q:
    return Q(status__in=OPEN, due_date__lt=today or timezone.localdate())


def _severity_rank() -> Case:
    return Case(
        *(When(severity=value, then=Value(rank)) for value, rank in SEVERITY_RANK.items()),
        output_field=IntegerField(),
    )


def issue_rows(*, project: Project, audience: Audience, filters: IssueFilters) -> QuerySet[Issue]:
    """The list's rows, worst first (severity, then newest); plain, for a paginator
    to count: `issue_page_rows` reads a page's columns and joins."""
    rows: QuerySet[Issue] = Issue.objects.for_audience(audience).filter(project=project)
    return filters.apply(rows).annotate(rank=_severity_rank()).order_by("rank", "-number")


def issue_page_rows(rows: QuerySet[Issue]) -> QuerySet[Issue]:
    return rows.select_related("owner").only(*LIST_ROW)


def issue_page(rows: QuerySet[Issue], first: int, last: int) -> list[Issue]:
    """A page's rows (`first`..`last`, counted from 1, as a paginator's page says),
    with the columns and joins the list shows."""
    return list(issue_page_rows(rows)[max(first - 1, 0) : last]) if last else []


def issue_counts(*, project: Project, audience: Audience, filters: IssueFilters) -> dict[str, int]:
    """The chips' numbers, in one query: per status and the flags, under the other filters."""
    rows = filters.apply(
        Issue.objects.for_audience(audience).filter(project=project), with_status=False
    )
    counts: dict[str, int] = rows.aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in Status.values},
        active=Count("id", filter=Q(status__in=OPEN)),
        all=Count("id"),
        overdue=Count("id", filter=overdue_q()),
        blocked=Count("id", filter=Q(blocked=True, status__in=OPEN)),
        client=Count("id", filter=Q(raised_by_client=True)),
    )
    return counts


def issue_get(*, project: Project, audience: Audience, key: str) -> Issue:
    issue = (
        Issue.objects.for_audience(audience)
        .filter(project=project, key=key.upper())
        .select_related(
            "owner",
            "raised_by",
            "requirement",
            "milestone",
            "task",
            "risk",
            "resolved_by",
            "verified_by",
            "confirmed_by",
        )
        .order_by()[:1]
    )
    found = list(issue)
    if not found:
        raise Http404
    found[0].project = project
    return found[0]


def issue_attachments(*, issue: Issue) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        project_id=issue.project_id,
        target_type=ContentType.objects.get_for_model(Issue),
        target_id=issue.pk,
    ).select_related("uploaded_by")


def issue_escalations(*, issue: Issue) -> list[IssueEscalation]:
    return list(issue.escalations.select_related("person", "by").order_by("level"))


def escalation_path(*, project: Project) -> list[EscalationLevel]:
    return list(
        EscalationLevel.objects.filter(project=project).select_related("person").order_by("level")
    )


def issue_owners(*, project: Project) -> list[User]:
    """Who may own an issue: the project's managers and members."""
    memberships = (
        Membership.objects.filter(
            project=project,
            role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("role", "user__display_name", "user__id")
    )
    return [membership.user for membership in memberships]


def issue_raisers(*, project: Project) -> list[User]:
    """Who may have raised an issue: anyone of the project, client contacts included."""
    memberships = (
        Membership.objects.filter(project=project, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__display_name", "user__id")
    )
    return [membership.user for membership in memberships]


def organization_staff(*, project: Project) -> list[User]:
    """Whom an escalation level may name: the firm's active people."""
    return [
        membership.user
        for membership in OrgMembership.objects.filter(
            organization_id=project.organization_id, user__is_active=True
        )
        .select_related("user")
        .order_by("user__display_name", "user__id")
    ]


def open_by_severity(*, project: Project, audience: Audience) -> dict[str, Any]:
    """The overview's card: open issues per severity and the overdue critical ones, one query."""
    counts: dict[str, int] = (
        Issue.objects.for_audience(audience)
        .filter(project=project, status__in=OPEN)
        .aggregate(
            **{value: Count("id", filter=Q(severity=value)) for value in Severity.values},
            total=Count("id"),
            overdue_critical=Count("id", filter=overdue_q() & Q(severity=Severity.CRITICAL)),
        )
    )
    return {
        "total": counts["total"],
        "overdue_critical": counts["overdue_critical"],
        "rows": [
            {"value": value, "label": label, "count": counts[value]}
            for value, label in Severity.choices
        ],
    }


# -- what waits for the client (core.registry.ClientDecision) ---------------------


def resolutions_waiting(projects: list[int]) -> QuerySet[Issue]:
    """Issues a client raised that the team resolved: the client verifies them."""
    return (
        Issue.objects.filter(project__in=projects, raised_by_client=True, status=Status.RESOLVED)
        .select_related("project")
        .only("pk", "key", "title", "resolved_at", "project__code", "project__name")
        .order_by("resolved_at", "id")
    )


def disputes_waiting(projects: list[int]) -> QuerySet[Issue]:
    """Disputes whose agreed outcome the client has not confirmed."""
    return (
        Issue.objects.filter(
            project__in=projects,
            kind=Issue.Kind.DISPUTE,
            client_visible=True,
            confirmed_at__isnull=True,
        )
        .exclude(agreed_outcome="")
        .select_related("project")
        .only("pk", "key", "title", "updated_at", "project__code", "project__name")
        .order_by("updated_at", "id")
    )


CLIENT_CARD_ISSUES = 5


def client_raised_open(*, project: Project) -> list[Issue]:
    """The open issues the client raised, newest first (at most
    CLIENT_CARD_ISSUES, one query): the portal's overview."""
    return list(
        Issue.objects.filter(
            project=project,
            raised_by_client=True,
            status__in=(Issue.Status.OPEN, Issue.Status.IN_PROGRESS),
        )
        .only("key", "number", "title", "status", "severity", "project_id")
        .order_by("-number")[:CLIENT_CARD_ISSUES]
    )
