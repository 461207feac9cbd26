"""The client's milestone pages: reading one, accepting or rejecting it
criterion by criterion, the decisions waiting, the PDF without internal
details, and the queries the page costs."""

import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.collab.models import Notification
from liaison.planning.models import Milestone, MilestoneReview
from liaison.planning.pdf import milestone_pdf_html
from liaison.planning.services.milestones import (
    milestone_submit,
    milestone_transition,
    milestone_update,
)
from liaison.planning.tests.factories import make_milestone, reject_milestone, submitted_milestone
from liaison.projects.access import CLIENT
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member, make_project

Status = Milestone.Status
Verdict = MilestoneReview.Verdict
# The milestone these pages show: described, with a linked deliverable.
PILOT = {
    "deliverables": "Report | https://docs.liaison.test/r\nSlides",
    "description": "The **pilot** site",
}
PAGE = "/portal/p/OWN/milestones/M-1/"
DECIDE = PAGE + "decide/"
MET = {"met": True, "comment": ""}


def _text(response) -> str:
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


# -- who sees what ---------------------------------------------------------------------


def test_the_client_reads_a_milestone_in_plain_words(login, project, client_user):
    make_milestone(project, **PILOT)
    page = _main(_text(login(client_user).get(PAGE)))
    assert "Pilot" in page and "<strong>pilot</strong>" in page
    assert "Planned: the team has not started it yet." in page
    assert "Due on 2031-02-03." in page
    assert (
        '<a href="https://docs.liaison.test/r" rel="noopener noreferrer" target="_blank">Report</a>'
    ) in page
    assert "Your decision" not in page
    assert DECIDE not in page


@pytest.mark.parametrize("role", ["manager", "member", "observer", "outsider"])
def test_the_team_and_outsiders_get_404_in_the_portal(login, project, role, request):
    submitted_milestone(project, **PILOT)
    client = login(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == 404
    assert client.get("/portal/p/OWN/milestones/M-1.pdf").status_code == 404
    response = client.post(
        DECIDE, {"round": 1, "decision": "accept", "met-0": "yes", "met-1": "yes"}
    )
    assert response.status_code == 404
    assert Milestone.objects.get().status == Status.SUBMITTED


def test_a_client_of_another_project_gets_404(login, project, org, manager):
    submitted_milestone(project, **PILOT)
    other = make_project(org, manager, "OTHER")
    stranger = make_member(other, "stranger@customer.example", role=Membership.Role.CLIENT)
    client = login(stranger)
    assert client.get(PAGE).status_code == 404
    assert client.post(DECIDE, {"round": 1, "decision": "accept"}).status_code == 404


def test_a_milestone_kept_internal_is_404_for_the_client(login, project, client_user):
    make_milestone(project, client_visible=False, **PILOT)
    client = login(client_user)
    assert client.get(PAGE).status_code == 404
    assert client.get("/portal/p/OWN/milestones/M-1.pdf").status_code == 404
    assert client.post(DECIDE, {"round": 1, "decision": "accept"}).status_code == 404


# -- the decision ----------------------------------------------------------------------


def test_the_form_asks_criterion_by_criterion(login, project, client_user):
    submitted_milestone(project, **PILOT)
    page = _main(_text(login(client_user).get(PAGE)))
    form = page[page.index('id="decide"') :]
    assert f'action="{DECIDE}"' in form
    assert "Please check the scanners" in page
    for index, criterion in enumerate(["Scans work", "Labels print"]):
        assert f"{index + 1}. {criterion}</legend>" in form
        assert f'name="met-{index}" value="yes"' in form
        assert f'name="met-{index}" value="no"' in form
        assert f'name="comment-{index}"' in form
    assert 'name="decision" value="accept"' in form and "Accept the milestone" in form
    assert 'name="decision" value="reject"' in form and "Reject the milestone" in form
    assert "csrfmiddlewaretoken" in form


def test_the_client_accepts_every_criterion(login, project, manager, client_user):
    submitted_milestone(project, **PILOT)
    client = login(client_user)
    response = client.post(
        DECIDE,
        {"round": 1, "decision": "accept", "met-0": "yes", "met-1": "yes", "comment-1": "Crisp"},
        REMOTE_ADDR="203.0.113.20",
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    page = _main(_text(client.get(PAGE)))
    assert "You accepted M-1 Pilot" in page
    assert "Accepted: you accepted it." in page
    assert "Your decision" not in page
    assert "Crisp" in page  # the record of the round
    review = MilestoneReview.objects.get()
    assert (review.verdict, review.decided_ip) == (Verdict.ACCEPTED, "203.0.113.20")
    assert "203.0.113.20" not in page
    assert Notification.objects.filter(recipient=manager, event="milestone.decided").exists()


def test_a_rejection_reaches_the_manager_with_its_reasons(login, project, manager, client_user):
    submitted_milestone(project, **PILOT)
    client = login(client_user)
    response = client.post(
        DECIDE,
        {
            "round": 1,
            "decision": "reject",
            "met-0": "yes",
            "met-1": "no",
            "comment-1": "The labels smudge <b>badly</b>",
            "comment": "Almost there",
        },
    )
    assert response.status_code == 302
    assert "You rejected M-1 Pilot; the team has been told" in _text(client.get(PAGE))
    assert Milestone.objects.get().status == Status.REJECTED

    notice = Notification.objects.get(recipient=manager, event="milestone.decided")
    assert notice.url == "/p/OWN/milestones/M-1/"
    team_page = _main(_text(login(manager).get(notice.url)))
    banner = team_page[team_page.index("The client rejected this milestone") :]
    assert "Labels print" in banner
    assert "The labels smudge &lt;b&gt;badly&lt;/b&gt;" in banner
    assert "Almost there" in banner


def test_a_criterion_not_met_without_a_comment_is_refused_beside_it(login, project, client_user):
    submitted_milestone(project, **PILOT)
    response = login(client_user).post(
        DECIDE,
        {
            "round": 1,
            "decision": "reject",
            "met-0": "yes",
            "met-1": "no",
            "comment-0": "Fine",
            "comment": "x",
        },
    )
    assert response.status_code == 400
    page = _text(response)
    start = page.rindex("<fieldset", 0, page.index('id="criterion-1"'))
    criterion = page[start : page.index("</fieldset>", start)]
    assert "field--error" in criterion
    assert "Say why “Labels print” is not met" in criterion
    # What the client typed stays.
    assert re.search(r'name="met-0" value="yes" checked', page)
    assert re.search(r'name="met-1" value="no" checked', page)
    assert ">Fine</textarea>" in page and ">x</textarea>" in page
    assert Milestone.objects.get().status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("name", "error"), [("comment-1", "criterion-1-error"), ("comment", "decision-comment-error")]
)
def test_a_nul_in_a_comment_is_refused_beside_it(login, project, client_user, name, error):
    """Found by the form fuzz on PostgreSQL, which cannot store a NUL (a server error)."""
    submitted_milestone(project, **PILOT)
    data = {"round": 1, "decision": "reject", "met-0": "yes", "met-1": "no"}
    data |= {"comment-1": "Smudges", name: "Smudges\x00"}
    response = login(client_user).post(DECIDE, data)
    assert response.status_code == 400
    assert re.search(rf'id="{error}">[^<]*NUL character', _text(response))
    assert Milestone.objects.get().status == Status.SUBMITTED


def test_accepting_with_a_criterion_not_met_is_refused_at_the_top(login, project, client_user):
    submitted_milestone(project, **PILOT)
    client = login(client_user)
    response = client.post(
        DECIDE,
        {"round": 1, "decision": "accept", "met-0": "yes", "met-1": "no", "comment-1": "Smudges"},
    )
    assert response.status_code == 400
    page = _text(response)
    assert re.search(r'form-errors" role="alert"><p>You marked 1 criteria as not met', page)
    assert ">Smudges</textarea>" in page

    response = client.post(DECIDE, {"round": 1, "decision": "accept", "met-0": "yes"})
    assert response.status_code == 400
    assert "Say whether “Labels print” is met." in _text(response)

    response = client.post(DECIDE, {"round": 1, "met-0": "yes", "met-1": "yes"})
    assert response.status_code == 400
    assert "Choose to accept or to reject the milestone." in _text(response)
    assert MilestoneReview.objects.get().verdict == Verdict.PENDING


def test_a_milestone_not_awaiting_acceptance_cannot_be_decided(login, project, client_user):
    make_milestone(project, **PILOT)
    response = login(client_user).post(DECIDE, {"round": 1, "decision": "accept"})
    assert response.status_code == 400
    assert "This milestone is not awaiting your acceptance." in _text(response)


def test_past_rounds_show_without_addresses(login, project, manager, client_user):
    milestone = submitted_milestone(project, **PILOT)
    reject_milestone(milestone, by=client_user)
    milestone_transition(milestone=milestone, by=manager, status=Status.IN_PROGRESS)
    milestone_submit(milestone=milestone, by=manager, note="Labels fixed")
    page = _main(_text(login(client_user).get(PAGE)))
    assert "Your decision" in page
    earlier = page[page.index("Earlier rounds") :]
    assert "Round 1" in earlier and "Round 2" not in earlier
    assert "Labels smudge" in earlier
    assert "198.51.100.7" not in page and "IP address" not in page


# -- decisions waiting, navigation -----------------------------------------------------


def test_milestones_awaiting_acceptance_are_among_the_decisions(login, project, client_user):
    submitted_milestone(project, **PILOT)
    make_milestone(project, name="Hidden one", client_visible=False, **PILOT)
    make_milestone(project, name="Not asked yet", **PILOT)
    client = login(client_user)
    for url in ("/portal/", "/portal/p/OWN/"):
        page = _main(_text(client.get(url)))
        assert "1 decision waiting for you" in page, url
        assert "Accept milestone M-1: Pilot" in page
        assert f'href="{PAGE}#decide"' in page
        assert "Hidden one" not in page and "Not asked yet" not in page


def test_a_page_lists_ten_decisions_of_a_kind_and_counts_the_rest(login, project, client_user):
    for number in range(1, 13):
        submitted_milestone(project, name=f"Stage {number:02d}")
    page = _main(_text(login(client_user).get("/portal/p/OWN/")))
    assert "12 decisions waiting for you" in page
    shown = re.findall(r"Accept milestone M-\d+: (Stage \d+)", page)
    assert shown == [f"Stage {number:02d}" for number in range(1, 11)]
    assert "And 2 more of this kind, in the project's tabs." in page


def test_the_portal_pages_link_to_the_timeline(login, project, client_user):
    make_milestone(project, **PILOT)
    client = login(client_user)
    for url in ("/portal/p/OWN/", PAGE):
        page = _text(client.get(url))
        nav = page[
            page.index('class="portal-nav"') : page.index("</nav>", page.index("portal-nav"))
        ]
        assert 'href="/portal/p/OWN/timeline/"' in nav
        assert 'href="/portal/p/OWN/requirements/"' in nav
    assert 'href="/portal/p/OWN/timeline/"' in _main(_text(client.get("/portal/p/OWN/")))


# -- the PDF ---------------------------------------------------------------------------


def test_the_clients_pdf_leaves_out_the_addresses(login, project, client_user):
    milestone = submitted_milestone(project, **PILOT)
    reject_milestone(milestone, by=client_user)
    response = login(client_user).get("/portal/p/OWN/milestones/M-1.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="OWN-M-1-acceptance.pdf"'

    html = milestone_pdf_html(Milestone.objects.get(), audience=CLIENT)
    assert "Labels smudge" in html
    assert "198.51.100.7" not in html and "IP address" not in html
    assert "/portal/p/OWN/milestones/M-1/" in html

    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Labels smudge" in text
        assert "198.51.100.7" not in text


# -- queries ---------------------------------------------------------------------------


def _rounds(project, client_user, n: int) -> None:
    milestone = Milestone.objects.get(key="M-1")
    for index in range(n):
        milestone = Milestone.objects.get(pk=milestone.pk)
        if milestone.status in (Status.REJECTED, Status.SUBMITTED):
            milestone_transition(milestone=milestone, by=project.manager, status="in_progress")
        milestone_submit(milestone=milestone, by=project.manager, note=f"Round note {index}")
        reject_milestone(Milestone.objects.get(pk=milestone.pk), by=client_user)
    milestone = Milestone.objects.get(pk=milestone.pk)
    milestone_transition(milestone=milestone, by=project.manager, status="in_progress")
    milestone_submit(milestone=milestone, by=project.manager)


def test_portal_milestone_queries_are_constant(
    login, project, client_user, django_assert_max_num_queries
):
    make_milestone(project, **PILOT)
    client = login(client_user)
    _rounds(project, client_user, 2)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as context:
        assert client.get(PAGE).status_code == 200
    small = len(context.captured_queries)
    _rounds(project, client_user, 12)
    with django_assert_max_num_queries(small):
        page = _text(client.get(PAGE))
    assert "Your decision" in page and page.count("Round ") >= 14
    assert small <= 9  # 8, and one for the sections features add (documents' delivered files)


def test_a_decision_on_criteria_the_team_has_since_changed_is_refused(
    login, manager, client_user, project
):
    """The client read round 1; the team withdrew and resubmitted other criteria:
    the old verdicts must not be recorded against the new ones."""
    milestone = submitted_milestone(project, **PILOT)
    milestone_transition(milestone=milestone, by=manager, status="in_progress")
    milestone.refresh_from_db()
    milestone_update(
        milestone=milestone, by=manager, version=milestone.version, criteria="Penalty waived"
    )
    milestone_submit(milestone=milestone, by=manager)
    response = login(client_user).post(DECIDE, {"round": 1, "decision": "accept", "met-0": "yes"})
    assert response.status_code == 400
    assert "changed this milestone while you were reading it" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == "submitted"
