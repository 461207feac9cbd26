"""Projects and their people for tests.

make_project(org, manager, "ERP")                          # with a client of its own
make_project(org, manager, "OLD", archived_at=NOW, client=acme)
make_member(project, "li@test.example", org=org)           # staff on the team
make_member(project, "li@customer.example", role=Role.CLIENT)
make_teammates(project, 30)                                # many, fast
"""

from liaison.accounts.models import Client, Organization, User
from liaison.accounts.tests.factories import make_people, make_user
from liaison.projects.models import Membership, Project

Role = Membership.Role


def make_project(org: Organization, manager: User, code: str, **fields) -> Project:
    """A project of `org` run by `manager` (their membership included); a client
    named after the code unless `client` is given."""
    client = fields.pop("client", None) or Client.objects.create(
        organization=org, name=f"Client of {code}"
    )
    project = Project.objects.create(
        organization=org,
        code=code,
        name=fields.pop("name", f"Project {code}"),
        client=client,
        manager=manager,
        **fields,
    )
    Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    return project


def make_member(
    project: Project,
    email: str,
    *,
    role: str = Role.MEMBER,
    org: Organization | None = None,
    **fields,
) -> User:
    """A new user with `role` in `project`: staff of `org` when given (the
    client's people have no organization); fields as make_user takes."""
    user = make_user(email, org=org, **fields)
    Membership.objects.create(project=project, user=user, role=role)
    return user


def make_teammates(project: Project, count: int, *, role: str = Role.MEMBER) -> list[User]:
    """`count` staff of the project's organization with `role` in it, without
    a password hash (fast, for the tests that need many)."""
    people = make_people(count, org=project.organization)
    for person in people:
        Membership.objects.create(project=project, user=person, role=role)
    return people
