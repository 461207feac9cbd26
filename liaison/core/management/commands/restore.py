"""`manage.py restore PATH`: an archive of `manage.py backup` into an empty
instance, all or nothing (liaison/core/backup/load.py). README: "Backup and restore"."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from liaison.core.backup.archive import BackupError, contents
from liaison.core.backup.load import restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty instance: checks "
        "every hash first, migrates, then loads every row and file in one transaction "
        "(nothing is left half restored)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The archive (.tar.gz) to restore.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The (empty) database to fill."
        )

    def handle(self, *args: Any, path: Path, database: str, **options: Any) -> None:
        started = time.monotonic()
        verbose = options["verbosity"] > 1
        try:
            manifest = restore_backup(
                path, using=database, say=self.stdout.write if verbose else _quiet
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {contents(manifest)} from {path} (written {manifest['created_at']}) "
            f"in {time.monotonic() - started:.1f} s."
        )


def _quiet(message: str) -> None:
    """Only the summary at the default verbosity."""
