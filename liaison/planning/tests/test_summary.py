"""The plan's summary on the project's overview."""

import datetime as dt

from django.utils import timezone

from conftest import TODAY
from liaison.planning.selectors.summary import plan_summary
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.tasks import task_create, task_transition
from liaison.projects.access import CLIENT, TEAM


def _plan(project, manager):
    yesterday = TODAY - dt.timedelta(days=1)
    late = task_create(project=project, by=manager, title="Late", due_date=yesterday)
    done = task_create(project=project, by=manager, title="Done", client_visible=True)
    task_transition(task=done, by=manager, status="done")
    task_create(project=project, by=manager, title="Later")
    for n, name in enumerate(["Pilot", "Rollout", "Hypercare", "Closure"]):
        milestone_create(
            project=project,
            by=manager,
            name=name,
            due_date=timezone.localdate() + dt.timedelta(days=10 * (n + 1)),
            client_visible=name != "Pilot",
        )
    return late


def test_plan_summary_counts_for_each_audience(project, manager):
    _plan(project, manager)
    team = plan_summary(project=project, audience=TEAM)
    assert (team.tasks, team.done, team.overdue, team.percent_done) == (3, 1, 1, 33)
    assert [m.name for m in team.next_milestones] == ["Pilot", "Rollout", "Hypercare"]
    client = plan_summary(project=project, audience=CLIENT)
    assert (client.tasks, client.done, client.overdue) == (1, 1, 0)
    assert [m.name for m in client.next_milestones] == ["Rollout", "Hypercare", "Closure"]


def test_overview_shows_the_plan(login, manager, project):
    _plan(project, manager)
    page = login(manager).get(f"/p/{project.code}/").content.decode()
    assert "1 of 3 tasks done (33 %)" in page
    assert "1 overdue" in page
    assert "M-1</span> Pilot" in page
    assert "M-4</span> Closure" not in page  # only the next three


def test_overview_invites_the_first_task(login, manager, observer, project):
    assert "Add the first task" in login(manager).get(f"/p/{project.code}/").content.decode()
    assert "Add the first task" not in login(observer).get(f"/p/{project.code}/").content.decode()


def test_plan_summary_queries_do_not_grow(project, manager, django_assert_num_queries):
    _plan(project, manager)
    with django_assert_num_queries(2):
        plan_summary(project=project, audience=TEAM)
    for n in range(30):
        task_create(project=project, by=manager, title=f"More {n}")
    with django_assert_num_queries(2):
        plan_summary(project=project, audience=TEAM)
