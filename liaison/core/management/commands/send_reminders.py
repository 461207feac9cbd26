from django.core.management.base import BaseCommand

from liaison.core.jobs import reminders_send


class Command(BaseCommand):
    help = (
        "Send today's reminders now: action items coming due, communication plan items, "
        "last week's report to write (what the hourly jobs do at REMINDER_HOUR and REPORT_HOUR). "
        "Safe to run again: nobody is reminded of the same thing twice in a day."
    )

    def handle(self, *args, **options):
        for name, count in reminders_send().items():
            self.stdout.write(f"{name}: {count}")
