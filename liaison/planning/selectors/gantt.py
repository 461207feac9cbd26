"""The Gantt chart's data: dated tasks in WBS order with their summaries, links,
milestones, slack and the baseline, for one audience, in a fixed number of queries.

One interface for every consumer: the Gantt page, its SVG download, the portal
timeline, the API and, later, reports. The renderer (`liaison.planning.gantt`) only
draws what this module returns.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.params import iso_date, positive_int
from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.planning.scheduling import CycleError, Item, WorkCalendar, schedule
from liaison.planning.selectors.plan import plan_links, work_calendar
from liaison.projects.access import Audience
from liaison.projects.models import Project

SCALES = ("day", "week", "month", "quarter")
DEFAULT_SCALE = "week"
# The longest window drawn: beyond it the chart is cut (a typo of a year is no reason
# to draw a century).
MAX_SPAN = dt.timedelta(days=366 * 20)
_TASK_KEY = re.compile(r"^T-\d{1,9}$")
_MAX_COLLAPSED = 1000


@dataclass(frozen=True)
class GanttFilters:
    scale: str = DEFAULT_SCALE
    start: dt.date | None = None  # None: from the plan's first date
    end: dt.date | None = None  # None: to the plan's last date
    milestone: str = ""  # a milestone key
    assignee: int | None = None  # a user id
    status: str = ""
    collapsed: frozenset[str] = frozenset()  # task keys whose children are hidden

    @classmethod
    def from_query(cls, query: QueryDict) -> "GanttFilters":
        """Whatever the query string holds: unknown or malformed values are ignored."""
        scale = query.get("scale", "")
        status = query.get("status", "")
        start, end = iso_date(query.get("from")), iso_date(query.get("to"))
        if start and end and end < start:
            start, end = end, start
        collapsed = set()
        for value in query.getlist("collapsed"):
            for key in value.split(","):
                key = key.strip().upper()
                if _TASK_KEY.match(key) and len(collapsed) < _MAX_COLLAPSED:
                    collapsed.add(key)
        return cls(
            scale=scale if scale in SCALES else DEFAULT_SCALE,
            start=start,
            end=end,
            milestone=query.get("milestone", "").strip()[:20],
            assignee=positive_int(query.get("assignee")),
            status=status if status in Task.Status.values else "",
            collapsed=frozenset(collapsed),
        )

    @property
    def is_filtered(self) -> bool:
        """Does the view leave out tasks the plan has (the collapse aside)?"""
        return bool(
            self.start or self.end or self.milestone or self.assignee is not None or self.status
        )

    def params(self, **changes) -> dict[str, str]:
        values = {
            "scale": self.scale if self.scale != DEFAULT_SCALE else "",
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
            "milestone": self.milestone,
            "assignee": "" if self.assignee is None else str(self.assignee),
            "status": self.status,
            "collapsed": self.collapsed,
        }
        values.update(changes)
        collapsed = values.pop("collapsed") or ()
        if not isinstance(collapsed, str):
            collapsed = ",".join(sorted(collapsed, key=_key_number))
        values["collapsed"] = collapsed
        return {key: str(value) for key, value in values.items() if value not in ("", None)}

    def query(self, **changes) -> str:
        """This view's query string with some values replaced (links, chips, toggles);
        `collapsed` takes a set of keys or a comma-separated string."""
        return urlencode(self.params(**changes))

    def toggled(self, key: str) -> str:
        """The query string with `key` collapsed if it was open, open if it was collapsed."""
        return self.query(collapsed=self.collapsed ^ {key})


def _key_number(key: str) -> int:
    return int(key.partition("-")[2] or 0)


@dataclass(frozen=True, slots=True)
class GanttRow:
    task_id: int
    key: str
    title: str
    depth: int
    has_children: bool  # has rows under it in this view (shown or collapsed)
    collapsed: bool
    start: dt.date
    due: dt.date
    progress: int
    status: str
    assignee_name: str
    critical: bool
    slack: int | None  # working days; None when not scheduled (a summary without dates)
    baseline_start: dt.date | None
    baseline_due: dt.date | None
    is_summary: bool  # a WBS parent: spans its dated descendants
    client_visible: bool
    milestone_key: str


@dataclass(frozen=True, slots=True)
class GanttMilestone:
    key: str
    name: str
    due: dt.date
    status: str
    baseline_due: dt.date | None


@dataclass(frozen=True, slots=True)
class GanttLink:
    predecessor_key: str
    successor_key: str
    kind: str
    critical: bool


@dataclass(frozen=True)
class GanttData:
    rows: list[GanttRow]
    links: list[GanttLink]
    milestones: list[GanttMilestone]
    start: dt.date
    end: dt.date
    today: dt.date
    calendar: WorkCalendar
    undated_count: int
    baseline_name: str = ""
    # The scheduler refused the plan (a dependency loop): no slack, no critical path.
    cycle: bool = False
    tasks_total: int = 0  # tasks of the audience, dated or not, before filters


# -- building the chart --------------------------------------------------------------


_TASK_FIELDS = (
    "pk",
    "key",
    "number",
    "title",
    "parent_id",
    "milestone_id",
    "start_date",
    "due_date",
    "progress",
    "status",
    "order",
    "client_visible",
)


def _load_tasks(project: Project, audience: Audience) -> list[dict]:
    """Only what can draw: dated tasks and every parent (a summary row spans its
    dated descendants). In a plan of 10,000 tasks that is a fifth of them."""
    fields = list(_TASK_FIELDS)
    if audience.internal:
        # The assignee's name in the same query (a LEFT JOIN): never one query per row.
        fields += ["assignee_id", "assignee__display_name", "assignee__email"]
    has_children = Exists(Task.objects.filter(parent=OuterRef("pk")))
    dated = Q(start_date__isnull=False, due_date__isnull=False)
    return list(
        Task.objects.for_audience(audience)
        .filter(project=project)
        .filter(dated | has_children)
        .values(*fields)
    )


def _count_tasks(project: Project, audience: Audience, filters: GanttFilters) -> dict:
    """All the audience's tasks, and the undated ones the filters would show."""
    undated = Q(start_date__isnull=True) | Q(due_date__isnull=True)
    undated &= ~Exists(Task.objects.filter(parent=OuterRef("pk")))
    if filters.status:
        undated &= Q(status=filters.status)
    if filters.assignee is not None:
        undated &= Q(assignee_id=filters.assignee)
    if filters.milestone:
        undated &= Q(milestone__key=filters.milestone)
    return (
        Task.objects.for_audience(audience)
        .filter(project=project)
        .aggregate(total=Count("pk"), undated=Count("pk", filter=undated))
    )


def _latest_baseline(project: Project) -> dict | None:
    return (
        PlanBaseline.objects.filter(project=project)
        .order_by("-number")
        .values("name", "tasks", "milestones")
        .first()
    )


def _parse_pair(value) -> tuple[dt.date | None, dt.date | None]:
    try:
        return dt.date.fromisoformat(value[0]), dt.date.fromisoformat(value[1])
    except (TypeError, ValueError, IndexError):
        return None, None


def _parse_day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


class _Schedule:
    """Slack and criticality per task id, and which links drive their successor."""

    def __init__(self, project: Project, calendar: WorkCalendar, tasks: list[dict]):
        # The team's tasks hold every dated task: no need to ask for them again.
        items = [
            Item(task["pk"], task["start_date"], task["due_date"])
            for task in tasks
            if task["start_date"] and task["due_date"]
        ]
        self.links = plan_links(project)
        self.calendar = calendar
        self._windows: dict[int, tuple[int, int]] = {}
        try:
            self.slots = schedule(items, self.links, calendar)
            self.cycle = False
        except CycleError:
            # A looped plan still draws; it has no critical path until the loop is broken.
            self.slots, self.cycle = {}, True

    def _window(self, task_id: int) -> tuple[int, int]:
        """The scheduled dates as working-day numbers, as the scheduler counts them."""
        window = self._windows.get(task_id)
        if window is None:
            slot = self.slots[task_id]
            start = self.calendar.index(slot.start)
            window = (start, start + self.calendar.span(slot.start, slot.finish) - 1)
            self._windows[task_id] = window
        return window

    def link_critical(self, link) -> bool:
        """A critical link joins two critical tasks and is the one holding the successor."""
        before, after = self.slots.get(link.predecessor), self.slots.get(link.successor)
        if not (before and after and before.critical and after.critical):
            return False
        p_start, p_finish = self._window(link.predecessor)
        s_start, s_finish = self._window(link.successor)
        if link.kind == "FS":
            return s_start == p_finish + 1 + link.lag
        if link.kind == "SS":
            return s_start == p_start + link.lag
        if link.kind == "FF":
            return s_finish == p_finish + link.lag
        return s_finish == p_start + link.lag  # SF


def _matches(task: dict, filters: GanttFilters, milestone_id: int | None) -> bool:
    if filters.status and task["status"] != filters.status:
        return False
    if filters.assignee is not None and task.get("assignee_id") != filters.assignee:
        return False
    return not filters.milestone or (
        milestone_id is not None and task["milestone_id"] == milestone_id
    )


def _assignee_name(task: dict) -> str:
    return task.get("assignee__display_name") or task.get("assignee__email") or ""


def gantt_data(*, project: Project, audience: Audience, filters: GanttFilters) -> GanttData:
    """The chart for this audience: internal queries are tasks, milestones, the plan
    (dated tasks and links, for the scheduler) and the latest plan baseline; the
    client's are tasks and milestones. Never one more per row."""
    client = audience.is_client
    if client:
        # The portal offers no filter by person; a crafted query does not get one either.
        filters = replace(filters, assignee=None)
    calendar = work_calendar(project)
    tasks = _load_tasks(project, audience)
    milestone_rows = list(
        Milestone.objects.for_audience(audience)
        .filter(project=project)
        .order_by("due_date", "id")
        .values("pk", "key", "name", "due_date", "status")
    )
    milestone_keys = {m["pk"]: m["key"] for m in milestone_rows}
    milestone_id = next((m["pk"] for m in milestone_rows if m["key"] == filters.milestone), None)

    # The client sees no slack, critical path, dependency arrows or baseline: see
    # liaison/portal/timeline.py for why. Nothing of it is even computed.
    plan = None if client else _Schedule(project, calendar, tasks)
    baseline = None if client else _latest_baseline(project)
    baseline_tasks = baseline["tasks"] if baseline else {}
    baseline_milestones = baseline["milestones"] if baseline else {}

    # -- the WBS tree, built here: children by order then number --------------------
    by_id = {task["pk"]: task for task in tasks}
    children: dict[int | None, list[dict]] = defaultdict(list)
    for task in tasks:
        parent = task["parent_id"]
        # A parent the audience may not see (or a dangling one): the task is a root.
        children[parent if parent in by_id else None].append(task)
    for siblings in children.values():
        siblings.sort(key=lambda task: (task["order"], task["number"]))

    preorder: list[tuple[dict, int]] = []  # (task, depth) from the roots down
    seen: set[int] = set()
    # The roots first; then any task left over, which only a loop of parents (which the
    # services refuse) could leave unreached: it is drawn rather than lost.
    for root in [*children[None], *tasks]:
        if root["pk"] in seen:
            continue
        stack = [(root, 0)]
        while stack:
            task, depth = stack.pop()
            if task["pk"] in seen:
                continue
            seen.add(task["pk"])
            preorder.append((task, depth))
            stack.extend((child, depth + 1) for child in reversed(children.get(task["pk"], ())))

    # -- spans: a parent spans its dated descendants (leaves up, so reversed) -------
    span: dict[int, tuple[dt.date, dt.date]] = {}  # what each task's bar covers
    weight: dict[int, tuple[float, int]] = {}  # progress × days, days
    summary: set[int] = set()
    for task, _depth in reversed(preorder):
        pk = task["pk"]
        first = last = None
        done = total = 0
        for child in children.get(pk, ()):
            child_span = span.get(child["pk"])
            if child_span is None:
                continue
            first = child_span[0] if first is None else min(first, child_span[0])
            last = child_span[1] if last is None else max(last, child_span[1])
            child_done, child_total = weight[child["pk"]]
            done += child_done
            total += child_total
        if first is not None:
            summary.add(pk)
            span[pk] = (first, last)
            weight[pk] = (done, total)
        elif task["start_date"] and task["due_date"]:
            start, due = task["start_date"], task["due_date"]
            if due < start:
                start, due = due, start
            days = (due - start).days + 1
            span[pk] = (start, due)
            weight[pk] = (task["progress"] * days, days)

    # -- which rows the view keeps: matches, plus the ancestors of every match ---------
    window_start, window_end = filters.start, filters.end
    keep: set[int] = set()
    for task, _depth in preorder:
        pk = task["pk"]
        if not _matches(task, filters, milestone_id):
            continue
        bar = span.get(pk)
        if bar is None:
            continue
        if (window_start and bar[1] < window_start) or (window_end and bar[0] > window_end):
            continue
        keep.add(pk)
    for pk in list(keep):
        parent = by_id[pk]["parent_id"]
        while parent in by_id and parent not in keep:
            keep.add(parent)
            parent = by_id[parent]["parent_id"]

    # -- the rows, in WBS order, collapsed subtrees left out ------------------------
    slots = plan.slots if plan else {}
    parents_kept = {by_id[pk]["parent_id"] for pk in keep}
    rows: list[GanttRow] = []
    hidden_under: int | None = None  # depth of the collapsed row being skipped
    for task, depth in preorder:
        pk = task["pk"]
        if pk not in keep:
            continue
        if hidden_under is not None:
            if depth > hidden_under:
                continue
            hidden_under = None
        has_children = pk in parents_kept
        collapsed = has_children and task["key"] in filters.collapsed
        if collapsed:
            hidden_under = depth
        start, due = span[pk]
        done, days = weight[pk]
        slot = slots.get(pk)
        base_start, base_due = _parse_pair(baseline_tasks.get(str(pk))) if baseline else (None,) * 2
        rows.append(
            GanttRow(
                task_id=pk,
                key=task["key"],
                title=task["title"],
                depth=depth,
                has_children=has_children,
                collapsed=collapsed,
                start=start,
                due=due,
                progress=round(done / days) if days else 0,
                status=task["status"],
                assignee_name="" if client else _assignee_name(task),
                critical=bool(slot and slot.critical),
                slack=slot.slack if slot else None,
                baseline_start=base_start,
                baseline_due=base_due,
                is_summary=pk in summary,
                client_visible=task["client_visible"],
                milestone_key=milestone_keys.get(task["milestone_id"], ""),
            )
        )

    # -- links between two shown rows -------------------------------------------------
    links: list[GanttLink] = []
    if plan is not None:
        shown = {row.task_id: row.key for row in rows}
        for link in plan.links:
            if link.predecessor in shown and link.successor in shown:
                links.append(
                    GanttLink(
                        predecessor_key=shown[link.predecessor],
                        successor_key=shown[link.successor],
                        kind=link.kind,
                        critical=plan.link_critical(link),
                    )
                )

    # -- milestones -----------------------------------------------------------------
    milestones = [
        GanttMilestone(
            key=m["key"],
            name=m["name"],
            due=m["due_date"],
            status=m["status"],
            baseline_due=_parse_day(baseline_milestones.get(str(m["pk"]))),
        )
        for m in milestone_rows
        if (not filters.milestone or m["key"] == filters.milestone)
        and not (window_start and m["due_date"] < window_start)
        and not (window_end and m["due_date"] > window_end)
    ]

    counts = _count_tasks(project, audience, filters)
    today = timezone.localdate()
    start, end = _extent(rows, milestones, filters, today)
    return GanttData(
        rows=rows,
        links=links,
        milestones=milestones,
        start=start,
        end=end,
        today=today,
        calendar=calendar,
        undated_count=counts["undated"],
        baseline_name=baseline["name"] if baseline else "",
        cycle=bool(plan and plan.cycle),
        tasks_total=counts["total"],
    )


def _extent(
    rows: list[GanttRow], milestones: list[GanttMilestone], filters: GanttFilters, today
) -> tuple[dt.date, dt.date]:
    """The chart's first and last day: the filter's window, else what is drawn."""
    days: list[dt.date] = []
    for row in rows:
        days += (row.start, row.due)
        if row.baseline_start:
            days += (row.baseline_start, row.baseline_due)
    for milestone in milestones:
        days.append(milestone.due)
        if milestone.baseline_due:
            days.append(milestone.baseline_due)
    start = filters.start or (min(days) if days else today)
    end = filters.end or (max(days) if days else today)
    if end < start:  # e.g. only a start was given, after everything
        end = start
    return start, min(end, start + MAX_SPAN)


# -- words for the renderer ------------------------------------------------------------


def chart_labels(audience: Audience) -> dict:
    """The renderer's words in the reader's language (the renderer itself is plain
    Python and only formats what it is given)."""
    labels = {
        "chart": _("Gantt chart: %(tasks)s tasks, %(milestones)s milestones, %(start)s to %(end)s"),
        "milestones": _("Milestones"),
        "tasks": _("Tasks"),
        "progress": _("%(n)s%% done"),
        "critical": _("on the critical path"),
        "slack": _("%(n)s working days of slack"),
        "baseline": _("baseline %(start)s – %(due)s"),
        "baseline_due": _("baseline due %(date)s"),
        "due": _("due %(date)s"),
        "collapse": _("Hide the tasks under %(key)s"),
        "expand": _("Show the tasks under %(key)s"),
        "today": _("Today"),
        "assignee": _("assigned to %(name)s"),
        "empty": _("Nothing dated to draw yet."),
        "task_status": dict(Task.Status.choices),
        "milestone_status": dict(Milestone.Status.choices),
    }
    if audience.internal:
        labels["client_visible"] = _("visible to the client")
    else:
        labels["milestone_status"] = {
            **labels["milestone_status"],
            Milestone.Status.SUBMITTED: _("Awaiting your acceptance"),
            Milestone.Status.REJECTED: _("Changes requested"),
        }
        labels["chart"] = _(
            "Timeline: %(tasks)s tasks, %(milestones)s milestones, %(start)s to %(end)s"
        )
    return {
        key: {k: str(v) for k, v in value.items()} if isinstance(value, dict) else str(value)
        for key, value in labels.items()
    }
