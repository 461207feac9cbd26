"""The access matrix's rows for the plan: Gantt, tasks, dependencies, board,
workload, milestones, the portal's milestone pages and the API
(liaison/tests/access_matrix.py has the framework)."""

import datetime as dt
from dataclasses import dataclass

from liaison.planning.models import Dependency, Milestone, Task
from liaison.planning.services.milestones import milestone_create, milestone_submit
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.tasks import task_create
from liaison.projects.tests.access_rows import PROJECT_VERSION
from liaison.tests.access_matrix import (
    API_EDIT,
    API_MANAGE,
    API_ORG_STAFF,
    API_VIEW,
    CODE,
    ORG_STAFF,
    PORTAL,
    PROJECTS,
    TEAM_COMMENT,
    TEAM_EDIT,
    TEAM_MANAGE,
    TEAM_VIEW,
    P,
    World,
    endpoint,
    page,
    picks,
)


@dataclass
class Plan:
    """T-1 → T-2 (dated, T-1 client-visible), T-3 loose; M-1 awaiting the
    client's acceptance, M-2 planned, M-3 internal."""

    t1: Task
    t3: Task
    m2: Milestone
    dependency: Dependency


def populate(world: World, side: str) -> Plan:
    project = world.projects[side]
    by = project.manager
    m1 = milestone_create(
        project=project, by=by, name="Pilot", due_date=dt.date(2027, 2, 1), criteria=["Works"]
    )
    m2 = milestone_create(
        project=project, by=by, name="Go-live", due_date=dt.date(2027, 3, 1), criteria=["Live"]
    )
    milestone_submit(milestone=m1, by=by)
    milestone_create(  # M-3: never shown to the client, so it may be deleted
        project=project,
        by=by,
        name="Internal review",
        due_date=dt.date(2027, 3, 15),
        client_visible=False,
    )
    start = dt.date(2027, 1, 4)
    t1 = task_create(
        project=project,
        by=by,
        title="Design",
        start_date=start,
        due_date=start + dt.timedelta(days=4),
        milestone=m1,
        client_visible=True,
    )
    t2 = task_create(
        project=project,
        by=by,
        title="Build",
        start_date=start + dt.timedelta(days=7),
        due_date=start + dt.timedelta(days=11),
    )
    t3 = task_create(project=project, by=by, title="Loose end")
    dependency = dependency_create(project=project, by=by, predecessor=t1, successor=t2)
    return Plan(t1=t1, t3=t3, m2=m2, dependency=dependency)


plan = picks("planning")
TASK_VERSION = plan(lambda p: p.t1.version)
LOOSE_TASK_VERSION = plan(lambda p: p.t3.version)
DEPENDENCY_ID = plan(lambda p: p.dependency.pk)
M2_VERSION = plan(lambda p: p.m2.version)

T1 = {"code": CODE, "key": "T-1"}
T3 = {"code": CODE, "key": "T-3"}
M1 = {"code": CODE, "key": "M-1"}
M2 = {"code": CODE, "key": "M-2"}
M3 = {"code": CODE, "key": "M-3"}
TASK_FORM = {
    "title": "Renamed task",
    "status": "in_progress",
    "start_date": "2027-01-04",
    "due_date": "2027-01-08",
    "progress": 20,
    "order": 0,
    "version": TASK_VERSION,
}
MILESTONE_FORM = {
    "name": "Renamed milestone",
    "due_date": "2027-03-01",
    "criteria": "Pilot site signs off",
    "client_visible": "on",
    "version": M2_VERSION,
}
MILESTONES = PROJECTS + "/{code}/milestones"
TASKS = PROJECTS + "/{code}/tasks"
DEPENDENCIES = PROJECTS + "/{code}/dependencies"

PAGES = [
    page("planning:gantt", "GET", TEAM_VIEW, kwargs=P),
    page("planning:gantt-svg", "GET", TEAM_VIEW, kwargs=P),
    page("planning:gantt-export", "GET", TEAM_VIEW, kwargs={**P, "fmt": "pdf"}, case="pdf"),
    page("planning:gantt-export", "GET", TEAM_VIEW, kwargs={**P, "fmt": "png"}, case="png"),
    page("planning:task-panel", "GET", TEAM_VIEW, kwargs=T1),
    page(
        "planning:task-gesture",
        "GET",
        TEAM_EDIT,
        kwargs=T1,
        data={"start_date": "2027-01-05", "due_date": "2027-01-11"},
        note="a bar dragged: what else moves, and the form that saves it",
    ),
    page(
        "planning:task-gesture",
        "POST",
        TEAM_EDIT,
        kwargs=T1,
        data={"start_date": "2027-01-05", "due_date": "2027-01-11", "version": TASK_VERSION},
        note="the drag confirmed: saved, the chart told to redraw",
    ),
    page(
        "planning:task-link",
        "GET",
        TEAM_EDIT,
        kwargs=T1,
        data={"successor": "T-3"},
        note="a bar dropped on another: the link's type to choose",
    ),
    page(
        "planning:task-link",
        "POST",
        TEAM_EDIT,
        kwargs=T1,
        data={"successor": "T-3", "kind": "SS", "lag_days": 1},
        note="the link made, the chart told to redraw",
    ),
    page(
        "planning:task-panel",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=T1,
        data={
            "start_date": "2027-01-05",
            "due_date": "2027-01-08",
            "progress": 30,
            "version": TASK_VERSION,
        },
        note="without HTMX the panel's save goes back to the Gantt",
    ),
    page("planning:plan-baselines", "GET", TEAM_VIEW, kwargs=P),
    page("planning:plan-baselines", "POST", TEAM_MANAGE, 302, kwargs=P, data={"name": "Plan"}),
    page("planning:plan-calendar", "GET", TEAM_MANAGE, kwargs=P),
    page(
        "planning:plan-calendar",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={
            "working_weekdays": ["0", "1", "2", "3", "4"],
            "holidays": "2027-02-11",
            "extra_workdays": "",
            "version": PROJECT_VERSION,
        },
    ),
    page("planning:tasks", "GET", TEAM_VIEW, kwargs=P),
    page("planning:task-create", "GET", TEAM_EDIT, kwargs=P),
    page("planning:task-create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page("planning:task", "GET", TEAM_VIEW, kwargs=T1),
    page("planning:task-edit", "GET", TEAM_EDIT, kwargs=T1),
    page("planning:task-edit", "POST", TEAM_EDIT, 302, kwargs=T1, data=TASK_FORM),
    page(
        "planning:task-preview",
        "POST",
        TEAM_EDIT,
        kwargs=T1,
        data={"start_date": "2027-01-11", "due_date": "2027-01-15"},
        note="answers the list of tasks the move would push",
    ),
    page(
        "planning:task-status",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=T1,
        data={"status": "done", "version": TASK_VERSION},
    ),
    page(
        "planning:task-delete",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=T3,
        data={"version": LOOSE_TASK_VERSION},
    ),
    page("planning:task-comment", "POST", TEAM_COMMENT, 302, kwargs=T1, data={"body": "Hi"}),
    page(
        "planning:dependency-create",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=T3,
        data={"predecessor": "T-1", "kind": "FS", "lag_days": 0},
    ),
    page(
        "planning:dependency-delete",
        "POST",
        TEAM_EDIT,
        302,
        kwargs={"code": CODE, "dependency_id": DEPENDENCY_ID},
    ),
    page("planning:board", "GET", TEAM_VIEW, kwargs=P),
    page(
        "planning:board-limits",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={"version": 0, "in_progress": 3},
    ),
    page("planning:workload", "GET", TEAM_VIEW, kwargs=P),
    # -- people and capacity: the people view, across the organization's projects ---
    page("planning:people", "GET", ORG_STAFF, note="owners see everyone, others their people"),
    page("planning:milestones", "GET", TEAM_VIEW, kwargs=P),
    page("planning:milestone-create", "GET", TEAM_MANAGE, kwargs=P),
    page("planning:milestone-create", "POST", TEAM_MANAGE, kwargs=P, data={}, case="empty form"),
    page("planning:milestone", "GET", TEAM_VIEW, kwargs=M1),
    page("planning:milestone-edit", "GET", TEAM_MANAGE, kwargs=M2),
    page("planning:milestone-edit", "POST", TEAM_MANAGE, 302, kwargs=M2, data=MILESTONE_FORM),
    page(
        "planning:milestone-status",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=M2,
        data={"status": "in_progress", "version": M2_VERSION},
    ),
    page("planning:milestone-submit", "POST", TEAM_MANAGE, 302, kwargs=M2, data={"note": "Ready"}),
    page("planning:milestone-delete", "POST", TEAM_MANAGE, 302, kwargs=M3),
    page("planning:milestone-pdf", "GET", TEAM_VIEW, kwargs=M1),
    # -- the portal ------------------------------------------------------------------
    page("portal:milestone", "GET", PORTAL, kwargs=M1),
    page(
        "portal:milestone-decide",
        "POST",
        PORTAL,
        302,
        kwargs=M1,
        data={"decision": "accept", "round": 1, "met-0": "yes", "comment-0": ""},
    ),
    page("portal:milestone-pdf", "GET", PORTAL, kwargs=M1),
]

ENDPOINTS = [
    endpoint("GET", MILESTONES, API_VIEW, params=P),
    endpoint(
        "POST",
        MILESTONES,
        API_MANAGE,
        201,
        params=P,
        data={"name": "Go-live", "due_date": "2027-06-30"},
    ),
    endpoint("GET", MILESTONES + "/{key}", API_VIEW, params=M1),
    endpoint(
        "PATCH",
        MILESTONES + "/{key}",
        API_MANAGE,
        params=M2,
        data={"version": M2_VERSION, "name": "Renamed"},
    ),
    endpoint("DELETE", MILESTONES + "/{key}", API_MANAGE, 204, params=M3),
    endpoint("POST", MILESTONES + "/{key}/submit", API_MANAGE, params=M2, data={"note": "Ready"}),
    endpoint("GET", TASKS, API_VIEW, params=P),
    endpoint("POST", TASKS, API_EDIT, 201, params=P, data={"title": "From the API"}),
    endpoint("GET", TASKS + "/{key}", API_VIEW, params=T1),
    endpoint(
        "PATCH",
        TASKS + "/{key}",
        API_EDIT,
        params=T1,
        data={"version": TASK_VERSION, "progress": 40},
    ),
    endpoint("DELETE", TASKS + "/{key}", API_EDIT, 204, params=T3),
    endpoint(
        "POST",
        TASKS + "/{key}/preview",
        API_EDIT,
        params=T1,
        data={"start_date": "2027-01-11", "due_date": "2027-01-15"},
    ),
    endpoint("GET", DEPENDENCIES, API_VIEW, params=P),
    endpoint(
        "POST",
        DEPENDENCIES,
        API_EDIT,
        201,
        params=P,
        data={"predecessor": "T-1", "successor": "T-3", "kind": "FS", "lag_days": 0},
    ),
    endpoint(
        "PATCH",
        DEPENDENCIES + "/{dependency_id}",
        API_EDIT,
        params={"code": CODE, "dependency_id": DEPENDENCY_ID},
        data={"version": 1, "kind": "SS", "lag_days": 1},
    ),
    endpoint(
        "DELETE",
        DEPENDENCIES + "/{dependency_id}",
        API_EDIT,
        204,
        params={"code": CODE, "dependency_id": DEPENDENCY_ID},
    ),
    endpoint("GET", PROJECTS + "/{code}/gantt", API_VIEW, params=P),
    # -- people and capacity: the people view's figures --------------------------------
    endpoint("GET", "/api/v1/people", API_ORG_STAFF),
]
