"""Who may do what. The only module that decides it (docs/architecture.md, The access model).

Pages, portal pages, API endpoints, services and jobs all ask here. A project
the user may not see and a project that does not exist both answer 404; a role
too low for the action answers 403.

A Django superuser (`createsuperuser`) is an operator account for the instance,
not a role in the firm: `is_superuser` widens nothing here. Access to an
organization and its projects comes only from an OrgMembership and project
Memberships, so a superuser on no organization's staff is, to these rules, a
client user with no projects. The one thing a superuser may do that others may
not is set up a fresh instance: while no organization exists, a signed-in
superuser may use the first-run page without a setup token (running
`createsuperuser` proves they run the instance); see may_set_up_instance.

What a person holds (their organization and project roles) comes from their
Viewer in the current scope (viewer.py): read once per request or job, and
read again after forget(user) where a role changes. A question that asks
for those facts more than once runs @in_a_scope, so that outside any request
or job it still reads each of them once.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Client, Organization, OrgMembership, User
from liaison.projects.models import Membership, Project
from liaison.projects.viewer import forget as forget
from liaison.projects.viewer import in_a_scope, viewer_of
from liaison.projects.viewer import viewer_scope as viewer_scope

Role = Membership.Role
OrgRole = OrgMembership.Role


class Action(StrEnum):
    VIEW = "view"  # read the project
    COMMENT = "comment"  # write comments
    EDIT = "edit"  # change the project's work (tasks, minutes, requirements…)
    MANAGE = "manage"  # settings, members, baselines, publishing
    APPROVE = "approve"  # the client's decisions: sign, accept, approve
    ADMIN = "admin"  # archive, organization-wide settings
    SUPPORT = "support"  # the client asks for help, also once the project is closed


# The Role × Action table, declared once. "admin" is an org owner or admin,
# who holds every internal action on every project of the organization.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.MANAGER: frozenset({Action.VIEW, Action.COMMENT, Action.EDIT, Action.MANAGE}),
    Role.MEMBER: frozenset({Action.VIEW, Action.COMMENT, Action.EDIT}),
    Role.OBSERVER: frozenset({Action.VIEW}),
    Role.CLIENT: frozenset({Action.VIEW, Action.COMMENT, Action.APPROVE, Action.SUPPORT}),
    "admin": frozenset({Action.VIEW, Action.COMMENT, Action.EDIT, Action.MANAGE, Action.ADMIN}),
}
INTERNAL_ROLES = (Role.MANAGER, Role.MEMBER, Role.OBSERVER)
# What a client still does on a closed project (archived, completed or
# cancelled): read everything they signed, accepted and received, and ask for
# support; nothing else (no decision, comment, message or upload).
CLOSED_CLIENT_ACTIONS = frozenset({Action.VIEW, Action.SUPPORT})
CLOSED_MESSAGE = _(
    "This project is closed. You can still read everything in it, but nothing new can be done here."
)


@dataclass(frozen=True)
class Audience:
    """Whose eyes a selector serves: the team (internal) or the client."""

    internal: bool

    @property
    def is_client(self) -> bool:
        return not self.internal


TEAM = Audience(internal=True)
CLIENT = Audience(internal=False)


# -- who the user is in the organization ------------------------------------


def org_roles(user: User) -> dict[int, str]:
    """Organization id → the user's org role; read once per scope."""
    if not user.is_authenticated or not user.is_active:
        return {}
    return viewer_of(user).org_roles


def is_staff_user(user: User) -> bool:
    """A person of the delivery firm (uses the internal pages)."""
    return bool(org_roles(user))


def is_client_user(user: User) -> bool:
    """A signed-in person who belongs to no organization: portal only."""
    return user.is_authenticated and user.is_active and not org_roles(user)


def is_org_admin(user: User, organization_id: int) -> bool:
    return org_roles(user).get(organization_id) in (OrgRole.OWNER, OrgRole.ADMIN)


def user_organizations(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=list(org_roles(user)))


def organizations_of(user: User) -> list[Organization]:
    """The user's organizations by name, as read with their roles (no query of its own)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return viewer_of(user).organizations


def require_staff(user: User) -> None:
    """Internal pages outside a project: client users get 404 like any unknown URL."""
    if not is_staff_user(user):
        raise Http404


@in_a_scope
def require_org_admin(user: User, organization: Organization) -> None:
    require_staff(user)
    if not is_org_admin(user, organization.pk):
        raise PermissionDenied


def can_create_project(user: User, organization: Organization) -> bool:
    """Any of the firm's staff may start a project (and becomes its manager if
    they name nobody else); its client is one of the clients they may see."""
    return organization.pk in org_roles(user)


# -- client companies -----------------------------------------------------------


def can_manage_clients(user: User, organization: Organization) -> bool:
    """Adding and editing client companies is the org owners' and admins' job."""
    return is_org_admin(user, organization.pk)


@in_a_scope
def visible_clients(user: User, organization: Organization) -> QuerySet[Client]:
    """The organization's client companies the user may see: all of them for
    an owner or admin; for other staff, the clients of the projects they can
    see (visible_projects); none for anyone else. The client list and the
    project forms' client choices start here."""
    clients = Client.objects.filter(organization=organization)
    if organization.pk not in org_roles(user):
        return clients.none()
    if is_org_admin(user, organization.pk):
        return clients
    projects = visible_projects(user).filter(organization=organization)
    return clients.filter(pk__in=projects.values("client_id"))


@in_a_scope
def get_client_for(
    user: User, organization: Organization, client_id: int, *, edit: bool = False
) -> Client:
    """A client company of the organization: 404 when the user may not see it
    (or it does not exist), 403 when they may see it but `edit` is asked."""
    client = visible_clients(user, organization).filter(pk=client_id).first()
    if client is None:
        raise Http404
    if edit and not can_manage_clients(user, organization):
        raise PermissionDenied
    return client


# -- setting up a fresh instance ------------------------------------------------

# Headers a reverse proxy adds: a request carrying one came through a proxy,
# so its loopback REMOTE_ADDR says nothing about where the person sits.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
LOOPBACK_ADDRESSES = ("127.0.0.1", "::1")


def is_direct_loopback(request: HttpRequest) -> bool:
    """A request from this very machine, not relayed by a proxy. Never in
    production, nor from a proxy named in TRUSTED_PROXIES: a proxy in front that
    adds no header (nginx's default) would make every visitor look local."""
    if settings.PRODUCTION or request.META.get("REMOTE_ADDR") in settings.TRUSTED_PROXIES:
        return False
    if request.META.get("REMOTE_ADDR") not in LOOPBACK_ADDRESSES:
        return False
    return not any(request.META.get(header) for header in PROXY_HEADERS)


def may_set_up_instance(user: User, *, token_valid: bool, direct_loopback: bool) -> bool:
    """Who may create the first organization (the caller checks that none
    exists yet): whoever holds a setup link (`manage.py first_run_link`),
    whoever sits at the server itself, or a signed-in superuser. Anyone else
    on a public server would be taking the instance over."""
    if token_valid or direct_loopback:
        return True
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


# -- the user's role in a project --------------------------------------------


@in_a_scope
def _project_role(user: User, project: Project) -> str | None:
    """The effective role: an org admin counts as "admin" on every project of
    the organization. Uses the `my_role` annotation when the project came from
    get_project_for, else asks the database once per scope (Viewer)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if is_org_admin(user, project.organization_id):
        return "admin"
    role = viewer_of(user).membership_role(project)
    # A client role only counts for client users, a team role only for staff of
    # the project's organization (as in visible_projects): nobody crosses between
    # the portal and the internal pages, nor keeps a role after leaving the firm.
    if role == Role.CLIENT and not is_client_user(user):
        return None
    if role in INTERNAL_ROLES and project.organization_id not in org_roles(user):
        return None
    return role


def is_closed_for_client(project: Project) -> bool:
    """An archived, completed or cancelled project: its client reads it, acts no more."""
    return project.is_archived or not project.is_open


def actions_for(user: User, project: Project) -> frozenset[Action]:
    role = _project_role(user, project)
    if not role:
        return frozenset()
    if role == Role.CLIENT and is_closed_for_client(project):
        return CLOSED_CLIENT_ACTIONS
    return ROLE_ACTIONS.get(role, frozenset())


def can(user: User, action: Action, project: Project) -> bool:
    return action in actions_for(user, project)


def require(user: User, action: Action, project: Project) -> None:
    """Raise 404 if the user may not see the project at all, 403 if the role is too low."""
    actions = actions_for(user, project)
    if not actions:
        raise Http404
    if action not in actions:
        if actions is CLOSED_CLIENT_ACTIONS:
            raise PermissionDenied(CLOSED_MESSAGE)
        raise PermissionDenied


def can_log_time_for(user: User, project: Project, person_id: int) -> bool:
    """One logs one's own time (the team's members and managers); a project's
    manager also records, changes and removes the team's, on their behalf
    (the time service checks the person is of the team)."""
    if person_id == user.pk:
        return can(user, Action.EDIT, project)
    return can(user, Action.MANAGE, project)


def may_take_back_own_request(user: User, project: Project, requested_by_id: int | None) -> bool:
    """A client may withdraw what they asked for themselves, without the team's
    rights (the caller checks that the team has not answered it yet)."""
    return requested_by_id == user.pk and can(user, Action.APPROVE, project)


def audience_of(user: User, project: Project) -> Audience:
    """The team's audience only for a team role; anyone else gets the narrow one."""
    return TEAM if _project_role(user, project) in (*INTERNAL_ROLES, "admin") else CLIENT


def role_label(user: User, project: Project) -> str:
    role = _project_role(user, project)
    if role == "admin":
        return str(OrgRole.ADMIN.label)
    return str(Role(role).label) if role else ""


# -- finding projects ---------------------------------------------------------


def _with_my_role(queryset: QuerySet[Project], user: User) -> QuerySet[Project]:
    """The user's Membership role on each project, and whose role it is: a
    project listed for one person must not answer for another (Viewer)."""
    mine = Membership.objects.filter(project=OuterRef("pk"), user=user)
    return queryset.annotate(my_role=Subquery(mine.values("role")[:1]), my_role_of=Value(user.pk))


@in_a_scope
def visible_projects(user: User) -> QuerySet[Project]:
    """Every project list starts here. Staff see the projects they are members
    of plus every project of the organizations they administer; client users
    see the projects they are the client of, archived ones excepted."""
    if not user.is_authenticated or not user.is_active:
        return Project.objects.none()
    mine = Membership.objects.filter(project=OuterRef("pk"), user=user)
    if is_client_user(user):
        return _with_my_role(
            Project.objects.filter(Exists(mine.filter(role=Role.CLIENT))).active(), user
        )
    admin_orgs = [org for org, role in org_roles(user).items() if role != OrgRole.STAFF]
    staff_orgs = list(org_roles(user))
    condition = Q(organization_id__in=admin_orgs) | (
        Q(organization_id__in=staff_orgs) & Exists(mine.filter(role__in=INTERNAL_ROLES))
    )
    return _with_my_role(Project.objects.filter(condition), user)


@in_a_scope
def portal_readable_projects(user: User) -> QuerySet[Project]:
    """Every project a client user is the client of, archived ones included:
    a closed project stays readable in the portal (is_closed_for_client)."""
    if not is_client_user(user):
        return Project.objects.none()
    mine = Membership.objects.filter(project=OuterRef("pk"), user=user, role=Role.CLIENT)
    return _with_my_role(Project.objects.filter(Exists(mine)), user)


@in_a_scope
def search_scope(user: User) -> tuple[QuerySet[Project], Audience]:
    """What a person's search covers, and as whom: staff search the projects
    they see, as the team; a client user what the portal shows them, the
    client-visible rows of the projects they are the client of."""
    if is_client_user(user):
        return portal_readable_projects(user), CLIENT
    return visible_projects(user), TEAM


def _project_by_code(user: User, code: str, *related: str) -> Project | None:
    """The project of that code with the user's role on it (`my_role`, as
    _with_my_role() sets it), whether they may see it or not: the callers'
    require() decides by the rule visible_projects() writes in SQL (a role on
    the project, or an admin's of its organization), a condition that costs
    a page more to compile than to run. The role comes by a join, which
    compiles faster than a subquery."""
    mine = FilteredRelation("memberships", condition=Q(memberships__user=user))
    found = (
        Project.objects.select_related("client", "manager", *related)
        .annotate(mine=mine)
        .annotate(my_role=F("mine__role"), my_role_of=Value(user.pk))
        .filter(code=code)
        # One row by its unique code: no ordering, which costs Django a hash of
        # each of the ~40 selected columns to compile.
        .order_by()[:1]
    )
    return found[0] if found else None


@in_a_scope
def get_project_for(user: User, code: str, need: Action = Action.VIEW) -> Project:
    """An internal page's project, in one query. 404 for client users, for
    projects the user may not see and for unknown codes; 403 for a role too low.
    Its organization is the user's own, as read with their roles (someone
    outside it sees none of its projects)."""
    if not is_staff_user(user):
        raise Http404
    project = _project_by_code(user, code)
    mine = {organization.pk: organization for organization in organizations_of(user)}
    if project is None or project.organization_id not in mine:
        raise Http404
    project.organization = mine[project.organization_id]
    require(user, need, project)
    return project


@in_a_scope
def get_portal_project(user: User, code: str, need: Action = Action.VIEW) -> Project:
    """A portal page's project: only a client of that project gets it, else 404.
    An archived or completed one stays readable; anything more is 403 with
    CLOSED_MESSAGE (require)."""
    if not is_client_user(user):
        raise Http404
    project = _project_by_code(user, code, "organization")
    if project is None:
        raise Http404
    require(user, need, project)
    return project


@in_a_scope
def permission_flags(user: User, project: Project) -> dict[str, Any]:
    """What a page may offer this user, for templates: one source for every view."""
    actions = actions_for(user, project)
    return {
        "can_manage": Action.MANAGE in actions,
        "can_edit": Action.EDIT in actions,
        "can_comment": Action.COMMENT in actions,
        "can_admin": Action.ADMIN in actions,
        "my_role": role_label(user, project),
    }


# -- people and their capacity -------------------------------------------------


@in_a_scope
def visible_people(user: User, organization: Organization) -> QuerySet[User]:
    """Whose capacity and load the user may see in the organization (the people
    view): every active staff member for an owner or admin; for a project
    manager, the managers and members of the projects they manage, and
    themselves; for other staff, themselves; nobody for anyone else."""
    if organization.pk not in org_roles(user):
        return User.objects.none()
    staff = User.objects.filter(is_active=True, org_memberships__organization=organization)
    if is_org_admin(user, organization.pk):
        return staff
    managed = Membership.objects.filter(
        user=user, role=Role.MANAGER, project__organization=organization
    ).values("project_id")
    team = Membership.objects.filter(
        project_id__in=managed, role__in=(Role.MANAGER, Role.MEMBER)
    ).values("user_id")
    return staff.filter(Q(pk=user.pk) | Q(pk__in=team))


def can_edit_capacity(user: User, organization: Organization) -> bool:
    """A person's hours and working days are the org owners' and admins' to set."""
    return is_org_admin(user, organization.pk)


def can_record_time_off(user: User, organization: Organization, person_id: int) -> bool:
    """Org owners and admins record anyone's time off; a person records their own."""
    if organization.pk not in org_roles(user):
        return False
    return person_id == user.pk or is_org_admin(user, organization.pk)


@in_a_scope
def get_person_for(user: User, organization: Organization, person_id: int) -> User:
    """A person of the organization the user may see (visible_people), else 404."""
    require_staff(user)
    person = visible_people(user, organization).filter(pk=person_id).order_by()[:1]
    if not person:
        raise Http404
    return person[0]


def require_capacity_edit(user: User, organization: Organization) -> None:
    require_staff(user)
    if not can_edit_capacity(user, organization):
        raise PermissionDenied


def require_time_off_edit(user: User, organization: Organization, person_id: int) -> None:
    require_staff(user)
    if not can_record_time_off(user, organization, person_id):
        raise PermissionDenied
