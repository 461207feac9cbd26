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
from liaison.core.models import Activity, Comment, Notification
from liaison.projects.models import Project

PASSWORD = "bench-password"
BENCH_CODE = "BENCH"
MANAGER_EMAIL = "bench-pm@bench.test"
OWNER_EMAIL = "bench-owner@bench.test"
CLIENT_EMAIL = "bench-client-0@bench.test"
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
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "users": User.objects.count(),
        "clients": len(clients),
        "projects": len(projects),
        "memberships": Membership.objects.count(),
        "activities": Activity.objects.count(),
        "comments": Comment.objects.count(),
        "notifications": Notification.objects.count(),
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
