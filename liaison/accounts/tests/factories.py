"""People for tests.

make_user("li@test.example")                          # nobody's staff (a client, say)
make_user("li@test.example", org=org, org_role="admin")
make_people(30, org=org)                              # many, fast, without a password
"""

import itertools

from liaison.accounts.models import Organization, OrgMembership, User

PASSWORD = "correct-horse-battery"  # every make_user user's, to sign in with
_serial = itertools.count(1)


def make_user(
    email: str, *, org: Organization | None = None, org_role: str = "staff", **fields
) -> User:
    """A user who can sign in with PASSWORD; staff of `org` (in `org_role`) when given."""
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        display_name=fields.pop("display_name", email.split("@")[0]),
        **fields,
    )
    if org is not None:
        OrgMembership.objects.create(organization=org, user=user, role=org_role)
    return user


def make_people(count: int, *, org: Organization | None = None) -> list[User]:
    """`count` users named "Person N", without a password hash (fast, for the
    tests that need many); staff of `org` when given."""
    people = []
    for _ in range(count):
        number = next(_serial)
        person = User.objects.create_user(
            email=f"person{number}@test.example", display_name=f"Person {number}"
        )
        if org is not None:
            OrgMembership.objects.create(organization=org, user=person)
        people.append(person)
    return people
