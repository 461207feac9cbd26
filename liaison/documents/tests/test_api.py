"""The documents API: multipart uploads, lists, the file, reviews, refusals
with their codes; a client user gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.documents.models import Document
from liaison.documents.tests.factories import PDF, make_document, make_folder, pdf

API = "/api/v1/projects/OWN"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_upload_list_download_and_review(login, project, manager):
    folder = make_folder(project, manager, "Shared", client_visible=True)
    http = login(manager)
    response = http.post(
        f"{API}/document-folders/{folder.pk}/documents",
        {"file": pdf("spec.pdf"), "title": "Spec", "tags": "a, b"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["key"] == "DOC-1" and response.json()["tags"] == ["a", "b"]
    document = Document.objects.get()
    response = http.post(
        f"{API}/documents/DOC-1/versions",
        {"file": pdf("spec.pdf", PDF + b"2"), "version": document.version, "note": "v2"},
    )
    assert response.status_code == 201 and response.json()["number"] == 2
    stale = http.post(f"{API}/documents/DOC-1/versions", {"file": pdf(), "version": 1})
    assert stale.status_code == 409
    versions = http.get(f"{API}/documents/DOC-1/versions").json()
    assert [v["number"] for v in versions["items"]] == [2, 1]
    file = http.get(versions["items"][0]["download_url"])
    assert file.status_code == 200 and file["X-Content-Type-Options"] == "nosniff"
    assert b"".join(file.streaming_content) == PDF + b"2"
    review = http.post(
        f"{API}/documents/DOC-1/reviews", {"number": 2}, content_type="application/json"
    )
    assert review.status_code == 201 and review.json()["status"] == "pending"
    listed = http.get(f"{API}/documents", {"folder": folder.pk}).json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "for_review"


@pytest.mark.parametrize(
    ("name", "body", "code"),
    [
        ("empty.pdf", b"", "empty_file"),
        ("page.html", b"<html></html>", "bad_file"),
        ("x.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "content_mismatch"),
    ],
)
def test_refusals_carry_a_code(login, project, manager, name, body, code):
    folder = make_folder(project, manager)
    response = login(manager).post(
        f"{API}/document-folders/{folder.pk}/documents",
        {"file": SimpleUploadedFile(name, body), "title": "T"},
    )
    assert response.status_code == 400 and response.json()["code"] == code
    assert not Document.objects.exists()


def test_missing_file_and_client_user(login, project, manager, client_user):
    folder = make_folder(project, manager)
    response = login(manager).post(f"{API}/document-folders/{folder.pk}/documents", {"title": "T"})
    assert response.json()["code"] == "file_required"
    make_document(project, manager, folder=folder)
    assert login(client_user).get(f"{API}/documents/DOC-1").status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_list_queries_do_not_grow(login, project, manager, count, django_assert_max_num_queries):
    folder = make_folder(project, manager)
    for number in range(count):
        make_document(project, manager, folder=folder, title=f"D{number}")
    http = login(manager)
    with django_assert_max_num_queries(12):
        assert http.get(f"{API}/documents").json()["count"] == count
