"""`manage.py backup` and `manage.py restore` (liaison/core/backup/): the demo
organization and uploaded files go into one archive and come back in an empty
instance identical — rows per table, every value of every row, every file's
bytes. The source is the suite's own database, so SQLite → SQLite and SQLite →
PostgreSQL here; CI's PostgreSQL run makes PostgreSQL → PostgreSQL (and →
SQLite). PostgreSQL targets are skipped when none answers at 127.0.0.1:5432.
And a backup taken while another connection writes holds one instant."""

import io
import stat
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction

from liaison.accounts.models import Client, Organization, User
from liaison.collab.attachments import attachment_add
from liaison.collab.models import Attachment
from liaison.core.backup.archive import BackupError
from liaison.core.backup.dump import write_backup
from liaison.core.backup.tables import SKIPPED, file_fields, skipped_models, travelling_models
from liaison.core.tests.backup_world import contents, file_hashes, in_this_thread, manifest_of
from liaison.demo.load import load_demo
from liaison.projects.models import Project

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
TARGETS = ["sqlite", "postgresql"]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def demo_instance(transactional_db, settings, tmp_path) -> Path:
    """The demo organization (every feature, through the services, on the pinned
    clock) and two uploaded files, one with a Chinese name. Its MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    project = Project.objects.get(code="ACME-WMS")
    pm = User.objects.get(email="pm@demo.test")
    attachment_add(
        target=project, project=project, by=pm, upload=SimpleUploadedFile("scope.pdf", PDF)
    )
    notes = SimpleUploadedFile("会议纪要.txt", "验收标准已确认。\n".encode())
    attachment_add(target=project, project=project, by=pm, upload=notes)
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("kind", TARGETS)
def test_the_demo_instance_comes_back_identical(
    kind, demo_instance, empty_database, settings, tmp_path
):
    archive = tmp_path / "liaison.tar.gz"
    out, err = run("backup", "--output", str(archive))
    assert "Backed up" in out and err == ""
    source, source_files = contents(DEFAULT_DB_ALIAS), file_hashes(demo_instance)
    manifest = manifest_of(archive)

    # SQLite: a new file, which the restore migrates; PostgreSQL: a database after `migrate`.
    target = empty_database(kind, migrated=False)
    settings.MEDIA_ROOT = tmp_path / "media-restored"
    out, _ = run("restore", str(archive), "--database", target)
    assert f"Restored {sum(p['rows'] for p in manifest['parts'])} rows" in out

    counts = {part["model"]: part["rows"] for part in manifest["parts"]}
    assert counts == {label: len(rows) for label, rows in source.items()}
    # The demo's attachments: two on conversations, four expenses' receipts.
    assert sum(counts.values()) > 500 and counts["collab.attachment"] == 6
    restored = contents(target)
    for label, rows in source.items():
        assert restored[label] == rows, label
    assert file_hashes(settings.MEDIA_ROOT) == source_files
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == source_files
    # New rows get fresh ids (PostgreSQL's sequences moved past the restored ones).
    newest = max(pk for pk, *_ in source["accounts.organization"])
    assert Organization.objects.using(target).create(name="New", slug="new").pk > newest


def test_what_travels_is_found_from_the_models():
    labels = {model._meta.label_lower for model in travelling_models()}
    assert {"collab.attachment", "core.activity", "planning.task_requirements"} <= labels
    assert {"contenttypes.contenttype", "auth.permission"} <= labels
    assert not labels & set(SKIPPED)
    assert {model._meta.label_lower for model in skipped_models()} == set(SKIPPED)
    with_files = {
        f"{m._meta.label_lower}.{f.name}" for m in travelling_models() for f in file_fields(m)
    }
    assert with_files == {
        "collab.attachment.file",
        "documents.documentversion.file",
        "requirements.importjob.file",
    }


@pytest.fixture
def small_instance(transactional_db, settings, tmp_path, project, manager) -> Attachment:
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile("scope.pdf", PDF)
    return attachment_add(target=project, project=project, by=manager, upload=upload)


def test_the_archive_is_written_where_it_should_and_older_ones_go(
    small_instance, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    folder = tmp_path / "backups"
    folder.mkdir()
    for old in ("liaison-20250101T000000Z.tar.gz", "liaison-20260101T000000Z.tar.gz"):
        (folder / old).write_bytes(b"")
    out, _ = run("backup", "--keep", "2")
    archives = sorted(folder.iterdir())
    assert archives[0].name == "liaison-20260101T000000Z.tar.gz"
    assert len(archives) == 2 and "Deleted the older" in out
    assert stat.S_IMODE(archives[1].stat().st_mode) == 0o600  # password hashes, webhook secrets
    assert archives[1].name.startswith("liaison-2026") and str(archives[1]) in out
    with pytest.raises(Exception, match="exists already"):
        run("backup", "--output", str(archives[1]))
    with pytest.raises(Exception, match="--keep must be 1 or more"):
        run("backup", "--keep", "0")


def test_a_file_gone_from_the_storage_is_reported(small_instance, tmp_path):
    small_instance.file.storage.delete(small_instance.file.name)
    out, err = run("backup", "--output", str(tmp_path / "b.tar.gz"), "--verbosity", "2")
    assert small_instance.file.name in err and "0 files" in out
    assert "collab.attachment: 1 row\n" in out
    assert manifest_of(tmp_path / "b.tar.gz")["missing_files"] == [
        {"field": "collab.attachment.file", "name": small_instance.file.name}
    ]


def test_a_backup_starts_its_own_transaction(small_instance, tmp_path):
    with transaction.atomic(), pytest.raises(BackupError, match="its own transaction"):
        write_backup(tmp_path / "b.tar.gz")
    assert list(tmp_path.glob("*.tar.gz*")) == [] and list(tmp_path.glob(".*")) == []


def _write_meanwhile(alias: str, outcome: list) -> None:
    """Another connection (another thread) commits an organization and its client."""
    try:
        with in_this_thread(alias):
            organization = Organization.objects.using(alias).create(name="During", slug="during")
            Client.objects.using(alias).create(organization=organization, name="Meanwhile")
        outcome.append("committed")
    except Exception as error:
        outcome.append(error)


@pytest.mark.parametrize("kind", TARGETS)
def test_a_backup_taken_while_another_connection_writes_holds_one_instant(
    kind, empty_database, tmp_path
):
    """The writes come after the first table is read and before the organizations
    are: the archive holds neither the organization nor its client. The writer is
    not held up (SQLite: the snapshot takes no write lock)."""
    alias = empty_database(kind)
    Organization.objects.using(alias).create(name="Before", slug="before")
    outcome: list = []

    def after_table(part) -> None:
        if part["model"] == "auth.permission":
            writer = threading.Thread(target=_write_meanwhile, args=(alias, outcome))
            writer.start()
            writer.join(timeout=30)

    manifest = write_backup(tmp_path / "b.tar.gz", using=alias, on_table=after_table)
    assert outcome == ["committed"]
    counts = {part["model"]: part["rows"] for part in manifest["parts"]}
    assert (counts["accounts.organization"], counts["accounts.client"]) == (1, 0)
    assert Organization.objects.using(alias).count() == 2
    assert Client.objects.using(alias).count() == 1
