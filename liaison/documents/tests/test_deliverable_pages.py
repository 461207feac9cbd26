"""Document versions delivered with a milestone, on the pages: the team's
milestone page (the registry's MilestoneSection) with the manager's forms, the
document's "Deliver with milestone…", the removal refused once the client
accepted, and what was accepted on the team's and the client's pages, read
from the hashes recorded at acceptance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.core.models import Activity
from liaison.documents.models import Deliverable, DocumentVersion
from liaison.documents.services.deliverables import deliverable_add
from liaison.documents.services.documents import version_upload
from liaison.documents.tests.factories import PDF, make_document, make_folder, pdf
from liaison.planning.services.milestones import milestone_decide
from liaison.planning.tests.factories import CRITERIA, make_milestone, submit_milestone

MILESTONE = "/p/OWN/milestones/M-1/"
PORTAL_MILESTONE = "/portal/p/OWN/milestones/M-1/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def shared(project, manager):
    return make_folder(project, manager, "Shared", client_visible=True)


def _accept(milestone, client_user):
    milestone_decide(
        milestone=submit_milestone(milestone),
        by=client_user,
        accept=True,
        verdicts=[{"met": True, "comment": ""} for _ in CRITERIA],
    )


def test_the_manager_delivers_the_latest_version_from_the_milestone_page(
    login, project, manager, shared
):
    document = make_document(project, manager, folder=shared, title="Pilot report")
    version_upload(document=document, by=manager, upload=pdf(body=PDF + b"2"), version=2)
    make_milestone(project)
    http = login(manager)
    page = http.get(MILESTONE).content.decode()
    assert 'id="deliver-form"' in page and '<option value="DOC-1">' in page
    response = http.post("/p/OWN/documents/milestones/M-1/deliverables/", {"document": "doc-1"})
    assert response.status_code == 302 and response["Location"] == MILESTONE
    delivered = Deliverable.objects.get()
    assert delivered.version.number == 2  # no number: the latest
    page = http.get(MILESTONE).content.decode()
    assert "Delivered with M-1." in page
    assert f'title="{delivered.version.sha256}"' in page and delivered.version.sha256[:12] in page
    assert "spec.pdf" in page and "Pilot report" in page
    activity = Activity.objects.filter(verb="linked").get()
    assert activity.diff == {"deliverable": [None, "DOC-1 v2"]}


def test_a_chosen_version_and_the_refusals_say_why(login, project, manager, shared):
    document = make_document(project, manager, folder=shared)
    version_upload(document=document, by=manager, upload=pdf(body=PDF + b"2"), version=2)
    make_milestone(project)
    http = login(manager)
    url = "/p/OWN/documents/milestones/M-1/deliverables/"
    http.post(url, {"document": "DOC-1", "number": "1"})
    assert Deliverable.objects.get().version.number == 1
    page = http.post(url, {"document": "DOC-1", "number": "1"}, follow=True).content.decode()
    assert "This version is already delivered with the milestone." in page
    page = http.post(url, {"document": "DOC-9"}, follow=True).content.decode()
    assert "No document of this project has that key and version." in page
    assert Deliverable.objects.count() == 1


def test_deliver_with_milestone_from_the_document_page(login, project, manager, shared):
    make_document(project, manager, folder=shared)
    make_milestone(project, name="Go-live")
    http = login(manager)
    page = http.get("/p/OWN/documents/DOC-1/").content.decode()
    assert "Deliver with milestone…" in page and '<option value="M-1">' in page
    response = http.post("/p/OWN/documents/DOC-1/deliver/", {"milestone": "M-1", "number": "1"})
    assert response.status_code == 302
    assert Deliverable.objects.get().milestone.key == "M-1"
    page = http.get("/p/OWN/documents/DOC-1/").content.decode()
    assert 'href="/p/OWN/milestones/M-1/"' in page
    page = http.post(
        "/p/OWN/documents/DOC-1/deliver/", {"milestone": "M-7"}, follow=True
    ).content.decode()
    assert "Choose a milestone of this project." in page


def test_members_see_the_delivered_versions_but_no_forms(login, project, manager, member, shared):
    document = make_document(project, manager, folder=shared)
    deliverable_add(milestone=make_milestone(project), version=document.latest, by=manager)
    http = login(member)
    page = http.get(MILESTONE).content.decode()
    assert 'id="delivered-table"' in page and "deliver-form" not in page
    assert "/remove/" not in page
    assert (
        http.post(
            "/p/OWN/documents/milestones/M-1/deliverables/", {"document": "DOC-1"}
        ).status_code
        == 403
    )
    deliverable = Deliverable.objects.get()
    assert http.post(f"/p/OWN/documents/deliverables/{deliverable.pk}/remove/").status_code == 403


def test_only_a_manager_s_document_page_reads_the_milestones_to_deliver_with(
    login, project, manager, member, shared
):
    make_document(project, manager, folder=shared)
    make_milestone(project, name="Go-live")
    for person, menu in ((manager, True), (member, False)):
        with CaptureQueriesContext(connection) as queries:
            page = login(person).get("/p/OWN/documents/DOC-1/").content.decode()
        reads = [q["sql"] for q in queries if 'FROM "planning_milestone"' in q["sql"]]
        assert ('<option value="M-1">' in page) == menu == bool(reads)
        assert all('"criteria"' not in sql for sql in reads)  # only what the menu shows


def test_removal_is_refused_once_accepted_and_the_record_shows_what_was_accepted(
    login, project, manager, client_user, shared
):
    document = make_document(project, manager, folder=shared, title="Pilot report")
    milestone = make_milestone(project)
    deliverable = deliverable_add(milestone=milestone, version=document.latest, by=manager)
    accepted_hash = document.latest.sha256
    _accept(milestone, client_user)
    # Were the version's row ever changed, the page still shows what was recorded.
    DocumentVersion.objects.update(sha256="0" * 64)
    http = login(manager)
    page = http.post(
        f"/p/OWN/documents/deliverables/{deliverable.pk}/remove/", follow=True
    ).content.decode()
    assert (
        "The client accepted this milestone: what it delivered stays as they accepted it." in page
    )
    assert Deliverable.objects.exists()
    assert 'id="accepted-versions"' in page
    assert f"by {client_user}" in page and accepted_hash in page
    assert "deliver-form" not in page
    portal = login(client_user).get(PORTAL_MILESTONE).content.decode()
    assert 'id="accepted-versions"' in portal and accepted_hash in portal
    assert "/portal/p/OWN/documents/DOC-1/v1/" in portal


def test_the_client_sees_only_shared_versions(login, project, manager, client_user, shared):
    inside = make_folder(project, manager, "Internal")
    internal = make_document(project, manager, folder=inside, title="Internal workings")
    public = make_document(project, manager, folder=shared, title="Pilot report")
    milestone = make_milestone(project)
    for document in (internal, public):
        deliverable_add(milestone=milestone, version=document.latest, by=manager)
    page = login(client_user).get(PORTAL_MILESTONE).content.decode()
    assert "Pilot report" in page and "Internal workings" not in page
    team = login(manager).get(MILESTONE).content.decode()
    assert "Internal workings" in team and "Not shared with the client" in team


def test_the_milestone_pages_read_in_a_fixed_number_of_queries(
    login, project, manager, client_user, shared, count_queries
):
    milestone = make_milestone(project)
    first = make_document(project, manager, folder=shared, title="Doc 0")
    deliverable_add(milestone=milestone, version=first.latest, by=manager)
    team_one = count_queries(login(manager), MILESTONE)
    portal_one = count_queries(login(client_user), PORTAL_MILESTONE)
    for n in range(1, 20):
        document = make_document(project, manager, folder=shared, title=f"Doc {n}")
        deliverable_add(milestone=milestone, version=document.latest, by=manager)
    assert count_queries(login(client_user), PORTAL_MILESTONE) == portal_one
    http = login(manager)
    assert count_queries(http, MILESTONE) == team_one
    assert http.get(MILESTONE).content.decode().count("data-deliverable=") == 20
