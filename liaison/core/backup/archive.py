"""The archive: a gzipped tar, read and written as a stream (memory stays flat
whatever its size).

    rows/0001-auth.permission.jsonl      one part per table, a row per line
    rows/…                               (Django's JSON Lines serializer)
    files/<model.field>/<storage name>   each stored file, as the storage gave it
    manifest.json                        last: what the archive holds, with hashes

The manifest gives the format, the Liaison version and migration state that
wrote it, when, the rows per table and the size and SHA-256 of every part and
file. A restore checks every byte against it before it writes anything."""

import hashlib
import io
import json
import tarfile
import tomllib
import zlib
from pathlib import Path
from typing import IO, Any, TypedDict

from django.conf import settings

FORMAT = "liaison-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ROWS_DIR = "rows/"
FILES_DIR = "files/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused, with a sentence that says why and what to do."""


class PartEntry(TypedDict):
    model: str  # app_label.model_name
    member: str
    rows: int
    size: int
    sha256: str


class FileEntry(TypedDict):
    field: str  # app_label.model_name.field_name: its storage writes the file back
    name: str  # the name the storage knows it by (what the row holds)
    member: str
    size: int
    sha256: str


class MissingFile(TypedDict):
    field: str
    name: str


class Manifest(TypedDict):
    format: str
    format_version: int
    liaison_version: str
    created_at: str
    database: str
    migrations: dict[str, list[str]]
    parts: list[PartEntry]
    files: list[FileEntry]
    missing_files: list[MissingFile]
    skipped: dict[str, str]
    not_included: list[str]


class HashingReader(io.RawIOBase):
    """Reads through to `source`, counting and hashing (SHA-256) what passes."""

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self._hash = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill `buffer` unless the source ends first (tarfile takes a short read
        for the end of the data)."""
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view):
            data = self._source.read(len(view) - filled)
            if not data:
                break
            view[filled : filled + len(data)] = data
            filled += len(data)
        self._hash.update(view[:filled])
        self.size += filled
        return filled

    def hexdigest(self) -> str:
        return self._hash.hexdigest()

    def drain(self) -> None:
        """Read what is left, so the hash covers the whole source."""
        while self.read(CHUNK):
            pass


def liaison_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def open_for_reading(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r|gz")
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.") from None
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"{path} is not a Liaison backup ({error}).") from None


def verify_archive(path: Path) -> Manifest:
    """Read the whole archive once, hashing every member, and compare with its
    manifest: a damaged or altered archive is refused here, before a restore
    writes anything."""
    seen: dict[str, tuple[int, str]] = {}
    raw_manifest = b""
    try:
        with open_for_reading(path) as tar:
            for member in tar:
                if not member.isfile() or member.name in seen:
                    raise BackupError(f"{path}: unexpected member {member.name!r}.")
                handle = tar.extractfile(member)
                assert handle is not None  # a regular file
                if member.name == MANIFEST:
                    raw_manifest = handle.read()
                    continue
                reader = HashingReader(handle)
                reader.drain()
                seen[member.name] = (reader.size, reader.hexdigest())
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"{path} is damaged ({error}); nothing was restored.") from None
    manifest = parse_manifest(raw_manifest, path)
    _compare(seen, manifest, path)
    return manifest


def parse_manifest(raw: bytes, path: Path) -> Manifest:
    if not raw:
        raise BackupError(f"{path} has no {MANIFEST}: it is not a Liaison backup.")
    try:
        data = json.loads(raw)
        if data["format"] != FORMAT:
            raise ValueError(data["format"])
        version = data["format_version"]
        absent = [key for key in Manifest.__annotations__ if key not in data]
        if absent:
            raise KeyError(", ".join(absent))
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{path}: its {MANIFEST} is not readable ({error}).") from None
    if version != FORMAT_VERSION:
        raise BackupError(
            f"{path} is in backup format {version}; this Liaison reads format {FORMAT_VERSION}."
        )
    manifest: Manifest = data
    return manifest


def _compare(seen: dict[str, tuple[int, str]], manifest: Manifest, path: Path) -> None:
    expected = {
        entry["member"]: (entry["size"], entry["sha256"])
        for entry in [*manifest["parts"], *manifest["files"]]
    }
    problems = [f"{name}: missing" for name in sorted(expected.keys() - seen.keys())] + [
        f"{name}: not in the manifest" for name in sorted(seen.keys() - expected.keys())
    ]
    problems += [
        f"{name}: its SHA-256 or size differs from the manifest's"
        for name in sorted(expected.keys() & seen.keys())
        if expected[name] != seen[name]
    ]
    if problems:
        listed = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
        raise BackupError(
            f"{path} does not match its manifest ({listed}). It is damaged or was "
            "altered; nothing was restored."
        )


def add_member(
    tar: tarfile.TarFile, name: str, source: IO[bytes], size: int, mtime: float
) -> tuple[int, str]:
    """Stream `size` bytes of `source` into the archive; their size and SHA-256."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    reader = HashingReader(source)
    tar.addfile(info, reader)
    return reader.size, reader.hexdigest()


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    add_member(tar, name, io.BytesIO(data), len(data), mtime)


def counted(number: int, noun: str) -> str:
    """'1 row', '2 rows': the commands' sentences count in English."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def contents(manifest: Manifest) -> str:
    """What an archive holds, as the commands say it: '12 rows of 3 tables and 1 file'."""
    rows = sum(part["rows"] for part in manifest["parts"])
    return (
        f"{counted(rows, 'row')} of {counted(len(manifest['parts']), 'table')} "
        f"and {counted(len(manifest['files']), 'file')}"
    )
