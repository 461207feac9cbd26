"""`manage.py search_rebuild`: write the search's entries again from every
registered source (core/search.py), for all projects or those named."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser

from liaison.core.models import SearchEntry
from liaison.core.search import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the registered sources."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="*", help="Project codes (all projects without).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the index has entries."
        )

    def handle(self, *args: Any, codes: list[str], if_empty: bool, **options: Any) -> None:
        if if_empty and SearchEntry.objects.exists():
            return
        # core imports no app: the project model by its label.
        projects = apps.get_model("projects", "Project").objects.order_by("pk")
        if codes:
            projects = projects.filter(code__in=codes)
        count = rebuild(projects)
        self.stdout.write(f"{count} search entries written.")
