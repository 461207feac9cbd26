import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from liaison.core.activity import Activity
from liaison.core.locking import StaleEdit
from liaison.core.services import InvalidInput
from liaison.core.stored_files import stray_files_delete
from liaison.documents.models import Document, DocumentVersion, Review
from liaison.documents.services import client as client_services
from liaison.documents.services import documents as services
from liaison.documents.services import folders as folder_services
from liaison.documents.tests.factories import PDF, PNG, make_document, make_folder, pdf, text


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_files():
    try:
        return default_storage.listdir("documents")[1]
    except FileNotFoundError:
        return []


def test_create_keeps_the_first_version_with_its_hash(project, manager):
    document = make_document(project, manager, tags="spec, 需求 , spec")
    version = document.latest
    assert document.key == "DOC-1" and document.tags == ["spec", "需求"]
    assert document.tag_text == "|spec|需求|"
    assert version.number == 1 and version.size == len(PDF)
    assert version.content_type == "application/pdf"
    assert len(version.sha256) == 64 and version.name == "spec.pdf"
    assert default_storage.exists(version.file.name)
    assert Activity.objects.filter(verb="created", target_id=document.pk).exists()


def test_new_version_keeps_the_old_one_and_refuses_a_stale_upload(project, member):
    document = make_document(project, member)
    second = services.version_upload(
        document=document, by=member, upload=text("spec.txt"), note="typo", version=document.version
    )
    assert second.number == 2 and document.versions.count() == 2
    with pytest.raises(StaleEdit):
        services.version_upload(
            document=document, by=member, upload=pdf(), version=document.version
        )


def test_folder_default_shares_new_documents(project, manager):
    folder = make_folder(project, manager, "Shared", client_visible=True)
    document = make_document(project, manager, folder=folder)
    assert document.client_visible and document.latest.client_visible
    assert document.shared_version == document.latest


def test_member_may_not_share(project, member, manager):
    folder = make_folder(project, manager)
    with pytest.raises(PermissionDenied):
        make_document(project, member, folder=folder, client_visible=True)
    with pytest.raises(PermissionDenied):
        folder_services.folder_create(project=project, by=member, name="Open", client_uploads=True)


@pytest.mark.parametrize(
    ("name", "body", "code"),
    [
        ("empty.pdf", b"", "empty_file"),
        ("../etc/passwd.txt", b"hi", "bad_name"),
        ("bad\x00name.txt", b"hi", "bad_name"),
        ("page.html", b"<html><script>alert(1)</script>", "bad_file"),
        ("logo.svg", b"<svg viewBox='0 0 1 1'/>", "bad_file"),
        ("setup.exe", b"MZ\x90\x00\x03", "bad_file"),
        ("photo.pdf", PNG, "content_mismatch"),
        ("notes.txt", b"<!doctype html><p>hi", "bad_file"),
        ("blob.dat", b"\x00\x01\x02binary", "bad_file"),
    ],
)
def test_abuse_is_refused_and_leaves_no_file(project, manager, name, body, code):
    folder = make_folder(project, manager)
    upload = SimpleUploadedFile("x", body)
    upload._name = name  # past Django's own cleaning of the name: our check is the last line
    with pytest.raises(InvalidInput) as refused:
        make_document(project, manager, folder=folder, upload=upload)
    assert refused.value.code == code
    assert not Document.objects.exists() and stored_files() == []


def test_size_limit_and_quota_say_the_limit(project, manager, settings):
    settings.DOCUMENT_MAX_BYTES = 10
    with pytest.raises(InvalidInput) as refused:
        make_document(project, manager)
    assert refused.value.code == "file_too_large" and "10 bytes" not in refused.value.message
    assert "limit" in str(refused.value.message)
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    settings.DOCUMENT_QUOTA_BYTES = len(PDF) + 10
    make_document(project, manager)
    with pytest.raises(InvalidInput) as refused:
        make_document(project, manager, title="Two")
    assert refused.value.code == "quota_exceeded"
    assert len(stored_files()) == 1


def test_a_failure_after_storing_removes_the_file(project, manager, monkeypatch):
    folder = make_folder(project, manager)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(DocumentVersion.objects, "create", broken)
    with pytest.raises(RuntimeError):
        make_document(project, manager, folder=folder)
    assert stored_files() == []


def test_delete_removes_the_files_once_committed(
    project, manager, django_capture_on_commit_callbacks
):
    document = make_document(project, manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=document, by=manager, version=document.version)
    assert not Document.objects.exists() and stored_files() == []


def test_old_internal_versions_stay_hidden_when_shared(project, manager):
    document = make_document(project, manager)
    services.version_upload(document=document, by=manager, upload=pdf(), version=document.version)
    document.refresh_from_db()
    shared = services.document_set_visibility(
        document=document, by=manager, version=document.version, client_visible=True
    )
    visible = list(shared.versions.filter(client_visible=True).values_list("number", flat=True))
    assert visible == [2]
    services.version_share(version=shared.versions.get(number=1), by=manager)
    assert shared.versions.filter(client_visible=True).count() == 2


def test_review_round_trip_records_the_hash(project, manager, client_user):
    folder = make_folder(project, manager, client_visible=True)
    document = make_document(project, manager, folder=folder)
    review = client_services.review_request(
        document=document, version=document.latest, by=manager, message="Please check"
    )
    with pytest.raises(InvalidInput):
        client_services.review_request(document=document, version=document.latest, by=manager)
    with pytest.raises(InvalidInput) as refused:
        client_services.review_decide(review=review, by=client_user, approve=False)
    assert refused.value.code == "comment_required"
    decided = client_services.review_decide(review=review, by=client_user, approve=True)
    document.refresh_from_db()
    assert decided.status == Review.Status.APPROVED
    assert decided.sha256 == document.latest.sha256
    assert document.status == Document.Status.APPROVED


def test_team_may_not_decide_a_review(project, manager):
    folder = make_folder(project, manager, client_visible=True)
    document = make_document(project, manager, folder=folder)
    review = client_services.review_request(document=document, version=document.latest, by=manager)
    with pytest.raises(PermissionDenied):
        client_services.review_decide(review=review, by=manager, approve=True)


def test_client_uploads_only_into_an_open_folder(project, manager, client_user):
    closed = make_folder(project, manager, "Internal")
    with pytest.raises(InvalidInput):
        client_services.client_upload(project=project, by=client_user, folder=closed, upload=pdf())
    inbox = make_folder(project, manager, "From the client", client_uploads=True)
    document = client_services.client_upload(
        project=project, by=client_user, folder=inbox, upload=pdf("floor-plans.pdf")
    )
    assert document.from_client and document.client_visible
    assert document.status == Document.Status.FOR_REVIEW
    assert document.latest.by_client and document.title == "floor-plans.pdf"


def test_rollback_further_out_is_swept(project, manager):
    folder = make_folder(project, manager)
    kept = make_document(project, manager, folder=folder)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_document(project, manager, folder=folder, title="Rolled back")
        raise RuntimeError
    assert Document.objects.count() == 1 and len(stored_files()) == 2
    # The disk stamps the file with the real clock, not the tests' pinned one.
    stamped = max(default_storage.get_modified_time(f"documents/{n}") for n in stored_files())
    # The nightly sweep of every file field's folder (core) takes documents/ too.
    minute = dt.timedelta(minutes=1)
    assert stray_files_delete(now=stamped, older_than=minute) == []  # in flight
    swept = stray_files_delete(now=stamped + 2 * minute, older_than=minute)
    assert len(swept) == 1 and swept[0].startswith("documents/")
    assert stored_files() == [kept.latest.file.name.rsplit("/", 1)[1]]
