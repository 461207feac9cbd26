"""The team's status report pages: the list, a new report, one report as the
client will read it, its edit form, publishing, deleting a draft and comments,
per role, and what the pages cost in queries."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from conftest import TODAY
from liaison.changes.models import ChangeRequest
from liaison.collab.models import Comment
from liaison.communication.models import ActionItem, Interaction
from liaison.planning.models import Milestone, Task
from liaison.planning.services.tasks import task_create, task_transition
from liaison.reports.forms import last_weeks_monday
from liaison.reports.models import StatusReport
from liaison.reports.services import report_update
from liaison.reports.tests.factories import make_report

Status = StatusReport.Status
LIST = "/p/OWN/reports/"
NEW = LIST + "new/"


def _url(number: int, action: str = "") -> str:
    return f"{LIST}{number}/{action + '/' if action else ''}"


def _text(response) -> str:
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _this_week() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


# -- the list --------------------------------------------------------------------------


def test_list_shows_each_report_with_its_state(login, project, manager, client_user):
    monday = last_weeks_monday()
    make_report(project, manager, period_start=monday - dt.timedelta(weeks=2), title="Old")
    make_report(
        project,
        manager,
        period_start=monday - dt.timedelta(weeks=1),
        status=Status.ACKNOWLEDGED,
        acknowledged_by=client_user,
        health=StatusReport.Health.RED,
        title="Acked",
    )
    make_report(
        project,
        manager,
        period_start=monday,
        status=Status.PUBLISHED,
        health=StatusReport.Health.AMBER,
        title="Latest",
    )

    page = _main(_text(login(manager).get(LIST)))

    rows = re.findall(r"<tr>.*?</tr>", page[page.index("<tbody>") :], re.S)
    assert [re.search(r"</span> ([^<]+)</a>", row).group(1) for row in rows] == [
        "Latest",
        "Acked",
        "Old",
    ]
    assert "RPT-3" in rows[0] and "RPT-2" in rows[1] and "RPT-1" in rows[2]
    assert [re.findall(r"badge--(\w+)", row) for row in rows] == [
        ["amber", "amber"],  # at risk, published
        ["red", "green"],  # off track, acknowledged
        ["green", "grey"],  # on track, draft
    ]
    assert monday.isoformat() in rows[0]
    assert (monday + dt.timedelta(days=6)).isoformat() in rows[0]
    assert "manager" in rows[0] and "Waiting for the client" in rows[0]
    assert "client" in rows[1]  # acknowledged by
    assert "Published" not in rows[2] and "—" in rows[2]
    assert "New report" in page


def test_list_empty_state_says_what_to_do(login, project, manager, observer):
    page = _main(_text(login(manager).get(LIST)))
    assert "No status reports yet" in page
    assert f'href="{NEW}"' in page
    for_observer = _main(_text(login(observer).get(LIST)))
    assert "The project manager writes them." in for_observer
    assert NEW not in for_observer


def test_list_paginates(login, project, manager, settings):
    settings.PAGE_SIZE = 2
    for weeks in (2, 1, 0):  # RPT-3 is the newest period
        make_report(project, manager, period_start=last_weeks_monday() - dt.timedelta(weeks=weeks))
    http = login(manager)
    first = _main(_text(http.get(LIST)))
    assert "RPT-3" in first and "RPT-2" in first and "RPT-1" not in first
    assert "Page 1 of 2" in first
    second = _main(_text(http.get(LIST, {"page": 2})))
    assert "RPT-1" in second and "RPT-3" not in second


def _reports(project, manager, client_user, count: int, offset: int = 0) -> None:
    for n in range(offset, offset + count):
        start = last_weeks_monday() - dt.timedelta(weeks=n)
        if n % 2:
            make_report(
                project,
                manager,
                period_start=start,
                status=Status.ACKNOWLEDGED,
                acknowledged_by=client_user,
            )
        else:
            make_report(project, manager, period_start=start)


def test_list_query_count_does_not_grow(
    login, project, manager, client_user, django_assert_max_num_queries
):
    http = login(manager)
    _reports(project, manager, client_user, 2)
    with django_assert_max_num_queries(10) as small:
        assert http.get(LIST).status_code == 200
    _reports(project, manager, client_user, 18, offset=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert http.get(LIST).status_code == 200


# -- a new report ----------------------------------------------------------------------


def test_new_report_form_defaults_to_last_week(login, project, manager):
    page = _main(_text(login(manager).get(NEW)))
    assert re.search(r'<option value="weekly" selected>', page)
    assert f'value="{last_weeks_monday().isoformat()}"' in page
    assert 'name="title"' in page


def test_new_report_drafts_the_period_of_the_day_given(login, project, manager):
    day = dt.date(2026, 11, 18)  # a Wednesday
    response = login(manager).post(NEW, {"period": "weekly", "day": day.isoformat(), "title": ""})
    report = StatusReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(1)
    assert (report.period_start, report.period_end) == (
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 22),
    )
    assert report.title == "Week 47, 2026"
    assert report.status == Status.DRAFT
    assert "RPT-1 is drafted" in " ".join(_messages(response))


def test_new_monthly_report_with_a_title(login, project, manager):
    login(manager).post(NEW, {"period": "monthly", "day": "2026-11-18", "title": "November"})
    report = StatusReport.objects.get()
    assert (report.period_start, report.period_end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert report.title == "November"


def test_a_second_report_for_the_same_period_names_the_first(login, project, manager):
    make_report(project, manager, period_start=dt.date(2026, 11, 16), title="Week 47")
    response = login(manager).post(NEW, {"period": "weekly", "day": "2026-11-20", "title": ""})
    assert response.status_code == 200
    page = _main(_text(response))
    error = re.search(r'class="field__error" id="id_day_error">([^<]*)<', page).group(1)
    assert "RPT-1" in error
    assert f'href="{_url(1)}"' in page
    assert StatusReport.objects.count() == 1


def test_new_report_errors_sit_beside_their_fields(login, project, manager):
    response = login(manager).post(NEW, {"period": "daily", "day": "someday", "title": ""})
    assert response.status_code == 200
    page = _main(_text(response))
    assert 'id="id_period_error"' in page
    assert 'id="id_day_error">Write the date as 2026-11-16.' in page
    assert not StatusReport.objects.exists()


# -- one report ------------------------------------------------------------------------


def test_a_draft_shows_live_figures_and_the_managers_actions(login, project, manager, member):
    report = make_report(project, manager, period_start=_this_week(), summary="We *shipped*.")
    done = task_create(project=project, by=manager, title="Wire scanners", client_visible=True)
    task_transition(task=done, by=manager, status=Task.Status.DONE)
    task_create(project=project, by=manager, title="Print labels", client_visible=True)

    page = _main(_text(login(manager).get(_url(report.number))))

    assert "Draft" in page and "the client cannot see it yet; figures are live." in page
    assert "<em>shipped</em>" in page
    assert "1/2" in page  # tasks done
    assert "Wire scanners" in page  # completed in the period, client-visible
    assert "<svg" in page and "Tasks completed per week" in page
    assert f'action="{_url(1, "publish")}"' in page
    assert f'name="version" value="{report.version}"' in page
    assert f'href="{_url(1, "edit")}"' in page
    assert f'action="{_url(1, "delete")}"' in page
    assert 'href="/p/OWN/reports/1.pdf"' in page
    assert 'id="comments"' in page

    for_member = _main(_text(login(member).get(_url(report.number))))
    for action in ("publish", "edit", "delete"):
        assert _url(report.number, action) not in for_member
    assert 'href="/p/OWN/reports/1.pdf"' in for_member


def test_a_published_report_is_frozen(login, project, manager):
    report = make_report(project, manager, period_start=_this_week(), status=Status.PUBLISHED)
    done = task_create(project=project, by=manager, title="Late finisher", client_visible=True)
    task_transition(task=done, by=manager, status=Task.Status.DONE)

    page = _main(_text(login(manager).get(_url(report.number))))

    # Shown in the reader's time zone.
    when = timezone.localtime(report.published_at, zoneinfo.ZoneInfo(manager.time_zone))
    assert f"Published on {when:%Y-%m-%d %H:%M} by manager — frozen" in page
    assert "Late finisher" not in page  # done after publication
    assert "Waiting for the client to acknowledge it." in page
    for action in ("publish", "edit", "delete"):
        assert _url(report.number, action) not in page


def test_the_acknowledgement_shows_on_the_report(login, project, manager, client_user):
    report = make_report(
        project,
        manager,
        status=Status.ACKNOWLEDGED,
        acknowledged_by=client_user,
        acknowledgement="Thanks, **clear**.",
    )
    page = _main(_text(login(manager).get(_url(report.number))))
    assert "Acknowledged by client on" in page
    assert "<strong>clear</strong>" in page


def test_the_report_lists_milestones_changes_and_conversations(login, project, manager):
    start = _this_week()
    Milestone.objects.create(
        project=project, key="M-1", name="Pilot", due_date=start + dt.timedelta(days=3)
    )
    ChangeRequest.objects.create(
        project=project,
        key="CR-1",
        number=1,
        title="Add night shift",
        status=ChangeRequest.Status.AWAITING_CLIENT,
        client_visible=True,
        sent_at=timezone.now(),
    )
    Interaction.objects.create(
        project=project,
        key="COM-1",
        subject="Weekly call",
        kind="call",
        occurred_at=timezone.now(),
        client_visible=True,
    )
    report = make_report(project, manager, period_start=start, next_steps="Go *live*")

    page = _main(_text(login(manager).get(_url(report.number))))

    assert 'href="/p/OWN/milestones/M-1/"' in page and "Pilot" in page
    assert "Planned" in page
    assert "CR-1" in page and "Add night shift" in page and "Awaiting the client" in page
    assert 'href="/p/OWN/communication/COM-1/"' in page and "Weekly call" in page
    assert "<em>live</em>" in page
    assert "No concerns raised." in page


def test_user_text_is_escaped(login, project, manager):
    report = make_report(project, manager, title="<b>bold</b>", summary="<script>alert(1)</script>")
    page = _text(login(manager).get(_url(report.number)))
    assert "<script>alert(1)</script>" not in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def _project_data(project, manager, count: int, offset: int = 0) -> None:
    now = timezone.now()
    start = _this_week()
    Task.objects.bulk_create(
        Task(
            project=project,
            key=f"T-{n}",
            number=n,
            title=f"Task {n}",
            status=Task.Status.DONE,
            completed_at=now,
            client_visible=True,
        )
        for n in range(offset + 1, offset + count + 1)
    )
    for n in range(offset + 1, offset + count + 1):
        Milestone.objects.create(
            project=project, key=f"M-{n}", name=f"M {n}", due_date=start + dt.timedelta(days=2)
        )
        interaction = Interaction.objects.create(
            project=project,
            key=f"COM-{n}",
            subject=f"Call {n}",
            occurred_at=now,
            client_visible=True,
        )
        ActionItem.objects.create(
            project=project,
            key=f"ACT-{n}",
            interaction=interaction,
            title="t",
            owner=manager,
            client_visible=True,
        )
        Comment.objects.create(
            project=project,
            target=StatusReport.objects.get(),
            author=manager,
            body="b",
            body_html="<p>b</p>",
        )


def test_detail_query_count_does_not_grow(login, project, manager, django_assert_max_num_queries):
    make_report(project, manager, period_start=_this_week(), summary="s")
    http = login(manager)
    _project_data(project, manager, 2)
    # A draft's facts are live: each registered section's queries (the controls'
    # risks and problems came with three more, quality with three, earned value
    # with four).
    with django_assert_max_num_queries(32) as small:
        assert http.get(_url(1)).status_code == 200
    _project_data(project, manager, 18, offset=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = _text(http.get(_url(1)))
    assert "Task 20" in page and "Call 20" in page


# -- the edit form ---------------------------------------------------------------------


def test_edit_form_shows_the_suggested_health(login, project, manager):
    report = make_report(project, manager, period_start=_this_week())
    task_create(project=project, by=manager, title="Late", due_date=TODAY - dt.timedelta(3))
    page = _main(_text(login(manager).get(_url(report.number, "edit"))))
    assert '<option value="amber">At risk (suggested)</option>' in page
    assert "The figures suggest “At risk”." in page
    for name in ("summary", "next_steps", "concerns"):
        assert re.search(rf'<textarea name="{name}"', page)
    assert f'name="version" value="{report.version}"' in page


def test_edit_saves_the_narrative(login, project, manager):
    report = make_report(project, manager)
    response = login(manager).post(
        _url(report.number, "edit"),
        {
            "title": "Week of the pilot",
            "health": "amber",
            "summary": "Pilot **started**.",
            "next_steps": "Train",
            "concerns": "Scanner stock",
            "version": report.version,
        },
    )
    assert response.status_code == 302 and response["Location"] == _url(report.number)
    report.refresh_from_db()
    assert (report.title, report.health, report.summary) == (
        "Week of the pilot",
        "amber",
        "Pilot **started**.",
    )
    assert (report.next_steps, report.concerns) == ("Train", "Scanner stock")


def test_a_stale_edit_shows_what_changed(login, project, manager, owner):
    report = make_report(project, manager)
    started = report.version
    report_update(report=report, by=owner, version=started, summary="Owner's words")
    response = login(manager).post(
        _url(report.number, "edit"),
        {"title": "Mine", "health": "green", "summary": "Mine", "version": started},
    )
    assert response.status_code == 200
    page = _main(_text(response))
    assert "Someone else saved this while you were editing" in page
    assert "owner set summary to “Owner&#x27;s words”" in page
    assert f'name="version" value="{started + 1}"' in page
    report.refresh_from_db()
    assert report.summary == "Owner's words"


def test_a_published_report_cannot_be_edited(login, project, manager):
    report = make_report(project, manager, status=Status.PUBLISHED)
    response = login(manager).get(_url(report.number, "edit"))
    assert response.status_code == 302 and response["Location"] == _url(report.number)
    assert "stays as the client read it" in " ".join(_messages(response))


# -- publishing, deleting --------------------------------------------------------------


def test_publish_freezes_the_report(login, project, manager, client_user):
    report = make_report(project, manager, summary="Done a lot")
    response = login(manager).post(_url(report.number, "publish"), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED and report.published_by == manager
    assert report.data["period_start"] == report.period_start.isoformat()
    assert "RPT-1 is published" in " ".join(_messages(response))


def test_publish_without_a_summary_sends_the_manager_to_write_it(login, project, manager):
    report = make_report(project, manager)
    response = login(manager).post(_url(report.number, "publish"), {"version": report.version})
    assert response["Location"] == _url(report.number, "edit")
    assert "Write a summary before publishing." in _messages(response)
    assert StatusReport.objects.get().status == Status.DRAFT


def test_publish_from_a_stale_page_is_refused(login, project, manager):
    report = make_report(project, manager, summary="s")
    report_update(report=report, by=manager, version=report.version, summary="changed")
    response = login(manager).post(_url(report.number, "publish"), {"version": report.version})
    assert response["Location"] == _url(report.number)
    assert "Someone else saved this" in " ".join(_messages(response))
    assert StatusReport.objects.get().status == Status.DRAFT


def test_delete_a_draft(login, project, manager):
    report = make_report(project, manager)
    response = login(manager).post(_url(report.number, "delete"))
    assert response["Location"] == LIST
    assert not StatusReport.objects.exists()


def test_a_draft_changed_meanwhile_is_not_deleted_and_comments_go_with_a_draft(
    login, project, manager
):
    report = make_report(project, manager)
    http = login(manager)
    http.post(_url(report.number, "comments"), {"body": "Check the figures"})
    stale = http.post(_url(report.number, "delete"), {"version": report.version + 1})
    assert stale["Location"] == _url(report.number) and StatusReport.objects.exists()
    http.post(_url(report.number, "delete"), {"version": report.version})
    assert not StatusReport.objects.exists() and not Comment.objects.exists()


def test_a_draft_whose_figures_now_suggest_another_health_says_so(login, project, manager):
    report = make_report(project, manager, period_start=last_weeks_monday(), summary="Fine.")
    task_create(project=project, by=manager, title="Late", due_date=report.period_start)
    page = _main(_text(login(manager).get(_url(report.number))))
    assert "The figures now suggest “At risk”, but this report says “On track”." in page


def test_a_published_report_cannot_be_deleted(login, project, manager):
    report = make_report(project, manager, status=Status.PUBLISHED)
    response = login(manager).post(_url(report.number, "delete"))
    assert response["Location"] == _url(report.number)
    assert StatusReport.objects.exists()


# -- comments --------------------------------------------------------------------------


def test_a_member_comments(login, project, manager, member):
    report = make_report(project, manager)
    response = login(member).post(_url(report.number, "comments"), {"body": "Looks **right**"})
    assert response["Location"] == _url(report.number) + "#comments"
    comment = Comment.objects.get()
    assert comment.author == member and not comment.client_visible
    assert "<strong>right</strong>" in _text(login(member).get(_url(report.number)))


# -- who may do what -------------------------------------------------------------------


def _manage_requests(number: int) -> list[tuple[str, str, dict]]:
    return [
        ("get", NEW, {}),
        ("post", NEW, {"period": "weekly", "day": "2026-11-18"}),
        ("get", _url(number, "edit"), {}),
        ("post", _url(number, "edit"), {"title": "x", "health": "green", "version": 1}),
        ("post", _url(number, "publish"), {"version": 1}),
        ("post", _url(number, "delete"), {}),
    ]


def _read_requests(number: int) -> list[tuple[str, str, dict]]:
    return [
        ("get", LIST, {}),
        ("get", _url(number), {}),
        ("get", f"{LIST}{number}.pdf", {}),
    ]


@pytest.mark.parametrize("role", ["member", "observer"])
def test_the_team_reads_but_only_the_manager_manages(login, project, manager, role, request):
    report = make_report(project, manager, summary="s")
    http = login(request.getfixturevalue(role))
    for method, url, data in _read_requests(report.number):
        assert getattr(http, method)(url, data).status_code == 200, url
    for method, url, data in _manage_requests(report.number):
        assert getattr(http, method)(url, data).status_code == 403, (method, url)
    assert StatusReport.objects.get().status == Status.DRAFT


def test_an_observer_may_not_comment(login, project, manager, observer):
    report = make_report(project, manager)
    assert login(observer).post(_url(report.number, "comments"), {"body": "x"}).status_code == 403


@pytest.mark.parametrize("role", ["client", "outsider"])
def test_internal_pages_are_404_for_clients_and_outsiders(login, project, manager, role, request):
    user = request.getfixturevalue({"client": "client_user"}.get(role, role))
    report = make_report(project, manager, status=Status.PUBLISHED)
    http = login(user)
    requests = [
        *_read_requests(report.number),
        *_manage_requests(report.number),
        ("post", _url(report.number, "comments"), {"body": "x"}),
    ]
    for method, url, data in requests:
        assert getattr(http, method)(url, data).status_code == 404, (method, url)


def test_another_projects_reports_are_404(login, project, manager, foreign_project):
    make_report(foreign_project, foreign_project.manager)
    http = login(manager)
    assert http.get("/p/FOREIGN/reports/").status_code == 404
    assert http.get("/p/FOREIGN/reports/1/").status_code == 404
    assert http.get(_url(1)).status_code == 404  # not a report of OWN


def test_anonymous_is_sent_to_sign_in(client, project, manager):
    make_report(project, manager)
    response = client.get(_url(1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
