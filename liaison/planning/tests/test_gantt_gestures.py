"""The Gantt's gestures (issue 18): a bar dragged or moved with the arrow keys asks
GET …/move/ what else moves, then POSTs the dates to save them in one transaction.
Who may, what is refused and why, and that the chart carries what the script needs."""

import datetime as dt

import pytest

from conftest import TODAY
from liaison.core.models import Activity
from liaison.planning.models import Dependency, Milestone, Task
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.tasks import task_update
from liaison.planning.tests.factories import make_milestone, make_task

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 1, 4)
URL = "/p/OWN/plan/tasks/{key}/move/"


@pytest.fixture
def chain(project, manager):
    """T-1 (Mon–Fri) holds up T-2 (the next week), finish to start."""
    first = make_task(
        project, title="Survey", start_date=MONDAY, due_date=MONDAY + dt.timedelta(days=4)
    )
    second = make_task(
        project,
        title="Cabling",
        start_date=MONDAY + dt.timedelta(days=7),
        due_date=MONDAY + dt.timedelta(days=11),
    )
    dependency_create(project=project, by=manager, predecessor=first, successor=second)
    first.refresh_from_db()
    return first, second


def week_later(task: Task) -> dict:
    return {
        "start_date": (task.start_date + dt.timedelta(days=7)).isoformat(),
        "due_date": (task.due_date + dt.timedelta(days=7)).isoformat(),
    }


def test_the_preview_lists_the_successor_and_carries_the_form_that_saves(login, manager, chain):
    first, second = chain
    response = login(manager).get(URL.format(key="T-1"), week_later(first))
    assert response.status_code == 200
    html = response.content.decode()
    assert "T-2" in html and "Cabling" in html  # what else moves
    assert f'name="version" value="{first.version}"' in html
    assert 'name="start_date" value="2027-01-11"' in html
    second.refresh_from_db()
    assert second.start_date == MONDAY + dt.timedelta(days=7)  # nothing saved yet


def test_confirming_saves_both_moves_and_records_them(login, manager, chain):
    first, second = chain
    response = login(manager).post(
        URL.format(key="T-1"), {**week_later(first), "version": first.version}
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "plan-changed"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.start_date == MONDAY + dt.timedelta(days=7)
    assert second.start_date == MONDAY + dt.timedelta(days=14)
    verbs = set(Activity.objects.filter(project=first.project).values_list("verb", flat=True))
    assert {"updated", "rescheduled"} <= verbs


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("member", 200), ("observer", 403), ("client_user", 404)],
)
def test_who_may_move_a_bar(request, login, chain, role, status):
    first, _second = chain
    http = login(request.getfixturevalue(role))
    assert http.get(URL.format(key="T-1"), week_later(first)).status_code == status
    answer = http.post(URL.format(key="T-1"), {**week_later(first), "version": first.version})
    assert answer.status_code == status
    first.refresh_from_db()
    moved = first.start_date == MONDAY + dt.timedelta(days=7)
    assert moved is (status == 200)


def test_a_stale_bar_is_refused_with_what_changed(login, manager, member, chain):
    first, _second = chain
    task_update(task=first, by=member, version=first.version, progress=40)  # meanwhile
    response = login(manager).post(
        URL.format(key="T-1"), {**week_later(first), "version": first.version}
    )
    assert "Someone else saved this" in response.content.decode()
    first.refresh_from_db()
    assert first.start_date == MONDAY


def test_a_task_of_an_accepted_milestone_is_locked(login, manager, project, chain):
    first, _second = chain
    milestone = make_milestone(project)
    Task.objects.filter(pk=first.pk).update(milestone=milestone)
    Milestone.objects.filter(pk=milestone.pk).update(status=Milestone.Status.ACCEPTED)
    http = login(manager)
    preview = http.get(URL.format(key="T-1"), week_later(first)).content.decode()
    assert "which the client accepted: its dates are locked" in preview
    assert 'name="version"' not in preview  # nothing to confirm
    saved = http.post(URL.format(key="T-1"), {**week_later(first), "version": first.version})
    assert "which the client accepted: its dates are locked" in saved.content.decode()
    first.refresh_from_db()
    assert first.start_date == MONDAY


def test_a_loop_is_refused_naming_its_tasks(login, manager, project, chain):
    first, second = chain
    # A loop the services would refuse, as an old import could have left it.
    Dependency.objects.create(project=project, predecessor=second, successor=first)
    preview = login(manager).get(URL.format(key="T-1"), week_later(first)).content.decode()
    assert "This would make a loop" in preview and "T-1" in preview


def test_a_start_its_predecessor_forbids_is_refused(login, manager, chain):
    early = {"start_date": MONDAY.isoformat(), "due_date": MONDAY.isoformat()}
    preview = login(manager).get(URL.format(key="T-2"), early).content.decode()
    assert "T-2 cannot start then: it depends on T-1" in preview


def test_dates_missing_ask_for_them(login, manager, chain):
    preview = login(manager).get(URL.format(key="T-1"), {"start_date": "soon"})
    assert preview.status_code == 200
    assert "Give a start and a due date" in preview.content.decode()


def test_the_chart_carries_the_axis_and_each_bar_its_dates(login, manager, chain):
    html = login(manager).get("/p/OWN/plan/").content.decode()
    assert 'data-gantt-gesture="/p/OWN/plan/tasks/"' in html
    assert 'data-first="' in html and 'data-ppd="6"' in html
    assert 'data-start="2027-01-04" data-due="2027-01-08"' in html
    assert '<g class="g-top">' in html and '<g class="g-left">' in html
    # a title beside its bar, never only in the clipped column
    assert '<text class="g-blabel"' in html


def test_an_observer_sees_bars_that_do_not_drag(login, observer, chain):
    html = login(observer).get("/p/OWN/plan/").content.decode()
    assert "data-gantt-gesture" not in html


def test_the_phone_list_holds_the_next_weeks_bars(login, manager, project, chain):
    # Built from the pinned day (conftest TODAY): a task running now, one far later.
    start = TODAY - dt.timedelta(days=2)
    running = make_task(
        project, title="Now running", start_date=start, due_date=TODAY + dt.timedelta(days=9)
    )
    later = TODAY + dt.timedelta(days=200)
    make_task(project, title="Next year", start_date=later, due_date=later)
    html = login(manager).get("/p/OWN/plan/").content.decode()
    listed = html[html.index('class="gantt-list"') :]
    listed = listed[: listed.index("</section>")]
    assert "Now running" in listed and start.isoformat() in listed
    assert f'<a href="/p/OWN/tasks/{running.key}/">' in listed  # each bar leads to its task
    assert "Next year" not in listed


# -- the exports: PNG, and a PDF a page per N weeks with the legend --------------------


def test_the_pdf_has_a_page_per_four_weeks_with_the_legend(login, manager, project, pdf_text):
    for week in range(10):  # ten weekly tasks: three four-week pages
        start = MONDAY + week * dt.timedelta(days=7)
        make_task(
            project, title=f"Stage {week}", start_date=start, due_date=start + dt.timedelta(days=2)
        )
    response = login(manager).get("/p/OWN/plan/gantt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert text.count("\f") == 3  # pdftotext ends each page with a form feed
    assert "Critical path" in text and "Stage 0" in text and "Stage 9" in text
    assert "2027-01-04 – 2027-01-31" in text


def test_a_print_past_the_page_limit_is_refused_with_how_to_narrow_it(
    login, manager, project, monkeypatch
):
    for week in range(10):  # three four-week pages, against a limit of two
        start = MONDAY + week * dt.timedelta(days=7)
        make_task(project, title=f"Stage {week}", start_date=start, due_date=start)
    monkeypatch.setattr("liaison.planning.gantt_export.MAX_PAGES", 2)
    monkeypatch.setattr("liaison.planning.views.gantt.MAX_PAGES", 2)
    http = login(manager)
    response = http.get("/p/OWN/plan/gantt.pdf?weeks=4&scale=day")
    assert response.status_code == 302
    assert response["Location"] == "/p/OWN/plan/?scale=day"
    page = http.get(response["Location"]).content.decode()
    assert "The print would be 3 pages, more than 2" in page


def test_the_png_is_a_picture_of_the_chart(login, manager, chain):
    response = login(manager).get("/p/OWN/plan/gantt.png?scale=day")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_an_unknown_export_is_not_found(login, manager, chain):
    assert login(manager).get("/p/OWN/plan/gantt.gif").status_code == 404


# -- a bar dropped on another: the link, its type chosen after --------------------------

LINK = "/p/OWN/plan/tasks/{key}/link/"


def test_a_drop_asks_the_type_then_links_and_pushes(login, manager, project, chain):
    _first, second = chain
    third = make_task(project, title="Handover", start_date=MONDAY, due_date=MONDAY)
    http = login(manager)
    asked = http.get(LINK.format(key="T-2"), {"successor": "T-3"}).content.decode()
    assert "T-3 will wait for T-2." in asked and 'name="kind"' in asked
    made = http.post(LINK.format(key="T-2"), {"successor": "T-3", "kind": "FS", "lag_days": ""})
    assert made["HX-Trigger"] == "plan-changed"
    assert "T-3 now waits for T-2" in made.content.decode()
    assert Dependency.objects.filter(predecessor=second, successor=third, kind="FS").exists()
    third.refresh_from_db()
    assert third.start_date > second.due_date  # pushed after its new predecessor


def test_a_link_that_would_loop_is_refused_on_the_chart(login, manager, chain):
    answer = login(manager).post(LINK.format(key="T-2"), {"successor": "T-1", "kind": "FS"})
    assert "This would make a loop" in answer.content.decode()
    assert "HX-Trigger" not in answer
    assert Dependency.objects.count() == 1


def test_a_drop_on_no_task_says_so(login, manager, chain):
    asked = login(manager).get(LINK.format(key="T-1"), {"successor": "T-99"}).content.decode()
    assert "Drop the bar on another task of this plan." in asked


@pytest.mark.parametrize("successor", ["T-2\x00", "t-2; drop", "T-" + "9" * 30])
def test_a_successor_that_is_no_key_is_no_task(login, manager, chain, successor):
    # PostgreSQL refuses a NUL byte in a query: the key's shape is checked first.
    answer = login(manager).post(LINK.format(key="T-1"), {"successor": successor, "kind": "FS"})
    assert "Drop the bar on another task of this plan." in answer.content.decode()
    assert Dependency.objects.count() == 1


@pytest.mark.parametrize(("role", "status"), [("observer", 403), ("client_user", 404)])
def test_who_may_not_link(request, login, chain, role, status):
    http = login(request.getfixturevalue(role))
    assert http.post(LINK.format(key="T-2"), {"successor": "T-1"}).status_code == status
