"""Files on interactions: size, type from the content, a clean name, storage
outside the web root, and who may fetch them."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from liaison.collab.attachments import (
    MAX_SIZE,
    attachment_add,
    attachment_for_audience,
    sanitize_filename,
)
from liaison.collab.models import Attachment
from liaison.communication.tests.factories import interaction_row
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.projects.access import CLIENT, TEAM

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _office(folder: str, *, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
        if macros:
            archive.writestr(f"{folder}/vbaProject.bin", "macro")
    return buffer.getvalue()


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _add(project, by, name, content, target=None):
    return attachment_add(
        target=target or interaction_row(project, client_visible=True),
        project=project,
        by=by,
        upload=SimpleUploadedFile(name, content),
    )


# -- the rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_name"),
    [
        ("scan.pdf", PDF, "application/pdf", "scan.pdf"),
        ("photo.png", PNG, "image/png", "photo.png"),
        ("photo.JPG", JPEG, "image/jpeg", "photo.JPG"),
        ("anim.gif", GIF, "image/gif", "anim.gif"),
        ("pic.webp", WEBP, "image/webp", "pic.webp"),
        (
            "spec.docx",
            _office("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "spec.docx",
        ),
        (
            "plan.xlsx",
            _office("xl"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "plan.xlsx",
        ),
        (
            "deck.pptx",
            _office("ppt"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "deck.pptx",
        ),
        ("notes.txt", "会议记录 minutes\n".encode(), "text/plain", "notes.txt"),
        ("list.csv", b"key,title\nREQ-1,Login\n", "text/csv", "list.csv"),
        # The content decides: a PNG named .pdf is a PNG, and its name says so.
        ("scan.pdf", PNG, "image/png", "scan.png"),
        ("report.docx", PDF, "application/pdf", "report.pdf"),
    ],
)
def test_attachment_types_come_from_the_content(
    project, manager, name, content, content_type, stored_name
):
    attachment = _add(project, manager, name, content)
    attachment.refresh_from_db()
    assert attachment.content_type == content_type
    assert attachment.name == stored_name
    assert attachment.size == len(content)
    assert attachment.uploaded_by == manager
    with attachment.file.open("rb") as handle:
        assert handle.read() == content
    assert Activity.objects.filter(verb="attached", diff__attachment=[None, stored_name]).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
        ("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a name does not help
        ("page.html", b"<p>hello</p>"),
        ("page.txt", b"  <!DOCTYPE html><html><body>x</body></html>"),
        ("notes.txt", b"<script>alert(1)</script>"),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("archive.zip", _plain_zip()),
        ("macro.docx", _office("word", macros=True)),
        ("binary.txt", b"abc\x00def"),
        ("latin1.txt", "café".encode("latin-1")),
    ],
)
def test_other_files_are_refused_with_a_message(project, manager, name, content):
    with pytest.raises(InvalidInput) as caught:
        _add(project, manager, name, content)
    assert caught.value.field == "file"
    assert "not accepted" in caught.value.message
    assert not Attachment.objects.exists()


def test_the_size_limit_is_twenty_megabytes(project, manager):
    assert MAX_SIZE == 20 * 1024 * 1024
    with pytest.raises(InvalidInput) as caught:
        _add(project, manager, "big.pdf", b"%PDF-" + b"0" * MAX_SIZE)
    assert "20 MB" in caught.value.message
    with pytest.raises(InvalidInput):
        _add(project, manager, "empty.txt", b"")
    interaction = interaction_row(project, client_visible=True)
    with pytest.raises(InvalidInput):
        attachment_add(target=interaction, project=project, by=manager, upload=None)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\minutes.pdf", "minutes.pdf"),
        ("a\x00b\x1fc\u202e.pdf", "abc.pdf"),
        ("..", "file"),
        (".hidden.txt", "hidden.txt"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_file_names_are_sanitized(raw, clean):
    assert sanitize_filename(raw) == clean
    assert len(sanitize_filename(raw)) <= 200


def test_files_are_stored_under_media_root_with_a_random_name(project, manager, settings):
    attachment = _add(project, manager, "../../minutes.pdf", PDF)
    path = attachment.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert "minutes" not in path.rsplit("/", 1)[-1]
    assert attachment.name == "minutes.pdf"


def test_only_the_editing_team_may_attach(project, observer, client_user, foreign_project):
    for user in (observer, client_user):
        with pytest.raises((PermissionDenied, Http404)):
            _add(project, user, "a.pdf", PDF)
    foreign = interaction_row(foreign_project, key="COM-7", client_visible=True)
    with pytest.raises(InvalidInput):
        _add(project, project.manager, "a.pdf", PDF, target=foreign)


# -- who may fetch one ---------------------------------------------------------------------


def test_attachment_for_audience_follows_the_target(project, manager, foreign_project):
    shown = interaction_row(project, client_visible=True)
    visible = _add(project, manager, "a.pdf", PDF, target=shown)
    hidden = interaction_row(project, client_visible=False)
    internal = _add(project, manager, "b.pdf", PDF, target=hidden)
    assert attachment_for_audience(project=project, audience=CLIENT, attachment_id=visible.pk)
    assert attachment_for_audience(project=project, audience=TEAM, attachment_id=internal.pk)
    with pytest.raises(Http404):
        attachment_for_audience(project=project, audience=CLIENT, attachment_id=internal.pk)
    with pytest.raises(Http404):
        attachment_for_audience(project=foreign_project, audience=TEAM, attachment_id=visible.pk)
    with pytest.raises(Http404):
        attachment_for_audience(project=project, audience=TEAM, attachment_id=999_999)


def test_a_project_level_attachment_is_for_the_team_only(project, manager):
    on_project = _add(project, manager, "a.pdf", PDF, target=project)
    assert attachment_for_audience(project=project, audience=TEAM, attachment_id=on_project.pk)
    with pytest.raises(Http404):
        attachment_for_audience(project=project, audience=CLIENT, attachment_id=on_project.pk)


# -- the views ---------------------------------------------------------------------------


def _download(http, project, attachment):
    return http.get(reverse("communication:attachment", args=[project.code, attachment.pk]))


def test_download_headers(login, project, manager, observer):
    interaction = interaction_row(project, client_visible=True)
    pdf = _add(project, manager, "minutes.pdf", PDF, target=interaction)
    png = _add(project, manager, "board.png", PNG, target=interaction)
    text = _add(project, manager, "notes.txt", b"hello", target=interaction)
    http = login(observer)
    response = _download(http, project, pdf)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="minutes.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    response = _download(http, project, png)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    response = _download(http, project, text)
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")


def test_download_of_another_projects_attachment_is_404(login, project, manager, foreign_project):
    foreign = _add(
        foreign_project,
        foreign_project.manager,
        "theirs.pdf",
        PDF,
        target=interaction_row(foreign_project, key="COM-9", client_visible=True),
    )
    assert _download(login(manager), project, foreign).status_code == 404
    # Nor through the foreign project's own URL, which the manager cannot see.
    assert _download(login(manager), foreign_project, foreign).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("client_user", 404), ("outsider", 404)])
def test_download_is_for_the_team(request, login, project, manager, role, status):
    attachment = _add(project, manager, "a.pdf", PDF)
    user = request.getfixturevalue(role)
    assert _download(login(user), project, attachment).status_code == status


def _upload(http, project, key, **data):
    return http.post(reverse("communication:attachment-upload", args=[project.code, key]), data)


def test_upload_view_stores_a_file_and_returns_to_the_interaction(login, project, member):
    interaction_row(project, client_visible=True)
    http = login(member)
    response = _upload(http, project, "COM-1", file=SimpleUploadedFile("plan.csv", b"a,b\n1,2\n"))
    assert response.status_code == 302
    assert response["Location"] == f"/p/{project.code}/communication/COM-1/#attachments"
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.content_type) == ("plan.csv", "text/csv")
    page = http.get(f"/p/{project.code}/communication/COM-1/")
    assert "plan.csv" in page.content.decode()
    assert f"/p/{project.code}/attachments/{attachment.pk}/" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a file to upload."),
        (
            {"file": SimpleUploadedFile("evil.html", b"<html><script>x</script></html>")},
            "This kind of file is not accepted.",
        ),
    ],
)
def test_upload_view_refuses_with_a_message(login, project, member, data, message):
    interaction_row(project, client_visible=True)
    response = _upload(login(member), project, "COM-1", **data)
    # The interaction's page again, the reason beside the file field.
    assert response.status_code == 200
    assert response.context["interaction"].key == "COM-1"
    errors = re.findall(
        r'<div class="field__error" id="attachment-file_error">([^<]*)</div>',
        response.content.decode(),
    )
    assert len(errors) == 1 and errors[0].startswith(message), errors
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("observer", 403), ("client_user", 404), ("outsider", 404)]
)
def test_upload_view_is_for_the_editing_team(request, login, project, role, status):
    interaction_row(project, client_visible=True)
    user = request.getfixturevalue(role)
    response = _upload(login(user), project, "COM-1", file=SimpleUploadedFile("a.pdf", PDF))
    assert response.status_code == status
    assert not Attachment.objects.exists()
