"""The team's milestone pages: the list, one milestone, its form, its moves,
the submission and the acceptance PDF, per role, and what they cost in queries."""

import datetime as dt
import http.server
import itertools
import re
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import TODAY, free_port
from liaison.planning.models import Milestone, MilestoneReview, Task
from liaison.planning.pdf import milestone_pdf_bytes, milestone_pdf_html
from liaison.planning.services.milestones import (
    milestone_decide,
    milestone_submit,
    milestone_transition,
    milestone_update,
)
from liaison.planning.services.plan import plan_baseline_create
from liaison.planning.services.tasks import task_create, task_transition
from liaison.planning.tests.factories import (
    DUE,
    make_milestone,
    reject_milestone,
    submit_milestone,
    submitted_milestone,
)
from liaison.projects.access import TEAM
from liaison.projects.tests.factories import make_teammates

Status = Milestone.Status
LIST = "/p/OWN/milestones/"
DETAIL = "/p/OWN/milestones/M-1/"
MET = {"met": True, "comment": ""}
_serial = itertools.count()


def _text(response) -> str:
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _messages(client) -> str:
    return _text(client.get(LIST))


# -- the list --------------------------------------------------------------------------


def test_list_shows_each_milestone_with_its_state(login, project, manager, client_user):
    late = make_milestone(project, name="Late one", due_date=TODAY - dt.timedelta(1))
    task_create(project=project, by=manager, title="A", milestone=late)
    done = task_create(project=project, by=manager, title="B", milestone=late)
    task_transition(task=done, by=manager, status=Task.Status.DONE)
    submitted_milestone(project, name="Awaiting")
    accepted = submitted_milestone(project, name="Accepted one")
    milestone_decide(milestone=accepted, by=client_user, accept=True, verdicts=[MET, MET])
    make_milestone(project, name="Hidden", client_visible=False)

    page = _text(login(manager).get(LIST))

    rows = re.findall(r"<tr>.*?</tr>", page[page.index("<tbody>") :], re.S)
    names = [re.search(r"</span> ([^<]+)</a>", row).group(1) for row in rows]
    assert names == ["Late one", "Awaiting", "Accepted one", "Hidden"]
    assert [re.findall(r"badge--(\w+)\">(?!Internal)", row)[0] for row in rows] == [
        "grey",
        "amber",
        "green",
        "grey",
    ]
    assert 'class="overdue"' in rows[0] and "overdue" not in rows[1]
    assert "1/2" in rows[0] and 'value="50"' in rows[0]
    assert "No tasks" in rows[1]
    assert "Internal" in rows[3] and "Internal" not in rows[2]
    assert "New milestone" in page
    assert "1 milestone is awaiting the client" in page


def test_list_shows_the_variance_against_the_latest_plan_baseline(login, project, manager):
    task_create(project=project, by=manager, title="A", start_date=DUE, due_date=DUE)
    first = make_milestone(project, name="Slipped")
    make_milestone(project, name="Pulled in")
    page = _text(login(manager).get(LIST))
    assert "Freeze a plan baseline" in page

    plan_baseline_create(project=project, by=manager, name="Kick-off")
    # Monday → Thursday: three working days late.
    milestone_update(
        milestone=first, by=manager, version=first.version, due_date=DUE + dt.timedelta(3)
    )
    second = Milestone.objects.get(key="M-2")
    # Monday → the Friday before: one working day early.
    milestone_update(
        milestone=second, by=manager, version=second.version, due_date=DUE - dt.timedelta(3)
    )
    make_milestone(project, name="Added later")

    page = _text(login(manager).get(LIST))
    rows = re.findall(r"<tr>.*?</tr>", page[page.index("<tbody>") :], re.S)
    by_name = {re.search(r"</span> ([^<]+)</a>", row).group(1): row for row in rows}
    assert re.search(r'variance--late"[^>]*>\+3 d<', by_name["Slipped"])
    assert re.search(r'variance--early"[^>]*>−1 d<', by_name["Pulled in"])
    assert "Not in the plan baseline" in by_name["Added later"]
    assert "Variance against plan baseline 1 “Kick-off”" in page


@pytest.mark.parametrize("role", ["member", "observer"])
def test_the_team_reads_the_list_but_only_managers_add(login, project, role, request):
    make_milestone(project)
    client = login(request.getfixturevalue(role))
    page = _text(client.get(LIST))
    assert "Pilot" in page
    assert "New milestone" not in page
    assert client.get("/p/OWN/milestones/new/").status_code == 403


@pytest.mark.parametrize("role", ["client_user", "outsider"])
def test_client_users_and_outsiders_get_404(login, project, role, request):
    make_milestone(project)
    client = login(request.getfixturevalue(role))
    for url in (LIST, DETAIL, "/p/OWN/milestones/M-1.pdf", "/p/OWN/milestones/new/"):
        assert client.get(url).status_code == 404, url


def test_an_empty_list_says_what_to_do(login, project, manager):
    page = _text(login(manager).get(LIST))
    assert "No milestones yet" in page
    assert 'href="/p/OWN/milestones/new/"' in page


# -- the form --------------------------------------------------------------------------


def test_manager_creates_a_milestone(login, project, manager):
    client = login(manager)
    response = client.post(
        "/p/OWN/milestones/new/",
        {
            "name": "Pilot",
            "due_date": "2031-02-03",
            "description": "**Pilot** site",
            "deliverables": "Report | https://docs.liaison.test/r\nSlides",
            "criteria": "Scans work\nLabels print",
            "client_visible": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    milestone = Milestone.objects.get()
    assert milestone.deliverables == [
        {"title": "Report", "url": "https://docs.liaison.test/r"},
        {"title": "Slides", "url": ""},
    ]
    assert milestone.criteria == ["Scans work", "Labels print"]
    assert "M-1 created." in _text(client.get(DETAIL))


def test_a_refused_form_says_why_beside_the_field(login, project, manager):
    client = login(manager)
    response = client.post("/p/OWN/milestones/new/", {})
    assert response.status_code == 200
    page = _text(response)
    assert "A milestone needs a name." in page
    assert "Give the milestone a due date." in page

    response = client.post(
        "/p/OWN/milestones/new/",
        {"name": "Pilot", "due_date": "2031-02-03", "deliverables": "Doc | javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert re.search(r"field--error.*?must start with http:// or https://", _text(response), re.S)
    assert "javascript:alert(1)" in _text(response)  # what was typed stays, escaped in a textarea
    assert not Milestone.objects.exists()


def test_members_may_not_create_or_edit(login, project, member):
    make_milestone(project)
    client = login(member)
    assert client.post("/p/OWN/milestones/new/", {"name": "x"}).status_code == 403
    assert client.get(DETAIL + "edit/").status_code == 403
    assert client.post(DETAIL + "edit/", {"name": "x"}).status_code == 403
    assert client.post(DETAIL + "status/", {"status": "in_progress"}).status_code == 403
    assert client.post(DETAIL + "submit/").status_code == 403
    assert client.post(DETAIL + "delete/").status_code == 403
    assert Milestone.objects.get().status == Status.PLANNED


def test_edit_shows_the_stale_edit_and_the_current_version(login, project, manager, owner):
    milestone = make_milestone(project)
    form = {"name": "Mine", "due_date": "2031-02-03", "criteria": "Scans work", "version": 1}
    login(owner).post(DETAIL + "edit/", {**form, "name": "Theirs"})
    response = login(manager).post(DETAIL + "edit/", form)
    assert response.status_code == 200
    page = _text(response)
    assert "Someone else saved this while you were editing" in page
    assert "Theirs" in page
    assert 'name="version" value="2"' in page
    milestone.refresh_from_db()
    assert milestone.name == "Theirs"
    # Saving again, on purpose, from the current version works.
    response = login(manager).post(DETAIL + "edit/", {**form, "version": 2})
    assert response.status_code == 302


def test_criteria_are_frozen_on_the_form_while_the_client_judges(login, project, manager):
    submitted_milestone(project)
    client = login(manager)
    page = _text(client.get(DETAIL + "edit/"))
    assert re.search(r'<textarea name="criteria"[^>]*disabled', page)
    assert "Frozen while the client judges" in page
    response = client.post(
        DETAIL + "edit/",
        {"name": "Pilot site", "due_date": "2031-02-10", "criteria": "Changed", "version": 2},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.name, milestone.criteria) == ("Pilot site", ["Scans work", "Labels print"])


def test_delete_goes_back_to_the_list_or_says_why_not(login, project, manager):
    make_milestone(project, client_visible=False)
    submitted_milestone(project, name="Asked")
    client = login(manager)
    response = client.post(DETAIL + "delete/")
    assert response.status_code == 302 and response["Location"] == LIST
    assert "M-1 deleted." in _messages(client)

    response = client.post("/p/OWN/milestones/M-2/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/p/OWN/milestones/M-2/"
    assert "its record stays" in _text(client.get(response["Location"]))
    assert list(Milestone.objects.values_list("key", flat=True)) == ["M-2"]


# -- one milestone ---------------------------------------------------------------------


def test_detail_shows_deliverables_criteria_and_tasks(login, project, manager, member):
    milestone = make_milestone(
        project,
        description="See **the plan**",
        deliverables="Report | https://docs.liaison.test/r?a=1&b=2\nSlides",
    )
    task = task_create(
        project=project, by=manager, title="Wire scanners", milestone=milestone, assignee=member
    )
    task_create(project=project, by=manager, title="Not in it")
    page = _main(_text(login(manager).get(DETAIL)))
    assert "<strong>the plan</strong>" in page
    assert (
        '<a href="https://docs.liaison.test/r?a=1&amp;b=2" rel="noopener noreferrer" '
        'target="_blank">Report</a>'
    ) in page
    assert "<li>Slides</li>" in page
    assert "<li>Scans work</li>" in page
    assert f'href="/p/OWN/tasks/{task.key}/"' in page and "Wire scanners" in page
    assert "Not in it" not in page
    assert "member" in page  # the assignee
    assert "not been submitted for acceptance yet" in page


def test_detail_lists_at_most_100_tasks_and_links_to_all(login, project, manager):
    milestone = make_milestone(project)
    Task.objects.bulk_create(
        Task(project=project, key=f"T-{n}", number=n, title=f"Task {n}", milestone=milestone)
        for n in range(1, 103)
    )
    page = _main(_text(login(manager).get(DETAIL)))
    assert page.count('href="/p/OWN/tasks/T-') == 100
    assert 'href="/p/OWN/tasks/?milestone=M-1"' in page
    assert "See all 102 tasks" in page


def test_manager_actions_follow_the_status(login, project, manager, member, client_user):
    make_milestone(project)
    page = _text(login(manager).get(DETAIL))
    assert "Submit for acceptance" in page and "Start work" in page
    assert "Acceptance PDF" in page
    for_member = _text(login(member).get(DETAIL))
    assert "Submit for acceptance" not in for_member and "Start work" not in for_member
    assert "Acceptance PDF" in for_member

    submit_milestone(Milestone.objects.get())
    page = _text(login(manager).get(DETAIL))
    assert "Withdraw submission" in page and "Submit for acceptance" not in page

    reject_milestone(Milestone.objects.get(), by=client_user)
    page = _text(login(manager).get(DETAIL))
    assert "Reopen" in page and "Submit for acceptance" in page


def test_the_acceptance_record_shows_every_round_newest_first(login, project, manager, client_user):
    milestone = submitted_milestone(project)
    reject_milestone(milestone, by=client_user)
    milestone_submit(milestone=milestone, by=manager, note="Fixed the labels")
    milestone = Milestone.objects.get()
    milestone_decide(
        milestone=milestone, by=client_user, accept=True, verdicts=[MET, MET], ip="203.0.113.5"
    )

    page = _main(_text(login(manager).get(DETAIL)))
    record = page[page.index('id="acceptance"') :]
    assert record.index("Round 2") < record.index("Round 1")
    assert "Fixed the labels" in record
    assert "✗ Not met" in record and "Labels smudge" in record
    assert record.count("✓ Met") == 3
    assert "Accepted by client on" in record and "Rejected by client on" in record
    # The team sees where each decision came from.
    assert "203.0.113.5" in record and "198.51.100.7" in record
    # The latest round was accepted: no rejection banner.
    assert "The client rejected this milestone" not in page


def test_a_rejection_is_shown_prominently_to_the_team(login, project, manager, client_user):
    reject_milestone(submitted_milestone(project), by=client_user, comment="Nearly there")
    page = _main(_text(login(manager).get(DETAIL)))
    banner = page[page.index("The client rejected this milestone") : page.index("grid-2")]
    assert "Labels print" in banner and "Labels smudge" in banner
    assert "Nearly there" in banner
    assert "Scans work" not in banner  # met: not a reason


def test_submit_asks_the_client_or_says_why_not(login, project, manager, client_user):
    make_milestone(project, criteria=[])
    client = login(manager)
    response = client.post(DETAIL + "submit/", {"note": "Ready", "version": "1"})
    assert response.status_code == 302 and response["Location"] == DETAIL
    assert "Write the acceptance criteria before submitting" in _text(client.get(DETAIL))
    assert Milestone.objects.get().status == Status.PLANNED

    make_milestone(project, name="Second")
    response = client.post("/p/OWN/milestones/M-2/submit/", {"note": "Please check"})
    assert response.status_code == 302
    page = _text(client.get("/p/OWN/milestones/M-2/"))
    assert "M-2 is submitted for acceptance (round 1)" in page
    assert MilestoneReview.objects.get().note == "Please check"


def test_a_nul_in_the_note_to_the_client_is_refused(login, project, manager):
    """Found by the form fuzz on PostgreSQL, which cannot store a NUL (a server error)."""
    make_milestone(project)
    client = login(manager)
    response = client.post(DETAIL + "submit/", {"note": "Ready\x00", "version": "1"})
    assert response.status_code == 302
    assert "NUL character" in _text(client.get(DETAIL))
    assert Milestone.objects.get().status == Status.PLANNED


def test_status_moves_and_a_stale_page_is_refused(login, project, manager):
    make_milestone(project)
    client = login(manager)
    response = client.post(DETAIL + "status/", {"status": "in_progress", "version": "1"})
    assert response.status_code == 302
    assert Milestone.objects.get().status == Status.IN_PROGRESS
    assert "M-1 is now In progress." in _text(client.get(DETAIL))

    response = client.post(DETAIL + "status/", {"status": "planned", "version": "1"})
    assert "Someone else saved this" in _text(client.get(response["Location"]))
    response = client.post(DETAIL + "status/", {"status": "accepted", "version": "2"})
    assert "cannot be moved to Accepted" in _text(client.get(response["Location"]))
    assert Milestone.objects.get().status == Status.IN_PROGRESS


def test_withdrawing_from_the_page_marks_the_round(login, project, manager):
    submitted_milestone(project)
    client = login(manager)
    client.post(DETAIL + "status/", {"status": "in_progress", "version": "2"})
    assert MilestoneReview.objects.get().verdict == MilestoneReview.Verdict.WITHDRAWN
    assert "The team withdrew this submission" in _text(client.get(DETAIL))


# -- the PDF ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "observer"])
def test_the_team_downloads_the_acceptance_pdf(login, project, client_user, role, request):
    reject_milestone(submitted_milestone(project), by=client_user)
    response = login(request.getfixturevalue(role)).get("/p/OWN/milestones/M-1.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="OWN-M-1-acceptance.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_teams_pdf_keeps_the_address_of_each_decision(project, client_user):
    milestone = submitted_milestone(project)
    reject_milestone(milestone, by=client_user)
    html = milestone_pdf_html(Milestone.objects.get(), audience=TEAM)
    assert "198.51.100.7" in html
    assert "Labels smudge" in html
    assert "/p/OWN/milestones/M-1/" in html


def test_the_pdf_fetches_nothing_named_in_user_text(project):
    """Markdown images in the description must not make the server fetch a URL."""
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        milestone = make_milestone(
            project, description=f"![pixel](http://127.0.0.1:{port}/internal.png)"
        )
        assert milestone_pdf_bytes(milestone, audience=TEAM).startswith(b"%PDF")
    finally:
        server.shutdown()
        server.server_close()
    assert requested == []


# -- queries ---------------------------------------------------------------------------


def _milestones(project, n: int) -> None:
    """n milestones in every status, with tasks, some internal."""
    for index in range(n):
        milestone = make_milestone(
            project, name=f"M {next(_serial)}", client_visible=index % 4 != 3
        )
        task_create(project=project, by=project.manager, title="t", milestone=milestone)
        if index % 4 == 1:
            submit_milestone(milestone)
        elif index % 4 == 2:
            milestone_transition(milestone=milestone, by=project.manager, status=Status.IN_PROGRESS)


def _rounds_and_tasks(project, client_user, n: int) -> None:
    """n tasks with different assignees and n rejected rounds on M-1."""
    milestone = Milestone.objects.get(key="M-1")
    for person in make_teammates(project, n):
        task_create(
            project=project, by=project.manager, title="t", milestone=milestone, assignee=person
        )
    for _ in range(n):
        milestone = Milestone.objects.get(pk=milestone.pk)
        if milestone.status == Status.REJECTED:
            milestone_transition(milestone=milestone, by=project.manager, status="in_progress")
        reject_milestone(submit_milestone(milestone), by=client_user)


def _count(client, url: str) -> int:
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_list_queries_are_constant(login, project, manager, django_assert_max_num_queries):
    task_create(project=project, by=manager, title="dated", start_date=DUE, due_date=DUE)
    plan_baseline_create(project=project, by=manager, name="Plan")
    client = login(manager)
    _milestones(project, 3)
    small = _count(client, LIST)
    _milestones(project, 20)
    with django_assert_max_num_queries(small):
        client.get(LIST)
    assert small <= 9


def test_detail_queries_are_constant(
    login, project, manager, client_user, django_assert_max_num_queries
):
    make_milestone(project)
    task_create(project=project, by=manager, title="dated", start_date=DUE, due_date=DUE)
    plan_baseline_create(project=project, by=manager, name="Plan")
    client = login(manager)
    _rounds_and_tasks(project, client_user, 2)
    small = _count(client, DETAIL)
    _rounds_and_tasks(project, client_user, 12)
    with django_assert_max_num_queries(small):
        page = _text(client.get(DETAIL))
    assert page.count("Round ") >= 14
    assert small <= 12
