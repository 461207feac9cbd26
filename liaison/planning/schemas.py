"""API schemas of the plan: milestones, tasks, dependencies and the Gantt data."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from liaison.core.schemas import OneOf, UserRef
from liaison.planning.models import Dependency, Milestone, Task
from liaison.planning.selectors import tasks as task_selectors

MilestoneStatus = Annotated[str, OneOf(Milestone.Status)]
TaskStatus = Annotated[str, OneOf(Task.Status)]
DependencyKind = Annotated[str, OneOf(Dependency.Kind)]


# -- milestones ----------------------------------------------------------------


class Deliverable(Schema):
    title: str
    url: str = Field("", description="An http(s) link to the document, or empty.")


class MilestoneOut(Schema):
    key: str = Field(..., description="M-1, M-2… per project.")
    name: str
    description: str
    due_date: datetime.date
    status: MilestoneStatus
    deliverables: list[Deliverable]
    criteria: list[str] = Field(..., description="What the client checks, one by one, to accept.")
    client_visible: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class MilestoneListItem(MilestoneOut):
    task_count: int = Field(..., description="Tasks in this milestone.")
    done_count: int = Field(..., description="Of those, the ones done.")


class MilestoneIn(Schema):
    name: str
    due_date: datetime.date
    description: str = ""
    deliverables: list[Deliverable] = []
    criteria: list[str] = Field([], description="Acceptance criteria, at most 50.")
    client_visible: bool = True


class MilestonePatch(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    name: str | None = None
    due_date: datetime.date | None = None
    description: str | None = None
    deliverables: list[Deliverable] | None = None
    criteria: list[str] | None = Field(
        None, description="Frozen while the client judges the milestone (400 milestone_frozen)."
    )
    client_visible: bool | None = None


class SubmitIn(Schema):
    note: str = Field("", description="A word to the client, shown with the request.")
    version: int | None = Field(None, description="When given, a stale version answers 409.")


# -- tasks ----------------------------------------------------------------------


class TaskOut(Schema):
    key: str = Field(..., description="T-1, T-2… per project.")
    title: str
    description: str = Field(..., description="Markdown.")
    status: TaskStatus
    assignee: UserRef | None
    milestone: str | None = Field(None, description="The milestone's key.")
    parent: str | None = Field(None, description="The parent task's key (the WBS).")
    requirements: list[str] = Field(..., description="Keys of the requirements it serves.")
    start_date: datetime.date | None
    due_date: datetime.date | None
    estimate_hours: Decimal | None = Field(..., description='Hours, a decimal string: "7.5".')
    progress: int = Field(..., description="Percent done, 0 to 100.")
    order: int = Field(..., description="Position among its siblings.")
    client_visible: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_milestone(task: Task) -> str | None:
        return task.milestone.key if task.milestone else None

    @staticmethod
    def resolve_parent(task: Task) -> str | None:
        return task.parent.key if task.parent else None

    @staticmethod
    def resolve_requirements(task: Task) -> list[str]:
        return [requirement.key for requirement in task.requirements.all()]


class TaskQuery(Schema):
    q: str = Field("", description="Words in the title, or an exact key.")
    status: TaskStatus | None = None
    assignee: int | None = Field(None, description="A user id; 0 for unassigned tasks.")
    milestone: str = Field("", description="A milestone key.")
    sort: str = Field("key", description="One of: " + ", ".join(task_selectors.SORTS))


# NaN and infinity pass the schema so that the service refuses them beside the
# field (400 with `field`), like any estimate out of range.
ESTIMATE = Field(None, allow_inf_nan=True, description="0 to 10,000 hours.")


class TaskIn(Schema):
    title: str
    description: str = Field("", description="Markdown.")
    status: TaskStatus = Task.Status.TODO.value
    assignee_id: int | None = Field(None, description="A manager or member of the project.")
    milestone: str | None = Field(None, description="A milestone key of this project.")
    parent: str | None = Field(None, description="A task key of this project.")
    requirements: list[str] = Field([], description="Requirement keys of this project.")
    start_date: datetime.date | None = None
    due_date: datetime.date | None = Field(None, description="Not before the start.")
    estimate_hours: Decimal | None = ESTIMATE
    progress: int = Field(0, description="Percent done, 0 to 100.")
    order: int = 0
    client_visible: bool = False


class TaskPatch(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    description: str | None = None
    status: TaskStatus | None = None
    assignee_id: int | None = Field(None, description="null removes the assignee.")
    milestone: str | None = Field(None, description="A key; null takes the task out.")
    parent: str | None = Field(None, description="A key; null makes it a top-level task.")
    requirements: list[str] | None = Field(None, description="Replaces the linked requirements.")
    start_date: datetime.date | None = Field(
        None, description="A new start or due date pushes the tasks that depend on it."
    )
    due_date: datetime.date | None = None
    estimate_hours: Decimal | None = ESTIMATE
    progress: int | None = Field(None, description="Percent done, 0 to 100.")
    order: int | None = None
    client_visible: bool | None = None


class PreviewIn(Schema):
    start_date: datetime.date
    due_date: datetime.date


class Move(Schema):
    key: str
    title: str
    old_start: datetime.date
    old_due: datetime.date
    new_start: datetime.date
    new_due: datetime.date


class PreviewOut(Schema):
    moves: list[Move] = Field(
        ..., description="Every task the new dates would move, the task itself included."
    )


# -- dependencies ---------------------------------------------------------------


class DependencyOut(Schema):
    id: int
    predecessor: str = Field(..., description="The key of the task that comes first.")
    successor: str = Field(..., description="The key of the task that depends on it.")
    kind: DependencyKind = Field(
        ..., description="FS finish→start, SS start→start, FF finish→finish, SF start→finish."
    )
    lag_days: int = Field(..., description="Working days between the two; may be negative.")
    version: int

    @staticmethod
    def resolve_predecessor(dependency: Dependency) -> str:
        return dependency.predecessor.key

    @staticmethod
    def resolve_successor(dependency: Dependency) -> str:
        return dependency.successor.key


class DependencyIn(Schema):
    predecessor: str = Field(..., description="A task key, e.g. T-1.")
    successor: str = Field(..., description="A task key, e.g. T-3.")
    kind: DependencyKind = Dependency.Kind.FS.value
    lag_days: int = Field(0, description="Working days, at most 365 either way.")


class DependencyPatch(Schema):
    version: int = Field(..., description="The version you read; a stale one answers 409.")
    kind: DependencyKind | None = None
    lag_days: int | None = None


# -- the Gantt ------------------------------------------------------------------


class GanttRowOut(Schema):
    key: str
    title: str
    depth: int = Field(..., description="Level in the WBS, 0 for a top-level task.")
    has_children: bool
    collapsed: bool
    is_summary: bool = Field(..., description="A parent: its bar spans its dated children.")
    start: datetime.date
    due: datetime.date
    progress: int
    status: TaskStatus
    assignee_name: str
    critical: bool = Field(..., description="On the critical path: no slack.")
    slack: int | None = Field(..., description="Working days it may slip; null for summaries.")
    baseline_start: datetime.date | None
    baseline_due: datetime.date | None
    client_visible: bool
    milestone: str = Field(..., description="The milestone's key, or empty.")


class GanttLinkOut(Schema):
    predecessor: str
    successor: str
    kind: DependencyKind
    critical: bool


class GanttMilestoneOut(Schema):
    key: str
    name: str
    due: datetime.date
    status: MilestoneStatus
    baseline_due: datetime.date | None


class GanttOut(Schema):
    start: datetime.date = Field(..., description="The first day of the chart.")
    end: datetime.date = Field(..., description="The last day of the chart.")
    today: datetime.date
    rows: list[GanttRowOut] = Field(..., description="Dated tasks in WBS order.")
    links: list[GanttLinkOut]
    milestones: list[GanttMilestoneOut]
    undated_count: int = Field(..., description="Tasks left out for want of dates.")
    baseline_name: str = Field(..., description="The plan baseline compared with, or empty.")
    cycle: bool = Field(..., description="A dependency loop stopped the scheduler.")


class GanttQuery(Schema):
    scale: str = Field("week", description="day, week, month or quarter.")
    date_from: datetime.date | None = Field(None, alias="from", description="First day shown.")
    date_to: datetime.date | None = Field(None, alias="to", description="Last day shown.")
    milestone: str = Field("", description="Only this milestone's tasks.")
    assignee: int | None = Field(None, description="Only this user's tasks.")
    status: TaskStatus | None = None
    collapsed: str = Field("", description="Task keys, comma-separated, whose children to hide.")


# -- the people view ----------------------------------------------------------------


class PeopleWeekOut(Schema):
    start: datetime.date = Field(..., description="The week's Monday.")
    capacity: Decimal = Field(..., description="Hours per week less time off.")
    allocated: Decimal = Field(..., description="Open tasks' hours, in every project.")
    free: Decimal = Field(..., description="Capacity less allocated (below 0: over).")
    days_off: int


class PeopleRowOut(Schema):
    user_id: int
    name: str
    hours_per_week: int
    over: bool = Field(..., description="Over capacity in one of the weeks at least.")
    free: bool = Field(..., description="A working day or more free next month.")
    free_next_month: Decimal = Field(..., description="Free hours in weeks 2 to 5.")
    weeks: list[PeopleWeekOut]
