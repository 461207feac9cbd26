"""API: projects and their members; a person's capacity and time off."""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from liaison.accounts.models import Client, Organization, User
from liaison.core.schemas import READ, WRITE, Conflict, Error, Page
from liaison.core.services import InvalidInput
from liaison.projects import access, selectors, services
from liaison.projects.access import Action
from liaison.projects.capacity_services import capacity_set, time_off_add, time_off_delete
from liaison.projects.member_services import (
    member_invite,
    membership_change_role,
    membership_remove,
)
from liaison.projects.models import Membership
from liaison.projects.schemas import (
    CapacityIn,
    CapacityOut,
    CapacityTimeOffIn,
    CapacityTimeOffOut,
    MemberInvite,
    MemberOut,
    MemberPatch,
    MeOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
)

router = Router(tags=["projects"])


def _organization_for(user: User, slug: str | None) -> Organization:
    return selectors.api_organization(user=user, slug=slug)


def _resolve_refs(organization: Organization, data: dict) -> dict:
    """Turn client_id / manager_id into rows; the service checks they fit."""
    if "client_id" in data:
        data["client"] = Client.objects.filter(
            pk=data.pop("client_id"), organization=organization
        ).first()
    if "manager_id" in data:
        manager_id = data.pop("manager_id")
        data["manager"] = None if manager_id is None else User.objects.filter(pk=manager_id).first()
        if manager_id is not None and data["manager"] is None:
            # Not "you" by default: an id that names nobody is a mistake to tell.
            message = _("Choose a manager from your organization's staff.")
            raise InvalidInput(message, field="manager")
    return data


@router.get("/projects", response={200: list[ProjectOut], **READ}, summary="Projects you can see")
@paginate(Page)
def project_list(request, q: str = "", status: str = "", archived: bool = False):
    access.require_staff(request.user)
    filters = selectors.ProjectFilters(q=q, status=[status] if status else [], archived=archived)
    return selectors.project_list(user=request.user, filters=filters)


@router.post("/projects", response={201: ProjectOut, **WRITE}, summary="Create a project")
def project_create(request, data: ProjectIn):
    organization = _organization_for(request.user, data.organization)
    fields = _resolve_refs(organization, data.dict(exclude={"organization"}))
    fields.setdefault("manager", request.user)
    if fields["manager"] is None:
        fields["manager"] = request.user
    project = services.project_create(organization=organization, by=request.user, **fields)
    return Status(201, project)


@router.get("/projects/{code}", response={200: ProjectOut, **READ}, summary="One project")
def project_detail(request, code: str):
    return access.get_project_for(request.user, code)


@router.patch(
    "/projects/{code}",
    response={200: ProjectOut, **WRITE, 409: Conflict},
    summary="Change a project (send the version you read)",
)
def project_update(request, code: str, data: ProjectPatch):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    fields = _resolve_refs(project.organization, data.dict(exclude_unset=True))
    return services.project_update(project=project, by=request.user, **fields)


@router.post(
    "/projects/{code}/archive", response={200: ProjectOut, **WRITE}, summary="Archive a project"
)
def project_archive(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    return services.project_archive(project=project, by=request.user)


@router.post(
    "/projects/{code}/restore",
    response={200: ProjectOut, **WRITE},
    summary="Restore an archived project",
)
def project_restore(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    return services.project_unarchive(project=project, by=request.user)


@router.get(
    "/projects/{code}/members",
    response={200: list[MemberOut], **READ},
    summary="A project's members",
)
@paginate(Page)
def member_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return selectors.project_members(project=project)


@router.post(
    "/projects/{code}/members",
    response={201: MemberOut, **WRITE},
    summary="Invite a person by e-mail",
)
def member_create(request, code: str, data: MemberInvite):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    return Status(201, member_invite(project=project, by=request.user, **data.dict()))


def _membership(request, code: str, member_id: int) -> Membership:
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    return selectors.membership_get(project=project, membership_id=member_id)


@router.patch(
    "/projects/{code}/members/{member_id}",
    response={200: MemberOut, **WRITE, 409: Conflict},
    summary="Change a member's role",
)
def member_update(request, code: str, member_id: int, data: MemberPatch):
    membership = _membership(request, code, member_id)
    return membership_change_role(membership=membership, by=request.user, **data.dict())


@router.delete(
    "/projects/{code}/members/{member_id}", response={204: None, **WRITE}, summary="Remove a member"
)
def member_delete(request, code: str, member_id: int):
    membership_remove(membership=_membership(request, code, member_id), by=request.user)
    return Status(204, None)


# Who am I: listed with the accounts' operations, answered here (it needs access:
# whether the person is one of a client's).
@router.get(
    "/me",
    response={200: MeOut, 401: Error},
    summary="The signed-in user",
    tags=["accounts"],
)
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "display_name": user.display_name,
        "email": user.email,
        "language": user.language,
        "time_zone": user.time_zone,
        "is_client": access.is_client_user(user),
    }


# -- people and capacity: a person's working week and time off. Org owners and admins
# set the week; they and the person record time off; whoever may see the person
# (access.visible_people) reads them.

PERSON = "/people/{user_id}"


def _person(request, user_id: int, organization: str | None) -> tuple[Organization, User]:
    found = _organization_for(request.user, organization)
    return found, access.get_person_for(request.user, found, user_id)


@router.get(
    PERSON + "/capacity",
    response={200: CapacityOut, **READ},
    summary="A person's working week and time off",
)
def capacity_get(request, user_id: int, organization: str | None = None):
    found, person = _person(request, user_id, organization)
    return selectors.person_capacity(organization=found, person=person)


@router.put(
    PERSON + "/capacity",
    response={200: CapacityOut, **WRITE, 409: Conflict},
    summary="Set a person's working week (org admins; send the version you read)",
)
def capacity_put(request, user_id: int, data: CapacityIn, organization: str | None = None):
    found, person = _person(request, user_id, organization)
    capacity_set(organization=found, person=person, by=request.user, **data.dict())
    return selectors.person_capacity(organization=found, person=person)


@router.post(
    PERSON + "/time-off",
    response={201: CapacityTimeOffOut, **WRITE},
    summary="Record time off (org admins, or the person for themselves)",
)
def time_off_create(
    request, user_id: int, data: CapacityTimeOffIn, organization: str | None = None
):
    found, person = _person(request, user_id, organization)
    return Status(
        201, time_off_add(organization=found, person=person, by=request.user, **data.dict())
    )


@router.delete(
    "/people/time-off/{time_off_id}",
    response={204: None, **WRITE},
    summary="Remove recorded time off",
)
def time_off_remove(request, time_off_id: int, organization: str | None = None):
    found = _organization_for(request.user, organization)
    time_off_delete(organization=found, time_off_id=time_off_id, by=request.user)
    return Status(204, None)
