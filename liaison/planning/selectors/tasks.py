"""Reads of tasks for the list, the board, one task's page and the API."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.core.links import RowUrls
from liaison.core.models import Activity
from liaison.planning.models import Dependency, Milestone, Task
from liaison.planning.scheduling import preview_move
from liaison.planning.selectors.hours import TaskHoursView, hours_kept, hours_view, logged_hours
from liaison.planning.selectors.plan import plan_items, work_calendar
from liaison.projects.access import Audience
from liaison.projects.models import Membership, Project
from liaison.requirements.models import Requirement

SORTS = {
    "key": ("number",),
    "-key": ("-number",),
    "title": ("title", "number"),
    # Undated tasks last, on every database (SQLite would put them first).
    "start": (F("start_date").asc(nulls_last=True), "number"),
    "due": (F("due_date").asc(nulls_last=True), "number"),
    "status": ("status", "number"),
    "-updated": ("-updated_at", "-number"),
}


@dataclass(frozen=True)
class TaskFilters:
    q: str = ""
    status: str = ""
    assignee: int | None = None  # a user id; 0 means "nobody"
    milestone: str = ""  # a milestone key
    sort: str = "key"
    due: str = ""  # "week": due this week (Monday to Sunday)
    blocked: bool = False  # blocked, or waiting for a predecessor not done

    @classmethod
    def from_query(cls, query: QueryDict) -> "TaskFilters":
        status = query.get("status", "")
        sort = query.get("sort", "")
        assignee = query.get("assignee", "")
        return cls(
            q=query.get("q", "").strip()[:100],
            status=status if status in Task.Status.values else "",
            assignee=int(assignee) if assignee.isdigit() and len(assignee) < 10 else None,
            milestone=query.get("milestone", "").strip()[:20],
            sort=sort if sort in SORTS else "key",
            due="week" if query.get("due") == "week" else "",
            blocked=query.get("blocked") == "1",
        )

    def apply(self, rows: QuerySet[Task], *, with_status: bool = True) -> QuerySet[Task]:
        if self.q:
            rows = rows.filter(Q(title__icontains=self.q) | Q(key__iexact=self.q))
        if self.assignee == 0:
            rows = rows.filter(assignee__isnull=True)
        elif self.assignee:
            rows = rows.filter(assignee_id=self.assignee)
        if self.milestone:
            rows = rows.filter(milestone__key=self.milestone)
        if self.due:
            monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
            rows = rows.filter(due_date__range=(monday, monday + dt.timedelta(days=6)))
        if self.blocked:
            waiting = Dependency.objects.filter(successor=OuterRef("pk")).exclude(
                predecessor__status=Task.Status.DONE
            )
            rows = rows.filter(Q(status=Task.Status.BLOCKED) | Exists(waiting))
        if with_status and self.status:
            rows = rows.filter(status=self.status)
        return rows.order_by(*SORTS[self.sort])

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q
            or self.status
            or self.assignee is not None
            or self.milestone
            or self.due
            or self.blocked
        )

    def query(self, **changes: object) -> str:
        """This filter's query string with some values replaced (chips, sort links)."""
        params = {
            "q": self.q,
            "status": self.status,
            "assignee": "" if self.assignee is None else self.assignee,
            "milestone": self.milestone,
            "sort": self.sort if self.sort != "key" else "",
            "due": self.due,
            "blocked": "1" if self.blocked else "",
            **changes,
        }
        return urlencode({key: value for key, value in params.items() if value not in ("", None)})


def task_list(*, project: Project, audience: Audience, filters: TaskFilters) -> QuerySet[Task]:
    rows = Task.objects.for_audience(audience).filter(project=project)
    return filters.apply(rows).select_related("assignee", "milestone")


# What the API's list answers: every field of a task, and only the key or the name of
# what it points to (not the milestone's texts and lists, nor the assignee's account).
API_FIELDS = (
    *(field.name for field in Task._meta.concrete_fields),
    "assignee__display_name",
    "assignee__email",
    "milestone__key",
    "parent__key",
)


def task_api_list(*, project: Project, audience: Audience, filters: TaskFilters) -> QuerySet[Task]:
    """task_list as the API answers it, with the parents' keys and the requirements'."""
    return (
        task_list(project=project, audience=audience, filters=filters)
        .select_related("parent")
        .only(*API_FIELDS)
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.only("pk", "key").order_by("pk"))
        )
    )


def task_get(*, project: Project, audience: Audience, key: str) -> Task:
    # A key is unique in its project: no ORDER BY for first(), and the project
    # is the caller's row rather than read again.
    found = list(
        Task.objects.for_audience(audience)
        .filter(project=project, key=key)
        .select_related("assignee", "milestone", "parent")[:1]
    )
    if not found:
        raise Http404
    task = found[0]
    task.project = project
    return task


def task_for_board(*, project: Project, key: str) -> Task | None:
    """A card's place in its column (status, rank, number), or None for no such task."""
    found = list(
        Task.objects.filter(project=project, key=key).only("project", "status", "rank", "number")[
            :1
        ]
    )
    return found[0] if found else None


@dataclass(frozen=True)
class Move:
    """One task a change of dates would push: where it is, where it would go."""

    task: Task
    old_start: dt.date
    old_due: dt.date
    new_start: dt.date
    new_due: dt.date


def schedule_preview(*, task: Task, start: dt.date, due: dt.date) -> list[Move]:
    """What moving `task` to start..due would move, itself included, before anything
    is saved. Raises scheduling.CycleError on a looped plan."""
    project = task.project
    items, links = plan_items(project)
    if not any(item.id == task.pk for item in items):
        items, links = plan_items(project, replace={task.pk: (start, due)})
    changes = preview_move(
        items, links, work_calendar(project), item_id=task.pk, start=start, finish=due
    )
    tasks = (
        Task.objects.filter(pk__in=list(changes))
        .order_by("start_date", "number")
        .only("pk", "key", "title", "project_id")
    )
    return [
        Move(
            task=row,
            old_start=changes[row.pk][0].start,
            old_due=changes[row.pk][0].finish,
            new_start=changes[row.pk][1].start,
            new_due=changes[row.pk][1].finish,
        )
        for row in tasks
    ]


# -- the task pages and the board (added with them) -----------------------------

# What a row of the list shows: never the description.
ROW_VALUES = (
    "key",
    "title",
    "status",
    "start_date",
    "due_date",
    "estimate_hours",
    "progress",
    "client_visible",
    "parent__key",
    "assignee__display_name",
    "assignee__email",
    "milestone__key",
    "milestone__name",
)


def task_rows(*, project: Project, audience: Audience, filters: TaskFilters) -> QuerySet[Task]:
    """The list's rows for the paginator, which counts them without joins; a
    page of them becomes what the rows show with task_row_views."""
    return filters.apply(Task.objects.for_audience(audience).filter(project=project))


class TaskRow(TypedDict):
    """What a row of the task list shows, as HTML-escaped text: the template
    prints it as it is (docs/architecture.md, Pages that stay fast)."""

    key: SafeString
    url: SafeString
    title: SafeString
    parent: SafeString  # "in T-4", or "" for a task at the top
    client_visible: bool
    status: str
    status_label: SafeString
    assignee: SafeString  # "—" for nobody
    milestone_key: SafeString  # "" for none
    milestone_name: SafeString
    start: SafeString  # "—" for none
    due: SafeString  # "—" for none
    overdue: bool
    progress: SafeString
    estimate: SafeString  # "8.0 h", or "—" for none
    hours: TaskHoursView | None  # logged and remaining, when a feature keeps time


def task_row_views(page: "Page[Task]", *, project: Project) -> list[TaskRow]:
    """A page of task_rows as the list shows them, in one query of values (the
    parent's key, never long text); the labels are translated once."""
    rows = page.object_list
    assert isinstance(rows, QuerySet), "a page of task_rows"
    urls = RowUrls("planning:task", project.code)
    labels = {value: escape(label) for value, label in Task.Status.choices}
    # The list's {% blocktranslate %} strings, so that the catalog's translations apply.
    parent_of, hours = _("in %(key)s"), _("%(hours)s h")
    today = timezone.localdate()
    values = list(rows.values("pk", *ROW_VALUES))
    logged = (
        logged_hours(project=project, task_ids=[row["pk"] for row in values])
        if hours_kept()
        else None
    )
    return [_row_view(row, urls, labels, parent_of, hours, today, logged) for row in values]


def _row_view(
    row: dict[str, Any],
    urls: RowUrls,
    labels: dict[str, SafeString],
    parent_of: str,
    hours: str,
    today: dt.date,
    logged: dict[int, Decimal] | None,
) -> TaskRow:
    key, due, estimate = row["key"], row["due_date"], row["estimate_hours"]
    assignee = row["assignee__display_name"] or row["assignee__email"]
    return {
        "key": escape(key),
        "url": escape(urls(key)),
        "title": escape(row["title"]),
        "parent": (
            mark_safe(parent_of % {"key": escape(row["parent__key"])})  # the values are escaped
            if row["parent__key"]
            else SafeString("")
        ),
        "client_visible": row["client_visible"],
        "status": row["status"],
        "status_label": labels[row["status"]],
        "assignee": escape(assignee) if assignee else SafeString("—"),
        "milestone_key": escape(row["milestone__key"] or ""),
        "milestone_name": escape(row["milestone__name"] or ""),
        "start": SafeString(row["start_date"].isoformat() if row["start_date"] else "—"),
        "due": SafeString(due.isoformat() if due else "—"),
        # Task.is_overdue, with today read once for the whole page.
        "overdue": due is not None and due < today and row["status"] != Task.Status.DONE,
        "progress": SafeString(row["progress"]),
        "estimate": (
            mark_safe(hours % {"hours": escape(localize(estimate))})  # the values are escaped
            if estimate is not None
            else SafeString("—")
        ),
        "hours": (
            None if logged is None else hours_view(estimate, logged.get(row["pk"], Decimal("0")))
        ),
    }


def task_status_counts(
    *, project: Project, audience: Audience, filters: TaskFilters
) -> dict[str, int]:
    """Status → number of tasks matching every filter but the status, in one query."""
    rows = filters.apply(
        Task.objects.for_audience(audience).filter(project=project), with_status=False
    )
    return dict(rows.order_by().values_list("status").annotate(n=Count("pk")))


def task_filter_choices(*, project: Project) -> tuple[list[User], list[Milestone]]:
    """The people and milestones the filters offer, in two queries."""
    people = list(
        User.objects.filter(
            memberships__project=project,
            memberships__role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
        )
        .only("pk", "display_name", "email")
        .order_by("display_name", "pk")
    )
    milestones = list(
        Milestone.objects.filter(project=project).only("pk", "key", "name").order_by("due_date")
    )
    return people, milestones


def task_children(*, task: Task, audience: Audience) -> QuerySet[Task]:
    return (
        Task.objects.for_audience(audience)
        .filter(parent=task)
        .only("pk", "key", "title", "status", "number")
        .order_by("number")
    )


def task_dependencies(*, task: Task) -> tuple[list[Dependency], list[Dependency]]:
    """What the task waits for and what it blocks, in one query."""
    links = list(
        Dependency.objects.filter(Q(successor=task) | Q(predecessor=task))
        .select_related("predecessor", "successor")
        .only(
            "pk",
            "kind",
            "lag_days",
            "predecessor_id",
            "successor_id",
            "predecessor__key",
            "predecessor__title",
            "predecessor__status",
            "predecessor__due_date",
            "predecessor__start_date",
            "successor__key",
            "successor__title",
            "successor__status",
            "successor__due_date",
            "successor__start_date",
        )
        .order_by("pk")
    )
    return (
        [link for link in links if link.successor_id == task.pk],
        [link for link in links if link.predecessor_id == task.pk],
    )


def task_requirements(*, task: Task, audience: Audience) -> QuerySet[Requirement]:
    """The requirements the task delivers, as this audience may see them."""
    return (
        task.requirements.for_audience(audience)
        .only("pk", "key", "title", "status", "project_id")
        .order_by("pk")
    )


def dependency_list(*, project: Project) -> QuerySet[Dependency]:
    """Every dependency of the project with both tasks, oldest first."""
    return (
        Dependency.objects.filter(project=project)
        .select_related("predecessor", "successor")
        .order_by("id")
    )


def dependency_get(*, project: Project, dependency_id: int) -> Dependency:
    """A dependency of this project (404 for any other), with both tasks."""
    dependency = (
        Dependency.objects.filter(project=project, pk=dependency_id)
        .select_related("project", "predecessor", "successor")
        .first()
    )
    if dependency is None:
        raise Http404
    return dependency


def last_activity_id(*, project: Project) -> int:
    """Where the project's audit log stands: count what a change adds after it."""
    return (
        Activity.objects.filter(project=project)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


def tasks_rescheduled_since(*, project: Project, after: int, exclude: Task | None = None) -> int:
    """How many other tasks the scheduler moved since the audit log stood at `after`."""
    rows = Activity.objects.filter(
        project=project,
        pk__gt=after,
        verb="rescheduled",
        target_type=ContentType.objects.get_for_model(Task),
    )
    if exclude is not None:
        rows = rows.exclude(target_id=exclude.pk)
    return rows.values("target_id").distinct().count()
