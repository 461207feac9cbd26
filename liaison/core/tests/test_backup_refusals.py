"""What `manage.py restore` refuses, and that a refusal or a failure leaves
nothing behind: a damaged or altered archive and one of another schema are
refused before anything is written (not even `migrate`), a database with data is
refused, and a restore that fails half-way rolls back its rows and deletes the
files it wrote."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS

from liaison.accounts.models import Client, Organization, User
from liaison.collab.attachments import attachment_add
from liaison.core.backup import load
from liaison.core.backup.archive import BackupError, open_for_reading
from liaison.core.tests.backup_world import (
    contents,
    file_hashes,
    manifest_of,
    rewrite,
    table_names,
)

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def archive(transactional_db, settings, tmp_path, project, manager, client_user) -> Path:
    """A small instance, backed up; MEDIA_ROOT then points at an empty folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile("scope.pdf", PDF)
    attachment_add(target=project, project=project, by=manager, upload=upload)
    path = tmp_path / "liaison.tar.gz"
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    settings.MEDIA_ROOT = tmp_path / "media-restored"
    return path


def restore(path: Path, alias: str) -> None:
    call_command("restore", str(path), "--database", alias, stdout=io.StringIO())


def _touch_user_row(name: str, data: bytes) -> bytes:
    return (
        data.replace(b"manager@test.example", b"manager@evil.example")
        if "accounts.user" in name
        else data
    )


def _touch_file(name: str, data: bytes) -> bytes:
    return data + b"%" if name.startswith("files/") else data


@pytest.mark.parametrize("change", [_touch_user_row, _touch_file], ids=["a row", "a file"])
def test_an_altered_archive_is_refused_before_anything_is_written(
    change, archive, empty_database, settings, tmp_path
):
    target = empty_database("sqlite", migrated=False)
    altered = rewrite(archive, tmp_path / "altered.tar.gz", change)
    with pytest.raises(CommandError, match="does not match its manifest"):
        restore(altered, target)
    assert table_names(target) == []
    assert not Path(settings.MEDIA_ROOT).exists()


def test_a_damaged_archive_is_refused(archive, empty_database, tmp_path):
    target = empty_database("sqlite", migrated=False)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="damaged"):
        restore(cut, target)
    (tmp_path / "other.tar.gz").write_bytes(b"not an archive")
    for path, refusal in (
        (tmp_path / "other.tar.gz", "not a Liaison backup"),
        (tmp_path / "absent.tar.gz", "no such file"),
    ):
        with pytest.raises(CommandError, match=refusal):
            restore(path, target)
    assert table_names(target) == []


def _repack(archive: Path, target: Path, *, manifest: bool, extra: list[tarfile.TarInfo]) -> Path:
    with tarfile.open(archive, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            if manifest or member.name != "manifest.json":
                new.addfile(member, old.extractfile(member))
        for member in extra:
            new.addfile(member)
    return target


def test_an_archive_with_other_members_or_no_manifest_is_refused(archive, empty_database, tmp_path):
    target = empty_database("sqlite", migrated=False)
    folder = tarfile.TarInfo("files/a-folder")
    folder.type = tarfile.DIRTYPE
    with pytest.raises(CommandError, match="unexpected member 'files/a-folder'"):
        restore(_repack(archive, tmp_path / "a.tar.gz", manifest=True, extra=[folder]), target)
    with pytest.raises(CommandError, match=r"has no manifest\.json"):
        restore(_repack(archive, tmp_path / "b.tar.gz", manifest=False, extra=[]), target)
    assert table_names(target) == []


def _manifest_changed(edit):
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


@pytest.mark.parametrize(
    ("edit", "refusal"),
    [
        (lambda m: m["migrations"]["planning"].append("9999_later"), "at another schema"),
        (lambda m: m["migrations"]["planning"].pop(), "at another schema"),
        (lambda m: m.update(format_version=2), "backup format 2"),
        (lambda m: m.update(format="other"), "not readable"),
        (lambda m: m.pop("parts"), "not readable"),
    ],
)
def test_an_archive_of_another_schema_or_format_is_refused(
    edit, refusal, archive, empty_database, tmp_path
):
    target = empty_database("sqlite", migrated=False)
    altered = rewrite(archive, tmp_path / "altered.tar.gz", _manifest_changed(edit))
    with pytest.raises(CommandError, match=refusal):
        restore(altered, target)
    assert table_names(target) == []


def test_a_database_with_data_is_refused(archive):
    before = contents(DEFAULT_DB_ALIAS)
    with pytest.raises(CommandError, match=r"not empty \(.*accounts\.user"):
        restore(archive, DEFAULT_DB_ALIAS)
    assert contents(DEFAULT_DB_ALIAS) == before


def test_files_already_in_the_storage(archive, empty_database, settings, tmp_path, monkeypatch):
    """The same bytes under the same name (left by an earlier attempt) are kept;
    other bytes under one of the archive's names are someone else's: refused.
    (Rows go in by twos here, to insert many batches.)"""
    monkeypatch.setattr(load, "BATCH_ROWS", 2)
    name = manifest_of(archive)["files"][0]["name"]
    stored = Path(settings.MEDIA_ROOT) / name
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"someone else's")
    target = empty_database("sqlite")
    with pytest.raises(CommandError, match="already holds other files"):
        restore(archive, target)
    stored.write_bytes(PDF)
    restore(archive, target)
    assert contents(target) == contents(DEFAULT_DB_ALIAS)
    assert file_hashes(settings.MEDIA_ROOT) == {name: manifest_of(archive)["files"][0]["sha256"]}


def _nothing_restored(alias: str, media: Path) -> None:
    rows = contents(alias)
    assert all(not rows[label] for label in rows if label not in load.MIGRATE_MADE)
    assert rows["contenttypes.contenttype"]  # migrate's, back after the rollback
    assert file_hashes(media) == {}


def test_an_archive_changed_between_the_check_and_the_restore_is_rolled_back(
    archive, empty_database, settings, monkeypatch, tmp_path
):
    """The rows and files are hashed again as they are restored."""
    altered = rewrite(archive, tmp_path / "altered.tar.gz", _touch_file)
    monkeypatch.setattr(load, "open_for_reading", lambda path: open_for_reading(altered))
    target = empty_database("sqlite")
    with pytest.raises(CommandError, match="changed while it was restored"):
        restore(archive, target)
    _nothing_restored(target, Path(settings.MEDIA_ROOT))


def test_a_failure_half_way_leaves_nothing(archive, empty_database, settings, monkeypatch):
    """After every row and file is in, a last check fails: the rows roll back and
    the files written are deleted."""

    def fail(using: str) -> None:
        assert User.objects.using(using).exists() and file_hashes(settings.MEDIA_ROOT)
        raise BackupError("The last check failed.")

    monkeypatch.setattr(load, "_check_references", fail)
    target = empty_database("sqlite")
    with pytest.raises(CommandError, match="The last check failed"):
        restore(archive, target)
    _nothing_restored(target, Path(settings.MEDIA_ROOT))


def _client_of_no_organization(name: str, data: bytes) -> bytes:
    if "accounts.client.jsonl" in name:
        fields = {"organization": 999, "name": "X", "contacts": "", "version": 1}
        fields |= {"created_at": "2026-11-18T10:00:00Z", "updated_at": "2026-11-18T10:00:00Z"}
        return json.dumps({"model": "accounts.client", "pk": 7, "fields": fields}).encode()
    return data


def _row_of_another_model(name: str, data: bytes) -> bytes:
    if "accounts.client.jsonl" in name:
        return (
            b'{"model": "accounts.organization", "pk": 7, "fields": {"name": "X", "slug": "x"}}\n'
        )
    return data


def _unreadable_row(name: str, data: bytes) -> bytes:
    return (
        b'{"model": "accounts.client", "pk": "seven"}\n'
        if "accounts.client.jsonl" in name
        else data
    )


def _count_off(name: str, data: bytes) -> bytes:
    if name == "manifest.json":
        manifest = json.loads(data)
        next(p for p in manifest["parts"] if p["model"] == "accounts.client")["rows"] = 5
        return json.dumps(manifest).encode()
    return data


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (_client_of_no_organization, "do not hold together"),
        (_row_of_another_model, "holds a row of accounts.Organization"),
        (_unreadable_row, "a row is not readable"),
        (_count_off, "has 1 row; its manifest says 5"),
        (
            _manifest_changed(lambda m: m["parts"][-1].update(model="reports.gone")),
            "rows of a model this code lacks",
        ),
        (
            _manifest_changed(lambda m: m["files"][0].update(field="collab.attachment.name")),
            "collab.attachment.name is not a file field",
        ),
        (
            _manifest_changed(lambda m: m["files"][0].update(field="collab.gone.file")),
            "names a file field this code lacks",
        ),
    ],
)
def test_an_archive_whose_hashes_were_forged_is_still_rolled_back(
    change, refusal, archive, empty_database, settings, tmp_path
):
    """A manifest rewritten to match altered rows passes the hashes; the rows
    themselves are still checked, and the restore rolls back."""
    assert Client.objects.count() == 1 and not Organization.objects.filter(pk=999).exists()
    forged = rewrite(archive, tmp_path / "forged.tar.gz", change, reseal=True)
    target = empty_database("sqlite")
    with pytest.raises(CommandError, match=refusal):
        restore(forged, target)
    _nothing_restored(target, Path(settings.MEDIA_ROOT))
