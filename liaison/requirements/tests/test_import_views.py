"""The import page, its progress page and the list's export, as the team uses them."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_project
from liaison.requirements.models import ImportJob, Requirement
from liaison.requirements.services import requirement_create
from liaison.requirements.tests.factories import row, workbook
from liaison.requirements.transfer import COLUMNS, parse_rows, read_rows

IMPORT = "/p/OWN/requirements/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(*titles, bad_row: bool = False) -> SimpleUploadedFile:
    rows = [row(title, Kind="functional", Priority="Must have") for title in titles]
    if bad_row:
        rows.append(row("Bad one", Kind="feature", Value=9))
    return SimpleUploadedFile("requirements.xlsx", workbook(*rows), content_type=XLSX)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def upload(login, manager, django_capture_on_commit_callbacks):
    """upload(file) posts the import form as the manager; the job runs when the
    request commits (huey is immediate in tests). Returns the response."""

    def _upload(file):
        with django_capture_on_commit_callbacks(execute=True):
            return login(manager).post(IMPORT, {"file": file} if file else {})

    return _upload


# -- the import page -----------------------------------------------------------------------


def test_the_import_page_documents_the_columns_and_links_the_template(login, member, project):
    response = login(member).get(IMPORT)
    assert response.status_code == 200
    page = response.content.decode()
    for column in COLUMNS:
        assert f"<strong>{column}</strong>" in page
    assert "<code>non_functional</code>" in page  # the choices are listed with their codes
    assert 'href="/p/OWN/requirements/import/template.xlsx"' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_template_download_is_a_workbook_that_parses(login, observer, project):
    response = login(observer).get("/p/OWN/requirements/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    rows = parse_rows(read_rows(response.content), lambda done, total: None)
    assert len(rows) == 1


def test_an_import_runs_and_its_page_says_how_many(upload, login, manager, project):
    response = upload(xlsx("Scan labels", "Print pick lists"))
    job = ImportJob.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == f"/p/OWN/requirements/import/{job.pk}/"
    page = login(manager).get(response["Location"]).content.decode()
    assert "2 requirements imported." in page
    assert 'href="/p/OWN/requirements/"' in page
    assert "hx-trigger" not in page  # finished: nothing polls
    keys = Requirement.objects.filter(project=project).values_list("key", "priority")
    assert list(keys) == [("REQ-1", "must"), ("REQ-2", "must")]


def test_a_bad_file_shows_the_report_and_saves_nothing(upload, login, manager, project):
    requirement_create(project=project, by=manager, title="Already there")
    response = upload(xlsx("Good", bad_row=True))
    page = login(manager).get(response["Location"]).content.decode()
    assert "The file was refused: nothing was saved." in page
    assert "<td>Kind</td>" in page
    assert "<td>Value</td>" in page
    assert "is not one of: functional" in page
    assert "Give a whole number from 1 to 5." in page
    assert 'href="/p/OWN/requirements/import/"' in page  # upload a corrected file
    assert Requirement.objects.filter(project=project).count() == 1


@pytest.mark.parametrize(
    "name, content, error",
    [
        (None, None, "This field is required."),
        ("notes.xlsx", b"just text", "Upload an Excel workbook (.xlsx)."),
        ("list.csv", b"PK\x03\x04 a zip named .csv", "Upload an Excel workbook (.xlsx)."),
        ("huge.xlsx", b"PK\x03\x04" + b"0" * (10 * 1024 * 1024), "The file is larger than 10 MB."),
    ],
    ids=["no file", "not a workbook", "not .xlsx", "too big"],
)
def test_a_refused_upload_says_why_beside_the_field(upload, project, name, content, error):
    response = upload(name and SimpleUploadedFile(name, content))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<div class="field__error" id="id_file_error">{error}' in page
    assert not ImportJob.objects.exists()


def test_a_running_import_polls_its_progress(login, manager, project):
    job = ImportJob.objects.create(
        project=project, by=manager, file="imports/x.xlsx", status="running", total=400, done=200
    )
    url = f"/p/OWN/requirements/import/{job.pk}/"
    response = login(manager).get(url, headers={"HX-Request": "true"})
    partial = response.content.decode()
    assert "<html" not in partial  # only the progress section
    assert f'hx-get="{url}"' in partial
    assert 'hx-trigger="every 1s"' in partial
    assert '<progress max="100" value="50"' in partial
    assert "200 of 400 rows checked." in partial


def test_observers_see_an_import_but_cannot_start_one(login, observer, manager, project):
    job = ImportJob.objects.create(project=project, by=manager, file="x.xlsx", status="failed")
    http = login(observer)
    assert http.get(IMPORT).status_code == 403
    assert http.post(IMPORT, {"file": xlsx("Sneaky")}).status_code == 403
    page = http.get(f"/p/OWN/requirements/import/{job.pk}/").content.decode()
    assert "Upload a corrected file" not in page
    assert not Requirement.objects.exists()


def test_clients_get_404_everywhere(login, client_user, manager, project):
    job = ImportJob.objects.create(project=project, by=manager, file="x.xlsx")
    http = login(client_user)
    for url in (
        IMPORT,
        f"/p/OWN/requirements/import/{job.pk}/",
        "/p/OWN/requirements/import/template.xlsx",
        "/p/OWN/requirements/export.csv",
    ):
        assert http.get(url).status_code == 404, url
    assert http.post(IMPORT, {"file": xlsx("Sneaky")}).status_code == 404


def test_another_projects_import_is_404_under_this_project(login, manager, project, org):
    other = make_project(org, manager, "OTHER")
    job = ImportJob.objects.create(project=other, by=manager, file="x.xlsx")
    http = login(manager)
    assert http.get(f"/p/OTHER/requirements/import/{job.pk}/").status_code == 200
    assert http.get(f"/p/OWN/requirements/import/{job.pk}/").status_code == 404


# -- export ----------------------------------------------------------------------------------


@pytest.fixture
def rows(project, foreign_project, manager):
    requirement_create(project=project, by=manager, title="Scan labels", priority="must")
    requirement_create(project=project, by=manager, title="Internal SDK", client_visible=False)
    requirement_create(project=project, by=manager, title="Voice picking", priority="could")
    requirement_create(project=foreign_project, by=foreign_project.manager, title="Someone else's")


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_csv_holds_the_projects_rows_with_the_lists_filters(login, observer, rows):
    response = login(observer).get("/p/OWN/requirements/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="OWN-requirements.csv"'
    header, *data = _csv(response)
    assert header[:2] == ["Title", "Kind"]  # the import template's layout
    assert header[-3:] == ["Key", "Status", "Score"]
    # The team's export: internal rows included, other projects' never.
    assert [r[0] for r in data] == ["Scan labels", "Internal SDK", "Voice picking"]
    filtered = login(observer).get("/p/OWN/requirements/export.csv?priority=must&sort=-key")
    assert [r[0] for r in _csv(filtered)[1:]] == ["Scan labels"]


def test_export_xlsx_is_a_workbook(login, member, rows):
    response = login(member).get("/p/OWN/requirements/export.xlsx?q=scan")
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="OWN-requirements.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[r[0].value, r[1].value, r[-3].value] for r in sheet.iter_rows()] == [
        ["Title", "Kind", "Key"],
        ["Scan labels", "functional", "REQ-1"],
    ]


def test_export_in_another_format_is_404(login, manager, rows):
    assert login(manager).get("/p/OWN/requirements/export.pdf").status_code == 404


def test_an_uploader_demoted_before_the_job_runs_imports_nothing(
    login, member, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        login(member).post(IMPORT, {"file": xlsx("Scan labels")})
    Membership.objects.filter(project=project, user=member).update(role="observer")
    for callback in queued:
        callback()
    job = ImportJob.objects.get(project=project)
    assert job.status == ImportJob.Status.FAILED
    assert "no longer edit" in job.errors[0]["problem"]
    assert not Requirement.objects.filter(project=project).exists()
