"""The benchmark's data set: a firm the size real ones reach, built
deterministically with bulk inserts (one save per row would take hours).

It grows with the product: each capability adds its rows here as it lands.
"""

import datetime
import random
import time
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from liaison.accounts.models import Client, Membership, Organization, OrgMembership, User
from liaison.core.markdown import render_markdown
from liaison.core.models import Activity, Comment, KeyCounter, Notification
from liaison.planning.models import Dependency, Milestone, MilestoneReview, PlanBaseline, Task
from liaison.planning.scheduling import WorkCalendar, schedule
from liaison.planning.selectors.plan import plan_items, work_calendar
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
CAPACITIES = (40, 40, 32, 40, 24, 40, 40, 20)


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
    # The plan: tasks T-1…, the first `bench_dated_tasks` with dates; parents with 4
    # children each among the first tasks; every task in a milestone.
    bench_tasks: int = 10_000
    bench_dated_tasks: int = 2000
    bench_parents: int = 40
    bench_milestones: int = 50
    bench_dependencies: int = 3000
    tasks_per_project: int = 500
    milestones_per_project: int = 5


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
    bench_tasks=200,
    bench_dated_tasks=100,
    bench_parents=8,
    bench_milestones=10,
    bench_dependencies=120,
    tasks_per_project=20,
    milestones_per_project=2,
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
    # The plan draws from its own stream, so that the rows above stay as they were.
    plan_rng = random.Random(20261204)
    _plan(projects[0], client_users[0], size, plan_rng, today)
    _small_plans(projects[1:], size, plan_rng, today)
    # Planner statistics, as a database in use has them: PostgreSQL would otherwise plan
    # the first minutes of the benchmark on empty tables' estimates.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
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
        "milestones": Milestone.objects.count(),
        "tasks": Task.objects.count(),
        "dependencies": Dependency.objects.count(),
        "plan baselines": PlanBaseline.objects.count(),
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
            # Most work full weeks; some part time (what the workload page measures against).
            Membership(
                project=project,
                user_id=user_id,
                role=role,
                capacity_hours=CAPACITIES[user_id % len(CAPACITIES)],
            )
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


# -- the plan: milestones, tasks, dependencies, a plan baseline ------------------------

# The task the task_detail scenario opens: a child of T-146, dated, linked both ways.
DETAIL_TASK = "T-150"
CHILDREN = 4  # per parent task
WORK = ["Design", "Build", "Configure", "Test", "Migrate", "Review", "Document", "Train"]
PARTS = ["screens", "rules", "interfaces", "reports", "data", "workflow"]
Status = Task.Status


def _holidays(start: datetime.date, end: datetime.date) -> list[str]:
    """New Year, Labour Day and National Day weeks inside the project's dates."""
    days = []
    for year in range(start.year, end.year + 1):
        days += [datetime.date(year, 1, 1)]
        days += [datetime.date(year, 5, day) for day in (1, 2, 3)]
        days += [datetime.date(year, 10, day) for day in range(1, 8)]
    return sorted(day.isoformat() for day in days if start <= day <= end)


def _index_range(calendar: WorkCalendar, start: datetime.date, end: datetime.date):
    """The first and last working-day numbers from `start` to `end` inclusive."""
    return calendar.index(start), calendar.index(end + datetime.timedelta(days=1)) - 1


def _task_status(rng: random.Random, window, today_index: int) -> tuple[str, int]:
    """A status and progress that fit the task's dates (or none) against today."""
    draw = rng.random()
    if window is None:
        if draw < 0.2:
            return Status.DONE, 100
        if draw < 0.5:
            return Status.IN_PROGRESS, rng.randint(1, 9) * 10
        if draw < 0.55:
            return Status.BLOCKED, rng.randint(0, 5) * 10
        return Status.TODO, 0
    start, finish = window
    if finish < today_index:  # should be over: most are, some are late
        if draw < 0.88:
            return Status.DONE, 100
        return (Status.IN_PROGRESS, rng.randint(5, 9) * 10) if draw < 0.97 else (Status.BLOCKED, 50)
    if start <= today_index:  # under way
        if draw < 0.8:
            return Status.IN_PROGRESS, rng.randint(1, 9) * 10
        return (Status.DONE, 100) if draw < 0.9 else (Status.BLOCKED, rng.randint(0, 5) * 10)
    if draw < 0.9:
        return Status.TODO, 0
    return Status.IN_PROGRESS, rng.randint(1, 3) * 10


def _estimate(rng: random.Random) -> Decimal:
    return (Decimal(rng.randint(4, 80)) / 2).quantize(Decimal("0.1"))  # 2 to 40 hours


def _task_title(n: int) -> str:
    area = AREAS[(n // len(WORK)) % len(AREAS)]
    part = PARTS[(n // (len(WORK) * len(AREAS))) % len(PARTS)]
    return f"{WORK[n % len(WORK)]} the {area} {part}"


def _milestone_rows(project, calendar, count: int, statuses) -> list:
    """`count` milestones M-1… due evenly over the project's dates."""
    first, last = _index_range(calendar, project.start_date, project.end_date)
    rows = []
    for k in range(1, count + 1):
        due = calendar.date_at(first + (last - first) * k // count)
        area = AREAS[k % len(AREAS)]
        rows.append(
            Milestone(
                project=project,
                key=f"M-{k}",
                name=f"Phase {k}: {area} ready",
                description=f"The {area} part of the rollout, ready for the client to check.",
                due_date=due,
                status=statuses(k, due),
                deliverables=[
                    {"title": "Release notes", "url": f"https://docs.bench.test/m-{k}/notes"},
                    {"title": "Test report", "url": f"https://docs.bench.test/m-{k}/tests"},
                ],
                criteria=[
                    f"The {area} flows work end to end",
                    "Data migrated and reconciled",
                    "Key users trained",
                ],
            )
        )
    return rows


def _plan(bench: Project, client: User, size: Size, rng: random.Random, today) -> None:
    bench.holidays = _holidays(bench.start_date, bench.end_date)
    bench.save(update_fields=["holidays"])
    calendar = work_calendar(bench)
    milestones = _bench_milestones(bench, client, size, calendar, today)
    windows, families = _bench_windows(bench, size, calendar, rng, today)
    tasks = _bench_tasks(bench, size, milestones, windows, families, calendar, rng, today)
    _bench_dependencies(bench, tasks, windows, families, size, rng, calendar)
    _bench_plan_baseline(bench, tasks, milestones, windows, calendar, rng)
    _bench_task_history(bench, tasks, client)
    KeyCounter.objects.bulk_create(
        [
            KeyCounter(project=bench, prefix="T", last=size.bench_tasks),
            KeyCounter(project=bench, prefix="M", last=size.bench_milestones),
            KeyCounter(project=bench, prefix="PLAN", last=1),
        ]
    )


def _bench_milestones(bench, client, size, calendar, today) -> list[Milestone]:
    """A few accepted (one after a rejected round), one awaiting the client, the
    rest under way or planned."""
    accepted = max(1, size.bench_milestones // 8)
    submitted = accepted + 1

    def status(k: int, due: datetime.date) -> str:
        if k <= accepted:
            return Milestone.Status.ACCEPTED
        if k == submitted:
            return Milestone.Status.SUBMITTED
        return (
            Milestone.Status.IN_PROGRESS
            if due < today + datetime.timedelta(days=30)
            else (Milestone.Status.PLANNED)
        )

    milestones = Milestone.objects.bulk_create(
        _milestone_rows(bench, calendar, size.bench_milestones, status)
    )
    now = timezone.now()
    reviews = []
    for milestone in milestones[:submitted]:
        review = MilestoneReview(
            milestone=milestone,
            round=1,
            criteria=list(milestone.criteria),
            deliverables=list(milestone.deliverables),
            note="Ready for your acceptance.",
            submitted_by=bench.manager,
        )
        if milestone.status == Milestone.Status.SUBMITTED:
            reviews.append(review)
            continue
        met = [{"criterion": c, "met": True, "comment": ""} for c in milestone.criteria]
        decided = {"decided_by": client, "decided_at": now, "decided_ip": "203.0.113.7"}
        if milestone.key == "M-3":  # rejected once, accepted the second time
            unmet = [dict(met[0]), {**met[1], "met": False, "comment": "Stock counts differ."}]
            review.verdict, review.verdicts = MilestoneReview.Verdict.REJECTED, unmet + met[2:]
            review.comment = "Please reconcile the stock counts first."
            for name, value in decided.items():
                setattr(review, name, value)
            reviews.append(review)
            review = MilestoneReview(
                milestone=milestone,
                round=2,
                criteria=list(milestone.criteria),
                deliverables=list(milestone.deliverables),
                note="Stock counts reconciled.",
                submitted_by=bench.manager,
            )
        review.verdict, review.verdicts, review.comment = "accepted", met, "Accepted, thanks."
        for name, value in decided.items():
            setattr(review, name, value)
        reviews.append(review)
    MilestoneReview.objects.bulk_create(reviews)
    return milestones


def _bench_windows(bench, size, calendar, rng, today) -> tuple[dict, dict]:
    """Working-day (start, finish) numbers of the dated tasks, and {parent: children}.

    Parents come first (T-1, T-6, …), each followed by its children, all around today;
    the other dated tasks are spread over the project's year. Every date is a working day.
    """
    if not ((CHILDREN + 1) * size.bench_parents <= size.bench_dated_tasks <= size.bench_tasks):
        raise ValueError("the parents and their children must be among the dated tasks")
    first, last = _index_range(calendar, bench.start_date, bench.end_date)
    today_index = calendar.index(today)
    windows, families = {}, {}
    for k in range(size.bench_parents):
        parent = 1 + (CHILDREN + 1) * k
        begin = rng.randint(max(first, today_index - 85), min(last - 40, today_index + 85))
        children = list(range(parent + 1, parent + 1 + CHILDREN))
        for child in children:
            start = begin + rng.randint(0, 15)
            windows[child] = (start, start + rng.randint(1, 15) - 1)
        windows[parent] = (
            min(windows[c][0] for c in children),
            max(windows[c][1] for c in children),
        )
        families[parent] = children
    for n in range((CHILDREN + 1) * size.bench_parents + 1, size.bench_dated_tasks + 1):
        duration = rng.randint(1, 15)
        start = rng.randint(first, last - duration + 1)
        windows[n] = (start, start + duration - 1)
    return windows, families


def _bench_tasks(bench, size, milestones, windows, families, calendar, rng, today) -> dict:
    """T-1…T-n in one bulk insert; returns {number: task}."""
    team = list(
        Membership.objects.filter(project=bench, role__in=[Role.MANAGER, Role.MEMBER])
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    today_index = calendar.index(today)
    due_indices = [calendar.index(m.due_date) for m in milestones]
    closed = {m.pk for m in milestones if m.status == Milestone.Status.ACCEPTED}
    rows = []
    for n in range(1, size.bench_tasks + 1):
        window = windows.get(n)
        if window is None:
            milestone = milestones[rng.randrange(len(milestones))]
        else:  # the first milestone due once the task is finished
            milestone = milestones[bisect_left(due_indices, window[1])]
        status, progress = _task_status(rng, window, today_index)
        if milestone.pk in closed:
            status, progress = Status.DONE, 100
        described = n % 7 == 0 or f"T-{n}" == DETAIL_TASK
        rows.append(
            Task(
                project=bench,
                key=f"T-{n}",
                number=n,
                title=_task_title(n),
                description=(
                    f"Agreed in workshop {n % 40 + 1}.\n\n- **Scope**: item {n}\n- Done when "
                    "the key users sign it off."
                    if described
                    else ""
                ),
                milestone=milestone,
                assignee_id=team[rng.randrange(len(team))] if rng.random() < 0.95 else None,
                start_date=calendar.date_at(window[0]) if window else None,
                due_date=calendar.date_at(window[1]) if window else None,
                estimate_hours=_estimate(rng),
                progress=progress,
                status=status,
                order=n,
                client_visible=n % 10 == 0,
            )
        )
    for parent, children in families.items():  # a parent sums up its children
        task = rows[parent - 1]
        task.assignee_id = bench.manager_id
        task.progress = sum(rows[c - 1].progress for c in children) // len(children)
        task.status = (
            Status.DONE
            if task.progress == 100
            else Status.TODO
            if task.progress == 0
            else Status.IN_PROGRESS
        )
    tasks = {task.number: task for task in Task.objects.bulk_create(rows, batch_size=5000)}
    children = []
    for parent, numbers in families.items():
        for number in numbers:
            tasks[number].parent = tasks[parent]
            children.append(tasks[number])
    Task.objects.bulk_update(children, ["parent"], batch_size=500)
    # Every fifth task implements a requirement.
    requirement_ids = list(
        Requirement.objects.filter(project=bench).order_by("id").values_list("pk", flat=True)
    )
    if requirement_ids:
        Link = Task.requirements.through
        Link.objects.bulk_create(
            (
                Link(task_id=task.pk, requirement_id=requirement_ids[n // 5 % len(requirement_ids)])
                for n, task in tasks.items()
                if n % 5 == 0
            ),
            batch_size=5000,
        )
    return tasks


# (kind, lag) of a new link and how often it is drawn: mostly plain finish-to-start.
LINK_KINDS = [("FS", 0), ("FS", 1), ("FS", 2), ("FS", -1), ("SS", 0), ("SS", 2), ("FF", 0)]
LINK_WEIGHTS = [84, 4, 2, 2, 4, 2, 2]


def _link_allowed(kind: str, lag: int, before, after) -> bool:
    """Whether `after` (start, finish) already satisfies the link from `before`: the
    scheduler's rule, so that it pushes nothing."""
    if kind == "FS":
        required = before[1] + 1 + lag
    elif kind == "SS":
        required = before[0] + lag
    else:  # FF
        required = before[1] + lag - (after[1] - after[0])
    return after[0] >= required


def _bench_dependencies(bench, tasks, windows, families, size, rng, calendar) -> None:
    """About `bench_dependencies` links among the dated tasks (parents aside), each
    from a task to one starting later that already respects it: no loop, no push."""
    nodes = sorted((start, n) for n, (start, _) in windows.items() if n not in families)
    starts = [start for start, _ in nodes]
    position = {n: i for i, (_, n) in enumerate(nodes)}
    links: dict[tuple[int, int], tuple[str, int]] = {}

    def link_from(a: int) -> None:
        kind, lag = rng.choices(LINK_KINDS, LINK_WEIGHTS)[0]
        start, finish = windows[a]
        lowest = finish + 1 + lag if kind == "FS" else start
        first = max(position[a] + 1, bisect_left(starts, lowest))
        if first >= len(nodes):
            return
        b = nodes[first + rng.randrange(min(30, len(nodes) - first))][1]
        if (a, b) not in links and _link_allowed(kind, lag, windows[a], windows[b]):
            links[(a, b)] = (kind, lag)

    for _, a in nodes:  # nearly every task leads somewhere…
        if len(links) >= size.bench_dependencies:
            break
        link_from(a)
    attempts = 0
    while len(links) < size.bench_dependencies and attempts < 50 * size.bench_dependencies:
        attempts += 1  # …and some to more than one
        link_from(nodes[rng.randrange(len(nodes))][1])
    Dependency.objects.bulk_create(
        (
            Dependency(
                project=bench,
                predecessor_id=tasks[a].pk,
                successor_id=tasks[b].pk,
                kind=kind,
                lag_days=lag,
            )
            for (a, b), (kind, lag) in links.items()
        ),
        batch_size=5000,
    )
    # The scheduler must find the plan as it is: a push here would mean a bad generator.
    items, plan_links = plan_items(bench)
    slots = schedule(items, plan_links, calendar)
    moved = [item_id for item_id, slot in slots.items() if slot.moved]
    if moved:
        raise RuntimeError(f"bench plan is not consistent: {len(moved)} tasks would move")


def _bench_plan_baseline(bench, tasks, milestones, windows, calendar, rng) -> None:
    """The plan as agreed at kick-off; some tasks and milestones slipped since."""
    frozen = {}
    for n, (start, finish) in windows.items():
        if n % 9 == 4:
            slip = rng.randint(2, 6)
            start, finish = start - slip, finish - slip
        frozen[str(tasks[n].pk)] = [
            calendar.date_at(start).isoformat(),
            calendar.date_at(finish).isoformat(),
        ]
    PlanBaseline.objects.create(
        project=bench,
        number=1,
        name="Plan as agreed at kick-off",
        tasks=frozen,
        milestones={
            str(m.pk): (m.due_date - datetime.timedelta(days=7 if i % 7 == 3 else 0)).isoformat()
            for i, m in enumerate(milestones)
        },
        created_by=bench.manager,
    )


def _bench_task_history(bench, tasks, client) -> None:
    """Comments and log lines on the task the detail scenario opens."""
    number = int(DETAIL_TASK.removeprefix("T-"))
    task = tasks.get(number)
    if task is None:
        return
    task_type = ContentType.objects.get_for_model(Task)
    bodies = [f"Update {i}: the **{AREAS[i % len(AREAS)]}** part is on track." for i in range(12)]
    Comment.objects.bulk_create(
        Comment(
            project=bench,
            target_type=task_type,
            target_id=task.pk,
            author=bench.manager if i % 4 else client,
            body=body,
            body_html=render_markdown(body),
            client_visible=i % 4 == 0,
        )
        for i, body in enumerate(bodies)
    )
    Activity.objects.bulk_create(
        Activity(
            project=bench,
            actor=bench.manager,
            verb="created" if i == 0 else "updated",
            target_type=task_type,
            target_id=task.pk,
            target_label=str(task),
            target_version=i + 1,
            diff={} if i == 0 else {"progress": [str(10 * (i - 1)), str(10 * i)]},
            client_visible=task.client_visible,
        )
        for i in range(8)
    )


def _small_plans(projects: list[Project], size: Size, rng: random.Random, today) -> None:
    """Each smaller project: a few milestones and `tasks_per_project` tasks, a fifth
    of them dated, inserted a few projects at a time."""
    if size.tasks_per_project == 0:
        return
    calendar = WorkCalendar()
    today_index = calendar.index(today)
    team = defaultdict(list)
    for project_id, user_id in (
        Membership.objects.filter(project__in=projects, role__in=[Role.MANAGER, Role.MEMBER])
        .order_by("project_id", "user_id")
        .values_list("project_id", "user_id")
    ):
        team[project_id].append(user_id)

    def status(k: int, due: datetime.date) -> str:
        return Milestone.Status.IN_PROGRESS if due < today else Milestone.Status.PLANNED

    rows = []
    for project in projects:
        rows += _milestone_rows(project, calendar, size.milestones_per_project, status)
    milestones = defaultdict(list)
    for milestone in Milestone.objects.bulk_create(rows, batch_size=5000):
        milestones[milestone.project_id].append(milestone)
    dated = size.tasks_per_project // 5
    batch: list[Task] = []
    for project in projects:
        first, last = _index_range(calendar, project.start_date, project.end_date)
        own = milestones[project.pk]
        due_indices = [calendar.index(m.due_date) for m in own]
        members = team[project.pk]
        for n in range(1, size.tasks_per_project + 1):
            window = None
            if n <= dated:
                duration = min(rng.randint(1, 15), last - first + 1)
                start = rng.randint(first, last - duration + 1)
                window = (start, start + duration - 1)
                milestone = own[min(bisect_left(due_indices, window[1]), len(own) - 1)]
            else:
                milestone = own[rng.randrange(len(own))]
            status_, progress = _task_status(rng, window, today_index)
            batch.append(
                Task(
                    project=project,
                    key=f"T-{n}",
                    number=n,
                    title=_task_title(n),
                    milestone=milestone,
                    assignee_id=members[rng.randrange(len(members))],
                    start_date=calendar.date_at(window[0]) if window else None,
                    due_date=calendar.date_at(window[1]) if window else None,
                    estimate_hours=_estimate(rng),
                    progress=progress,
                    status=status_,
                    order=n,
                    client_visible=n % 10 == 0,
                )
            )
        if len(batch) >= 5000:
            Task.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Task.objects.bulk_create(batch, batch_size=5000)
    KeyCounter.objects.bulk_create(
        KeyCounter(project=project, prefix=prefix, last=last)
        for project in projects
        for prefix, last in (("T", size.tasks_per_project), ("M", size.milestones_per_project))
    )
