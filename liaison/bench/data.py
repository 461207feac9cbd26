"""The benchmark's data set: a firm the size real ones reach, built
deterministically with bulk inserts (one save per row would take hours).

It grows with the product: each capability adds its rows here as it lands.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import Client, Membership, Organization, OrgMembership, User
from liaison.core.markdown import render_markdown
from liaison.core.models import Activity, Comment, KeyCounter, Notification
from liaison.projects.models import Project
from liaison.requirements.models import Baseline, Requirement, RequirementRevision
from liaison.requirements.rules import clean_tags, requirement_score, snapshot_of
from liaison.requirements.services import BASELINE_PREFIX, baseline_content, content_hash

PASSWORD = "bench-password"
BENCH_CODE = "BENCH"
MANAGER_EMAIL = "bench-pm@bench.test"
OWNER_EMAIL = "bench-owner@bench.test"
CLIENT_EMAIL = "bench-client-0@bench.test"
# The import scenario fills another project the bench manager runs (every sixth
# is theirs), so that repeated runs never grow the lists the other scenarios read.
IMPORT_CODE = "P006"
Role = Membership.Role


@dataclass(frozen=True)
class Size:
    users: int = 2000
    clients: int = 60
    projects: int = 200  # the bench project and the smaller ones
    bench_members: int = 20
    members_per_project: int = 5
    bench_activities: int = 10_000
    activities_per_project: int = 50
    bench_comments: int = 300
    manager_notifications: int = 1000
    bench_requirements: int = 2000


FULL = Size()
TINY = Size(
    users=30,
    clients=3,
    projects=5,
    bench_members=5,
    members_per_project=2,
    bench_activities=40,
    activities_per_project=3,
    bench_comments=5,
    manager_notifications=10,
    bench_requirements=40,
)


def is_loaded() -> bool:
    return Project.objects.filter(code=BENCH_CODE).exists()


@transaction.atomic
def build(size: Size = FULL) -> dict:
    """Create the data set in the current database; returns counts and seconds."""
    started = time.perf_counter()
    rng = random.Random(20261125)
    today = timezone.localdate()
    organization = Organization.objects.create(name="Bench Delivery", slug="bench")
    staff, client_users = _users(organization, size)
    clients = Client.objects.bulk_create(
        Client(
            organization=organization,
            name=f"Client {i:03d}",
            contacts=f"Contact {i}, client{i}@bench.test",
        )
        for i in range(size.clients)
    )
    projects = _projects(organization, staff, clients, size, rng, today)
    _memberships(projects, staff, client_users, clients, size, rng)
    _history(projects, staff, client_users, size, rng)
    _requirements(projects[0], size, rng)
    _baselines(projects[0], client_users[0])
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "users": User.objects.count(),
        "clients": len(clients),
        "projects": len(projects),
        "memberships": Membership.objects.count(),
        "activities": Activity.objects.count(),
        "comments": Comment.objects.count(),
        "notifications": Notification.objects.count(),
        "requirements": Requirement.objects.count(),
        "baselines": Baseline.objects.count(),
    }


def _users(organization: Organization, size: Size) -> tuple[list[User], list[User]]:
    password = make_password(PASSWORD)  # hashed once, shared by every bench user
    client_count = size.clients
    rows = [
        User(email=MANAGER_EMAIL, display_name="Bench Manager", password=password),
        User(email=OWNER_EMAIL, display_name="Bench Owner", password=password),
    ]
    rows += [
        User(
            email=f"staff-{i}@bench.test",
            display_name=f"Staff {i:04d}",
            password=password,
            language="zh-hans" if i % 3 == 0 else "en",
        )
        for i in range(size.users - client_count - 2)
    ]
    rows += [
        User(
            email=f"bench-client-{i}@bench.test",
            display_name=f"Client person {i}",
            password=password,
        )
        for i in range(client_count)
    ]
    users = User.objects.bulk_create(rows)
    staff, client_users = users[: len(users) - client_count], users[len(users) - client_count :]
    OrgMembership.objects.bulk_create(
        OrgMembership(
            organization=organization,
            user=user,
            role=OrgMembership.Role.OWNER
            if user.email == OWNER_EMAIL
            else OrgMembership.Role.STAFF,
        )
        for user in staff
    )
    return staff, client_users


def _projects(organization, staff, clients, size, rng, today) -> list[Project]:
    statuses = [Project.Status.ACTIVE] * 6 + [
        Project.Status.PROPOSED,
        Project.Status.ON_HOLD,
        Project.Status.COMPLETED,
        Project.Status.CANCELLED,
    ]
    rows = [
        Project(
            organization=organization,
            code=BENCH_CODE,
            name="The bench project",
            client=clients[0],
            manager=staff[0],
            status=Project.Status.ACTIVE,
            start_date=today - datetime.timedelta(days=180),
            end_date=today + datetime.timedelta(days=185),
            currency="CNY",
            description="The large project every scenario measures.",
        )
    ]
    for i in range(1, size.projects):
        start = today + datetime.timedelta(days=rng.randint(-400, 60))
        rows.append(
            Project(
                organization=organization,
                code=f"P{i:03d}",
                name=f"Project {i:03d}",
                client=clients[i % len(clients)],
                # The bench manager runs every sixth project; the rest are spread out.
                manager=staff[0] if i % 6 == 0 else staff[2 + rng.randrange(len(staff) - 2)],
                status=rng.choice(statuses),
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randint(30, 400)),
                currency="CNY",
            )
        )
    return Project.objects.bulk_create(rows)


def _memberships(projects, staff, client_users, clients, size, rng) -> None:
    rows = []
    for project in projects:
        team = {project.manager_id: Role.MANAGER}
        count = size.bench_members if project.code == BENCH_CODE else size.members_per_project
        while len(team) < count:
            team.setdefault(staff[rng.randrange(2, len(staff))].pk, Role.MEMBER)
        rows += [
            Membership(project=project, user_id=user_id, role=role)
            for user_id, role in team.items()
        ]
        client_index = next(i for i, c in enumerate(clients) if c.pk == project.client_id)
        rows.append(Membership(project=project, user=client_users[client_index], role=Role.CLIENT))
    Membership.objects.bulk_create(rows)


def _history(projects, staff, client_users, size, rng) -> None:
    """The audit log, comments and notifications a year of work leaves behind."""
    project_type = ContentType.objects.get_for_model(Project)
    bench = projects[0]
    activities = []
    for project in projects:
        count = size.bench_activities if project is bench else size.activities_per_project
        activities += [
            Activity(
                project=project,
                actor=staff[rng.randrange(len(staff))],
                verb="updated",
                target_type=project_type,
                target_id=project.pk,
                target_label=str(project),
                diff={"status": ["proposed", "active"]},
                client_visible=n % 4 == 0,
            )
            for n in range(count)
        ]
    Activity.objects.bulk_create(activities, batch_size=2000)
    bodies = [
        f"Comment {n}: **progress** on the warehouse rollout, see item {n}."
        for n in range(size.bench_comments)
    ]
    Comment.objects.bulk_create(
        Comment(
            project=bench,
            target_type=project_type,
            target_id=bench.pk,
            author=staff[rng.randrange(len(staff))] if n % 3 else client_users[0],
            body=body,
            body_html=render_markdown(body),
            client_visible=n % 3 == 0,
        )
        for n, body in enumerate(bodies)
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=staff[0],
            actor=staff[1 + n % 50],
            project=bench,
            event="comment",
            text=f"Staff {n % 50} commented on {bench}",
            url=f"/p/{BENCH_CODE}/",
        )
        for n in range(size.manager_notifications)
    )


# -- requirements and baselines ------------------------------------------------------

# A project past its middle: most of the scope agreed, some built, a few open.
REQUIREMENT_STATUSES = (
    ["draft"] * 15
    + ["in_review"] * 10
    + ["confirmed"] * 40
    + ["implemented"] * 20
    + ["verified"] * 8
    + ["rejected"] * 4
    + ["deferred"] * 3
)
AREAS = ["receiving", "put-away", "picking", "shipping", "inventory", "erp", "reporting", "mobile"]


def _requirements(bench: Project, size: Size, rng: random.Random) -> None:
    """REQ-1…REQ-n with revision 1 each, and the key counter where the service would leave it."""
    team = list(
        User.objects.filter(
            memberships__project=bench, memberships__role__in=[Role.MANAGER, Role.MEMBER]
        )
    )
    rows = []
    for n in range(1, size.bench_requirements + 1):
        area = AREAS[n % len(AREAS)]
        scores = {
            "priority": rng.choice(Requirement.Priority.values),
            "value": rng.randint(1, 5),
            "feasibility": rng.randint(1, 5),
            "cost": rng.randint(1, 5),
        }
        rows.append(
            Requirement(
                project=bench,
                key=f"REQ-{n}",
                kind=rng.choice(Requirement.Kind.values),
                title=f"{area.title()}: requirement {n}",
                body=f"What the {area} team needs, item {n}, as agreed in the workshops.",
                acceptance_criteria=[f"Criterion {n}.1 holds", f"Criterion {n}.2 holds"],
                source=rng.choice(Requirement.Source.values),
                status=rng.choice(REQUIREMENT_STATUSES),
                owner=team[n % len(team)] if n % 3 else None,
                client_visible=n % 10 != 0,
                tags=clean_tags([area, "phase-2" if n % 4 == 0 else "phase-1"]),
                score=requirement_score(**scores),
                **scores,
            )
        )
    requirements = Requirement.objects.bulk_create(rows, batch_size=500)
    RequirementRevision.objects.bulk_create(
        (
            RequirementRevision(requirement=r, number=1, snapshot=snapshot_of(r), author=r.owner)
            for r in requirements
        ),
        batch_size=500,
    )
    KeyCounter.objects.create(project=bench, prefix="REQ", last=len(requirements))


def _baselines(bench: Project, client: User) -> None:
    """Three signed baselines: the latest is the scope as it is now; the one
    before it lacks a few requirements and had a few worded differently."""
    latest = baseline_content(bench)
    agreed = latest["requirements"]
    previous = {**latest, "requirements": [dict(r) for r in agreed[: len(agreed) - 5]]}
    for row in previous["requirements"][10:60:10]:
        row["title"] += " (first wording)"
        row["acceptance_criteria"] = row["acceptance_criteria"][:1]
    first = {**previous, "requirements": previous["requirements"][: len(agreed) // 2]}
    Baseline.objects.bulk_create(
        Baseline(
            project=bench,
            number=number,
            title=f"Scope, version {number}",
            status=Baseline.Status.SIGNED,
            content=content,
            content_hash=content_hash(content),
            proposed_by=bench.manager,
            decided_by=client,
            decided_at=timezone.now(),
            signed_name="Client person 0",
            signed_ip="203.0.113.7",
        )
        for number, content in enumerate((first, previous, latest), start=1)
    )
    KeyCounter.objects.create(project=bench, prefix=BASELINE_PREFIX, last=3)
