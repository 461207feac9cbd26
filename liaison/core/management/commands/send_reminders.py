from typing import Any

from django.core.management.base import BaseCommand

from liaison.core.registry import registry


class Command(BaseCommand):
    help = (
        "Send today's reminders now: action items coming due, communication plan items, "
        "last week's report to write (what the hourly jobs do at REMINDER_HOUR and REPORT_HOUR). "
        "Safe to run again: nobody is reminded of the same thing twice in a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for run in registry.reminders:
            self.stdout.write(f"{run.__module__}.{run.__name__}: {run(None)}")
