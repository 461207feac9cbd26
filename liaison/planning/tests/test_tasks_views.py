"""The task pages: the list, one task, its form and the schedule preview, its
status, comments, dependencies and deletion, for every role."""

import datetime as dt
import itertools

import pytest
from playwright.sync_api import expect

from conftest import TODAY
from liaison.accounts.tests.factories import PASSWORD
from liaison.collab.models import Comment
from liaison.collab.services import comment_create
from liaison.core.models import Activity
from liaison.planning.models import Dependency, Task
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.tasks import task_create, task_update
from liaison.planning.tests.factories import bulk_tasks
from liaison.projects.tests.factories import make_teammates
from liaison.requirements.services import requirement_create

LIST = "/p/OWN/tasks/"
NEW = "/p/OWN/tasks/new/"
T1 = "/p/OWN/tasks/T-1/"
T2 = "/p/OWN/tasks/T-2/"
T3 = "/p/OWN/tasks/T-3/"
HTMX = {"HX-Request": "true"}
MON = dt.date(2027, 1, 4)
_serial = itertools.count(1000)


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def _text(response) -> str:
    return response.content.decode()


def _fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


@pytest.fixture
def plan(project, manager, member):
    """T-1 (Mon–Fri, M-1, REQ-1, member's) → T-2 (the next week), T-3 loose inside T-1."""
    milestone = milestone_create(project=project, by=manager, name="Pilot", due_date=day(30))
    requirement = requirement_create(project=project, by=manager, title="Scan labels")
    t1 = task_create(
        project=project,
        by=manager,
        title="Design",
        description="Read **this** <script>alert(1)</script>",
        start_date=day(0),
        due_date=day(4),
        milestone=milestone,
        requirements=[requirement],
        assignee=member,
        estimate_hours=16,
    )
    t2 = task_create(
        project=project, by=manager, title="Build", start_date=day(7), due_date=day(11)
    )
    t3 = task_create(project=project, by=manager, title="Loose end", parent=t1)
    link = dependency_create(project=project, by=manager, predecessor=t1, successor=t2)
    return {"t1": t1, "t2": t2, "t3": t3, "link": link, "milestone": milestone}


def _form(**overrides) -> dict:
    data = {
        "title": "Scanner screen",
        "description": "",
        "status": "todo",
        "assignee": "",
        "start_date": "",
        "due_date": "",
        "estimate_hours": "",
        "progress": "0",
        "milestone": "",
        "parent": "",
        "requirements": "",
        "order": "0",
    }
    return {**data, **overrides}


def _edit_form(task: Task, **overrides) -> dict:
    task = _fresh(task)
    data = _form(
        title=task.title,
        status=task.status,
        start_date=task.start_date.isoformat() if task.start_date else "",
        due_date=task.due_date.isoformat() if task.due_date else "",
        progress=str(task.progress),
        version=task.version,
    )
    if task.client_visible:
        data["client_visible"] = "on"
    return {**data, **overrides}


# -- who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("manager", 200), ("member", 200), ("observer", 200), ("client_user", 404), ("outsider", 404)],
)
def test_the_team_reads_the_task_pages(login, plan, role, expected, request):
    client = login(request.getfixturevalue(role))
    for url in (LIST, T1, LIST + "?status=todo&q=Design"):
        assert client.get(url).status_code == expected, url
    assert client.get(LIST, headers=HTMX).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("manager", 200), ("member", 200), ("observer", 403), ("client_user", 404), ("outsider", 404)],
)
def test_only_editors_open_the_forms(login, plan, role, expected, request):
    client = login(request.getfixturevalue(role))
    assert client.get(NEW).status_code == expected
    assert client.get(T1 + "edit/").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"), [("observer", 403), ("client_user", 404), ("outsider", 404)]
)
def test_nobody_else_writes(login, plan, role, expected, request):
    client = login(request.getfixturevalue(role))
    posts = [
        (NEW, _form()),
        (T1 + "edit/", _edit_form(plan["t1"], title="Nope")),
        (T1 + "preview/", {"start_date": "2027-01-11", "due_date": "2027-01-15"}),
        (T1 + "status/", {"status": "done"}),
        (T3 + "delete/", {"version": 1}),
        (T3 + "dependencies/", {"predecessor": "T-2", "kind": "FS", "lag_days": "0"}),
        (f"/p/OWN/dependencies/{plan['link'].pk}/delete/", {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == expected, url
    assert client.post(T1 + "comments/", {"body": "Hi"}).status_code == expected
    assert list(Task.objects.order_by("number").values_list("title", "status")) == [
        ("Design", "todo"),
        ("Build", "todo"),
        ("Loose end", "todo"),
    ]
    assert Dependency.objects.count() == 1
    assert not Comment.objects.exists()


def test_a_task_of_another_project_is_not_found(login, manager, plan, foreign_project):
    task_create(project=foreign_project, by=foreign_project.manager, title="Theirs")
    client = login(manager)
    assert client.get("/p/FOREIGN/tasks/T-1/").status_code == 404
    assert client.get("/p/OWN/tasks/T-99/").status_code == 404
    assert client.get("/p/OWN/tasks/t-1/").status_code == 404


# -- the list ----------------------------------------------------------------------------


def test_the_list_shows_each_task_with_its_details(login, manager, plan):
    # T-1's progress is its sub-task's, rolled up: the list shows it.
    task_update(task=plan["t3"], by=manager, version=_fresh(plan["t3"]).version, progress=40)
    text = _text(login(manager).get(LIST))
    assert "3 tasks" in text
    assert f'href="{T1}">T-1</a>' in text
    assert "member" in text  # T-1's assignee
    assert "M-1" in text
    assert "2027-01-04" in text and "2027-01-08" in text
    assert "40%" in text
    assert "16.0 h" in text
    assert "in T-1" in text  # T-3's parent
    assert 'href="/p/OWN/tasks/new/"' in text


def test_the_status_chips_count_with_the_other_filters(login, manager, plan):
    task_update(task=plan["t2"], by=manager, version=_fresh(plan["t2"]).version, status="done")
    text = _text(login(manager).get(LIST + "?q=Build&status=todo"))
    assert 'href="?q=Build&amp;status=done">Done <span class="chip__count">1</span>' in text
    assert 'href="?q=Build&amp;status=todo">To do <span class="chip__count">0</span>' in text
    assert "No task matches these filters" in text


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("q=design", ["T-1"]),
        ("q=T-2", ["T-2"]),
        ("status=todo", ["T-1", "T-2", "T-3"]),
        ("milestone=M-1", ["T-1"]),
        ("assignee=0", ["T-2", "T-3"]),
        ("sort=-key", ["T-3", "T-2", "T-1"]),
        ("sort=due", ["T-1", "T-2", "T-3"]),
        ("sort=title", ["T-2", "T-1", "T-3"]),
        ("sort=nonsense&assignee=abc&status=zzz", ["T-1", "T-2", "T-3"]),
    ],
)
def test_the_list_filters_and_sorts(login, manager, plan, query, keys):
    text = _text(login(manager).get(f"{LIST}?{query}"))
    shown = [
        key for key in ("T-1", "T-2", "T-3") if f'class="key" href="/p/OWN/tasks/{key}/"' in text
    ]
    assert sorted(shown) == sorted(keys)
    positions = [text.index(f'class="key" href="/p/OWN/tasks/{key}/"') for key in keys]
    assert positions == sorted(positions)


def test_the_list_filters_by_assignee(login, manager, member, plan):
    text = _text(login(manager).get(f"{LIST}?assignee={member.pk}"))
    assert 'href="/p/OWN/tasks/T-1/"' in text
    assert 'href="/p/OWN/tasks/T-2/"' not in text
    assert f'<option value="{member.pk}" selected>member</option>' in text


def test_htmx_gets_only_the_results_with_the_count(login, manager, plan):
    response = login(manager).get(LIST + "?q=Build", headers=HTMX)
    text = _text(response)
    assert "<html" not in text
    assert 'id="results"' in text
    assert 'hx-swap-oob="innerHTML:#task-count">1 task</span>' in text
    assert 'href="/p/OWN/tasks/T-2/"' in text


def test_an_overdue_task_is_shown_in_red(login, manager, project):
    yesterday = TODAY - dt.timedelta(days=1)
    task_create(project=project, by=manager, title="Late", start_date=yesterday, due_date=yesterday)
    task_create(project=project, by=manager, title="Finished", due_date=yesterday, status="done")
    text = _text(login(manager).get(LIST))
    assert text.count('class="task-overdue"') == 1


def test_an_empty_plan_says_what_to_do_next(login, manager, observer, project):
    text = _text(login(manager).get(LIST))
    assert "No tasks yet" in text
    assert 'class="btn btn--primary" href="/p/OWN/tasks/new/">New task' in text
    assert "New task" not in _text(login(observer).get(LIST))


def test_the_list_paginates_with_the_chosen_page_size(login, manager, project):
    bulk_tasks(project, 60)
    client = login(manager)
    assert _text(client.get(LIST)).count('class="key" href=') == 25
    text = _text(client.get(LIST + "?per_page=50&page=2"))
    assert text.count('class="key" href=') == 10
    assert "Page 2 of 2" in text
    assert _text(client.get(LIST + "?per_page=7")).count('class="key" href=') == 25


# -- creating ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "member"])
def test_the_team_creates_a_task(login, plan, member, role, request):
    client = login(request.getfixturevalue(role))
    response = client.post(
        NEW,
        _form(
            title="Scanner screen",
            description="Uses the **camera**",
            assignee=member.pk,
            start_date="2027-01-18",
            due_date="2027-01-20",
            estimate_hours="6.5",
            progress="10",
            milestone=plan["milestone"].pk,
            parent="t-1",
            requirements="req-1",
            order="2",
            client_visible="on",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/p/OWN/tasks/T-4/"
    task = Task.objects.get(key="T-4")
    assert (task.title, task.assignee, task.parent, task.milestone) == (
        "Scanner screen",
        member,
        plan["t1"],
        plan["milestone"],
    )
    assert list(task.requirements.values_list("key", flat=True)) == ["REQ-1"]
    assert (task.start_date, task.due_date, task.progress, task.order) == (day(14), day(16), 10, 2)
    assert task.client_visible
    text = _text(client.get(response["Location"]))
    assert "T-4 created." in text
    assert "<strong>camera</strong>" in text


def test_a_new_task_opens_with_the_milestone_asked_for(login, manager, plan):
    text = _text(login(manager).get(NEW + "?milestone=M-1&parent=T-1"))
    assert f'<option value="{plan["milestone"].pk}" selected>' in text
    assert 'name="parent" value="T-1"' in text
    assert 'id="schedule-preview"' not in text  # a new task pushes nothing


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "A task needs a title."),
        ({"progress": "150"}, "progress", "Progress is a percentage from 0 to 100."),
        ({"estimate_hours": "-3"}, "estimate_hours", "The estimate is between 0 and 10,000 hours."),
        (
            {"start_date": "2027-01-10", "due_date": "2027-01-05"},
            "due_date",
            "The due date cannot be before the start.",
        ),
        ({"parent": "T-99"}, "parent", "There is no task T-99 in this project."),
        (
            {"requirements": "REQ-1, req-7, REQ-8"},
            "requirements",
            "No such requirement in this project: REQ-7, REQ-8.",
        ),
        ({"start_date": "2027-02-30"}, "start_date", "Enter a valid date."),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(
    login, manager, plan, overrides, field, message
):
    response = login(manager).post(NEW, _form(description="Kept as typed", **overrides))
    assert response.status_code == 200
    text = _text(response)
    assert "Kept as typed" in text  # every other field stays as typed
    assert f'id="id_{field}_error">{message}</div>' in text.replace("&#x27;", "'")
    assert Task.objects.count() == 3


def test_an_assignee_outside_the_team_is_refused(login, manager, plan, observer):
    response = login(manager).post(NEW, _form(assignee=observer.pk))
    assert 'id="id_assignee_error"' in _text(response)
    assert Task.objects.count() == 3


def test_an_empty_form_is_shown_again(login, manager, project):
    response = login(manager).post(NEW, {})
    assert response.status_code == 200
    assert 'id="id_title_error">A task needs a title.' in _text(response)
    assert not Task.objects.exists()


# -- editing, the preview, pushing successors -----------------------------------------------


def test_the_edit_form_starts_from_the_task_and_previews_its_dates(login, manager, plan):
    text = _text(login(manager).get(T1 + "edit/"))
    assert f'name="version" value="{_fresh(plan["t1"]).version}"' in text
    assert 'value="Design"' in text
    assert 'name="requirements" value="REQ-1"' in text
    assert f'<option value="{plan["milestone"].pk}" selected>' in text
    # Changing a date asks the server what else would move, before saving.
    assert 'hx-post="/p/OWN/tasks/T-1/preview/"' in text
    assert 'hx-trigger="change"' in text
    assert 'hx-target="#schedule-preview"' in text
    assert 'id="schedule-preview"' in text


def test_the_sub_task_form_shows_its_parent_key(login, manager, plan):
    assert 'name="parent" value="T-1"' in _text(login(manager).get(T3 + "edit/"))


def test_the_preview_lists_what_would_move_and_saves_nothing(login, manager, plan):
    before = list(Task.objects.order_by("pk").values_list("start_date", "due_date", "version"))
    activities = Activity.objects.count()
    response = login(manager).post(
        T1 + "preview/", {"start_date": "2027-01-11", "due_date": "2027-01-15"}
    )
    assert response.status_code == 200
    text = _text(response)
    assert "Saving this moves 1 other task:" in text
    assert '<span class="key">T-2</span> Build' in text
    assert "<del>2027-01-11</del> → <ins>2027-01-18</ins>" in text
    assert "<del>2027-01-15</del> → <ins>2027-01-22</ins>" in text
    assert "T-1</span>" not in text  # the task itself is not "another task"
    after = list(Task.objects.order_by("pk").values_list("start_date", "due_date", "version"))
    assert after == before
    assert Activity.objects.count() == activities


def test_the_preview_says_when_nothing_else_moves(login, manager, plan):
    client = login(manager)
    text = _text(
        client.post(T1 + "preview/", {"start_date": "2027-01-04", "due_date": "2027-01-06"})
    )
    assert "Nothing else moves." in text
    text = _text(
        client.post(T3 + "preview/", {"start_date": "2027-03-01", "due_date": "2027-03-05"})
    )
    assert "Nothing else moves." in text  # an undated task gets dates


def test_the_preview_names_the_dependency_that_forbids_the_move(login, manager, plan):
    text = _text(
        login(manager).post(T2 + "preview/", {"start_date": "2027-01-06", "due_date": "2027-01-08"})
    )
    assert "These dates cannot be saved." in text
    assert "T-2 cannot start then: it depends on T-1 (Finish to start, lag 0 days)." in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Give both a start and a due date"),
        ({"start_date": "2027-01-11", "due_date": "soon"}, "Give both a start and a due date"),
        (
            {"start_date": "2027-01-11", "due_date": "2027-01-08"},
            "The due date cannot be before the start.",
        ),
    ],
)
def test_the_preview_explains_bad_dates(login, manager, plan, data, message):
    response = login(manager).post(T1 + "preview/", data)
    assert response.status_code == 200
    assert message in _text(response)


def test_editing_dates_pushes_successors_and_says_how_many_moved(login, manager, plan):
    client = login(manager)
    response = client.post(
        T1 + "edit/", _edit_form(plan["t1"], start_date="2027-01-11", due_date="2027-01-15")
    )
    assert response.status_code == 302
    assert response["Location"] == T1
    t2 = _fresh(plan["t2"])
    assert (t2.start_date, t2.due_date) == (day(14), day(18))
    text = _text(client.get(T1))
    assert "T-1 saved. 1 other task moved to respect its dependencies." in text


def test_an_edit_that_moves_nothing_says_only_saved(login, manager, plan):
    client = login(manager)
    client.post(T1 + "edit/", _edit_form(plan["t1"], title="Design v2"))
    text = _text(client.get(T1))
    assert '<li class="message message--success">T-1 saved.</li>' in text


def test_a_forbidden_start_is_refused_beside_the_field(login, manager, plan):
    response = login(manager).post(
        T2 + "edit/", _edit_form(plan["t2"], start_date="2027-01-05", due_date="2027-01-08")
    )
    assert response.status_code == 200
    message = "T-2 cannot start then: it depends on T-1 (Finish to start, lag 0 days)."
    assert f'id="id_start_date_error">{message}' in _text(response)
    assert _fresh(plan["t2"]).start_date == day(7)


def test_a_stale_edit_is_refused_with_what_changed(login, manager, member, plan):
    started = _edit_form(plan["t1"], title="Mine")
    task_update(task=plan["t1"], by=member, version=started["version"], title="Member's title")
    response = login(manager).post(T1 + "edit/", started)
    assert response.status_code == 200
    text = _text(response)
    assert "Someone else saved this while you were editing" in text
    assert "member set title to “Member&#x27;s title”" in text
    assert f'name="version" value="{started["version"] + 1}"' in text
    assert 'value="Mine"' in text
    assert _fresh(plan["t1"]).title == "Member's title"


# -- one task ------------------------------------------------------------------------------


def test_the_task_page_shows_everything_about_it(login, manager, plan):
    comment_create(
        target=plan["t1"],
        project=plan["t1"].project,
        by=manager,
        body="On **it**",
        client_visible=False,
    )
    text = _text(login(manager).get(T1))
    assert '<span class="key">T-1</span> Design' in text
    assert "Read <strong>this</strong>" in text
    assert "<script>alert" not in text  # the description is sanitised markdown
    assert 'href="/p/OWN/requirements/REQ-1/"' in text
    assert 'href="/p/OWN/milestones/M-1/"' in text
    assert 'href="/p/OWN/tasks/T-3/"><span class="key">T-3</span> Loose end' in text  # sub-task
    # T-1 blocks T-2, with a button to remove the link.
    assert 'href="/p/OWN/tasks/T-2/"><span class="key">T-2</span> Build' in text
    assert f'action="/p/OWN/dependencies/{plan["link"].pk}/delete/"' in text
    assert "Finish to start" in text
    assert 'action="/p/OWN/tasks/T-1/dependencies/"' in text
    assert "On <strong>it</strong>" in text
    assert 'action="/p/OWN/tasks/T-1/delete/"' in text
    assert "created" in text  # recent activity


def test_the_successor_page_shows_what_it_waits_for(login, manager, plan):
    text = _text(login(manager).get(T2))
    assert 'href="/p/OWN/tasks/T-1/"><span class="key">T-1</span> Design' in text
    assert "It waits for no other task." not in text
    assert "No other task waits for it." in text


def test_the_sub_task_page_links_its_parent(login, manager, plan):
    assert 'href="/p/OWN/tasks/T-1/"><span class="key">T-1</span> Design' in _text(
        login(manager).get(T3)
    )


def test_observers_see_no_edit_controls(login, observer, plan):
    text = _text(login(observer).get(T1))
    for control in ("/edit/", "/delete/", "/dependencies/", "/status/", 'name="body"'):
        assert control not in text, control


# -- status, delete, comments ---------------------------------------------------------------


def test_a_status_change_goes_back_to_the_page_it_came_from(login, manager, plan):
    client = login(manager)
    response = client.post(
        T3 + "status/",
        {"status": "in_progress", "version": _fresh(plan["t3"]).version, "next": T3},
    )
    assert response["Location"] == T3
    assert _fresh(plan["t3"]).status == "in_progress"
    assert "T-3 is now In progress." in _text(client.get(T3))
    assert _fresh(plan["t1"]).status == "in_progress"  # its parent, rolled up


def test_a_parents_status_change_is_refused_with_why(login, manager, plan):
    client = login(manager)
    page = _text(client.get(T1))
    assert "Its status and progress follow its sub-tasks." in page
    assert 'action="/p/OWN/tasks/T-1/status/"' not in page  # no form for what it cannot do
    response = client.post(
        T1 + "status/", {"status": "done", "version": _fresh(plan["t1"]).version, "next": T1}
    )
    assert response["Location"] == T1
    assert "status and progress follow its sub-tasks" in _text(client.get(T1))
    assert _fresh(plan["t1"]).status == "todo"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_a_status_change_never_goes_to_another_site(login, manager, plan, target):
    response = login(manager).post(T1 + "status/", {"status": "done", "next": target})
    assert response["Location"] == "/p/OWN/board/"


def test_a_status_change_from_a_stale_page_is_refused(login, manager, member, plan):
    version = _fresh(plan["t1"]).version
    task_update(task=plan["t1"], by=member, version=version, title="Changed")
    client = login(manager)
    client.post(T1 + "status/", {"status": "done", "version": version, "next": T1})
    assert _fresh(plan["t1"]).status == "todo"
    assert "Someone else saved this while you were editing" in _text(client.get(T1))


def test_deleting_a_task(login, manager, plan):
    client = login(manager)
    response = client.post(T3 + "delete/", {"version": _fresh(plan["t3"]).version})
    assert response["Location"] == LIST
    assert not Task.objects.filter(key="T-3").exists()
    assert "T-3 deleted." in _text(client.get(LIST))


def test_a_task_the_client_sees_is_not_deleted(login, manager, plan):
    task_update(
        task=plan["t3"], by=manager, version=_fresh(plan["t3"]).version, client_visible=True
    )
    client = login(manager)
    response = client.post(T3 + "delete/", {"version": _fresh(plan["t3"]).version})
    assert response["Location"] == T3
    assert "The client has seen this task, so it stays on record." in _text(client.get(T3))
    assert Task.objects.filter(key="T-3").exists()


@pytest.mark.parametrize("version", ["", "1"])
def test_a_delete_without_the_current_version_is_refused(login, manager, member, plan, version):
    task_update(task=plan["t3"], by=member, version=1, title="Changed")  # now version 2
    client = login(manager)
    response = client.post(T3 + "delete/", {"version": version})
    assert response["Location"] == T3
    assert Task.objects.filter(key="T-3").exists()


def test_comments_on_a_task(login, member, plan):
    client = login(member)
    response = client.post(T1 + "comments/", {"body": "Started **today**"})
    assert response["Location"] == T1 + "#comments"
    comment = Comment.objects.get()
    assert (comment.target, comment.author, comment.client_visible) == (plan["t1"], member, False)
    client.post(T1 + "comments/", {"body": "  "})
    assert Comment.objects.count() == 1
    assert "Write something before posting." in _text(client.get(T1))


# -- dependencies -----------------------------------------------------------------------------


def test_adding_a_dependency_moves_the_successor_and_says_so(login, manager, plan):
    task_update(task=plan["t3"], by=manager, version=1, start_date=day(2), due_date=day(3))
    client = login(manager)
    response = client.post(
        T3 + "dependencies/", {"predecessor": "t-1", "kind": "FS", "lag_days": "1"}
    )
    assert response["Location"] == T3 + "#dependencies"
    link = Dependency.objects.get(successor=plan["t3"])
    assert (link.predecessor, link.kind, link.lag_days) == (plan["t1"], "FS", 1)
    assert _fresh(plan["t3"]).start_date == day(8)
    assert "T-3 now waits for T-1 (Finish to start). 1 task moved to respect it." in _text(
        client.get(T3)
    )


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        (T2, {"predecessor": "T-1", "kind": "FS"}, "These two tasks are already linked."),
        (T1, {"predecessor": "T-2", "kind": "FS"}, "This would make a loop: T-"),
        (T3, {"predecessor": "T-99", "kind": "FS"}, "There is no task T-99 in this project."),
        (T3, {"predecessor": "", "kind": "FS"}, "Type the key of the task it waits for, e.g. T-3."),
        (T3, {"predecessor": "T-3", "kind": "FS"}, "A task cannot depend on itself."),
        (T3, {"predecessor": "T-1", "kind": "XX"}, "Select a valid choice."),
        (T3, {"predecessor": "T-1", "kind": "FS", "lag_days": "999"}, "at most 365 either way."),
    ],
)
def test_a_refused_dependency_says_why(login, manager, plan, url, data, message):
    client = login(manager)
    response = client.post(url + "dependencies/", data)
    assert response.status_code == 302
    assert message in _text(client.get(url)).replace("&#x27;", "'")
    assert Dependency.objects.count() == 1


def test_a_loop_is_refused_naming_it(login, manager, plan):
    client = login(manager)
    client.post(T3 + "dependencies/", {"predecessor": "T-2", "kind": "FS", "lag_days": "0"})
    client.post(T1 + "dependencies/", {"predecessor": "T-3", "kind": "FS", "lag_days": "0"})
    assert "This would make a loop: T-1 → T-2 → T-3 → T-1." in _text(client.get(T1))
    assert Dependency.objects.count() == 2


def test_a_task_of_another_project_cannot_be_a_predecessor(login, manager, plan, foreign_project):
    for _ in range(5):
        task_create(project=foreign_project, by=foreign_project.manager, title="Theirs")
    client = login(manager)
    client.post(T3 + "dependencies/", {"predecessor": "T-5", "kind": "FS"})
    assert "There is no task T-5 in this project." in _text(client.get(T3))
    assert Dependency.objects.count() == 1


def test_removing_a_dependency(login, manager, plan):
    client = login(manager)
    response = client.post(f"/p/OWN/dependencies/{plan['link'].pk}/delete/")
    assert response["Location"] == T2 + "#dependencies"
    assert not Dependency.objects.exists()
    assert "T-2 no longer waits for T-1." in _text(client.get(T2))


def test_a_dependency_of_another_project_is_not_found(login, manager, plan, foreign_project):
    boss = foreign_project.manager
    one = task_create(project=foreign_project, by=boss, title="One")
    two = task_create(project=foreign_project, by=boss, title="Two")
    theirs = dependency_create(project=foreign_project, by=boss, predecessor=one, successor=two)
    client = login(manager)
    assert client.post(f"/p/OWN/dependencies/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"/p/FOREIGN/dependencies/{theirs.pk}/delete/").status_code == 404
    assert Dependency.objects.filter(pk=theirs.pk).exists()


# -- a fixed number of queries ------------------------------------------------------------------


@pytest.mark.parametrize("per_page", [25, 100])
@pytest.mark.parametrize("headers", [{}, HTMX])
def test_the_list_runs_a_fixed_number_of_queries(
    login, manager, project, per_page, headers, django_assert_max_num_queries, count_queries
):
    client = login(manager)
    url = f"{LIST}?per_page={per_page}"
    filtered = url + "&q=Task&milestone=M-1&sort=due"
    bulk_tasks(project, 3)  # fewer rows than a page: a per-row query would show
    client.get(url)  # warm the caches (content types, session)
    small = count_queries(client, url, headers)
    small_filtered = count_queries(client, filtered, headers)
    bulk_tasks(project, 250)
    with django_assert_max_num_queries(12):
        large = count_queries(client, url, headers)
    assert small == large
    assert client.get(url).content.decode().count('class="key" href=') == per_page
    with django_assert_max_num_queries(12):
        assert count_queries(client, filtered, headers) == small_filtered


def test_the_task_page_runs_a_fixed_number_of_queries(
    login, manager, project, django_assert_max_num_queries, count_queries
):
    client = login(manager)
    hub = task_create(
        project=project, by=manager, title="Hub", start_date=day(20), due_date=day(21)
    )
    client.get(T1)

    def grow(n: int) -> None:
        for task in bulk_tasks(project, n):
            Task.objects.filter(pk=task.pk).update(parent=hub)
            if task.start_date:
                Dependency.objects.create(project=project, predecessor=task, successor=hub)
            else:
                Dependency.objects.create(project=project, predecessor=hub, successor=task)
        for person in make_teammates(project, n // 4 + 1):
            comment_create(target=hub, project=project, by=person, body="Hi", client_visible=False)
            task_update(
                task=hub, by=person, version=_fresh(hub).version, title=f"Hub {next(_serial)}"
            )

    grow(4)
    small = count_queries(client, T1)
    grow(40)
    with django_assert_max_num_queries(15):
        large = count_queries(client, T1)
    assert small == large


def test_the_edit_form_runs_a_fixed_number_of_queries(
    login, manager, plan, project, django_assert_max_num_queries, count_queries
):
    client = login(manager)
    client.get(T1 + "edit/")
    bulk_tasks(project, 5)
    small = count_queries(client, T1 + "edit/")
    bulk_tasks(project, 50)
    for index in range(2, 12):
        requirement = requirement_create(project=project, by=manager, title=f"R{index}")
        plan["t1"].requirements.add(requirement)
    with django_assert_max_num_queries(12):
        large = count_queries(client, T1 + "edit/")
    assert small == large


# -- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_changing_a_date_shows_what_would_move_before_saving(page, manager, plan):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(T1 + "edit/")
    page.get_by_label("Start").fill("2027-01-11")
    page.get_by_label("Due", exact=True).fill("2027-01-15")
    page.get_by_label("Due", exact=True).dispatch_event("change")
    preview = page.locator("#schedule-preview")
    expect(preview).to_contain_text("Saving this moves 1 other task:")
    expect(preview).to_contain_text("T-2 Build")
    assert _fresh(plan["t2"]).start_date == day(7)  # nothing saved yet
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("1 other task moved")
    assert _fresh(plan["t2"]).start_date == day(14)
