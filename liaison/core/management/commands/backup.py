"""`manage.py backup`: one archive of every row and every stored file, with a
manifest (row counts, SHA-256 of each part and file), read in one consistent
snapshot while Liaison runs (liaison/core/backup/). README: "Backup and restore"."""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from liaison.core.backup.archive import BackupError, PartEntry, contents, counted
from liaison.core.backup.dump import write_backup

ARCHIVE_GLOB = "liaison-*.tar.gz"


def default_path() -> Path:
    """var/backups/liaison-<UTC time>.tar.gz: names sort by time."""
    return Path(settings.VAR_DIR) / "backups" / f"liaison-{timezone.now():%Y%m%dT%H%M%SZ}.tar.gz"


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives named liaison-<UTC time>.tar.gz."""
    archives = sorted(folder.glob(ARCHIVE_GLOB))
    old = archives[:-keep] if keep else archives
    for path in old:
        path.unlink()
    return old


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) of every row and every uploaded file, with a manifest "
        "of row counts and SHA-256 hashes. Reads one consistent snapshot: safe while "
        "Liaison runs. SECRET_KEY and the environment file are not in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="The archive to write (default: var/backups/liaison-<UTC time>.tar.gz).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="Then delete all but the newest N archives named liaison-*.tar.gz in its folder.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(
        self, *args: Any, output: Path | None, keep: int | None, database: str, **options: Any
    ) -> None:
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more.")
        started = time.monotonic()
        path = output or default_path()
        verbose = options["verbosity"] > 1
        try:
            manifest = write_backup(path, using=database, on_table=self._said if verbose else None)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for missing in manifest["missing_files"]:
            self.stderr.write(
                f"Not in the storage, so not in the archive: {missing['name']} "
                f"({missing['field']})."
            )
        self.stdout.write(
            f"Backed up {contents(manifest)} to {path} ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.monotonic() - started:.1f} s."
        )
        if keep:
            for old in prune(path.parent, keep):
                self.stdout.write(f"Deleted the older {old}.")

    def _said(self, part: PartEntry) -> None:
        self.stdout.write(f"{part['model']}: {counted(part['rows'], 'row')}")
