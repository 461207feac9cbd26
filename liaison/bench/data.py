"""The benchmark's data set: a firm the size real ones reach, built
deterministically with bulk inserts (one save per row would take hours).

It grows with the product: each capability adds its rows here as it lands.
"""

import datetime
import random
import time
import zoneinfo
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from liaison.accounts.models import Client, Organization, OrgMembership, User
from liaison.bench.change_data import build_changes
from liaison.bench.document_data import build_documents
from liaison.bench.issue_data import build_issues
from liaison.bench.money_data import build_money
from liaison.bench.quality_data import build_quality
from liaison.bench.report_data import build_reports
from liaison.bench.risk_data import build_risks
from liaison.bench.time_data import build_time
from liaison.collab.models import Comment, Notification
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction, Kind
from liaison.core import search
from liaison.core.markdown import render_markdown
from liaison.core.models import Activity
from liaison.planning.models import Dependency, Milestone, MilestoneReview, PlanBaseline, Task
from liaison.planning.scheduling import WorkCalendar, schedule
from liaison.planning.selectors.plan import plan_items, work_calendar
from liaison.projects.models import Capacity, KeyCounter, Membership, Project, TimeOff
from liaison.requirements.baseline_content import baseline_content, content_hash
from liaison.requirements.models import Baseline, Requirement, RequirementRevision
from liaison.requirements.rules import clean_tags, requirement_score, snapshot_of
from liaison.requirements.services import BASELINE_PREFIX

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
    # The communication log: COM-1… and ACT-1…, about two action items per interaction.
    bench_interactions: int = 2000
    bench_action_items: int = 4000
    interactions_per_project: int = 10
    action_items_per_project: int = 20
    # Change requests CR-1… in every state; a year of weekly reports, the last a draft.
    bench_changes: int = 500
    bench_reports: int = 52
    # The risk register RISK-1… across the heat map and every status.
    bench_risks: int = 500
    # Issues ISS-1… in every state and severity.
    bench_issues: int = 5000
    # Time: whole weeks of the team's entries, approved but the last three.
    bench_time_entries: int = 100_000
    # Expenses EXP-1… over the last year (the costs page and the invoicing export).
    bench_expenses: int = 2000
    # Documents DOC-1… with their versions (one folder of 500), placeholder files.
    bench_documents: int = 20_000
    bench_document_versions: int = 50_000


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
    bench_interactions=40,
    bench_action_items=80,
    interactions_per_project=3,
    action_items_per_project=6,
    bench_changes=20,
    bench_reports=6,
    bench_risks=20,
    bench_issues=50,
    bench_time_entries=400,
    bench_expenses=60,
    bench_documents=120,
    bench_document_versions=300,
)


# Raised with every change to the data set's shape: `make bench` then builds a new
# SQLite file instead of measuring an old data set that lacks the new rows.
DATA_VERSION = 7


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
    _capacities(organization, staff, today)
    _history(projects, staff, client_users, size, rng)
    _requirements(projects[0], size, rng)
    _baselines(projects[0], client_users[0])
    # The plan draws from its own stream, so that the rows above stay as they were.
    plan_rng = random.Random(20261204)
    _plan(projects[0], client_users[0], size, plan_rng, today)
    _small_plans(projects[1:], size, plan_rng, today)
    # The communication log too, so that adding it changed nothing above.
    _communication(projects, size, random.Random(20261211), today)
    # Change requests and reports read the plan and the log: built last.
    client_id = client_users[0].pk
    later = build_changes(projects[0], client_id, size.bench_changes, random.Random(20261226))
    # Risks before the reports, whose facts read the register.
    later |= build_risks(projects[0], size.bench_risks, random.Random(20261207))
    later |= build_issues(projects[0], client_id, size.bench_issues, random.Random(20261207))
    # Quality after the issues, some of which its findings opened.
    later |= build_quality(projects[0], client_id, random.Random(20261208))
    # Rates, the budget and expenses, then the time: before the reports, whose facts
    # read earned value (the budget, the approved time and the expenses).
    later |= build_money(projects[0], size.bench_expenses, random.Random(20261207))
    later |= build_time(projects[0], size.bench_time_entries, random.Random(20261207))
    later |= build_documents(
        projects[0], size.bench_documents, size.bench_document_versions, random.Random(20261207)
    )
    later |= build_reports(projects[0], client_id, size.bench_reports, today)
    # The search's entries, from every source: the rows above were written in bulk.
    later["search entries"] = search.rebuild(projects)
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
        "capacities": Capacity.objects.count(),
        "time off": TimeOff.objects.count(),
        "activities": Activity.objects.count(),
        "comments": Comment.objects.count(),
        "notifications": Notification.objects.count(),
        "requirements": Requirement.objects.count(),
        "baselines": Baseline.objects.count(),
        "milestones": Milestone.objects.count(),
        "tasks": Task.objects.count(),
        "dependencies": Dependency.objects.count(),
        "plan baselines": PlanBaseline.objects.count(),
        "communication plan items": CommunicationPlanItem.objects.count(),
        "interactions": Interaction.objects.count(),
        "interaction participants": Interaction.participants.through.objects.count(),
        "action items": ActionItem.objects.count(),
        **later,
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


def _capacities(organization: Organization, staff: list[User], today: datetime.date) -> None:
    """Most work full weeks, some part time (what the workload page and the people
    view measure against); every tenth person takes a week off in the next eight."""
    Capacity.objects.bulk_create(
        Capacity(
            organization=organization,
            user=user,
            hours_per_week=CAPACITIES[user.pk % len(CAPACITIES)],
        )
        for user in staff
    )
    monday = today - datetime.timedelta(days=today.weekday())
    TimeOff.objects.bulk_create(
        TimeOff(
            organization=organization,
            user=user,
            start_date=monday + datetime.timedelta(weeks=i % 8),
            end_date=monday + datetime.timedelta(weeks=i % 8, days=4),
            note="Leave",
        )
        for i, user in enumerate(staff)
        if i % 10 == 0
    )


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
            fallback_text=f"Staff {n % 50} commented on {bench}",  # what `text=` sets
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
        scores: dict[str, Any] = {
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


def _completed_at(
    status: str, due: datetime.date | None, n: int, today
) -> datetime.datetime | None:
    """When a done task was finished: on its due date when it has one (never in
    the future), else spread over the past year. Drawn without the random stream,
    so that adding it changed no other row."""
    if status != Status.DONE:
        return None
    day = min(due, today) if due else today - datetime.timedelta(days=n % 360)
    return datetime.datetime.combine(day, datetime.time(17, n % 60), tzinfo=OFFICE)


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
    start, end = bench.start_date, bench.end_date
    assert start is not None and end is not None  # the bench project has its dates
    bench.holidays = _holidays(start, end)
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
    for task in rows:
        task.completed_at = _completed_at(task.status, task.due_date, task.number, today)
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
        begins, ends = project.start_date, project.end_date
        assert begins is not None and ends is not None  # every bench project has its dates
        first, last = _index_range(calendar, begins, ends)
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
            task = batch[-1]
            task.completed_at = _completed_at(status_, task.due_date, n, today)
        if len(batch) >= 5000:
            Task.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Task.objects.bulk_create(batch, batch_size=5000)
    KeyCounter.objects.bulk_create(
        KeyCounter(project=project, prefix=prefix, last=last)
        for project in projects
        for prefix, last in (("T", size.tasks_per_project), ("M", size.milestones_per_project))
    )


# -- the communication log: interactions, action items, the communication plan --------

# The interaction the detail scenario opens: a past meeting with the client, with
# participants, decisions, minutes, action items and comments. A smaller data set
# has its own (see detail_interaction).
DETAIL_INTERACTION = "COM-1500"
OFFICE = zoneinfo.ZoneInfo("Asia/Shanghai")  # where the meetings happen
Frequency = CommunicationPlanItem.Frequency
AREA_ZH = {
    "receiving": "收货",
    "put-away": "上架",
    "picking": "拣货",
    "shipping": "发运",
    "inventory": "库存",
    "erp": "ERP 接口",
    "reporting": "报表",
    "mobile": "手持终端",
}
# How often each kind is logged: mostly meetings, calls and e-mails.
KINDS = [Kind.MEETING, Kind.CALL, Kind.EMAIL, Kind.IM, Kind.VISIT, Kind.OTHER]
KIND_WEIGHTS = [40, 24, 26, 5, 3, 2]
SUBJECTS = {
    Kind.MEETING: [
        "Workshop: the {area} process",
        "Design review: {area}",
        "Key-user session on {area}",
        "Test planning for {area}",
        "{zh}流程讨论会",
        "{zh}方案评审",
    ],
    Kind.CALL: [
        "Call about the {area} interface",
        "Quick call: open questions on {area}",
        "{zh}问题电话沟通",
    ],
    Kind.EMAIL: [
        "Re: {area} data for the migration",
        "Questions on the {area} rules",
        "Re: test results for {area}",
        "关于{zh}的确认邮件",
    ],
    Kind.IM: ["WeChat: {area} label printer", "钉钉群：{zh}测试问题"],
    Kind.VISIT: ["Site visit: {area} at the Suzhou warehouse", "现场调研：{zh}"],
    Kind.OTHER: ["Training session: {area}", "{zh}培训"],
}
CHANNELS = {
    Kind.MEETING: [
        "Tencent Meeting",
        "Zoom",
        "Client HQ, meeting room 3",
        "Suzhou warehouse office",
    ],
    Kind.CALL: ["Phone", "WeChat call", "Tencent Meeting"],
    Kind.EMAIL: [""],
    Kind.IM: ["WeChat group 'BENCH WMS'", "DingTalk group"],
    Kind.VISIT: ["Suzhou warehouse", "Kunshan distribution centre"],
    Kind.OTHER: ["Training room, client HQ"],
}
AGENDA_ITEMS = [
    "Review of last week's action items",
    "Status of the {area} work: done, next, blocked",
    "Open questions on the {area} rules",
    "Test results and defects found in {area}",
    "Data migration: the {area} master data",
    "Risks and decisions needed",
    "Cut-over plan and training dates",
    "Any other business",
]
AGENDA_ITEMS_ZH = [
    "回顾上周行动项",
    "{zh}进度：已完成、下一步、阻塞",
    "{zh}规则的待确认问题",
    "测试结果与缺陷",
    "数据迁移：{zh}主数据",
    "风险与需要决策的事项",
    "上线切换计划与培训安排",
    "其他事项",
]
PARAGRAPHS = [
    "The team walked through the {area} flow end to end with the key users. The standard "
    "case works; mixed pallets still need a manual step, which the warehouse accepts for the "
    "first month after go-live.",
    "The new {area} screens were shown on the handheld. The users asked for bigger buttons on "
    "the confirmation step and for the item description next to the barcode. Both are small "
    "changes and fit in the current sprint.",
    "The ERP interface sent {n} test orders overnight; {m} failed because the unit of measure "
    "was missing in the item master. The client's IT team corrects the master data; we add a "
    "clear error message to the interface log.",
    "Stock counts from the old system and the new one differ for {m} locations. Most are "
    "timing differences from the weekend shift; the rest go to the inventory team for a "
    "recount before the next migration rehearsal.",
    "We agreed to freeze the scope of phase 2 at the end of the month. Anything raised after "
    "that goes through a change request, with the impact on dates and cost shown before the "
    "client decides.",
    "Training for the {area} key users is planned over two afternoons. The client books the "
    "room and the devices; we prepare the exercises with real item numbers from the test data.",
    "The {area} report takes about {n} seconds on the full data set. The target is under five; "
    "we will add an index and pre-compute the daily totals.",
    "The client raised a concern about the go-live date given the holiday week. We showed the "
    "plan with the buffer before the cut-over and agreed to review it at the next steering call.",
]
PARAGRAPHS_ZH = [
    "双方一起过了一遍{zh}的完整流程。标准场景已经可以正常运行，混托盘的情况仍需要手工处理一步，"
    "仓库同意上线后第一个月先这样执行。",
    "客户提出{zh}报表需要按班次汇总，并且希望能导出 Excel。我们评估后认为工作量约{m}人天，"
    "会在下周的变更评审中给出正式的影响分析。",
    "ERP 接口昨晚推送了{n}条测试订单，其中{m}条因为物料主数据缺少计量单位而失败。"
    "客户 IT 负责修正主数据，我们在接口日志里增加更清楚的错误提示。",
    "关于上线时间，客户担心节假日前后人手不足。我们展示了切换前预留的缓冲时间，"
    "约定在下次指导委员会电话会上再次确认。",
    "新旧系统的库存盘点结果在{m}个库位上存在差异。大部分是周末班次造成的时间差，"
    "其余的交给库存组在下一次迁移演练前复盘。",
    "{zh}关键用户的培训安排在两个下午进行。客户负责预订培训室和设备，"
    "我们用测试数据中的真实物料编号准备练习题。",
]
DECISIONS = [
    "Mixed pallets are received manually for the first month",
    "The scope of phase 2 is frozen at the end of the month",
    "Go-live stays on the planned date",
    "The {area} figures can be exported to Excel",
    "The test environment is refreshed every Monday",
    "Labels are printed at the dock, not at the office",
    "{zh}方案按第二版执行",
    "上线首月每天召开十五分钟的问题碰头会",
]
ACTIONS = [
    "Send the {area} test data",
    "Correct the unit of measure in the item master",
    "Book the training room and the devices",
    "Prepare the {area} training exercises",
    "Confirm the label layout with the warehouse",
    "Review the cut-over checklist",
    "Update the {area} specification after the workshop",
    "Check the failed interface messages",
    "补充{zh}的测试用例",
    "确认{zh}报表格式",
    "提供 ERP 接口的测试账号",
]
EXTERNAL = [
    {"name": "Wang Wei", "email": "wang.wei@client.bench.test"},
    {"name": "李娜", "email": "li.na@client.bench.test"},
    {"name": "Zhang Min (IT)", "email": "zhang.min@client.bench.test"},
    {"name": "Chen Jing", "email": "chen.jing@client.bench.test"},
    {"name": "Liu Yang (logistics partner)", "email": "liu.yang@3pl.bench.test"},
]


def detail_interaction(size: Size = FULL) -> str:
    """The key of the interaction the detail scenario opens in a data set of this size."""
    return (
        f"COM-{min(int(DETAIL_INTERACTION.removeprefix('COM-')), size.bench_interactions * 3 // 4)}"
    )


@dataclass
class _Draft:
    """An interaction before it has a key: when, what, and whether the client takes part."""

    at: datetime.datetime
    kind: str
    client: bool
    subject: str = ""
    duration: int | None = None
    visible: bool | None = None
    plan_item: CommunicationPlanItem | None = None
    team: tuple[int, int] = (1, 5)  # how many team members take part
    rich: bool = False  # the one the detail scenario opens


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OFFICE)


def _working_day(day: datetime.date) -> datetime.date:
    """Saturday moves back to Friday, Sunday on to Monday."""
    weekday = day.weekday()
    return (
        day - datetime.timedelta(days=1)
        if weekday == 5
        else day + datetime.timedelta(days=1 if weekday == 6 else 0)
    )


def _first_working_day(day: datetime.date) -> datetime.date:
    """The first Monday-to-Friday of the day's month."""
    first = day.replace(day=1)
    return first + datetime.timedelta(
        days=max(0, 7 - first.weekday()) if first.weekday() >= 5 else 0
    )


def _random_draft(rng: random.Random, today: datetime.date, *, client_share: float) -> _Draft:
    """An interaction somewhere in the last year, or now and then in the coming weeks."""
    if rng.random() < 0.02:
        day = today + datetime.timedelta(days=rng.randint(1, 28))
    else:
        day = today - datetime.timedelta(days=rng.randint(0, 364))
    kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
    at = _at(_working_day(day), rng.randint(9, 17), rng.choice((0, 15, 30, 45)))
    duration = {Kind.MEETING: [60, 90, 120], Kind.CALL: [15, 30, 45], Kind.VISIT: [180, 240]}
    return _Draft(
        at=at,
        kind=kind,
        client=rng.random() < client_share,
        duration=rng.choice(duration.get(kind, [None])),
    )


def _communication_plan(bench: Project, team: list[int], first: datetime.date) -> dict:
    """The five rhythms the team agreed with the client at kick-off."""
    rows = {
        "status": CommunicationPlanItem(
            audience="Client project team",
            purpose="Weekly status meeting: progress, next week's work, open questions, "
            "action items. Minutes within one working day.",
            kind=Kind.MEETING,
            frequency=Frequency.WEEKLY,
        ),
        "steering": CommunicationPlanItem(
            audience="Steering committee (client sponsor, delivery director)",
            purpose="Steering call: milestones, risks, decisions that need the sponsor. "
            "指导委员会电话会：里程碑、风险和需要决策的事项。",
            kind=Kind.CALL,
            frequency=Frequency.BIWEEKLY,
        ),
        "report": CommunicationPlanItem(
            audience="Client sponsor and stakeholders",
            purpose="Monthly report by e-mail: progress against the plan, budget, risks, "
            "changes, next month.",
            kind=Kind.EMAIL,
            frequency=Frequency.MONTHLY,
        ),
        "review": CommunicationPlanItem(
            audience="Client key users",
            purpose="Milestone review: walk through the deliverables and the acceptance "
            "checklist before the client decides.",
            kind=Kind.MEETING,
            frequency=Frequency.PER_MILESTONE,
        ),
        "standup": CommunicationPlanItem(
            audience="Delivery team",
            purpose="Weekly internal stand-up: who does what this week, blockers.",
            kind=Kind.MEETING,
            frequency=Frequency.WEEKLY,
        ),
    }
    for n, item in enumerate(rows.values()):
        item.project = bench
        item.owner_id = bench.manager_id if n != 4 else team[1 % len(team)]
        item.starts_on = first
    CommunicationPlanItem.objects.bulk_create(rows.values())
    return rows


def _cadence(plan: dict, milestone_days, today, cutoff, size: Size, rng) -> list[_Draft]:
    """The interactions the plan called for, over the year and the coming three weeks,
    a few missed; a small data set keeps only the latest."""
    first, last = today - datetime.timedelta(days=364), today + datetime.timedelta(days=21)
    drafts = []
    day = first
    while day <= last:
        weekday, week = day.weekday(), day.isocalendar()[1]
        if weekday == 0 and rng.random() > 0.05:
            drafts.append(
                _Draft(
                    _at(day, 9, 30),
                    Kind.MEETING,
                    False,
                    "Team stand-up",
                    15,
                    False,
                    plan["standup"],
                    (3, 6),
                )
            )
        if weekday == 1 and rng.random() > 0.08:
            subject = "周例会" if week % 3 == 0 else f"Weekly status meeting, week {week}"
            drafts.append(
                _Draft(_at(day, 10), Kind.MEETING, True, subject, 60, True, plan["status"], (2, 4))
            )
        if weekday == 3 and week % 2 == 0 and rng.random() > 0.1:
            drafts.append(
                _Draft(
                    _at(day, 15),
                    Kind.CALL,
                    True,
                    "Steering call",
                    45,
                    True,
                    plan["steering"],
                    (1, 2),
                )
            )
        if day == _first_working_day(day):
            subject = f"Monthly report, {day.replace(day=1) - datetime.timedelta(days=1):%B %Y}"
            drafts.append(
                _Draft(_at(day, 17), Kind.EMAIL, True, subject, None, True, plan["report"], (1, 2))
            )
        day += datetime.timedelta(days=1)
    for name, due in milestone_days:
        if first <= due <= last:
            drafts.append(
                _Draft(
                    _at(_working_day(due), 14),
                    Kind.MEETING,
                    True,
                    f"Milestone review: {name}",
                    90,
                    True,
                    plan["review"],
                    (3, 5),
                )
            )
    drafts.sort(key=lambda d: d.at)
    future = [d for d in drafts if d.at >= cutoff][: max(1, size.bench_interactions // 20)]
    past = [d for d in drafts if d.at < cutoff]
    keep = max(0, size.bench_interactions // 4 - len(future))
    return past[len(past) - keep :] + future if keep else future


def _text(template: str, area: str, rng: random.Random) -> str:
    return template.format(
        area=area, zh=AREA_ZH[area], n=rng.randint(20, 400), m=rng.randint(2, 19)
    )


def _agenda(area: str, chinese: bool, rng: random.Random) -> str:
    items = AGENDA_ITEMS_ZH if chinese else AGENDA_ITEMS
    chosen = [items[0], *rng.sample(items[1:-1], rng.randint(2, 4)), items[-1]]
    lines = [
        f"{n}. {_text(item, area, rng)} ({rng.choice((5, 10, 15, 20))} min)"
        for n, item in enumerate(chosen, start=1)
    ]
    goal = (
        f"**目标：** 确认{AREA_ZH[area]}的方案和下一步计划。"
        if chinese
        else f"**Goal:** agree on the {area} approach and the next steps."
    )
    closing = (
        "请在会前发送最新的库存导出文件。"
        if chinese
        else "Please send the latest stock export the day before."
    )
    return "\n".join([goal, "", *lines, "", closing])


def _minutes(kind: str, area: str, chinese: bool, rng: random.Random) -> str:
    pool = PARAGRAPHS_ZH if chinese else PARAGRAPHS
    paragraphs = [_text(p, area, rng) for p in rng.sample(pool, min(len(pool), rng.randint(3, 5)))]
    if kind in (Kind.EMAIL, Kind.IM):
        greeting = "各位好，" if chinese else "Hello all,"
        return "\n\n".join([greeting, *paragraphs[:2], "Best regards" if not chinese else "谢谢"])
    summary, *discussion = paragraphs
    headings = (
        ("## 摘要", "## 讨论", "## 下一步")
        if chinese
        else (
            "## Summary",
            "## Discussion",
            "## Next steps",
        )
    )
    follow_up = (
        "下次会议前更新行动项状态。"
        if chinese
        else "Owners update their action items before the next meeting."
    )
    return "\n\n".join(
        [headings[0], summary, headings[1], *(f"- {p}" for p in discussion), headings[2], follow_up]
    )


def _interaction(project, key, draft, team, client_id, requirement_ids, rng, cutoff):
    """The row and its participants (user ids) from a draft."""
    area = rng.choice(AREAS)
    chinese = rng.random() < 0.3
    past = draft.at < cutoff
    low, high = draft.team
    # Two to six people: the client contact and one to five of the team, or two to six of them.
    if draft.client:
        count = rng.randint(max(1, low), min(high, 5))
    else:
        count = rng.randint(max(2, low), min(6, high + 1))
    internal = rng.sample(team, min(len(team), count))
    if draft.rich:  # the manager and three more
        internal = team[: min(4, len(team))]
    participants = internal + ([client_id] if draft.client and client_id else [])
    visible = draft.visible
    if visible is None:
        visible = rng.random() < (0.85 if draft.client else 0.1)
    with_agenda = draft.kind in (Kind.MEETING, Kind.VISIT, Kind.OTHER) or (
        draft.kind == Kind.CALL and rng.random() < 0.5
    )
    agenda = _agenda(area, chinese, rng) if with_agenda else ""
    minutes = ""
    if past and (draft.rich or draft.kind in (Kind.EMAIL, Kind.IM) or rng.random() < 0.9):
        minutes = _minutes(draft.kind, area, chinese, rng)
    decisions = []
    if past and minutes:
        count = rng.choices((0, 1, 2, 3, 4), (35, 25, 20, 12, 8))[0]
        if draft.kind in (Kind.EMAIL, Kind.IM):
            count = min(count, 1)
        if draft.rich:
            count = 3
        decisions = [_text(d, area, rng) for d in rng.sample(DECISIONS, count)]
    day = datetime.timedelta(days=1)
    subject = draft.subject or _text(rng.choice(SUBJECTS[draft.kind]), area, rng)
    row = Interaction(
        project=project,
        key=key,
        kind=draft.kind,
        subject=subject,
        occurred_at=draft.at,
        duration_minutes=draft.duration,
        channel=rng.choice(CHANNELS[draft.kind]),
        external_participants=(
            rng.sample(EXTERNAL, rng.randint(1, 2)) if draft.rich or rng.random() < 0.2 else []
        ),
        agenda=agenda,
        minutes=minutes,
        decisions=decisions,
        plan_item=draft.plan_item,
        client_visible=True if draft.rich else visible,
        created_by_id=project.manager_id if rng.random() < 0.5 else internal[0],
        agenda_sent_at=draft.at - day
        if agenda and draft.at - day < cutoff and rng.random() < 0.8
        else None,
        minutes_sent_at=draft.at + day
        if minutes and draft.kind == Kind.MEETING and draft.at + day < cutoff and rng.random() < 0.7
        else None,
    )
    linked = []
    if requirement_ids and (draft.rich or rng.random() < 0.1):
        linked = rng.sample(requirement_ids, min(len(requirement_ids), rng.randint(1, 3)))
    return row, participants, linked


def _action_counts(rows, drafts, total: int, rng, cutoff) -> list[int]:
    """How many action items each interaction produced: none for one still to come,
    more for a meeting than for an e-mail, `total` in all."""
    pools = {
        Kind.MEETING: (1, 2, 2, 3, 3, 4),
        Kind.VISIT: (1, 2, 3, 4),
        Kind.CALL: (0, 1, 2, 2, 3),
        Kind.EMAIL: (0, 1, 1, 2, 3),
        Kind.IM: (0, 1, 1, 2),
        Kind.OTHER: (0, 1, 2),
    }
    counts = [rng.choice(pools[r.kind]) if r.occurred_at < cutoff else 0 for r in rows]
    fixed = {i for i, d in enumerate(drafts) if d.rich}
    for i in fixed:
        counts[i] = 4
    eligible = [i for i, r in enumerate(rows) if r.occurred_at < cutoff and i not in fixed]
    if not eligible:
        return [0] * len(rows)
    while sum(counts) > total:
        i = rng.choice(eligible)
        counts[i] -= counts[i] > 0
    most = max(6, -(-total // len(eligible)))
    while sum(counts) < total:
        i = rng.choice(eligible)
        counts[i] += counts[i] < most
    return counts


def _action_items(
    project, rows, participants, counts, total, team, client_id, rich, rng, today, now
):
    """ACT-1… in the order they arose: owners among the people in the room (now and
    then the client contact), due one to three weeks later, most done."""
    drafts = []  # (when, the interaction or None, the owner's user id)
    for row, people, count in zip(rows, participants, counts, strict=True):
        internal = [p for p in people if p != client_id] or team
        for k in range(count):
            to_client = client_id in people and (rng.random() < 0.37 or (row is rich and k == 0))
            drafts.append((row.occurred_at, row, client_id if to_client else rng.choice(internal)))
    for _ in range(total - sum(counts)):  # raised outside any meeting
        day = today - datetime.timedelta(days=rng.randint(0, 364))
        owner = client_id if client_id and rng.random() < 0.15 else rng.choice(team)
        drafts.append((_at(_working_day(day), rng.randint(9, 18)), None, owner))
    drafts.sort(key=lambda d: d[0])
    items = []
    for n, (at, row, owner) in enumerate(drafts, start=1):
        due = at.date() + datetime.timedelta(days=rng.randint(1, 21))
        draw = rng.random()
        if due < today - datetime.timedelta(days=60):  # long past: mostly settled
            status = "done" if draw < 0.63 else "cancelled" if draw < 0.85 else "open"
        elif due < today:
            status = "done" if draw < 0.55 else "cancelled" if draw < 0.6 else "open"
        else:
            status = "done" if draw < 0.25 else "open"
        done_at = None
        if status == "done":
            done_at = min(
                now,
                at + datetime.timedelta(hours=rng.randint(2, 24 * ((due - at.date()).days + 5))),
            )
        area = rng.choice(AREAS)
        to_client = owner == client_id
        items.append(
            ActionItem(
                project=project,
                key=f"ACT-{n}",
                interaction=row,
                title=_text(rng.choice(ACTIONS), area, rng),
                owner_id=owner,
                due_date=due,
                status=status,
                done_at=done_at,
                client_visible=to_client or bool(row and row.client_visible and rng.random() < 0.5),
                created_by_id=row.created_by_id if row else project.manager_id,
            )
        )
    return items


def _manager_first(user_ids: list[int], manager_id: int | None) -> None:
    user_ids.sort(key=lambda user_id: user_id != manager_id)


def _communication(projects: list[Project], size: Size, rng: random.Random, today) -> None:
    """A year of meetings, calls and e-mails in every project, the action items they
    produced, and the bench project's communication plan with the interactions it called for.

    What has happened is what took place before today (in the office's time zone), so that
    the same day builds the same rows whatever the hour."""
    now = timezone.now()
    cutoff = _at(today, 0)
    team, clients = defaultdict(list), {}
    for project_id, user_id, role in (
        Membership.objects.filter(project__in=projects)
        .order_by("project_id", "user_id")
        .values_list("project_id", "user_id", "role")
    ):
        if role == Role.CLIENT:
            clients[project_id] = user_id
        else:
            team[project_id].append(user_id)
    for project in projects:  # the manager first: in most rooms, and the detail one's
        _manager_first(team[project.pk], project.manager_id)
    bench = projects[0]
    plan = _communication_plan(bench, team[bench.pk], today - datetime.timedelta(days=364))
    milestone_days = Milestone.objects.filter(project=bench).values_list("name", "due_date")
    drafts = {bench.pk: _cadence(plan, milestone_days, today, cutoff, size, rng)}
    drafts[bench.pk] += [
        _random_draft(rng, today, client_share=0.38)
        for _ in range(size.bench_interactions - len(drafts[bench.pk]))
    ]
    for project in projects[1:]:
        drafts[project.pk] = [
            _random_draft(rng, today, client_share=0.4)
            for _ in range(size.interactions_per_project)
        ]
    for project_drafts in drafts.values():
        project_drafts.sort(key=lambda d: d.at)
    detail = int(detail_interaction(size).removeprefix("COM-")) - 1
    if 0 <= detail < len(drafts[bench.pk]):
        draft = drafts[bench.pk][detail]
        if draft.at >= cutoff:
            raise RuntimeError(f"bench data: {detail_interaction(size)} is not in the past")
        draft.rich, draft.client, draft.visible, draft.kind = True, True, True, Kind.MEETING
        draft.subject = "Workshop: picking and put-away rules with the key users"
        draft.duration, draft.plan_item, draft.team = 120, None, (4, 4)
    requirement_ids = list(
        Requirement.objects.filter(project=bench).order_by("id").values_list("pk", flat=True)
    )
    rows: dict[int, list[Interaction]] = {}
    people: dict[int, list[list[int]]] = {}
    linked: dict[int, list[list[int]]] = {}
    for project in projects:
        made = [
            _interaction(
                project,
                f"COM-{n}",
                draft,
                team[project.pk],
                clients.get(project.pk),
                requirement_ids if project is bench else [],
                rng,
                cutoff,
            )
            for n, draft in enumerate(drafts[project.pk], start=1)
        ]
        rows[project.pk] = [row for row, _, _ in made]
        people[project.pk] = [who for _, who, _ in made]
        linked[project.pk] = [requirements for _, _, requirements in made]
    Interaction.objects.bulk_create(
        [row for project_rows in rows.values() for row in project_rows], batch_size=1000
    )
    Participant = Interaction.participants.through
    Participant.objects.bulk_create(
        (
            Participant(interaction_id=row.pk, user_id=user_id)
            for project in projects
            for row, who in zip(rows[project.pk], people[project.pk], strict=True)
            for user_id in who
        ),
        batch_size=5000,
    )
    Link = Interaction.requirements.through
    Link.objects.bulk_create(
        (
            Link(interaction_id=row.pk, requirement_id=requirement_id)
            for project in projects
            for row, ids in zip(rows[project.pk], linked[project.pk], strict=True)
            for requirement_id in ids
        ),
        batch_size=5000,
    )
    items, counters, detail_row = [], [], None
    for project in projects:
        total = size.bench_action_items if project is bench else size.action_items_per_project
        project_drafts, project_rows = drafts[project.pk], rows[project.pk]
        rich = next((r for r, d in zip(project_rows, project_drafts, strict=True) if d.rich), None)
        if rich is not None:
            detail_row = rich
        counts = _action_counts(project_rows, project_drafts, total - total // 33, rng, cutoff)
        items += _action_items(
            project,
            project_rows,
            people[project.pk],
            counts,
            total,
            team[project.pk],
            clients.get(project.pk),
            rich,
            rng,
            today,
            now,
        )
        counters += [
            KeyCounter(project=project, prefix="COM", last=len(project_rows)),
            KeyCounter(project=project, prefix="ACT", last=total),
        ]
    ActionItem.objects.bulk_create(items, batch_size=2000)
    KeyCounter.objects.bulk_create(counters, batch_size=2000)
    if detail_row is not None:
        _interaction_history(bench, detail_row, clients[bench.pk])


def _interaction_history(bench: Project, interaction: Interaction, client_id: int) -> None:
    """Comments and log lines on the interaction the detail scenario opens."""
    target_type = ContentType.objects.get_for_model(Interaction)
    bodies = [
        "Thanks for the minutes. One correction: the **receiving** test runs on Thursday.",
        "Corrected, and the action items updated.",
        "会议纪要已确认，谢谢。",
        "The label layout is in the shared folder; please check it before Friday.",
        "Internal note: the ERP team needs one more day for the interface fix.",
        "Agreed, see you at the next status meeting.",
    ]
    Comment.objects.bulk_create(
        Comment(
            project=bench,
            target_type=target_type,
            target_id=interaction.pk,
            author_id=client_id if i in (0, 2) else bench.manager_id,
            body=body,
            body_html=render_markdown(body),
            client_visible=i != 4,
        )
        for i, body in enumerate(bodies)
    )
    Activity.objects.bulk_create(
        Activity(
            project=bench,
            actor_id=bench.manager_id,
            verb="created" if i == 0 else "updated",
            target_type=target_type,
            target_id=interaction.pk,
            target_label=str(interaction),
            target_version=i + 1,
            diff={} if i == 0 else {"minutes": ["", "…"]} if i == 1 else {"decisions": ["2", "3"]},
            client_visible=True,
        )
        for i in range(3)
    )
