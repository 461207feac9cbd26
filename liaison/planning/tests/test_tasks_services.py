"""The writes of tasks and dependencies (services/tasks.py, services/plan.py)
and the scheduling they trigger (services/schedule.py): the rules, bad input,
stale edits, the audit trail, notifications and the push of successors."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from liaison.collab.models import Notification
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.planning.models import Dependency, Task
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.plan import dependency_create, dependency_delete
from liaison.planning.services.schedule import check_start_allowed, reschedule
from liaison.planning.services.tasks import (
    task_create,
    task_delete,
    task_transition,
    task_update,
)
from liaison.planning.tests.factories import make_task
from liaison.projects.tests.factories import make_project
from liaison.requirements.services import requirement_create

MON = dt.date(2027, 1, 4)  # a Monday; the default calendar works Monday to Friday


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def _chain(project, by) -> tuple[Task, Task]:
    """T-1 (Mon–Fri) → T-2 (the next Mon–Fri), finish to start."""
    first = make_task(project, by=by, title="Design", start_date=day(0), due_date=day(4))
    second = make_task(project, by=by, title="Build", start_date=day(7), due_date=day(11))
    dependency_create(project=project, by=by, predecessor=first, successor=second)
    return first, second


def _fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


def _verbs(task: Task) -> list[str]:
    return list(
        Activity.objects.filter(target_id=task.pk, target_type__model="task")
        .order_by("id")
        .values_list("verb", flat=True)
    )


# -- creating ----------------------------------------------------------------------


def test_tasks_get_numbered_keys_and_an_activity_row(manager, project):
    first = make_task(project, by=manager, title="One")
    second = make_task(project, by=manager, title="Two")
    assert (first.key, first.number, second.key, second.number) == ("T-1", 1, "T-2", 2)
    assert (first.status, first.progress, first.client_visible) == ("todo", 0, False)
    assert _verbs(first) == ["created"]


def test_a_task_keeps_every_field_given(manager, member, project):
    milestone = milestone_create(project=project, by=manager, name="Pilot", due_date=day(30))
    requirement = requirement_create(project=project, by=manager, title="Scan labels")
    parent = make_task(project, by=manager, title="Phase 1")
    task = make_task(
        project,
        by=manager,
        title="  Scanner screen  ",
        description="**Bold**",
        parent=parent,
        milestone=milestone,
        requirements=[requirement],
        assignee=member,
        start_date=day(0),
        due_date=day(2),
        estimate_hours="12.34",
        progress=40,
        status="in_progress",
        order=3,
        client_visible=True,
    )
    task = _fresh(task)
    assert task.title == "Scanner screen"
    assert (task.parent, task.milestone, task.assignee) == (parent, milestone, member)
    assert list(task.requirements.all()) == [requirement]
    assert task.estimate_hours == Decimal("12.3")  # kept to a tenth of an hour
    assert (task.progress, task.status, task.order, task.client_visible) == (
        40,
        "in_progress",
        3,
        True,
    )


def test_the_assignee_is_notified_but_not_the_one_who_assigns(manager, member, project):
    make_task(project, by=manager, assignee=member)
    make_task(project, by=manager, title="Self", assignee=manager)
    notes = [
        (note.recipient.email, note.event, note.text, note.url)
        for note in Notification.objects.select_related("recipient")
    ]
    assert notes == [
        (
            "member@test.example",
            "task.assigned",
            "manager assigned T-1 Design to you",
            "/p/OWN/tasks/T-1/",
        )
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "   "}, "title", "A task needs a title."),
        ({"progress": 101}, "progress", "Progress is a percentage from 0 to 100."),
        ({"progress": -1}, "progress", "Progress is a percentage from 0 to 100."),
        ({"progress": True}, "progress", "Progress is a percentage from 0 to 100."),
        ({"estimate_hours": "-1"}, "estimate_hours", "The estimate is between 0 and 10,000 hours."),
        ({"estimate_hours": "lots"}, "estimate_hours", "Give the estimate in hours."),
        ({"order": -2}, "order", "The order is a whole number from 0."),
        ({"status": "finished"}, "status", "Choose one of the listed values."),
        (
            {"start_date": day(3), "due_date": day(1)},
            "due_date",
            "The due date cannot be before the start.",
        ),
    ],
)
def test_bad_input_is_refused_with_the_field_and_saves_nothing(
    manager, project, fields, field, message
):
    with pytest.raises(InvalidInput) as refused:
        task_create(project=project, by=manager, **{"title": "Design", **fields})
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Task.objects.exists()


def test_links_must_stay_inside_the_project_and_the_team(
    manager, observer, outsider, project, foreign_project
):
    foreign_boss = foreign_project.manager
    foreign_task = make_task(foreign_project, by=foreign_boss, title="Theirs")
    foreign_milestone = milestone_create(
        project=foreign_project, by=foreign_boss, name="Theirs", due_date=day(9)
    )
    foreign_requirement = requirement_create(project=foreign_project, by=foreign_boss, title="X")
    cases = [
        ({"parent": foreign_task}, "parent", "The parent must be a task of this project."),
        (
            {"milestone": foreign_milestone},
            "milestone",
            "The milestone must be one of this project.",
        ),
        (
            {"requirements": [foreign_requirement]},
            "requirements",
            "Link requirements of this project only.",
        ),
        (
            {"assignee": observer},
            "assignee",
            "Assign the task to a manager or member of the project.",
        ),
        (
            {"assignee": outsider},
            "assignee",
            "Assign the task to a manager or member of the project.",
        ),
    ]
    for fields, field, message in cases:
        with pytest.raises(InvalidInput) as refused:
            task_create(project=project, by=manager, title="Mine", **fields)
        assert (refused.value.field, refused.value.message) == (field, message)
    assert not Task.objects.filter(project=project).exists()


def test_unknown_fields_are_refused(manager, project):
    with pytest.raises(InvalidInput, match="These fields cannot be changed here: key, number"):
        task_create(project=project, by=manager, title="X", key="T-99", number=99)


@pytest.mark.parametrize(
    ("role", "error"),
    [("observer", PermissionDenied), ("client_user", PermissionDenied), ("outsider", Http404)],
)
def test_only_the_team_s_editors_write_tasks(project, manager, role, error, request):
    user = request.getfixturevalue(role)
    task = make_task(project, by=manager)
    with pytest.raises(error):
        task_create(project=project, by=user, title="Nope")
    with pytest.raises(error):
        task_update(task=task, by=user, version=1, title="Nope")
    with pytest.raises(error):
        task_delete(task=task, by=user)
    assert list(Task.objects.values_list("title", flat=True)) == ["Design"]


# -- changing ----------------------------------------------------------------------


def test_an_update_records_the_diff_and_moves_the_version(manager, project):
    task = make_task(project, by=manager)
    saved = task_update(task=task, by=manager, version=1, title="Design v2", progress=30)
    assert (saved.title, saved.progress, saved.version) == ("Design v2", 30, 2)
    activity = Activity.objects.filter(verb="updated").get()
    assert activity.diff == {"title": ["Design", "Design v2"], "progress": [0, 30]}
    assert activity.target_version == 2


def test_an_update_that_changes_nothing_writes_nothing(manager, project):
    task = make_task(project, by=manager)
    saved = task_update(task=task, by=manager, version=1, title="Design")
    assert saved.version == 1
    assert _verbs(task) == ["created"]


def test_a_stale_edit_is_refused_naming_what_changed(manager, member, project):
    task = make_task(project, by=manager)
    task_update(task=task, by=member, version=1, title="Member's title")
    with pytest.raises(StaleEdit) as stale:
        task_update(task=task, by=manager, version=1, title="Mine", progress=50)
    assert "member set title to “Member's title”" in stale.value.message
    assert stale.value.current.version == 2
    task = _fresh(task)
    assert (task.title, task.progress, task.version) == ("Member's title", 0, 2)


def test_a_new_assignee_is_notified(manager, member, project):
    task = make_task(project, by=manager)
    task_update(task=task, by=manager, version=1, assignee=member)
    assert Notification.objects.filter(recipient=member, event="task.assigned").count() == 1
    task_update(task=task, by=manager, version=2, title="Renamed")  # same assignee: no news
    assert Notification.objects.filter(recipient=member).count() == 1


def test_requirements_are_replaced_and_the_diff_lists_their_keys(manager, project):
    one = requirement_create(project=project, by=manager, title="One")
    two = requirement_create(project=project, by=manager, title="Two")
    task = make_task(project, by=manager, requirements=[one])
    task_update(task=task, by=manager, version=1, requirements=[two, one])
    assert set(_fresh(task).requirements.all()) == {one, two}
    assert Activity.objects.get(verb="updated").diff == {"requirements": ["REQ-1", "REQ-1, REQ-2"]}


def test_a_task_cannot_be_put_inside_its_own_subtask(manager, project):
    top = make_task(project, by=manager, title="Top")
    child = make_task(project, by=manager, title="Child", parent=top)
    grandchild = make_task(project, by=manager, title="Grandchild", parent=child)
    with pytest.raises(InvalidInput, match=re.escape("A task cannot be inside itself.")) as refused:
        task_update(task=top, by=manager, version=1, parent=grandchild)
    assert refused.value.field == "parent"
    assert _fresh(top).parent is None


def test_done_means_100_percent(manager, project):
    task = make_task(project, by=manager, progress=40)
    done = task_transition(task=task, by=manager, status="done")
    assert (done.status, done.progress) == ("done", 100)


def test_a_transition_with_an_old_version_is_stale(manager, member, project):
    task = make_task(project, by=manager)
    task_update(task=task, by=member, version=1, title="Renamed")
    with pytest.raises(StaleEdit):
        task_transition(task=task, by=manager, status="done", version=1)
    assert _fresh(task).status == "todo"


def test_a_transition_to_an_unknown_status_is_refused(manager, project):
    task = make_task(project, by=manager)
    with pytest.raises(InvalidInput, match=re.escape("Choose one of the listed values.")):
        task_transition(task=task, by=manager, status="archived")


# -- dates push successors --------------------------------------------------------------


def test_moving_a_task_later_pushes_its_successor(manager, project):
    first, second = _chain(project, manager)
    task_update(
        task=first, by=manager, version=_fresh(first).version, start_date=day(7), due_date=day(11)
    )
    second = _fresh(second)
    assert (second.start_date, second.due_date) == (day(14), day(18))  # same 5 working days
    moved = Activity.objects.get(verb="rescheduled")
    assert moved.target_id == second.pk
    assert moved.diff == {
        "start_date": [day(7).isoformat(), day(14).isoformat()],
        "due_date": [day(11).isoformat(), day(18).isoformat()],
    }
    assert moved.target_version == second.version


def test_the_push_follows_the_chain_and_respects_lag(manager, project):
    first, second = _chain(project, manager)
    third = make_task(project, by=manager, title="Test", start_date=day(14), due_date=day(15))
    dependency_create(project=project, by=manager, predecessor=second, successor=third, lag_days=2)
    third = _fresh(third)
    assert third.start_date == day(16)  # two working days after T-2 ends on Friday
    task_update(task=first, by=manager, version=_fresh(first).version, due_date=day(7))
    second, third = _fresh(second), _fresh(third)
    assert (second.start_date, second.due_date) == (day(8), day(14))
    assert (third.start_date, third.due_date) == (day(17), day(18))


def test_moving_a_task_earlier_moves_nothing_back(manager, project):
    first, second = _chain(project, manager)
    task_update(
        task=first, by=manager, version=_fresh(first).version, start_date=day(-7), due_date=day(-3)
    )
    assert (_fresh(second).start_date, _fresh(second).due_date) == (day(7), day(11))
    assert not Activity.objects.filter(verb="rescheduled").exists()


def test_a_start_the_predecessor_forbids_is_refused_naming_the_dependency(manager, project):
    _first, second = _chain(project, manager)
    with pytest.raises(InvalidInput) as refused:
        task_update(
            task=second,
            by=manager,
            version=_fresh(second).version,
            start_date=day(2),
            due_date=day(4),
        )
    assert refused.value.field == "start_date"
    assert refused.value.code == "dependency_violated"
    assert refused.value.message == (
        "T-2 cannot start then: it depends on T-1 (Finish to start, lag 0 days)."
    )
    assert _fresh(second).start_date == day(7)


def test_check_start_allowed_accepts_what_the_links_allow(manager, project):
    first, second = _chain(project, manager)
    check_start_allowed(task=second, start=day(7), due=day(11))
    check_start_allowed(task=first, start=day(-7), due=day(-3))  # nothing before T-1
    with pytest.raises(InvalidInput):
        check_start_allowed(task=second, start=day(4), due=day(8))


def test_reschedule_returns_nothing_on_a_consistent_plan(manager, project):
    _chain(project, manager)
    assert reschedule(project=project, by=manager) == []


# -- dependencies -----------------------------------------------------------------------


def test_a_dependency_pushes_its_successor_when_created(manager, project):
    first = make_task(project, by=manager, title="Design", start_date=day(0), due_date=day(4))
    second = make_task(project, by=manager, title="Build", start_date=day(2), due_date=day(3))
    link = dependency_create(
        project=project, by=manager, predecessor=first, successor=second, kind="FS"
    )
    assert (link.kind, link.lag_days, link.project) == ("FS", 0, project)
    second = _fresh(second)
    assert (second.start_date, second.due_date) == (day(7), day(8))
    assert Activity.objects.filter(verb="linked", project=project).count() == 1
    assert _verbs(second)[-1] == "rescheduled"


def test_a_loop_is_refused_naming_it(manager, project):
    one, two = _chain(project, manager)
    three = make_task(project, by=manager, title="Test", start_date=day(14), due_date=day(15))
    dependency_create(project=project, by=manager, predecessor=two, successor=three)
    with pytest.raises(InvalidInput) as refused:
        dependency_create(project=project, by=manager, predecessor=three, successor=one)
    assert refused.value.code == "dependency_cycle"
    assert refused.value.field == "predecessor"
    assert refused.value.message == "This would make a loop: T-1 → T-2 → T-3 → T-1."
    assert Dependency.objects.count() == 2


def test_linking_two_linked_tasks_again_is_refused(manager, project):
    one, two = _chain(project, manager)
    with pytest.raises(
        InvalidInput, match=re.escape("These two tasks are already linked.")
    ) as refused:
        dependency_create(project=project, by=manager, predecessor=one, successor=two)
    assert refused.value.code == "duplicate"
    assert Dependency.objects.count() == 1


def test_linking_back_the_other_way_is_a_loop_named_as_such(manager, project):
    one, two = _chain(project, manager)
    with pytest.raises(InvalidInput) as refused:
        dependency_create(project=project, by=manager, predecessor=two, successor=one)
    assert refused.value.code == "dependency_cycle"
    assert refused.value.message in (
        "This would make a loop: T-1 → T-2 → T-1.",
        "This would make a loop: T-2 → T-1 → T-2.",
    )
    assert Dependency.objects.count() == 1


def test_a_dependency_on_a_task_of_another_project_is_refused(manager, project, foreign_project):
    mine = make_task(project, by=manager, title="Mine")
    theirs = make_task(foreign_project, by=foreign_project.manager, title="Theirs")
    with pytest.raises(InvalidInput) as refused:
        dependency_create(project=project, by=manager, predecessor=theirs, successor=mine)
    assert (refused.value.code, refused.value.message) == (
        "other_project",
        "Both tasks must belong to this project.",
    )
    assert not Dependency.objects.exists()


@pytest.mark.parametrize(
    ("kind", "lag", "field", "message"),
    [
        ("XX", 0, "kind", "Choose one of the listed values."),
        (
            "FS",
            366,
            "lag_days",
            "The lag is a whole number of working days, at most 365 either way.",
        ),
        (
            "FS",
            "2",
            "lag_days",
            "The lag is a whole number of working days, at most 365 either way.",
        ),
    ],
)
def test_bad_dependency_input_is_refused(manager, project, kind, lag, field, message):
    one = make_task(project, by=manager, title="One")
    two = make_task(project, by=manager, title="Two")
    with pytest.raises(InvalidInput) as refused:
        dependency_create(
            project=project, by=manager, predecessor=one, successor=two, kind=kind, lag_days=lag
        )
    assert (refused.value.field, refused.value.message) == (field, message)
    with pytest.raises(InvalidInput, match=re.escape("A task cannot depend on itself.")):
        dependency_create(project=project, by=manager, predecessor=one, successor=one)
    assert not Dependency.objects.exists()


def test_removing_a_dependency_records_it_and_moves_nothing_back(manager, project):
    first = make_task(project, by=manager, title="Design", start_date=day(0), due_date=day(4))
    second = make_task(project, by=manager, title="Build", start_date=day(2), due_date=day(3))
    link = dependency_create(project=project, by=manager, predecessor=first, successor=second)
    dependency_delete(dependency=link, by=manager)
    assert not Dependency.objects.exists()
    assert Activity.objects.filter(verb="unlinked").count() == 1
    assert _fresh(second).start_date == day(7)


def test_observers_cannot_link_tasks(manager, observer, project):
    one = make_task(project, by=manager, title="One")
    two = make_task(project, by=manager, title="Two")
    with pytest.raises(PermissionDenied):
        dependency_create(project=project, by=observer, predecessor=one, successor=two)


# -- deleting ---------------------------------------------------------------------------


def test_deleting_a_task_moves_its_children_up_and_removes_its_links(manager, project):
    top = make_task(project, by=manager, title="Top")
    middle = make_task(
        project, by=manager, title="Middle", parent=top, start_date=day(0), due_date=day(1)
    )
    child = make_task(
        project, by=manager, title="Child", parent=middle, start_date=day(2), due_date=day(3)
    )
    dependency_create(project=project, by=manager, predecessor=middle, successor=child)
    task_delete(task=middle, by=manager, version=_fresh(middle).version)
    assert not Task.objects.filter(pk=middle.pk).exists()
    assert _fresh(child).parent == top
    assert not Dependency.objects.exists()
    assert Activity.objects.filter(verb="deleted", target_id=middle.pk).count() == 1


def test_a_task_the_client_sees_is_not_deleted(manager, project):
    task = make_task(project, by=manager, client_visible=True)
    with pytest.raises(InvalidInput) as refused:
        task_delete(task=task, by=manager, version=1)
    assert refused.value.code == "client_visible"
    assert "The client has seen this task, so it stays on record." in refused.value.message
    assert Task.objects.filter(pk=task.pk).exists()


def test_a_task_changed_since_is_not_deleted(manager, member, project):
    task = make_task(project, by=manager)
    task_update(task=task, by=member, version=1, title="Changed")
    with pytest.raises(StaleEdit):
        task_delete(task=task, by=manager, version=1)
    assert Task.objects.filter(pk=task.pk).exists()


def test_keys_are_never_reused_after_a_delete(manager, project, foreign_project):
    task = make_task(project, by=manager, title="One")
    task_delete(task=task, by=manager, version=1)
    assert make_task(project, by=manager, title="Two").key == "T-2"
    other = make_project(project.organization, manager, "OTHER")
    assert make_task(other, by=manager, title="Elsewhere").key == "T-1"  # keys are per project
