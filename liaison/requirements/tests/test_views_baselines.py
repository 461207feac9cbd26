"""The baseline pages, the PDF and the client's portal pages for requirements
and baselines: what each role sees and does, and the queries they cost."""

import re
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.collab.models import Comment, Notification
from liaison.collab.services import comment_create
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.services import requirement_create, requirement_update
from liaison.requirements.tests.factories import (
    agreed_requirement,
    proposed_baseline,
    rejected_baseline,
    signed_baseline,
)

Status = Baseline.Status


def _text(response) -> str:
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _messages(client) -> str:
    """The flashed messages, as the next page shows them."""
    return _text(client.get("/portal/"))


# -- the team's pages ------------------------------------------------------------------------


def test_baseline_list_shows_each_baseline_with_its_state(login, project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    signed_baseline(project, by=client_user)
    rejected_baseline(project, by=client_user)
    proposed_baseline(project)

    page = _text(login(manager).get("/p/OWN/baselines/"))

    assert "Propose baseline" in page
    rows = re.findall(r"<tr.*?</tr>", page[page.index("<tbody>") :], re.S)
    assert [re.findall(r"badge--(\w+)", row) for row in rows] == [
        ["amber"],  # 3 awaiting
        ["red"],  # 2 rejected
        ["green"],  # 1 signed
    ]
    assert "client · " in rows[1]  # who decided
    assert "/p/OWN/baselines/diff/?a=2&amp;b=3" in rows[0]
    assert "/p/OWN/baselines/diff/?a=1&amp;b=2" in rows[1]
    assert "First baseline" in rows[2]


@pytest.mark.parametrize("role", ["member", "observer"])
def test_only_managers_are_offered_to_propose(login, project, manager, role, request):
    agreed_requirement(project, by=manager, title="Scan labels")
    proposed_baseline(project)
    page = _text(login(request.getfixturevalue(role)).get("/p/OWN/baselines/"))
    assert "Scope" in page
    assert "Propose baseline" not in page
    assert login(request.getfixturevalue(role)).get("/p/OWN/baselines/new/").status_code == 403


def test_an_empty_list_says_what_to_do(login, project, manager):
    page = _text(login(manager).get("/p/OWN/baselines/"))
    assert "No baselines yet" in page


def test_the_proposal_form_previews_what_is_frozen_and_what_is_left_out(
    login, project, manager, client_user
):
    agreed_requirement(project, by=manager, title="Scan labels")
    agreed_requirement(project, by=manager, title="Internal load test", client_visible=False)
    requirement_create(project=project, by=manager, title="Still a draft")
    signed_baseline(project, by=client_user)
    proposed_baseline(project)

    page = _text(login(manager).get("/p/OWN/baselines/new/"))

    frozen = page[page.index("What will be frozen") :]
    assert "Scan labels" in frozen
    assert "Internal load test" not in frozen
    assert "Still a draft" not in page
    assert "1 agreed requirement is not visible to the client and will be left out" in page
    assert "Internal load test" in page
    assert "Baseline 2 “Scope” is still awaiting the client" in page


def test_manager_proposes_a_baseline(login, project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    client = login(manager)

    response = client.post("/p/OWN/baselines/new/", {"title": "Phase 1", "note": "Thanks!"})

    assert response.status_code == 302
    assert response["Location"] == "/p/OWN/baselines/1/"
    baseline = Baseline.objects.get()
    assert (baseline.title, baseline.note, baseline.status) == ("Phase 1", "Thanks!", "proposed")
    assert "Baseline 1 is proposed" in _text(client.get(response["Location"]))
    assert Notification.objects.filter(recipient=client_user, event="approval.needed").exists()


def test_a_refused_proposal_says_why_on_the_form(login, project, manager):
    client = login(manager)
    response = client.post("/p/OWN/baselines/new/", {"title": "Phase 1"})
    assert response.status_code == 200
    assert "There is nothing to sign yet" in _text(response)

    agreed_requirement(project, by=manager, title="Scan labels")
    response = client.post("/p/OWN/baselines/new/", {"title": " "})
    assert response.status_code == 200
    assert re.search(r"field--error.*?Give the baseline a title\.", _text(response), re.S)
    assert not Baseline.objects.exists()


def test_the_manager_sees_the_clients_rejection_first(login, project, manager, client_user):
    agreed_requirement(
        project, by=manager, title="Scan labels", acceptance_criteria=["Reads EAN-13"]
    )
    rejected_baseline(project, by=client_user, comment="Add the <night> shift.")

    page = _text(login(manager).get("/p/OWN/baselines/1/"))

    assert "Rejected by the client" in page
    assert "Add the &lt;night&gt; shift." in page
    assert page.index("Add the &lt;night&gt; shift.") < page.index("Scan labels")
    assert "Reads EAN-13" in page
    assert "Propose a new baseline" in page


def test_a_signed_baseline_shows_its_signature(login, project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = signed_baseline(project, by=client_user, name="Claire Client")

    page = _text(login(manager).get("/p/OWN/baselines/1/"))

    assert "Claire Client" in page
    assert "203.0.113.7" in page
    assert baseline.content_hash in page
    assert "I have read this baseline and agree that it describes the agreed scope." in page


def test_the_diff_page_compares_the_latest_two_by_default(login, project, manager):
    scan = agreed_requirement(project, by=manager, title="Scan labels")
    proposed_baseline(project)
    requirement_update(requirement=scan, by=manager, version=scan.version, title="Scan QR codes")
    proposed_baseline(project)
    client = login(manager)

    page = _text(client.get("/p/OWN/baselines/diff/"))

    assert "From baseline 1 to baseline 2: 0 added, 0 removed, 1 changed." in page
    assert "Scan labels" in page and "Scan QR codes" in page
    explicit = _text(client.get("/p/OWN/baselines/diff/?a=1&b=2"))
    assert _main(page) == _main(explicit)


def test_the_diff_of_a_baseline_with_itself_reads_well(login, project, manager):
    agreed_requirement(project, by=manager, title="Scan labels")
    proposed_baseline(project)
    client = login(manager)
    assert "Nothing to compare yet" in _text(client.get("/p/OWN/baselines/diff/"))
    assert "No differences" in _text(client.get("/p/OWN/baselines/diff/?a=1&b=1"))
    assert client.get("/p/OWN/baselines/diff/?a=1&b=7").status_code == 404
    assert "No differences" not in _text(client.get(f"/p/OWN/baselines/diff/?a=1&b={'9' * 30}"))


# -- the PDF -------------------------------------------------------------------------------


def _assert_pdf(response, filename: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"%PDF")
    return response.content


def test_the_pdf_of_a_signed_baseline_carries_the_signature(
    login, project, manager, client_user, pdf_text
):
    agreed_requirement(
        project, by=manager, title="扫描标签 Scan labels", acceptance_criteria=["读取 EAN-13"]
    )
    baseline = signed_baseline(project, by=client_user, name="王芳 Wang Fang")

    text = pdf_text(_assert_pdf(login(manager).get("/p/OWN/baselines/1.pdf"), "OWN-baseline-1.pdf"))

    if shutil.which("pdftotext"):
        for expected in ("扫描标签 Scan labels", "读取 EAN-13", "王芳 Wang Fang", "203.0.113.7"):
            assert expected in text  # Chinese too: the CJK font is embedded
    assert baseline.content_hash in text


def test_the_pdf_of_a_pending_baseline_awaits_the_signature(login, project, manager, pdf_text):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = proposed_baseline(project)
    text = pdf_text(_assert_pdf(login(manager).get("/p/OWN/baselines/1.pdf"), "OWN-baseline-1.pdf"))
    if shutil.which("pdftotext"):
        assert "Scan labels" in text
        assert "Awaiting signature" in text
    assert baseline.content_hash in text


# -- the portal: requirements ------------------------------------------------------------------


def _requirements_for_the_portal(project, manager) -> tuple[Requirement, Requirement]:
    shown = agreed_requirement(
        project, by=manager, title="Scan labels", acceptance_criteria=["Reads EAN-13"]
    )
    hidden = agreed_requirement(
        project, by=manager, title="Internal load test", client_visible=False
    )
    return shown, hidden


def test_the_client_sees_only_client_visible_requirements(login, project, manager, client_user):
    _shown, hidden = _requirements_for_the_portal(project, manager)
    client = login(client_user)

    page = _text(client.get("/portal/p/OWN/requirements/"))

    assert "Scan labels" in page
    assert "Agreed" in page  # the status in plain words
    assert "Internal load test" not in page
    assert "Submit a requirement request" in page
    assert client.get(f"/portal/p/OWN/requirements/{hidden.key}/").status_code == 404
    assert client.get(f"/portal/p/OWN/requirements/{hidden.key}/comments/").status_code == 405


def test_the_client_reads_a_requirement_without_internal_comments(
    login, project, manager, client_user
):
    shown, _hidden = _requirements_for_the_portal(project, manager)
    for body, visible in (("Shared with the client", True), ("Margin is thin here", False)):
        comment_create(target=shown, project=project, by=manager, body=body, client_visible=visible)

    page = _text(login(client_user).get(f"/portal/p/OWN/requirements/{shown.key}/"))

    assert "Reads EAN-13" in page
    assert "Shared with the client" in page
    assert "Margin is thin here" not in page


def test_the_clients_comment_is_always_client_visible(login, project, manager, client_user):
    shown, _hidden = _requirements_for_the_portal(project, manager)
    client = login(client_user)
    url = f"/portal/p/OWN/requirements/{shown.key}/"

    response = client.post(url + "comments/", {"body": "Also QR codes?", "client_visible": ""})

    assert (response.status_code, response["Location"]) == (302, url)
    comment = Comment.objects.get()
    assert (comment.body, comment.client_visible, comment.author) == (
        "Also QR codes?",
        True,
        client_user,
    )
    assert Notification.objects.filter(recipient=manager, event="comment").exists()


def test_the_client_requests_a_requirement(login, project, manager, client_user):
    client = login(client_user)
    assert "What do you need?" in _text(client.get("/portal/p/OWN/requirements/request/"))

    response = client.post(
        "/portal/p/OWN/requirements/request/",
        {"title": "Export to PDF", "body": "For the auditors."},
    )

    assert response["Location"] == "/portal/p/OWN/requirements/"
    requirement = Requirement.objects.get()
    assert (requirement.title, requirement.status) == ("Export to PDF", "draft")
    assert requirement.source == Requirement.Source.CLIENT_REQUEST
    assert Notification.objects.filter(recipient=manager, event="requirement.requested").exists()
    page = _text(client.get(response["Location"]))
    assert "the team will review it" in page
    assert "Export to PDF" in page and "Received" in page


def test_a_request_needs_a_title(login, project, client_user):
    response = login(client_user).post("/portal/p/OWN/requirements/request/", {"title": ""})
    assert response.status_code == 200
    assert "A requirement needs a title." in _text(response)
    assert not Requirement.objects.exists()


# -- the portal: baselines --------------------------------------------------------------------


def test_the_project_page_puts_the_decision_first(login, project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    proposed_baseline(project, title="Phase 1")
    client = login(client_user)

    # url → what comes after the decision: the project cards, the project's content
    for url, then in (("/portal/", 'href="/portal/p/OWN/"'), ("/portal/p/OWN/", "Requirements")):
        page = _main(_text(client.get(url)))
        assert "1 decision waiting for you" in page
        assert page.index("Sign baseline 1: Phase 1") < page.index(then)
        assert 'href="/portal/p/OWN/baselines/1/"' in page
    assert 'href="/portal/p/OWN/requirements/"' in _text(client.get("/portal/p/OWN/"))


def test_no_decision_no_decision_block(login, project, client_user):
    assert "waiting for you" not in _text(login(client_user).get("/portal/p/OWN/"))


def test_the_client_signs_a_baseline(login, project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = proposed_baseline(project)
    client = login(client_user)
    url = "/portal/p/OWN/baselines/1/"
    page = _text(client.get(url))
    assert "I have read this baseline and agree that it describes the agreed scope." in page
    assert "Scan labels" in page

    response = client.post(url + "sign/", {"full_name": "Claire Client", "agreed": "on"})

    assert (response.status_code, response["Location"]) == (302, url)
    baseline.refresh_from_db()
    assert (baseline.status, baseline.signed_name) == (Status.SIGNED, "Claire Client")
    assert baseline.signed_ip == "127.0.0.1"  # the test client's REMOTE_ADDR
    page = _text(client.get(url))
    assert "You signed baseline 1." in page
    assert "Your decision" not in page  # the forms are gone; the record stays
    assert baseline.content_hash in page


def test_signing_without_the_statement_is_refused_beside_it(login, project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    proposed_baseline(project)

    response = login(client_user).post(
        "/portal/p/OWN/baselines/1/sign/", {"full_name": "Claire Client"}
    )

    assert response.status_code == 200
    assert re.search(r"field--error.*?Tick the statement to sign\.", _text(response), re.S)
    assert Baseline.objects.get().status == Status.PROPOSED


def test_the_client_rejects_a_baseline_with_a_comment(login, project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    proposed_baseline(project)
    client = login(client_user)
    url = "/portal/p/OWN/baselines/1/"

    response = client.post(url + "reject/", {"comment": ""})
    assert response.status_code == 200
    assert "Say what should change" in _text(response)

    response = client.post(url + "reject/", {"comment": "Add the night shift."})
    assert response["Location"] == url
    baseline = Baseline.objects.get()
    assert baseline.status == Status.REJECTED
    assert baseline.rejection_comment == "Add the night shift."
    page = _text(client.get(url))
    assert "You rejected baseline 1." in page
    assert "Add the night shift." in page


def test_a_decided_baseline_cannot_be_signed_from_the_portal(login, project, manager, client_user):
    agreed_requirement(project, by=manager, title="Scan labels")
    rejected_baseline(project, by=client_user)
    client = login(client_user)

    response = client.post(
        "/portal/p/OWN/baselines/1/sign/", {"full_name": "Claire Client", "agreed": "on"}
    )

    assert response["Location"] == "/portal/p/OWN/baselines/1/"
    assert "it can no longer be signed or rejected" in _messages(client)
    assert Baseline.objects.get().status == Status.REJECTED


def test_the_client_sees_what_changed_since_the_baseline_they_signed(
    login, project, manager, client_user
):
    scan = agreed_requirement(project, by=manager, title="Scan labels")
    signed_baseline(project, by=client_user)
    requirement_update(requirement=scan, by=manager, version=scan.version, title="Scan QR codes")
    proposed_baseline(project)

    page = _text(login(client_user).get("/portal/p/OWN/baselines/2/"))

    assert "What changed since baseline 1, which you signed" in page
    assert "0 added, 0 removed, 1 changed" in page


def test_the_client_downloads_the_pdf(login, project, manager, client_user, pdf_text):
    agreed_requirement(project, by=manager, title="Scan labels")
    baseline = proposed_baseline(project)
    response = login(client_user).get("/portal/p/OWN/baselines/1.pdf")
    text = pdf_text(_assert_pdf(response, "OWN-baseline-1.pdf"))
    if shutil.which("pdftotext"):
        assert "/portal/p/OWN/baselines/1/" in text  # the link back is the client's page
    assert baseline.content_hash in text


@pytest.mark.parametrize("role", ["owner", "manager", "member"])
def test_the_team_gets_404_on_the_portal(login, project, manager, role, request):
    agreed_requirement(project, by=manager, title="Scan labels")
    proposed_baseline(project)
    client = login(request.getfixturevalue(role))
    for url in (
        "/portal/p/OWN/requirements/",
        "/portal/p/OWN/requirements/REQ-1/",
        "/portal/p/OWN/requirements/request/",
        "/portal/p/OWN/baselines/1/",
        "/portal/p/OWN/baselines/1.pdf",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post("/portal/p/OWN/baselines/1/sign/", {"full_name": "X", "agreed": "on"})
    assert response.status_code == 404
    assert Baseline.objects.get().status == Status.PROPOSED


# -- queries ---------------------------------------------------------------------------------

SMALL, MORE = 3, 20


def _queries(client, url: str) -> int:
    """One request's queries; {latest} in the URL is the newest baseline's number."""
    url = url.format(latest=Baseline.objects.order_by("-number").values_list("number")[0][0])
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _grow(project, manager, client_user, n: int) -> None:
    """n more agreed requirements, criteria and comments included, and two more
    baselines (one signed, one awaiting) that freeze them."""
    for index in range(n):
        requirement = agreed_requirement(
            project, by=manager, title=f"Requirement {index}", acceptance_criteria=["One", "Two"]
        )
        comment_create(
            target=requirement, project=project, by=manager, body="Hi", client_visible=True
        )
    signed_baseline(project, by=client_user)
    proposed_baseline(project)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("manager", "/p/OWN/baselines/"),
        ("manager", "/p/OWN/baselines/{latest}/"),
        ("manager", "/p/OWN/baselines/diff/"),
        ("client_user", "/portal/p/OWN/requirements/"),
        ("client_user", "/portal/p/OWN/baselines/{latest}/"),
    ],
)
def test_queries_do_not_grow_with_the_data(login, project, manager, client_user, who, url, request):
    client = login(request.getfixturevalue(who))
    _grow(project, manager, client_user, 1)
    _queries(client, url)  # warm caches (content types)
    _grow(project, manager, client_user, SMALL)
    small = _queries(client, url)
    _grow(project, manager, client_user, MORE)
    large = _queries(client, url)
    assert small == large, f"{url}: {small} queries, then {large} with more data"
    # The portal's list shows the decisions waiting: one query per kind (eight since
    # the issues' two, the acceptance-test rounds and the documents' reviews).
    assert large <= 15, large


def test_the_portal_list_ignores_the_teams_tag_filter(login, project, manager, client_user):
    requirement_create(project=project, by=manager, title="Tagged one", tags="secret-tag")
    requirement_create(project=project, by=manager, title="Plain one")
    page = _text(login(client_user).get("/portal/p/OWN/requirements/?tag=secret-tag"))
    assert "Tagged one" in page and "Plain one" in page
