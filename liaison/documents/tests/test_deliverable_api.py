"""The API of a milestone's document deliverables (the team reads, the
manager writes while the milestone is open; the accepted hashes in the list)
and the client's review decision (the client of that project only), each
refusal with its code."""

import pytest

from liaison.documents.models import Deliverable, DocumentVersion, Review
from liaison.documents.services.client import review_request
from liaison.documents.services.deliverables import deliverable_add
from liaison.documents.services.documents import version_upload
from liaison.documents.tests.factories import PDF, make_document, make_folder, pdf
from liaison.planning.services.milestones import milestone_decide
from liaison.planning.tests.factories import CRITERIA, make_milestone, submit_milestone
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member

API = "/api/v1/projects/OWN"
DELIVERABLES = f"{API}/milestones/M-1/deliverables"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def document(project, manager):
    folder = make_folder(project, manager, "Shared", client_visible=True)
    made = make_document(project, manager, folder=folder, title="Pilot report")
    version_upload(document=made, by=manager, upload=pdf(body=PDF + b"2"), version=made.version)
    made.refresh_from_db()
    return made


def test_the_manager_adds_lists_and_removes(login, project, manager, document):
    make_milestone(project)
    http = login(manager)
    added = http.post(DELIVERABLES, {"document": "DOC-1"}, content_type="application/json")
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["document"], body["number"], body["accepted_sha256"]) == ("DOC-1", 2, None)
    assert body["sha256"] == document.latest.sha256
    again = http.post(
        DELIVERABLES, {"document": "DOC-1", "number": 1}, content_type="application/json"
    )
    assert again.status_code == 201 and again.json()["number"] == 1
    twice = http.post(
        DELIVERABLES, {"document": "DOC-1", "number": 1}, content_type="application/json"
    )
    assert twice.status_code == 400 and twice.json()["code"] == "already_delivered"
    unknown = http.post(DELIVERABLES, {"document": "DOC-9"}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "bad_version"
    listed = http.get(DELIVERABLES).json()["items"]
    assert [row["number"] for row in listed] == [2, 1]
    file = http.get(listed[0]["download_url"])
    assert file.status_code == 200 and b"".join(file.streaming_content) == PDF + b"2"
    assert http.delete(f"{DELIVERABLES}/{body['id']}").status_code == 204
    assert list(Deliverable.objects.values_list("version__number", flat=True)) == [1]


def test_an_accepted_milestone_lists_the_recorded_hashes_and_refuses_changes(
    login, project, manager, client_user, document
):
    milestone = make_milestone(project)
    deliverable = deliverable_add(milestone=milestone, version=document.latest, by=manager)
    recorded = document.latest.sha256
    milestone_decide(
        milestone=submit_milestone(milestone),
        by=client_user,
        accept=True,
        verdicts=[{"met": True, "comment": ""} for _ in CRITERIA],
    )
    DocumentVersion.objects.update(sha256="f" * 64)  # the list reads what was recorded
    http = login(manager)
    (row,) = http.get(DELIVERABLES).json()["items"]
    assert row["accepted_sha256"] == recorded and row["accepted_at"]
    removed = http.delete(f"{DELIVERABLES}/{deliverable.pk}")
    assert removed.status_code == 400 and removed.json()["code"] == "milestone_frozen"
    added = http.post(
        DELIVERABLES, {"document": "DOC-1", "number": 1}, content_type="application/json"
    )
    assert added.status_code == 400 and added.json()["code"] == "milestone_frozen"


def test_members_read_but_only_managers_write(login, project, manager, member, document):
    milestone = make_milestone(project)
    deliverable = deliverable_add(milestone=milestone, version=document.latest, by=manager)
    http = login(member)
    assert http.get(DELIVERABLES).status_code == 200
    denied = http.post(DELIVERABLES, {"document": "DOC-1"}, content_type="application/json")
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"
    assert http.delete(f"{DELIVERABLES}/{deliverable.pk}").status_code == 403


def test_another_milestones_deliverable_is_not_found(login, project, manager, document):
    make_milestone(project)
    other = make_milestone(project, name="Go-live")
    deliverable = deliverable_add(milestone=other, version=document.latest, by=manager)
    response = login(manager).delete(f"{DELIVERABLES}/{deliverable.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_list_reads_in_a_fixed_number_of_queries(
    login, project, manager, document, django_assert_max_num_queries
):
    milestone = make_milestone(project)
    folder = document.folder
    for n in range(20):
        made = make_document(project, manager, folder=folder, title=f"Doc {n}")
        deliverable_add(milestone=milestone, version=made.latest, by=manager)
    http = login(manager)
    with django_assert_max_num_queries(6):
        assert len(http.get(DELIVERABLES).json()["items"]) == 20


# -- the client's review decision -----------------------------------------------------


def _decision_url(review: Review, code: str = "OWN") -> str:
    return f"/api/v1/projects/{code}/document-reviews/{review.pk}/decision"


def test_the_client_asks_for_changes_then_a_new_review_is_approved(
    login, project, manager, client_user, document
):
    review = review_request(document=document, version=document.latest, by=manager)
    http = login(client_user)
    bare = http.post(
        _decision_url(review), {"decision": "changes"}, content_type="application/json"
    )
    assert bare.status_code == 400 and bare.json()["code"] == "comment_required"
    asked = http.post(
        _decision_url(review),
        {"decision": "changes", "comment": "Add the returns"},
        content_type="application/json",
    )
    assert asked.status_code == 200, asked.content
    assert asked.json()["status"] == "changes"
    assert asked.json()["sha256"] == document.latest.sha256
    again = http.post(
        _decision_url(review), {"decision": "approve"}, content_type="application/json"
    )
    assert again.status_code == 400 and again.json()["code"] == "review_decided"
    document.refresh_from_db()
    second = review_request(document=document, version=document.latest, by=manager)
    approved = http.post(
        _decision_url(second), {"decision": "approve"}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_only_the_client_of_that_project_decides(
    login, project, foreign_project, manager, client_user, deactivated, document
):
    review = review_request(document=document, version=document.latest, by=manager)
    # Client A (of FOREIGN only) on project B's review: 404, with either code.
    stranger = make_member(foreign_project, "buyer@other.example", role=Membership.Role.CLIENT)
    decision = {"decision": "approve"}
    for code in ("OWN", "FOREIGN"):
        refused = login(stranger).post(
            _decision_url(review, code), decision, content_type="application/json"
        )
        assert refused.status_code == 404
    team = login(manager).post(_decision_url(review), decision, content_type="application/json")
    assert team.status_code == 404
    gone = login(deactivated).post(_decision_url(review), decision, content_type="application/json")
    assert gone.status_code == 401
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING
    ok = login(client_user).post(_decision_url(review), decision, content_type="application/json")
    assert ok.status_code == 200
