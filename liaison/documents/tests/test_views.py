"""The team's pages and the portal's: what each role sees, the downloads'
headers, uploads through the forms, and the queries a list costs at two sizes."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.documents.models import Document, DocumentVersion, Review
from liaison.documents.services import client as client_services
from liaison.documents.services import documents as services
from liaison.documents.tests.factories import PDF, PNG, make_document, make_folder, pdf, text


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _url(name, project, *args):
    return reverse(name, args=[project.code, *args])


def test_upload_form_makes_a_document_and_names_the_limit(login, project, member, manager):
    folder = make_folder(project, manager)
    http = login(member)
    page = http.get(_url("documents:list", project))
    assert "25 MB" in page.content.decode() and ".svg" in page.content.decode()
    response = http.post(
        _url("documents:create", project),
        {"folder": folder.pk, "title": "需求规格", "tags": "规格", "upload": pdf("规格.pdf")},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.title == "需求规格" and document.latest.name == "规格.pdf"


def test_a_path_in_the_name_is_cleaned_by_django_before_us(login, project, member, manager):
    folder = make_folder(project, manager)
    upload = SimpleUploadedFile("x.txt", b"hello")
    body = {"folder": folder.pk, "title": "T", "upload": upload}
    upload.name = "x.txt"
    response = login(member).post(_url("documents:create", project), body)
    assert response.status_code == 302
    assert "/" not in DocumentVersion.objects.get().name


def test_refusal_is_shown_beside_the_file_field(login, project, member, manager, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    folder = make_folder(project, manager)
    big = pdf(body=PDF + b"x" * 2048)
    response = login(member).post(
        _url("documents:create", project), {"folder": folder.pk, "title": "T", "upload": big}
    )
    assert response.status_code == 200
    assert "The limit is 1 KB" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "body", "inline", "kind"),
    [
        ("spec.pdf", PDF, True, "application/pdf"),
        ("shot.png", PNG, True, "image/png"),
        ("notes.txt", b"plain", True, "text/plain; charset=utf-8"),
    ],
)
def test_download_headers(login, project, member, manager, name, body, inline, kind):
    document = make_document(project, manager, upload=SimpleUploadedFile(name, body))
    response = login(member).get(_url("documents:download", project, document.key, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == kind
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline" if inline else "attachment")
    assert b"".join(response.streaming_content) == body


def test_office_files_download_as_attachments(login, project, member, manager):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    document = make_document(
        project, manager, upload=SimpleUploadedFile("plan.docx", buffer.getvalue())
    )
    response = login(member).get(_url("documents:download", project, document.key, 1))
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_version_form_refuses_a_stale_version(login, project, member, manager):
    document = make_document(project, manager)
    services.version_upload(document=document, by=manager, upload=pdf(), version=document.version)
    response = login(member).post(
        _url("documents:upload", project, document.key),
        {"upload": pdf(), "version": document.version},
    )
    assert response.status_code == 200 and document.versions.count() == 2


def test_client_sees_only_what_is_shared(login, project, manager, client_user):
    internal = make_document(project, manager, title="Internal only")
    shared_folder = make_folder(project, manager, "Shared")
    shared = make_document(project, manager, folder=shared_folder, title="Old then shared")
    services.version_upload(document=shared, by=manager, upload=pdf(), version=shared.version)
    shared.refresh_from_db()
    services.document_set_visibility(
        document=shared, by=manager, version=shared.version, client_visible=True
    )
    http = login(client_user)
    listed = http.get(_url("portal:documents", project)).content.decode()
    assert "Old then shared" in listed and "Internal only" not in listed
    assert http.get(_url("portal:document", project, internal.key)).status_code == 404
    assert http.get(_url("portal:document-download", project, shared.key, 2)).status_code == 200
    assert http.get(_url("portal:document-download", project, shared.key, 1)).status_code == 404
    page = http.get(_url("portal:document", project, shared.key)).content.decode()
    assert 'data-version="2"' in page and 'data-version="1"' not in page


def test_client_uploads_and_reviews_in_the_portal(login, project, manager, client_user):
    inbox = make_folder(project, manager, "From the client", client_uploads=True)
    http = login(client_user)
    response = http.post(
        _url("portal:document-upload", project), {"folder": inbox.pk, "upload": pdf("plans.pdf")}
    )
    assert response.status_code == 302
    assert Document.objects.get(from_client=True).latest.by_client
    shared_folder = make_folder(project, manager, "Specs", client_visible=True)
    document = make_document(project, manager, folder=shared_folder)
    review = client_services.review_request(document=document, version=document.latest, by=manager)
    home = http.get(reverse("portal:project", args=[project.code])).content.decode()
    assert document.title in home  # the decision waiting
    response = http.post(
        _url("portal:document-review", project, review.pk), {"decision": "approve"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED and review.sha256 == document.latest.sha256


def _fill(project, manager, folder, count):
    for number in range(count):
        make_document(project, manager, folder=folder, title=f"Doc {number}", upload=text())


@pytest.mark.parametrize("count", [3, 30])
def test_list_queries_do_not_grow(
    login, project, manager, client_user, count, django_assert_max_num_queries
):
    folder = make_folder(project, manager, "Big", client_visible=True)
    _fill(project, manager, folder, count)
    http = login(manager)
    url = _url("documents:list", project) + f"?folder={folder.pk}"
    with django_assert_max_num_queries(22):
        assert http.get(url).status_code == 200
    document = Document.objects.filter(project=project).first()
    for _ in range(min(count, 5)):
        services.version_upload(
            document=document,
            by=manager,
            upload=text(),
            version=Document.objects.get(pk=document.pk).version,
        )
    with django_assert_max_num_queries(24):
        assert http.get(_url("documents:document", project, document.key)).status_code == 200
    http = login(client_user)
    with django_assert_max_num_queries(22):
        assert http.get(_url("portal:documents", project)).status_code == 200
    with django_assert_max_num_queries(22):
        assert http.get(_url("portal:document", project, document.key)).status_code == 200


def test_the_portal_card_lists_the_documents_shared_last(login, project, manager, client_user):
    shared = make_folder(project, manager, "Shared", client_visible=True)
    for number in range(1, 7):
        make_document(project, manager, folder=shared, title=f"Shared {number}")
    make_document(project, manager, title="Internal only", client_visible=False)
    updated = Document.objects.get(title="Shared 1")
    services.version_upload(document=updated, by=manager, upload=pdf(), version=updated.version)
    page = login(client_user).get(f"/portal/p/{project.code}/").content.decode()
    card = page[page.index('id="portal-documents"') :]
    card = card[: card.index("</section>")]
    titles = re.findall(r">(Shared \d|Internal only)</a>", card)
    assert titles == ["Shared 1", "Shared 6", "Shared 5", "Shared 4", "Shared 3"]
    assert "v2 ·" in card
