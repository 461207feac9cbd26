"""Requirements in and out of spreadsheets: parsing with a row/column/problem
report, the all-or-nothing save, and exports that no spreadsheet runs as formulas."""

import csv
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from openpyxl import load_workbook

from liaison.core.models import Activity
from liaison.projects.models import KeyCounter
from liaison.requirements.jobs import run_import
from liaison.requirements.models import ImportJob, Requirement, RequirementRevision
from liaison.requirements.services import requirement_create
from liaison.requirements.tests.factories import row, workbook
from liaison.requirements.transfer import (
    COLUMNS,
    ImportRefused,
    export_csv,
    export_xlsx,
    parse_rows,
    read_rows,
    template_workbook,
)


def parse(data: bytes) -> list[dict]:
    return parse_rows(read_rows(data), lambda done, total: None)


def problems_of(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as refused:
        parse(data)
    for problem in refused.value.problems:
        assert problem.problem  # every problem says what is wrong
    return [(p.row, p.column) for p in refused.value.problems]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# -- parsing ------------------------------------------------------------------------------


def test_parse_refuses_a_file_without_the_documented_header():
    assert problems_of(workbook(row(), header=["Name", "Kind"])) == [(1, "")]
    assert problems_of(workbook(header=list(reversed(COLUMNS)))) == [(1, "")]


def test_parse_refuses_a_file_that_is_not_a_workbook():
    with pytest.raises(ImportRefused) as refused:
        read_rows(b"PK\x03\x04 but not a zip")
    assert refused.value.problems[0].row == 0


def test_parse_reports_every_bad_cell_with_its_row_and_column():
    data = workbook(
        row(Kind="feature"),
        row(title="", Description="No title"),
        [],  # a blank row: skipped, but the rows after it keep their sheet numbers
        row(Source="rumour", Priority="urgent"),
        row(Value=7, Feasibility="high", Cost=2.5),
        row(title="x" * 301, Client_visible="maybe"),
    )
    assert problems_of(data) == [
        (2, "Kind"),
        (3, "Title"),
        (5, "Source"),
        (5, "Priority"),
        (6, "Value"),
        (6, "Feasibility"),
        (6, "Cost"),
        (7, "Title"),
        (7, "Client visible"),
    ]


def test_parse_names_the_allowed_values_of_a_bad_choice():
    with pytest.raises(ImportRefused) as refused:
        parse(workbook(row(Priority="urgent")))
    assert "must, should, could, wont" in refused.value.problems[0].problem


def test_parse_accepts_codes_and_english_labels():
    data = workbook(
        row(Kind="Non-functional", Priority="Must have", Source="Client request"),
        row(Kind="user_role", Priority="Won't have (this time)", Client_visible="否"),
        row(Kind="BUSINESS PROCESS", Priority="could", Client_visible="yes", Value=4.0),
    )
    first, second, third = parse(data)
    assert (first["kind"], first["priority"], first["source"]) == (
        "non_functional",
        "must",
        "client_request",
    )
    assert (second["kind"], second["priority"], second["client_visible"]) == (
        "user_role",
        "wont",
        False,
    )
    assert (third["kind"], third["client_visible"], third["value"]) == (
        "business_process",
        True,
        4,
    )


def test_parse_accepts_english_labels_whatever_the_uploaders_language():
    with translation.override("zh-hans"):
        (parsed,) = parse(workbook(row(Priority="Should have", Kind="User role")))
    assert (parsed["priority"], parsed["kind"]) == ("should", "user_role")


def test_parse_fills_empty_cells_with_the_documented_defaults():
    (parsed,) = parse(workbook(row(Acceptance_criteria="Fast\n\nOffline ", Tags="A, b, a")))
    assert parsed == {
        "title": "Scan labels",
        "kind": "functional",
        "body": "",
        "acceptance_criteria": ["Fast", "Offline"],
        "source": "document",
        "priority": "should",
        "value": 3,
        "feasibility": 3,
        "cost": 3,
        "tags": ",a,b,",
        "client_visible": True,
    }


def test_the_template_workbook_parses_cleanly():
    (parsed,) = parse(template_workbook())
    assert parsed["title"] == "Scan a pallet label at the dock"
    assert parsed["priority"] == "must"
    assert parsed["acceptance_criteria"] == ["Scan under 1 s", "Works offline"]


# -- the import job: all or nothing ----------------------------------------------------------


def _run(project, by, data: bytes) -> ImportJob:
    job = ImportJob.objects.create(
        project=project, by=by, file=ContentFile(data, name="requirements.xlsx")
    )
    run_import(job.pk)  # huey is immediate in tests
    job.refresh_from_db()
    return job


def _counts(project) -> tuple[int, int, int]:
    counter = KeyCounter.objects.filter(project=project, prefix="REQ").first()
    return (
        Requirement.objects.filter(project=project).count(),
        RequirementRevision.objects.filter(requirement__project=project).count(),
        counter.last if counter else 0,
    )


def test_a_file_with_one_bad_row_saves_nothing(project, manager):
    requirement_create(project=project, by=manager, title="Already there")
    before = _counts(project)
    job = _run(project, manager, workbook(row("Good"), row("Good too"), row("Bad", Cost=9)))
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        {"row": 4, "column": "Cost", "problem": "Give a whole number from 1 to 5."}
    ]
    assert _counts(project) == before


def test_an_unexpected_error_still_ends_the_job(project, manager, monkeypatch):
    """The status page must not wait for ever: the job ends refused, nothing saved."""

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("liaison.requirements.import_jobs.save_rows", broken)
    job = _run(project, manager, workbook(row("Good")))
    assert job.status == ImportJob.Status.FAILED
    assert job.finished_at is not None
    assert job.errors[0]["problem"].startswith("The import stopped on an unexpected error")
    assert not Requirement.objects.exists()


def test_a_clean_file_saves_every_row_with_the_next_keys(project, manager):
    for title in ("One", "Two"):
        requirement_create(project=project, by=manager, title=title)
    rows = [row(f"Imported {n}", Priority="Must have", Value=5, Tags="dock") for n in range(3)]
    job = _run(project, manager, workbook(*rows))
    assert (job.status, job.done, job.total, job.percent) == (ImportJob.Status.DONE, 3, 3, 100)
    imported = list(Requirement.objects.filter(project=project, title__startswith="Imported"))
    assert [r.key for r in imported] == ["REQ-3", "REQ-4", "REQ-5"]
    for requirement in imported:
        assert requirement.status == Requirement.Status.DRAFT
        assert requirement.score == 10 * 3 + 3 * 5 + 2 * 3 - 2 * 3
        assert requirement.tag_list == ["dock"]
        (revision,) = requirement.revisions.all()
        assert revision.number == requirement.version == 1
        assert revision.snapshot["key"] == requirement.key
        assert revision.author == manager
    assert KeyCounter.objects.get(project=project, prefix="REQ").last == 5
    assert Activity.objects.filter(verb="imported", project=project).count() == 1


# -- export ---------------------------------------------------------------------------------


@pytest.fixture
def risky(project, manager) -> Requirement:
    """Cells a spreadsheet would run as formulas."""
    return requirement_create(
        project=project,
        by=manager,
        title='=HYPERLINK("http://evil.example","Click")',
        body="+1+2",
        acceptance_criteria=["-2+3", "fine"],
        tags="@cmd",
    )


def test_xlsx_export_writes_text_as_text(risky):
    """A text cell is never run as a formula, so it keeps its value as typed."""
    sheet = load_workbook(io.BytesIO(export_xlsx([risky]))).active
    header, cells = [c.value for c in sheet[1]], sheet[2]
    assert header == [*COLUMNS, "Key", "Status", "Score"]  # the template's layout first
    by_column = dict(zip(header, cells, strict=True))
    for column in ("Title", "Description", "Acceptance criteria", "Tags"):
        assert by_column[column].data_type == "s", column
    assert by_column["Title"].value == risky.title
    assert by_column["Description"].value == "+1+2"
    assert by_column["Acceptance criteria"].value == "-2+3\nfine"
    assert by_column["Tags"].value == "@cmd"
    assert (by_column["Key"].value, by_column["Value"].data_type) == ("REQ-1", "n")
    raw = zipfile.ZipFile(io.BytesIO(export_xlsx([risky]))).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in raw  # no cell holds a formula


def test_xlsx_export_leaves_out_control_characters(project, manager):
    """A worksheet cannot hold them (openpyxl refuses the cell): a title with a
    terminal colour code pasted in exports without them instead of failing."""
    requirement = requirement_create(
        project=project, by=manager, title="\x1b[31mRed\x01 alert\x7f", body="a\x0bb\tc\nd"
    )
    sheet = load_workbook(io.BytesIO(export_xlsx([requirement]))).active
    by_column = dict(zip([c.value for c in sheet[1]], sheet[2], strict=True))
    assert by_column["Title"].value == "[31mRed alert\x7f"
    assert by_column["Description"].value == "ab\tc\nd"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_export_imports_back_unchanged(project, manager, language):
    """Export → edit → import: the file comes back in whatever language it went
    out in, and a title starting like a formula keeps its exact text."""
    titles = ["=SUM(1,2)", "-minus", "+plus", "@at", "Plain 标题"]
    for title in titles:
        requirement_create(
            project=project,
            by=manager,
            title=title,
            body="=1+1",
            acceptance_criteria=["-first", "second"],
            tags="@team, dock",
            priority="must",
            client_visible=False,
        )
    with translation.override(language):
        exported = export_xlsx(Requirement.objects.filter(project=project).order_by("pk"))
    with translation.override("en"):  # the uploader may read another language
        parsed = parse(exported)
    assert [row["title"] for row in parsed] == titles
    assert {row["body"] for row in parsed} == {"=1+1"}
    assert {tuple(row["acceptance_criteria"]) for row in parsed} == {("-first", "second")}
    assert {row["tags"] for row in parsed} == {",@team,dock,"}
    assert {(row["priority"], row["client_visible"]) for row in parsed} == {("must", False)}


def test_a_chinese_export_has_chinese_headers_that_import(project, manager):
    requirement_create(project=project, by=manager, title="=SUM(1,2)")
    with translation.override("zh-hans"):
        exported = export_xlsx(Requirement.objects.filter(project=project))
        template = template_workbook()
    header = [cell.value for cell in load_workbook(io.BytesIO(exported)).active[1]]
    assert header[:2] == ["标题", "类型"]
    assert [cell.value for cell in load_workbook(io.BytesIO(template)).active[1]] == header[:11]
    assert [row["title"] for row in parse(exported)] == ["=SUM(1,2)"]


def test_csv_export_neutralises_formulas(risky):
    header, values = list(csv.reader(io.StringIO(export_csv([risky]).lstrip("\ufeff"))))
    by_column = dict(zip(header, values, strict=True))
    assert by_column["Title"] == "'" + risky.title
    assert by_column["Description"] == "'+1+2"
    assert by_column["Acceptance criteria"] == "'-2+3\nfine"
    assert by_column["Tags"] == "'@cmd"
    assert by_column["Key"] == "REQ-1"
