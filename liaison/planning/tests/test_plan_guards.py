"""Guards found in review: dates no plan uses, a NaN estimate, a milestone's
visibility while the client judges it, rows the client has seen, and a preview
that must refuse what saving refuses."""

import datetime as dt
import json

import pytest

from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.planning.services.milestones import (
    milestone_create,
    milestone_delete,
    milestone_submit,
    milestone_update,
)
from liaison.planning.services.plan import dependency_create, plan_calendar_update
from liaison.planning.services.tasks import task_create, task_delete, task_update

MONDAY = dt.date(2027, 1, 4)


def test_a_date_no_plan_uses_is_refused_before_it_breaks_pages(project, manager):
    for fields, field in (
        ({"start_date": dt.date(9999, 12, 30), "due_date": dt.date(9999, 12, 31)}, "start_date"),
        ({"due_date": dt.date(1066, 10, 14)}, "due_date"),
    ):
        with pytest.raises(InvalidInput) as refused:
            task_create(project=project, by=manager, title="Far", **fields)
        assert refused.value.field == field
    with pytest.raises(InvalidInput) as refused:
        milestone_create(project=project, by=manager, name="Far", due_date=dt.date(9999, 1, 1))
    assert refused.value.field == "due_date"
    with pytest.raises(InvalidInput) as refused:
        plan_calendar_update(
            project=project,
            by=manager,
            version=project.version,
            working_weekdays="01234",
            holidays=["9999-12-31"],
        )
    assert refused.value.field == "holidays"
    assert not Task.objects.exists()


def test_the_api_refuses_a_nan_estimate(login, manager, project):
    response = login(manager).post(
        "/api/v1/projects/OWN/tasks",
        '{"title": "x", "estimate_hours": NaN}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid", "estimate_hours")
    assert not Task.objects.exists()


def test_a_submitted_milestone_cannot_be_hidden_from_the_client(project, manager):
    milestone = milestone_create(
        project=project, by=manager, name="Pilot", due_date=MONDAY, criteria=["Works"]
    )
    milestone_submit(milestone=milestone, by=manager)
    milestone.refresh_from_db()
    with pytest.raises(InvalidInput) as refused:
        milestone_update(
            milestone=milestone, by=manager, version=milestone.version, client_visible=False
        )
    assert refused.value.code == "milestone_frozen"
    assert Milestone.objects.get(pk=milestone.pk).client_visible


def test_what_the_client_has_seen_is_never_deleted(project, manager):
    task = task_create(project=project, by=manager, title="Shown once", client_visible=True)
    task = task_update(task=task, by=manager, version=task.version, client_visible=False)
    with pytest.raises(InvalidInput) as refused:
        task_delete(task=task, by=manager, version=task.version)
    assert refused.value.code == "client_visible"
    milestone = milestone_create(project=project, by=manager, name="Seen", due_date=MONDAY)
    with pytest.raises(InvalidInput):
        milestone_delete(milestone=milestone, by=manager)
    hidden = milestone_create(
        project=project, by=manager, name="Internal", due_date=MONDAY, client_visible=False
    )
    milestone_delete(milestone=hidden, by=manager)
    assert list(Milestone.objects.values_list("name", flat=True)) == ["Seen"]
    assert Task.objects.filter(pk=task.pk).exists()


def test_the_api_preview_refuses_what_saving_refuses(login, manager, project):
    before = task_create(
        project=project, by=manager, title="Before", start_date=MONDAY, due_date=MONDAY
    )
    after = task_create(
        project=project,
        by=manager,
        title="After",
        start_date=MONDAY + dt.timedelta(days=1),
        due_date=MONDAY + dt.timedelta(days=1),
    )
    dependency_create(project=project, by=manager, predecessor=before, successor=after)
    body = json.dumps({"start_date": str(MONDAY), "due_date": str(MONDAY)})
    response = login(manager).post(
        f"/api/v1/projects/OWN/tasks/{after.key}/preview", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "dependency_violated"
