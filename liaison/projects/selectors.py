"""Reads of projects for the dashboard, the project list and the overview, and
of the client's projects with what waits for their decision there (the portal's
pages and the features' client pages show it)."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import Client, Organization, OrgMembership, User
from liaison.core.models import OutgoingMail
from liaison.core.params import positive_int
from liaison.core.registry import ClientDecision, registry
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.models import (
    DEFAULT_HOURS,
    DEFAULT_WEEKDAYS,
    OPEN_STATUSES,
    Capacity,
    Membership,
    Project,
    TimeOff,
)

SORTS = {
    "code": ("code",),
    "-code": ("-code",),
    "name": ("name",),
    "end": ("end_date", "code"),
    "-end": ("-end_date", "code"),
    "-updated": ("-updated_at",),
}


@dataclass
class ProjectFilters:
    q: str = ""
    status: list[str] = field(default_factory=list)
    client: int | None = None
    manager: int | None = None
    archived: bool = False
    sort: str = "code"

    @classmethod
    def from_query(cls, query: QueryDict) -> "ProjectFilters":
        def as_int(name: str) -> int | None:
            return positive_int(query.get(name))

        sort = query.get("sort")
        return cls(
            q=query.get("q", "").strip()[:100],
            status=[s for s in query.getlist("status") if s in Project.Status.values],
            client=as_int("client"),
            manager=as_int("manager"),
            archived=query.get("archived") == "1",
            sort=sort if sort is not None and sort in SORTS else "code",
        )

    def apply(self, projects: QuerySet[Project]) -> QuerySet[Project]:
        projects = projects.filter(archived_at__isnull=not self.archived)
        if self.q:
            projects = projects.filter(
                Q(code__icontains=self.q)
                | Q(name__icontains=self.q)
                | Q(client__name__icontains=self.q)
            )
        if self.status:
            projects = projects.filter(status__in=self.status)
        if self.client:
            projects = projects.filter(client_id=self.client)
        if self.manager:
            projects = projects.filter(manager_id=self.manager)
        return projects.order_by(*SORTS[self.sort])

    def query_with_status(self, status: str | None, per_page: int | None = None) -> str:
        """This filter's query string with the status replaced: the chips' links."""
        params = {
            "q": self.q,
            "client": self.client or "",
            "manager": self.manager or "",
            "sort": self.sort,
            "archived": "1" if self.archived else "",
            "status": status or "",
            "per_page": per_page or "",
        }
        return urlencode({key: value for key, value in params.items() if value})

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.status or self.client or self.manager or self.archived)


def project_list(*, user: User, filters: ProjectFilters) -> QuerySet[Project]:
    return filters.apply(access.visible_projects(user).select_related("client", "manager"))


def _person_name(prefix: str = "") -> Coalesce:
    """A person's name as str(user) writes it, in SQL: the display name, else the address."""
    display_name = NullIf(f"{prefix}display_name", Value(""))
    return Coalesce(display_name, f"{prefix}email", output_field=CharField())


def _member_count() -> Coalesce:
    """A project's number of members, as a subquery of its own: no join and
    GROUP BY in the list's query, and none in the count its pages ask."""
    members = Membership.objects.filter(project=OuterRef("pk")).order_by().values("project")
    count = members.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


def project_table(*, user: User, filters: ProjectFilters) -> QuerySet[Project, dict[str, Any]]:
    """The project list page's rows, in dicts of what a row prints: a page of
    200 projects builds no model instances (three a row with the client and the
    manager) and reads no other column."""
    rows: QuerySet[Project, dict[str, Any]] = project_list(user=user, filters=filters).values(
        *("code", "name", "status", "start_date", "end_date", "archived_at"),
        client_name=F("client__name"),
        manager_name=_person_name("manager__"),
        member_count=_member_count(),
        is_overdue=ExpressionWrapper(
            Q(status__in=OPEN_STATUSES, end_date__lt=timezone.localdate()),
            output_field=BooleanField(),
        ),
    )
    return rows


def project_status_chips(
    *, user: User, filters: ProjectFilters, per_page: int
) -> list[dict[str, Any]]:
    """One chip per status with its count (ignoring the status filter itself)
    and the link that selects it, keeping every other filter."""
    counts = project_status_counts(user=user, filters=filters)
    return [
        {
            "label": label,
            "count": counts.get(value, 0),
            "active": value in filters.status,
            "query": filters.query_with_status(value, per_page),
        }
        for value, label in Project.Status.choices
    ]


def project_status_counts(*, user: User, filters: ProjectFilters) -> dict[str, int]:
    """Counts per status for the filter chips, ignoring the status filter itself."""
    unfiltered = ProjectFilters(**{**filters.__dict__, "status": []})
    rows = (
        unfiltered.apply(access.visible_projects(user))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def project_filter_choices(*, user: User) -> dict[str, QuerySet[Any, Any]]:
    """The clients and managers that appear in the user's projects, for the
    filters: their pk and name, in dicts (an option needs no model instance)."""
    visible = access.visible_projects(user).order_by()
    clients = Client.objects.filter(pk__in=visible.values("client_id"))
    managers = User.objects.filter(pk__in=visible.values("manager_id"))
    return {
        "clients": clients.order_by("name").values("pk", "name"),
        "managers": managers.order_by("display_name").values("pk", name=_person_name()),
    }


def project_members(*, project: Project) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(project=project)
        .select_related("user")
        .order_by("role", "user__display_name")
    )


# What the members page and the overview's team card show of a member: the
# role, the version its form sends back, the person's name and address, and
# whether they have signed in yet (a usable password).
MEMBER_ROW = ("role", "version", "user", "user__display_name", "user__email", "user__password")


def project_member_rows(*, project: Project) -> QuerySet[Membership]:
    """The project's people as the pages list them, and only what they show."""
    return project_members(project=project).only(*MEMBER_ROW)


def membership_get(*, project: Project, membership_id: int) -> Membership:
    """One membership of this project; 404 for an id of another project."""
    found = (
        Membership.objects.select_related("user", "project")
        .filter(pk=membership_id, project=project)
        .first()
    )
    if found is None:
        raise Http404
    return found


def project_member_counts(*, project: Project) -> dict[str, int]:
    rows = Membership.objects.filter(project=project).values("role").annotate(n=Count("pk"))
    return {row["role"]: row["n"] for row in rows}


def current_organization(request: HttpRequest) -> Organization | None:
    """The organization chosen in the switcher (kept in the session), else the first."""
    if not isinstance(request.user, User):  # signed out: no organization
        return None
    organizations = access.organizations_of(request.user)
    chosen = request.session.get("organization_id")
    for organization in organizations:
        if organization.pk == chosen:
            return organization
    return organizations[0] if organizations else None


def api_organization(*, user: User, slug: str | None) -> Organization:
    """The organization an API call names by its slug, or the caller's only one."""
    access.require_staff(user)
    organizations = access.user_organizations(user)
    if slug:
        found = organizations.filter(slug=slug).first()
        if found is None:
            raise Http404
        return found
    mine = list(organizations[:2])
    if len(mine) != 1:
        raise InvalidInput(
            _("You belong to several organizations: name one."), field="organization"
        )
    return mine[0]


def client_list(*, user: User, organization: Organization) -> QuerySet[Client]:
    """The client companies the user may see, each with the number of its
    projects the user may see (a count must not reveal the others)."""
    projects = access.visible_projects(user).filter(organization=organization)
    return access.visible_clients(user, organization).annotate(
        project_count=Count("projects", filter=Q(projects__in=projects.values("pk")))
    )


def undelivered_mail(*, organization: Organization) -> QuerySet[OutgoingMail]:
    """The organization's mail that failed for good or is being tried again after
    a failure, newest first: mail about one of its projects, and mail about no
    project (a password reset, a digest) to its staff or to people of its
    projects. The text is never shown: it may hold a sign-in link."""
    people = OrgMembership.objects.filter(organization=organization).values("user_id")
    project_people = Membership.objects.filter(project__organization=organization)
    ours = Q(project__organization=organization) | Q(
        Q(recipient_id__in=people) | Q(recipient_id__in=project_people.values("user_id")),
        project__isnull=True,
    )
    failing = Q(status=OutgoingMail.Status.FAILED) | Q(
        Q(status=OutgoingMail.Status.PENDING) & ~Q(last_error="")
    )
    return (
        OutgoingMail.objects.filter(ours & failing)
        .select_related("project", "recipient")
        .order_by("-created_at", "-id")
    )


def undelivered_mail_get(*, organization: Organization, mail_id: int) -> OutgoingMail:
    """One of the organization's undelivered mails; 404 for any other mail."""
    found = undelivered_mail(organization=organization).filter(pk=mail_id).first()
    if found is None:
        raise Http404
    return found


def client_members(*, project: Project) -> list[User]:
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


def invitation_language(*, project: Project, by: User, role: str) -> str:
    """The language an invitation goes out in when the inviter leaves it to
    us: the client company's for a client, else the inviter's own."""
    if role == Membership.Role.CLIENT:
        company = client_language(client=project.client)
        if company:
            return company
    return by.language or settings.LANGUAGE_CODE


# -- the client's projects and the decisions waiting for them -----------------------------


def portal_projects(*, user: User) -> QuerySet[Project]:
    """The open projects a client user is a client member of, as the portal lists them."""
    return (
        access.portal_readable_projects(user)
        .filter(archived_at__isnull=True, status__in=OPEN_STATUSES)
        .select_related("client", "manager")
        .order_by("-status", "end_date", "code")
    )


def portal_closed_projects(*, user: User) -> QuerySet[Project]:
    """The client's archived, completed or cancelled projects: read-only in the
    portal, newest end first."""
    return (
        access.portal_readable_projects(user)
        .filter(Q(archived_at__isnull=False) | ~Q(status__in=OPEN_STATUSES))
        .select_related("client", "manager")
        .order_by(F("end_date").desc(nulls_last=True), "code")
    )


# A page lists at most this many decisions of one kind, the oldest: a client
# with 119 document reviews waiting gets a page to read, not all of them (the
# rest wait in the project's tabs, and the heading counts every one).
SHOWN_PER_KIND = 10


@dataclass(frozen=True)
class Waiting:
    """One kind of decision and its rows (a lazy queryset, read once)."""

    kind: ClientDecision
    rows: QuerySet[Any]

    @property
    def shown(self) -> list[Any]:
        return list(self.rows)[:SHOWN_PER_KIND]

    @property
    def more(self) -> int:
        return max(len(self.rows) - SHOWN_PER_KIND, 0)


@dataclass(frozen=True)
class Decisions:
    """What waits for the client's decision, kind by kind as the features
    register them (core.registry.ClientDecision): baselines to sign,
    milestones to accept, changes to approve, reports to acknowledge… One
    query per kind when shown."""

    kinds: tuple[Waiting, ...]

    def __len__(self) -> int:
        return sum(len(waiting.rows) for waiting in self.kinds)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Any]:
        for waiting in self.kinds:
            yield from waiting.rows


def decisions_waiting(*, projects: Iterable[Project]) -> Decisions:
    """Everything that waits for the client's decision in these projects (the
    client's: portal_projects, or the one access.get_portal_project gave), each
    kind oldest first. The kinds take the projects' ids as a list: the access
    rules that found them are not compiled into each kind's query again, and
    SQLite looks a list up in the kind's project index where it scanned the
    whole table for a subquery (5,000 issues: 8 -> 1 ms). A closed project asks
    nothing more of its client (access.is_closed_for_client)."""
    open_ones = [project.pk for project in projects if not access.is_closed_for_client(project)]
    return Decisions(
        tuple(Waiting(kind, kind.waiting(open_ones)) for kind in registry.client_decisions)
    )


# -- a person's capacity in the organization --------------------------------------

# Time off that ended more than this long ago leaves the person's page.
TIME_OFF_HISTORY_DAYS = 90


@dataclass(frozen=True)
class PersonCapacity:
    person: User
    hours_per_week: int
    working_weekdays: str
    version: int  # 1 while the person has the defaults (no row)
    time_off: list[TimeOff]  # recent and coming, by first day


def person_capacity(
    *, organization: Organization, person: User, today: dt.date | None = None
) -> PersonCapacity:
    """The person's working week and their recent and coming time off: two queries."""
    today = today or timezone.localdate()
    capacity = (
        Capacity.objects.filter(organization=organization, user=person)
        .only("hours_per_week", "working_weekdays", "version")
        .order_by()
        .first()
    )
    time_off = TimeOff.objects.filter(
        organization=organization,
        user=person,
        end_date__gte=today - dt.timedelta(days=TIME_OFF_HISTORY_DAYS),
    ).order_by("start_date")
    return PersonCapacity(
        person=person,
        hours_per_week=capacity.hours_per_week if capacity else DEFAULT_HOURS,
        working_weekdays=capacity.working_weekdays if capacity else DEFAULT_WEEKDAYS,
        version=capacity.version if capacity else 1,
        time_off=list(time_off.only("start_date", "end_date", "note")),
    )


def client_contacts(*, client: Client) -> QuerySet[User]:
    """The client company's people with a login: client users who are the
    client of one of its projects, active or not, by name (one query)."""
    contacts = Membership.objects.filter(role=Membership.Role.CLIENT, project__client=client)
    return (
        User.objects.filter(pk__in=contacts.values("user_id"), org_memberships__isnull=True)
        .only("display_name", "email", "is_active")
        .order_by("display_name", "email")
    )


def organization_contact_get(*, organization: Organization, user_id: int) -> User:
    """A contact of one of the organization's clients (a client user who is the
    client of one of its projects); 404 for anyone else, staff included."""
    contacts = Membership.objects.filter(
        role=Membership.Role.CLIENT, project__organization=organization
    ).values("user_id")
    found = (
        User.objects.filter(pk=user_id, org_memberships__isnull=True)
        .filter(pk__in=contacts)
        .order_by()[:1]
    )
    if not found:
        raise Http404
    return found[0]
